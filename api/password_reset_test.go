package api_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"testing"

	"securelink/api/apitest"
	"securelink/api/wiring"
	"securelink/internal/auth"
	"securelink/internal/merchants"
)

var resetLinkRe = regexp.MustCompile(`/portal/reset-password/([A-Za-z0-9_-]{20,})`)

// resetTokens returns the token of every reset link in the raw messages (quoted-printable soft line
// breaks joined first).
func resetTokens(raw [][]byte) []string {
	var out []string
	for _, m := range raw {
		m = bytes.ReplaceAll(m, []byte("=\r\n"), nil)
		if sub := resetLinkRe.FindSubmatch(m); sub != nil {
			out = append(out, string(sub[1]))
		}
	}
	return out
}

// TestPasswordResetByEmail: a reset link travels through a real SMTP exchange, works once, within its
// hour, only while it is the newest, and ends every session of the user; the answer never says
// whether an address has an account, requests are limited, and the mailbox never shows the link.
func TestPasswordResetByEmail(t *testing.T) {
	t.Parallel()
	sink, addr := startRefusingSMTP(t)
	sink.setAccept(true)
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		e.App.Merchants.ResetLimits = merchants.ResetLimits{PerEmail: 5}
		m := e.NewMerchant(t, "Reset shop")
		old := logIn(t, e, m.Email, m.Password)
		before := len(sink.messages())

		ask := func(email string) *apitest.Response {
			t.Helper()
			return e.Do(t, "POST", "/api/v1/auth/password-reset", map[string]any{"email": email, "locale": "en"})
		}
		known, unknown := ask(m.Email), ask("nobody-"+m.Email)
		if known.Status != http.StatusAccepted || unknown.Status != http.StatusAccepted || !bytes.Equal(known.Body, unknown.Body) {
			t.Fatalf("known and unknown addresses must get the same answer: %d %s / %d %s", known.Status, known.Body, unknown.Status, unknown.Body)
		}
		if known.Map(t)["email_delivery_enabled"] != true {
			t.Errorf("with SMTP the answer says delivery is off: %s", known.Body)
		}
		// An invited user who never set a password gets nothing (the invitation link does that).
		invited := "invited-" + m.Email
		e.Do(t, "POST", "/api/v1/users/invitations", map[string]any{"email": invited}, m.Auth())
		if r := ask(invited); r.Status != http.StatusAccepted {
			t.Fatalf("invited: %d %s", r.Status, r.Body)
		}
		if n, err := e.App.Mailer.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("mailer sent %d e-mails, want only the known user's: %v", n, err)
		}
		tokens := resetTokens(sink.messages()[before:])
		if len(tokens) != 1 {
			t.Fatalf("reset links received: %v", tokens)
		}
		token := tokens[0]

		// Only the token's hash is stored; the mailbox shows the e-mail without its text.
		var hashes []string
		e.App.DB.Gorm.Raw("SELECT token_hash FROM password_resets").Scan(&hashes)
		if len(hashes) != 1 || hashes[0] != auth.HashToken(token) || hashes[0] == token {
			t.Errorf("stored hashes %v", hashes)
		}
		for _, em := range e.Do(t, "GET", "/api/v1/emails", nil, m.Auth()).Map(t)["data"].([]any) {
			em := em.(map[string]any)
			if em["kind"] != "password_reset" {
				continue
			}
			if em["redacted"] != true || em["text"] != "" || em["html"] != "" || em["status"] != "sent" {
				t.Errorf("the mailbox shows a reset e-mail as %v", em)
			}
			one := e.Do(t, "GET", "/api/v1/emails/"+em["id"].(string), nil, m.Auth())
			if bytes.Contains(one.Body, []byte(token)) {
				t.Error("GET /emails/{id} reveals the reset link")
			}
		}

		confirm := func(tok, pw string) *apitest.Response {
			t.Helper()
			return e.Do(t, "POST", "/api/v1/auth/password-reset/confirm", map[string]any{"token": tok, "password": pw})
		}
		for _, c := range []struct{ token, pw, param, code string }{
			{token, "short", "password", "password_too_short"},
			{"not-a-token-" + token[:10], "a long enough password", "token", "reset_token_invalid"},
		} {
			r := confirm(c.token, c.pw)
			if r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != c.param || r.ErrorObject(t)["code"] != c.code {
				t.Errorf("confirm %q/%q: %d %s", c.token, c.pw, r.Status, r.Body)
			}
		}
		fresh := sessionFrom(t, confirm(token, "a brand new password"))
		wantLive(t, e, fresh, "after the reset")
		wantEnded(t, e, old, "a password reset")
		if r := e.Do(t, "POST", "/api/v1/auth/login", map[string]any{"email": m.Email, "password": m.Password}); r.Status != http.StatusUnauthorized {
			t.Errorf("the old password still logs in: %d", r.Status)
		}
		logIn(t, e, m.Email, "a brand new password")
		if r := confirm(token, "yet another password"); r.Status != http.StatusBadRequest || r.ErrorObject(t)["code"] != "reset_token_invalid" {
			t.Errorf("a used link works again: %d %s", r.Status, r.Body)
		}

		// Only the newest link works, and none after its hour.
		before = len(sink.messages())
		ask(m.Email)
		ask(m.Email)
		if _, err := e.App.Mailer.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		two := resetTokens(sink.messages()[before:])
		if len(two) != 2 {
			t.Fatalf("links: %v", two)
		}
		if r := confirm(two[0], "the older link's password"); r.Status != http.StatusBadRequest {
			t.Errorf("an older link still works: %d %s", r.Status, r.Body)
		}
		if err := e.App.DB.Gorm.Exec("UPDATE password_resets SET expires_at = created_at").Error; err != nil {
			t.Fatal(err)
		}
		if r := confirm(two[1], "the expired link's password"); r.Status != http.StatusBadRequest || r.ErrorObject(t)["code"] != "reset_token_invalid" {
			t.Errorf("an expired link works: %d %s", r.Status, r.Body)
		}

		// The limit counts addresses, not accounts: an unknown one is limited the same way.
		stranger := "stranger-" + m.Email
		for i := 0; i < 5; i++ {
			if r := ask(stranger); r.Status != http.StatusAccepted {
				t.Fatalf("request %d: %d %s", i+1, r.Status, r.Body)
			}
		}
		if r := ask(stranger); r.Status != http.StatusTooManyRequests {
			t.Errorf("the sixth request in the window: %d %s", r.Status, r.Body)
		}
	}, func(c *wiring.Config) {
		c.SMTPURL, c.SMTPFrom = "smtp://"+addr+"?starttls=never", "SecureLink <no-reply@securelink.test>"
	})
}

