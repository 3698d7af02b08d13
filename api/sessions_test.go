package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"securelink/api"
	"securelink/api/apitest"
	"securelink/internal/auth"
	"securelink/internal/domain"
	"securelink/internal/store"
)

func init() {
	extraBOLARoutes["DELETE /api/v1/users/:id"] = staffOf
}

// staffOf invites a staff user to the merchant and returns the user's id.
func staffOf(t *testing.T, e *apitest.Env, a apitest.Merchant) string {
	email := "staff-" + strings.ToLower(strings.ReplaceAll(domain.NewToken(5), "_", "x")) + "@example.com"
	return e.Do(t, "POST", "/api/v1/users/invitations", map[string]any{"email": email}, a.Auth()).Map(t)["user"].(map[string]any)["id"].(string)
}

// browser is one logged-in portal session: its cookie and CSRF token.
type browser struct{ cookie, csrf string }

func sessionFrom(t *testing.T, r *apitest.Response) browser {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("no session: %d %s", r.Status, r.Body)
	}
	b := browser{csrf: r.Map(t)["csrf_token"].(string)}
	for _, c := range r.Header.Values("Set-Cookie") {
		if v, ok := strings.CutPrefix(c, api.SessionCookie+"="); ok {
			b.cookie = strings.SplitN(v, ";", 2)[0]
		}
	}
	if b.cookie == "" {
		t.Fatal("no session cookie")
	}
	return b
}

func logIn(t *testing.T, e *apitest.Env, email, password string) browser {
	t.Helper()
	return sessionFrom(t, e.Do(t, "POST", "/api/v1/auth/login", map[string]any{"email": email, "password": password}))
}

func (b browser) headers() []apitest.Header {
	return []apitest.Header{{Name: "Cookie", Value: api.SessionCookie + "=" + b.cookie}, {Name: "X-CSRF-Token", Value: b.csrf}}
}

func (b browser) do(t *testing.T, e *apitest.Env, method, path string, body any) *apitest.Response {
	t.Helper()
	return e.Do(t, method, path, body, b.headers()...)
}

// wantEnded checks that the real cookie no longer works, on a read and on a merchant resource.
func wantEnded(t *testing.T, e *apitest.Env, b browser, after string) {
	t.Helper()
	for _, p := range []string{"/api/v1/me", "/api/v1/invoices"} {
		if r := b.do(t, e, "GET", p, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("after %s, GET %s with the old cookie: %d %s", after, p, r.Status, r.Body)
		}
	}
}

func wantLive(t *testing.T, e *apitest.Env, b browser, when string) {
	t.Helper()
	if r := b.do(t, e, "GET", "/api/v1/me", nil); r.Status != http.StatusOK {
		t.Fatalf("%s: GET /me %d %s", when, r.Status, r.Body)
	}
}

