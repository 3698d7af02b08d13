package api

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
	"securelink/internal/auth"
	"securelink/internal/domain"
	"securelink/internal/merchants"
)

// SessionCookie is the name of the portal's session cookie.
const SessionCookie = "securelink_session"

// ModeHeader names the mode of every authenticated answer ("test" or "live"), so the portal can show
// which data it is looking at.
const ModeHeader = "SecureLink-Mode"

// withMode puts the caller's mode on the actor and into the request's context, where the store
// limits every read and change of merchant-owned data to it, and names it in the answer.
func withMode(c echo.Context, a domain.Actor, livemode bool) {
	a.Livemode = livemode
	c.Set(ctxActor, a)
	r := c.Request()
	c.SetRequest(r.WithContext(domain.WithMode(r.Context(), livemode)))
	c.Response().Header().Set(ModeHeader, domain.ModeName(livemode))
}

// authenticate resolves the caller from an API key (Authorization: Bearer sk_test_… or sk_live_…)
// or the session cookie; with the cookie, unsafe methods must carry the session's X-CSRF-Token. The
// request works in the key's mode, or in the mode the session's Test mode switch is set to.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		ctx := r.Context()
		if h := r.Header.Get(echo.HeaderAuthorization); h != "" {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				return apperr.Unauthenticated("invalid_authorization", "Use Authorization: Bearer <secret key>.")
			}
			k, err := s.d.Merchants.AuthenticateAPIKey(ctx, strings.TrimSpace(secret))
			if err != nil {
				return err
			}
			c.Set(ctxAPIKey, k)
			withMode(c, domain.Actor{Type: domain.ActorAPIKey, ID: k.ID, MerchantID: k.MerchantID, IP: clientIP(c)}, k.Livemode)
			return next(c)
		}
		ck, err := r.Cookie(SessionCookie)
		if err != nil || ck.Value == "" {
			return apperr.Unauthenticated("unauthenticated", "Log in, or send an API key as Authorization: Bearer <secret key>.")
		}
		claims, err := s.d.Sessions.Parse(ck.Value)
		if err != nil {
			return apperr.Unauthenticated("session_invalid", "Your session has ended. Log in again.")
		}
		// A signed token is not enough: its session must be live on the server and its user must
		// still belong to the merchant it names.
		ses, err := s.d.Merchants.CheckSession(ctx, claims)
		if err != nil {
			return err
		}
		if isUnsafe(r.Method) && !s.d.Sessions.CheckCSRF(claims.SessionID, r.Header.Get("X-CSRF-Token")) {
			return apperr.Forbidden(apperr.CodeCSRFTokenInvalid, "The X-CSRF-Token header is missing or wrong.")
		}
		c.Set(ctxSession, claims)
		withMode(c, domain.Actor{Type: domain.ActorUser, ID: claims.UserID, MerchantID: claims.MerchantID, IP: clientIP(c)}, ses.Livemode)
		return next(c)
	}
}

// requireUser limits a route to portal users (not API keys).
func requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if actorOf(c).Type != domain.ActorUser {
			return apperr.Forbidden("user_required", "This endpoint is only for portal users.")
		}
		return next(c)
	}
}

// setSessionCookie issues a session for the user, records it on the server and returns its CSRF token.
// A new session starts in test mode unless livemode (a password change keeps the switch where the
// replaced session had it).
func (s *Server) setSessionCookie(c echo.Context, u merchants.User, livemode bool) (string, error) {
	token, claims, err := s.d.Sessions.Issue(u.ID, u.MerchantID)
	if err != nil {
		return "", err
	}
	if err := s.d.Merchants.StartSession(c.Request().Context(), u, claims, livemode); err != nil {
		return "", err
	}
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.secureCookies(c), SameSite: http.SameSiteStrictMode, Expires: claims.ExpiresAt, MaxAge: int(time.Until(claims.ExpiresAt).Seconds())})
	return s.d.Sessions.CSRFToken(claims.SessionID), nil
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.secureCookies(c),
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

func (s *Server) secureCookies(c echo.Context) bool {
	return c.Request().TLS != nil || strings.HasPrefix(s.d.BaseURL, "https://")
}

// sessionOf returns the session claims of a cookie-authenticated request.
func sessionOf(c echo.Context) (auth.SessionClaims, error) {
	cl, ok := c.Get(ctxSession).(auth.SessionClaims)
	if !ok {
		return auth.SessionClaims{}, errors.New("api: no session on a user route")
	}
	return cl, nil
}
