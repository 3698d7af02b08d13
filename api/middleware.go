package api

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"securelink/internal/apperr"
	"securelink/internal/domain"
)

// Keys of values kept on the echo context.
const (
	ctxBody      = "securelink.body"
	ctxRequestID = "securelink.request_id"
	ctxActor     = "securelink.actor"
	ctxSession   = "securelink.session"
)

type requestIDKey struct{}

// RequestIDFromContext returns the request id the middleware put into ctx, for log lines.
func RequestIDFromContext(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey{}).(string)
	return s
}

func requestID(c echo.Context) string {
	s, _ := c.Get(ctxRequestID).(string)
	return s
}

// withRequestID gives every request an id, in the response header and in the context for logs.
func withRequestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := "req_" + domain.NewToken(12)
		c.Set(ctxRequestID, id)
		c.Response().Header().Set("X-Request-Id", id)
		r := c.Request()
		c.SetRequest(r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
		return next(c)
	}
}

// metrics are the Prometheus collectors of the HTTP layer.
type metrics struct {
	log      *slog.Logger
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer, log *slog.Logger) *metrics {
	m := &metrics{log: log,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "securelink_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "securelink_http_request_duration_seconds", Help: "HTTP request latency by method and route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.latency)
	return m
}

// observe logs one JSON line per request and records its metrics.
func (m *metrics) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status := c.Response().Status
		d := time.Since(start)
		m.requests.WithLabelValues(c.Request().Method, route, strconv.Itoa(status)).Inc()
		m.latency.WithLabelValues(c.Request().Method, route).Observe(d.Seconds())
		if !strings.HasPrefix(route, "/metrics") && !strings.HasPrefix(route, "/healthz") {
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			m.log.Log(c.Request().Context(), level, "request", "method", c.Request().Method, "route", route,
				"status", status, "duration_ms", float64(d.Microseconds())/1000, "bytes", c.Response().Size)
		}
		return nil
	}
}

// securityHeaders are sent on every response; the SPAs add their own CSP.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(self)")
		if c.Request().TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		if strings.HasPrefix(c.Request().URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store")
			h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		}
		return next(c)
	}
}

// recoverPanics turns a panic into a 500 with its stack in the log.
func recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = apperr.Internal(panicError{r})
			}
		}()
		return next(c)
	}
}

type panicError struct{ v any }

func (p panicError) Error() string { return "panic: " + strings.TrimSpace(slogValue(p.v)) }

func slogValue(v any) string { return slog.AnyValue(v).String() }

// clientIP is the caller's address as Echo sees it (the proxy header only when configured trusted).
func clientIP(c echo.Context) string { return c.RealIP() }

// actorOf returns the authenticated caller; merchant routes always have one.
func actorOf(c echo.Context) domain.Actor {
	a, _ := c.Get(ctxActor).(domain.Actor)
	return a
}

// isUnsafe reports whether a method changes state (and so needs a CSRF token with a cookie session).
func isUnsafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}