// TestPasswordResetWithoutSMTP: without an SMTP server the answer says no e-mail can arrive, the
// e-mail is held, and the merchant's own session reads that e-mail delivery is off.
func TestPasswordResetWithoutSMTP(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "No SMTP")
		r := e.Do(t, "POST", "/api/v1/auth/password-reset", map[string]any{"email": m.Email})
		if r.Status != http.StatusAccepted || r.Map(t)["email_delivery_enabled"] != false {
			t.Fatalf("request: %d %s", r.Status, r.Body)
		}
		if got := e.Do(t, "GET", "/api/v1/merchant", nil, m.Auth()).Map(t)["email_delivery_enabled"]; got != false {
			t.Errorf("merchant.email_delivery_enabled = %v without SMTP", got)
		}
		var statuses []string
		e.App.DB.Gorm.Raw("SELECT status FROM emails WHERE kind = 'password_reset'").Scan(&statuses)
		if len(statuses) != 1 || statuses[0] != "held" {
			t.Errorf("reset e-mails: %v", statuses)
		}
		inv := e.Do(t, "POST", "/api/v1/invoices", map[string]any{"customer": map[string]any{"name": "Ana", "email": "ana@example.com"},
			"lines": []any{map[string]any{"description": "x", "quantity": 1, "unit_amount": 1000, "vat_rate": 20}}}, m.Auth()).Map(t)
		if s := e.Do(t, "POST", "/api/v1/invoices/"+inv["id"].(string)+"/send", nil, m.Auth()).Map(t)["status"]; s != "held" {
			t.Errorf("sending an invoice without SMTP answers status %v, want held", s)
		}
		if r := e.Do(t, "POST", "/api/v1/auth/password-reset", map[string]any{"email": "not an address"}); r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != "email" {
			t.Errorf("a malformed address: %d %s", r.Status, r.Body)
		}
	})
}
