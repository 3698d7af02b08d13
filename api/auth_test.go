package api_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"securelink/api"
	"securelink/api/apitest"
	"securelink/api/wiring"
	"securelink/internal/merchants"
)

// portal is a browser-like client: it keeps the session cookie.
func portal(t *testing.T, e *apitest.Env) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	e.Client.Jar = jar
}

func TestInvitationLoginSessionAndCSRF(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		portal(t, e)
		ctx := context.Background()
		cr, err := e.App.Merchants.CreateMerchant(ctx, merchants.NewMerchant{Name: "Cvećara Ruža", Email: "Vlasnik@Ruza.rs"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(cr.InvitationURL, e.URL+"/portal/invite/") || !cr.ExpiresAt.After(time.Now().Add(6*24*time.Hour)) {
			t.Errorf("invitation %s expires %s", cr.InvitationURL, cr.ExpiresAt)
		}
		tok := cr.InvitationToken

		info := e.Do(t, "GET", "/api/v1/auth/invitations/"+tok, nil)
		if info.Status != 200 || info.Map(t)["email"] != "vlasnik@ruza.rs" || info.Map(t)["merchant_name"] != "Cvećara Ruža" {
			t.Errorf("invitation info: %d %s", info.Status, info.Body)
		}
		if r := e.Do(t, "GET", "/api/v1/auth/invitations/nope", nil); r.Status != 404 {
			t.Errorf("unknown invitation: %d", r.Status)
		}
		short := e.Do(t, "POST", "/api/v1/auth/invitations/accept", map[string]any{"token": tok, "password": "short"})
		if short.Status != 400 || short.ErrorObject(t)["param"] != "password" {
			t.Errorf("short password: %d %s", short.Status, short.Body)
		}
		acc := e.Do(t, "POST", "/api/v1/auth/invitations/accept", map[string]any{"token": tok, "password": "ruža-lozinka-2026", "name": "Vesna"})
		if acc.Status != 200 {
			t.Fatalf("accept: %d %s", acc.Status, acc.Body)
		}
		csrf := acc.Map(t)["csrf_token"].(string)
		ck := acc.Header.Get("Set-Cookie")
		for _, attr := range []string{api.SessionCookie + "=", "HttpOnly", "SameSite=Strict", "Path=/"} {
			if !strings.Contains(ck, attr) {
				t.Errorf("session cookie %q lacks %s", ck, attr)
			}
		}
		again := e.Do(t, "POST", "/api/v1/auth/invitations/accept", map[string]any{"token": tok, "password": "another-password-1"})
		if again.Status != 409 || again.ErrorObject(t)["code"] != "invitation_used" {
			t.Errorf("second acceptance: %d %s", again.Status, again.Body)
		}

		me := e.Do(t, "GET", "/api/v1/me", nil)
		if me.Status != 200 || me.Map(t)["user"].(map[string]any)["name"] != "Vesna" {
			t.Fatalf("me: %d %s", me.Status, me.Body)
		}
		// Unsafe requests with the cookie need the CSRF token.
		if r := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(100)); r.Status != 403 || r.ErrorObject(t)["code"] != "csrf_token_invalid" {
			t.Errorf("no CSRF token: %d %s", r.Status, r.Body)
		}
		if r := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(100), apitest.Header{Name: "X-CSRF-Token", Value: "forged"}); r.Status != 403 {
			t.Errorf("wrong CSRF token: %d", r.Status)
		}
		if r := e.Do(t, "PATCH", "/api/v1/merchant", map[string]any{"name": "X"}); r.Status != 403 {
			t.Errorf("PATCH without CSRF: %d", r.Status)
		}
		if r := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(100), apitest.Header{Name: "X-CSRF-Token", Value: csrf}); r.Status != 201 {
			t.Errorf("with CSRF token: %d %s", r.Status, r.Body)
		}
		// Safe requests need no token.
		if r := e.Do(t, "GET", "/api/v1/invoices", nil); r.Status != 200 {
			t.Errorf("GET with cookie: %d", r.Status)
		}
		// /me is for portal users only.
		if r := e.Do(t, "POST", "/api/v1/auth/logout", nil); r.Status != 403 || r.ErrorObject(t)["code"] != "csrf_token_invalid" {
			t.Errorf("logout without CSRF token: %d %s", r.Status, r.Body)
		}
		e2 := e.Do(t, "POST", "/api/v1/auth/logout", nil, apitest.Header{Name: "X-CSRF-Token", Value: csrf})
		if e2.Status != 204 {
			t.Errorf("logout: %d", e2.Status)
		}
		if r := e.Do(t, "GET", "/api/v1/me", nil); r.Status != 401 {
			t.Errorf("me after logout: %d", r.Status)
		}

		login := e.Do(t, "POST", "/api/v1/auth/login", map[string]any{"email": "VLASNIK@ruza.rs", "password": "ruža-lozinka-2026"})
		if login.Status != 200 || login.Map(t)["csrf_token"] == "" {
			t.Fatalf("login: %d %s", login.Status, login.Body)
		}
		// The audit log shows the login and the invoice.
		audit := e.Do(t, "GET", "/api/v1/audit-log", nil).Map(t)["data"].([]any)
		actions := map[string]bool{}
		for _, a := range audit {
			actions[a.(map[string]any)["action"].(string)] = true
		}
		for _, want := range []string{"merchant.created", "invitation.accepted", "invoice.created", "login"} {
			if !actions[want] {
				t.Errorf("audit log lacks %s: %v", want, actions)
			}
		}
	})
}