// TestSessionsEndWhenTheyShould: logout, "log out everywhere", a password change and removal from
// the merchant each end sessions on the server; the real cookie then answers 401.
func TestSessionsEndWhenTheyShould(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Sesije")

		// Logout ends the session, not just the cookie in one browser.
		one := logIn(t, e, m.Email, m.Password)
		wantLive(t, e, one, "after login")
		if r := one.do(t, e, "POST", "/api/v1/auth/logout", nil); r.Status != http.StatusNoContent {
			t.Fatalf("logout: %d %s", r.Status, r.Body)
		}
		wantEnded(t, e, one, "logout")

		// Log out everywhere ends every browser's session.
		laptop, phone := logIn(t, e, m.Email, m.Password), logIn(t, e, m.Email, m.Password)
		if r := laptop.do(t, e, "POST", "/api/v1/auth/logout-everywhere", nil); r.Status != http.StatusNoContent {
			t.Fatalf("logout everywhere: %d %s", r.Status, r.Body)
		}
		wantEnded(t, e, phone, "log out everywhere (other browser)")
		wantEnded(t, e, laptop, "log out everywhere (this browser)")

		// A password change ends every session and starts one for the browser that made it.
		laptop, phone = logIn(t, e, m.Email, m.Password), logIn(t, e, m.Email, m.Password)
		if r := laptop.do(t, e, "POST", "/api/v1/auth/password", map[string]any{"current_password": "wrong-password", "new_password": "nova-lozinka-2026"}); r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != "current_password" {
			t.Errorf("wrong current password: %d %s", r.Status, r.Body)
		}
		changed := sessionFrom(t, laptop.do(t, e, "POST", "/api/v1/auth/password", map[string]any{"current_password": m.Password, "new_password": "nova-lozinka-2026"}))
		wantEnded(t, e, phone, "a password change (other browser)")
		wantEnded(t, e, laptop, "a password change (old cookie)")
		wantLive(t, e, changed, "the session the password change started")
		if r := e.Do(t, "POST", "/api/v1/auth/login", map[string]any{"email": m.Email, "password": m.Password}); r.Status != http.StatusUnauthorized {
			t.Errorf("old password still logs in: %d", r.Status)
		}
		logIn(t, e, m.Email, "nova-lozinka-2026")

		// Removing a user from the merchant ends their sessions at once.
		inv := e.Do(t, "POST", "/api/v1/users/invitations", map[string]any{"email": "kasa@example.com"}, m.Auth()).Map(t)
		staffID := inv["user"].(map[string]any)["id"].(string)
		token := inv["invitation_url"].(string)[strings.LastIndex(inv["invitation_url"].(string), "/")+1:]
		staff := sessionFrom(t, e.Do(t, "POST", "/api/v1/auth/invitations/accept", map[string]any{"token": token, "password": "kasa-lozinka-2026"}))
		wantLive(t, e, staff, "staff after accepting")
		if r := staff.do(t, e, "DELETE", "/api/v1/users/"+m.UserID, nil); r.Status != http.StatusForbidden {
			t.Errorf("staff removed the owner: %d %s", r.Status, r.Body)
		}
		if r := changed.do(t, e, "DELETE", "/api/v1/users/"+m.UserID, nil); r.Status != http.StatusBadRequest {
			t.Errorf("owner removed themselves: %d %s", r.Status, r.Body)
		}
		if r := changed.do(t, e, "DELETE", "/api/v1/users/"+staffID, nil); r.Status != http.StatusOK {
			t.Fatalf("remove staff: %d %s", r.Status, r.Body)
		}
		wantEnded(t, e, staff, "removal from the merchant")
		if r := e.Do(t, "POST", "/api/v1/auth/login", map[string]any{"email": "kasa@example.com", "password": "kasa-lozinka-2026"}); r.Status != http.StatusUnauthorized {
			t.Errorf("a removed user logs in: %d", r.Status)
		}

		// The audit log has a row for each of these actions.
		log := string(e.Do(t, "GET", "/api/v1/audit-log?limit=100", nil, m.Auth()).Body)
		for _, a := range []string{"logout", "logout.everywhere", "password.changed", "user.removed"} {
			if !strings.Contains(log, `"action":"`+a+`"`) {
				t.Errorf("audit log lacks %s", a)
			}
		}
	})
}

// TestSessionTokenNamesItsOwnMerchant: a correctly signed token (as if the signing secret leaked) that
// names another merchant, or a session the server never issued, reads nothing.
func TestSessionTokenNamesItsOwnMerchant(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		a, b := e.NewMerchant(t, "A"), e.NewMerchant(t, "B")
		secret, err := (&store.Settings{DB: e.App.DB}).GetOrCreate(context.Background(), "session_secret", func() string { return "" })
		if err != nil || secret == "" {
			t.Fatalf("secret: %v", err)
		}
		sessions := &auth.Sessions{Secret: []byte(secret), TTL: time.Hour}
		real := logIn(t, e, a.Email, a.Password)
		cl, err := sessions.Parse(real.cookie)
		if err != nil {
			t.Fatal(err)
		}
		forge := func(userID, merchantID, sid string) browser {
			tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": "securelink", "sub": userID, "mer": merchantID,
				"sid": sid, "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()}).SignedString([]byte(secret))
			if err != nil {
				t.Fatal(err)
			}
			return browser{cookie: tok, csrf: sessions.CSRFToken(sid)}
		}
		for name, forged := range map[string]browser{
			"A's live session naming B":   forge(a.UserID, b.ID, cl.SessionID),
			"a session never issued":      forge(a.UserID, a.ID, "sid-never-issued"),
			"B's owner in A's session id": forge(b.UserID, b.ID, cl.SessionID),
		} {
			for _, p := range []string{"/api/v1/merchant", "/api/v1/invoices"} {
				if r := forged.do(t, e, "GET", p, nil); r.Status != http.StatusUnauthorized {
					t.Errorf("%s: GET %s %d %s", name, p, r.Status, r.Body)
				}
			}
		}
		wantLive(t, e, real, "the real session")
	})
}
