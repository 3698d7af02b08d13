package api

import (
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
	"securelink/internal/domain"
)

// RateLimitWindow is the window of the per-key rate limit.
const RateLimitWindow = time.Minute

// keyLimiter counts each API key's requests in fixed one-minute windows. It lives in the process:
// behind a load balancer each replica allows the limit on its own.
type keyLimiter struct {
	limit int
	now   func() time.Time

	mu        sync.Mutex
	windows   map[string]*keyWindow
	lastSweep time.Time
}

type keyWindow struct {
	start time.Time
	count int
}

func newKeyLimiter(limit int) *keyLimiter {
	return &keyLimiter{limit: limit, now: time.Now, windows: map[string]*keyWindow{}}
}

// take counts one request of the key and says whether it is allowed, how many remain in the
// window and when the window ends.
func (l *keyLimiter) take(key string) (ok bool, remaining int, reset time.Time) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > RateLimitWindow {
		// Forget the windows of keys that went quiet, so the map holds only active keys.
		for k, w := range l.windows {
			if now.Sub(w.start) >= RateLimitWindow {
				delete(l.windows, k)
			}
		}
		l.lastSweep = now
	}
	w := l.windows[key]
	if w == nil || now.Sub(w.start) >= RateLimitWindow {
		w = &keyWindow{start: now}
		l.windows[key] = w
	}
	reset = w.start.Add(RateLimitWindow)
	if w.count >= l.limit {
		return false, 0, reset
	}
	w.count++
	return true, l.limit - w.count, reset
}

// rateLimit holds each API key to its limit per minute and tells the caller where it stands with
// RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset; over the limit it answers 429 with
// Retry-After. Portal sessions are not limited here (logins have their own limiter).
func (s *Server) rateLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		a := actorOf(c)
		if s.limiter == nil || a.Type != domain.ActorAPIKey {
			return next(c)
		}
		ok, remaining, reset := s.limiter.take(a.ID)
		secs := max(1, int(time.Until(reset).Round(time.Second)/time.Second))
		h := c.Response().Header()
		h.Set("RateLimit-Limit", strconv.Itoa(s.limiter.limit))
		h.Set("RateLimit-Remaining", strconv.Itoa(remaining))
		h.Set("RateLimit-Reset", strconv.Itoa(secs))
		if !ok {
			// The error handler sends Retry-After from the error.
			return apperr.RateLimited("This API key made more than "+strconv.Itoa(s.limiter.limit)+
				" requests this minute. Retry after "+strconv.Itoa(secs)+" seconds.", time.Duration(secs)*time.Second)
		}
		return next(c)
	}
}