// TestLoginRateLimit: failures are limited per (account, address) and per address, so an attacker's
// address is stopped while the owner logs in from elsewhere and other accounts from the attacker's
// (shared) address still can; failures from many addresses slow the account down instead of
// locking it. Every 429 carries Retry-After.
func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		var delays []time.Duration
		e.App.Merchants.Sleep = func(_ context.Context, d time.Duration) error { delays = append(delays, d); return nil }
		m, other := e.NewMerchant(t, "Limits"), e.NewMerchant(t, "Neighbour")
		login := func(email, password, ip string) *apitest.Response {
			return e.Do(t, "POST", "/api/v1/auth/login", map[string]any{"email": email, "password": password},
				apitest.Header{Name: "X-Forwarded-For", Value: ip})
		}
		const attacker = "203.0.113.9"
		for i := range 10 {
			if r := login(m.Email, "wrong-password", attacker); r.Status != 401 || r.ErrorObject(t)["type"] != "authentication_error" {
				t.Fatalf("attempt %d: %d %s", i, r.Status, r.Body)
			}
		}
		// The attacker's address is stopped for this account, even with the right password.
		r := login(m.Email, m.Password, attacker)
		if r.Status != 429 || r.ErrorObject(t)["type"] != "rate_limit_error" || r.Header.Get("Retry-After") == "" {
			t.Errorf("11th attempt from the attacker: %d %s Retry-After=%q", r.Status, r.Body, r.Header.Get("Retry-After"))
		}
		// The owner, from their own address, is not locked out; nor is another account at the attacker's address.
		if r := login(m.Email, m.Password, "198.51.100.1"); r.Status != 200 {
			t.Errorf("owner locked out by someone else's failures: %d %s", r.Status, r.Body)
		}
		if r := login(other.Email, other.Password, attacker); r.Status != 200 {
			t.Errorf("another account at the attacker's address: %d %s", r.Status, r.Body)
		}
		// One address guessing across many accounts is stopped.
		for i := range 50 {
			login(fmt.Sprintf("guess%d@example.com", i), "wrong-password", "203.0.113.77")
		}
		if r := login("fresh@example.com", "wrong-password", "203.0.113.77"); r.Status != 429 || r.Header.Get("Retry-After") == "" {
			t.Errorf("per-address limit: %d %v", r.Status, r.Header)
		}
		// Failures against one account from many addresses slow it down, but the owner still gets in.
		delays = nil
		for i := range 14 {
			if r := login(m.Email, "wrong-password", fmt.Sprintf("192.0.2.%d", i+1)); r.Status != 401 {
				t.Fatalf("distributed attempt %d: %d", i, r.Status)
			}
		}
		if r := login(m.Email, m.Password, "198.51.100.1"); r.Status != 200 {
			t.Errorf("owner after a distributed attack: %d %s", r.Status, r.Body)
		}
		if len(delays) < 2 || delays[len(delays)-1] <= delays[0] {
			t.Errorf("logins to an account under a distributed attack were not slowed down more and more: %v", delays)
		}
	}, func(c *wiring.Config) { c.TrustProxy = true })
}

func TestLoginDelayGrows(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		failures int64
		want     time.Duration
	}{{0, 0}, {9, 0}, {10, 250 * time.Millisecond}, {11, 500 * time.Millisecond}, {13, 2 * time.Second}, {100, merchants.MaxLoginDelay}} {
		if got := merchants.LoginDelay(c.failures, 10); got != c.want {
			t.Errorf("LoginDelay(%d) = %s, want %s", c.failures, got, c.want)
		}
	}
}

func TestSessionTokens(t *testing.T) {
	t.Parallel()
	e := apitest.New(t, "sqlite")
	m := e.NewMerchant(t, "Tokens")
	good := e.Do(t, "POST", "/api/v1/auth/login", map[string]any{"email": m.Email, "password": m.Password})
	cookie := ""
	for _, c := range good.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, api.SessionCookie+"=") {
			cookie = strings.SplitN(strings.TrimPrefix(c, api.SessionCookie+"="), ";", 2)[0]
		}
	}
	if cookie == "" {
		t.Fatal("no session cookie")
	}
	parts := strings.Split(cookie, ".")
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"usr_x","mer":"mer_x","sid":"x","iss":"securelink","exp":9999999999}`)) + "." + parts[2]
	for name, tok := range map[string]string{"valid": cookie, "alg none": none, "tampered": tampered, "garbage": "abc"} {
		r := e.Do(t, "GET", "/api/v1/me", nil, apitest.Header{Name: "Cookie", Value: api.SessionCookie + "=" + tok})
		want := http.StatusUnauthorized
		if name == "valid" {
			want = http.StatusOK
		}
		if r.Status != want {
			t.Errorf("%s token: %d, want %d", name, r.Status, want)
		}
	}
}

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Keys")
		created := e.Do(t, "POST", "/api/v1/api-keys", map[string]any{"name": "ERP"}, m.Auth())
		if created.Status != 201 {
			t.Fatalf("create: %d %s", created.Status, created.Body)
		}
		k := created.Map(t)
		secret := k["secret"].(string)
		if !strings.HasPrefix(secret, "sk_test_") || !strings.HasPrefix(secret, k["prefix"].(string)) {
			t.Errorf("secret %q prefix %q", secret, k["prefix"])
		}
		auth := apitest.Header{Name: "Authorization", Value: "Bearer " + secret}
		if r := e.Do(t, "GET", "/api/v1/invoices", nil, auth); r.Status != 200 {
			t.Errorf("new key: %d", r.Status)
		}
		// The secret is never shown again, and last use is recorded.
		list := e.Do(t, "GET", "/api/v1/api-keys", nil, m.Auth())
		if strings.Contains(string(list.Body), secret) {
			t.Error("list shows a secret")
		}
		for _, d := range list.Map(t)["data"].([]any) {
			if d.(map[string]any)["id"] == k["id"] && d.(map[string]any)["last_used_at"] == nil {
				t.Error("last_used_at not recorded")
			}
		}
		// The secret is stored hashed.
		var stored int64
		e.App.DB.Gorm.Raw("SELECT COUNT(*) FROM api_keys WHERE secret_hash = ? OR prefix = ?", secret, secret).Scan(&stored)
		if stored != 0 {
			t.Error("API key secret stored in clear")
		}

		rev := e.Do(t, "DELETE", "/api/v1/api-keys/"+k["id"].(string), nil, m.Auth())
		if rev.Status != 200 || rev.Map(t)["revoked_at"] == nil {
			t.Fatalf("revoke: %d %s", rev.Status, rev.Body)
		}
		if r := e.Do(t, "GET", "/api/v1/invoices", nil, auth); r.Status != 401 || r.ErrorObject(t)["code"] != "api_key_revoked" {
			t.Errorf("revoked key: %d %s", r.Status, r.Body)
		}

		exp := e.Do(t, "POST", "/api/v1/api-keys", map[string]any{"name": "short", "expires_at": time.Now().Add(time.Hour).Format(time.RFC3339)}, m.Auth()).Map(t)
		e.App.DB.Gorm.Exec("UPDATE api_keys SET expires_at = ? WHERE id = ?", time.Now().Add(-time.Minute).UTC(), exp["id"])
		if r := e.Do(t, "GET", "/api/v1/invoices", nil, apitest.Header{Name: "Authorization", Value: "Bearer " + exp["secret"].(string)}); r.Status != 401 || r.ErrorObject(t)["code"] != "api_key_expired" {
			t.Errorf("expired key: %d %s", r.Status, r.Body)
		}
		for name, h := range map[string]string{"unknown": "Bearer sk_test_nope", "basic": "Basic abc", "empty": "Bearer "} {
			if r := e.Do(t, "GET", "/api/v1/invoices", nil, apitest.Header{Name: "Authorization", Value: h}); r.Status != 401 {
				t.Errorf("%s key: %d", name, r.Status)
			}
		}
		if r := e.Do(t, "GET", "/api/v1/invoices", nil); r.Status != 401 {
			t.Errorf("no credentials: %d", r.Status)
		}
		if r := e.Do(t, "POST", "/api/v1/api-keys", map[string]any{"expires_at": "2001-01-01T00:00:00Z"}, m.Auth()); r.Status != 400 || r.ErrorObject(t)["param"] != "expires_at" {
			t.Errorf("past expiry: %d %s", r.Status, r.Body)
		}
		// API keys cannot call portal-only endpoints.
		if r := e.Do(t, "GET", "/api/v1/me", nil, m.Auth()); r.Status != 403 {
			t.Errorf("/me with an API key: %d", r.Status)
		}
	})
}

func TestTeamInvitations(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Team")
		r := e.Do(t, "POST", "/api/v1/users/invitations", map[string]any{"email": "staff@example.com", "name": "Staff"}, m.Auth())
		if r.Status != 201 {
			t.Fatalf("invite: %d %s", r.Status, r.Body)
		}
		url := r.Map(t)["invitation_url"].(string)
		tok := url[strings.LastIndex(url, "/")+1:]
		if acc := e.Do(t, "POST", "/api/v1/auth/invitations/accept", map[string]any{"token": tok, "password": "staff-password-1"}); acc.Status != 200 {
			t.Errorf("staff accept: %d %s", acc.Status, acc.Body)
		}
		if dup := e.Do(t, "POST", "/api/v1/users/invitations", map[string]any{"email": "STAFF@example.com"}, m.Auth()); dup.Status != 409 {
			t.Errorf("duplicate e-mail: %d %s", dup.Status, dup.Body)
		}
		users := e.Do(t, "GET", "/api/v1/users", nil, m.Auth()).Map(t)["data"].([]any)
		if len(users) != 2 {
			t.Errorf("team = %v", users)
		}
	})
}
