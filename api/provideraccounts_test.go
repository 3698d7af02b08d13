package api_test

import (
	"net/http"
	"strings"
	"testing"

	"securelink/api/apitest"
	"securelink/api/wiring"
	"securelink/internal/store/storetest"
)

const (
	liveSecretKey     = "sk_live_51SECRETdoNotLeak9q8w7e6r5t4y"
	liveWebhookSecret = "whsec_SECRETwebhookDoNotLeak1234"
	testSecretKey     = "sk_test_51SECRETtestKeyDoNotLeakA1b2"
)

func liveStripe(values map[string]string) map[string]any {
	v := map[string]string{"secret_key": liveSecretKey, "publishable_key": "pk_live_51publishable", "webhook_secret": liveWebhookSecret}
	for k, x := range values {
		v[k] = x
	}
	return map[string]any{"provider": "stripe", "values": v}
}

// TestProviderAccountsAreChecked: what PUT /provider-accounts/{mode} refuses, each with the field.
func TestProviderAccountsAreChecked(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Checks")
		tests := []struct {
			name       string
			mode       string
			key        apitest.Header
			body       map[string]any
			wantStatus int
			wantCode   string
			wantParam  string
		}{
			{"unknown provider", "live", m.LiveAuth(), map[string]any{"provider": "paypalish", "values": map[string]string{}}, 422, "unknown_provider", "provider"},
			{"the test gateway cannot be live", "live", m.LiveAuth(), map[string]any{"provider": "testgateway", "values": map[string]string{}}, 422, "provider_test_only", "provider"},
			{"a test key for a live account", "live", m.LiveAuth(), liveStripe(map[string]string{"secret_key": testSecretKey}), 422, "invalid_provider_settings", "values.secret_key"},
			{"a missing required value", "live", m.LiveAuth(), map[string]any{"provider": "stripe", "values": map[string]string{"secret_key": liveSecretKey}}, 422, "invalid_provider_settings", "values.publishable_key"},
			{"an operator-only value", "live", m.LiveAuth(), liveStripe(map[string]string{"api_url": "http://127.0.0.1:1"}), 422, "invalid_provider_settings", "values.api_url"},
			{"an unknown value", "live", m.LiveAuth(), liveStripe(map[string]string{"colour": "red"}), 422, "invalid_provider_settings", "values.colour"},
			{"a test API key on the live account", "live", m.Auth(), liveStripe(nil), 403, "wrong_mode", ""},
			{"an unknown mode", "staging", m.Auth(), liveStripe(nil), 400, "invalid_mode", "mode"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.Do(t, "PUT", "/api/v1/provider-accounts/"+tt.mode, tt.body, tt.key)
				if r.Status != tt.wantStatus {
					t.Fatalf("%d %s, want %d", r.Status, r.Body, tt.wantStatus)
				}
				eo := r.ErrorObject(t)
				if eo["code"] != tt.wantCode || (tt.wantParam != "" && eo["param"] != tt.wantParam) {
					t.Fatalf("error %v, want code %s param %s", eo, tt.wantCode, tt.wantParam)
				}
			})
		}
		if r := e.Do(t, "GET", "/api/v1/provider-accounts/live", nil, m.LiveAuth()); r.Status != http.StatusNotFound {
			t.Fatalf("after refusals the live account: %d %s", r.Status, r.Body)
		}
	})
}

// TestLiveNeedsAProviderAccount: a live invoice without a live account is refused with a message
// that says what to configure; with one connected and tested it is created, and the go-live
// checklist follows each step.
func TestLiveNeedsAProviderAccount(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Going live")
		r := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(1000), m.LiveAuth())
		if r.Status != http.StatusConflict || r.ErrorObject(t)["code"] != "live_provider_missing" ||
			!strings.Contains(r.ErrorObject(t)["message"].(string), "provider-accounts/live") {
			t.Fatalf("live invoice without a live account: %d %s", r.Status, r.Body)
		}
		// Test mode works on the deployment's test gateway without any account.
		if r := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(1000), m.Auth()); r.Status != http.StatusCreated {
			t.Fatalf("test invoice: %d %s", r.Status, r.Body)
		}
		steps := func() map[string]bool {
			g := e.Do(t, "GET", "/api/v1/go-live", nil, m.Auth())
			if g.Status != http.StatusOK {
				t.Fatalf("go-live: %d %s", g.Status, g.Body)
			}
			out := map[string]bool{}
			body := g.Map(t)
			ready := true
			for _, s := range body["steps"].([]any) {
				s := s.(map[string]any)
				out[s["key"].(string)] = s["done"].(bool)
				ready = ready && s["done"].(bool)
			}
			if body["ready"] != ready {
				t.Errorf("ready %v with steps %v", body["ready"], out)
			}
			return out
		}
		if got := steps(); got["profile"] || got["pib"] || got["live_provider"] || len(got) != 5 {
			t.Fatalf("a new merchant's checklist: %v", got)
		}
		patch := map[string]any{"legal_name": "Pekara Mika doo", "address": "Knez Mihailova 1, Beograd", "pib": "100002887",
			"terms": "Returns within 14 days.", "notification_email": "owner@example.com"}
		if r := e.Do(t, "PATCH", "/api/v1/merchant", patch, m.Auth()); r.Status != http.StatusOK {
			t.Fatalf("patch merchant: %d %s", r.Status, r.Body)
		}
		if got := steps(); !got["profile"] || !got["pib"] || !got["terms"] || !got["notification_email"] || got["live_provider"] {
			t.Fatalf("after the profile: %v", got)
		}
		if r := e.Do(t, "PUT", "/api/v1/provider-accounts/live", map[string]any{"provider": apitest.LiveGateway, "values": map[string]string{}}, m.LiveAuth()); r.Status != http.StatusOK {
			t.Fatalf("connect: %d %s", r.Status, r.Body)
		}
		if got := steps(); got["live_provider"] {
			t.Fatalf("an untested live account counts as done: %v", got)
		}
		if r := e.Do(t, "POST", "/api/v1/provider-accounts/live/test", nil, m.LiveAuth()); r.Status != http.StatusOK || r.Map(t)["ok"] != true ||
			!strings.Contains(r.Map(t)["message"].(string), "work") {
			t.Fatalf("test connection: %d %s", r.Status, r.Body)
		}
		if got := steps(); !got["live_provider"] {
			t.Fatalf("after a passing test: %v", got)
		}
		if r := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(1000), m.LiveAuth()); r.Status != http.StatusCreated {
			t.Fatalf("live invoice with a live account: %d %s", r.Status, r.Body)
		}
		// Disconnecting ends live invoicing again.
		if r := e.Do(t, "DELETE", "/api/v1/provider-accounts/live", nil, m.LiveAuth()); r.Status != http.StatusNoContent {
			t.Fatalf("disconnect: %d %s", r.Status, r.Body)
		}
		if r := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(1000), m.LiveAuth()); r.Status != http.StatusConflict {
			t.Fatalf("live invoice after disconnecting: %d %s", r.Status, r.Body)
		}
	})
}

// TestLiveCredentialsNeedTheOperatorsKey: without SECURELINK_ENCRYPTION_KEY live credentials are
// refused rather than sealed with a key kept next to them; test credentials still work.
func TestLiveCredentialsNeedTheOperatorsKey(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "No key")
		r := e.Do(t, "PUT", "/api/v1/provider-accounts/live", liveStripe(nil), m.LiveAuth())
		if r.Status != http.StatusConflict || r.ErrorObject(t)["code"] != "encryption_key_required" ||
			!strings.Contains(r.ErrorObject(t)["message"].(string), "SECURELINK_ENCRYPTION_KEY") {
			t.Fatalf("live account without a key: %d %s", r.Status, r.Body)
		}
		r = e.Do(t, "PUT", "/api/v1/provider-accounts/test", map[string]any{"provider": "stripe",
			"values": map[string]string{"secret_key": testSecretKey, "publishable_key": "pk_test_x"}}, m.Auth())
		if r.Status != http.StatusOK {
			t.Fatalf("test account without a key: %d %s", r.Status, r.Body)
		}
	}, func(c *wiring.Config) { c.EncryptionKey = "" })
}

// TestProviderSecretsNeverShow: secrets are write-only (masked to the last four), and no table, log
// line, audit entry or event holds them.
func TestProviderSecretsNeverShow(t *testing.T) {
	t.Parallel()
	var logs apitest.SafeBuffer
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Secrets")
		r := e.Do(t, "PUT", "/api/v1/provider-accounts/live", liveStripe(nil), m.LiveAuth())
		if r.Status != http.StatusOK {
			t.Fatalf("connect: %d %s", r.Status, r.Body)
		}
		acct := r.Map(t)
		secrets := acct["secrets"].(map[string]any)
		if secrets["secret_key"] != "••••5t4y" || secrets["webhook_secret"] != "••••1234" || acct["settings"].(map[string]any)["publishable_key"] != "pk_live_51publishable" {
			t.Fatalf("account view: %v", acct)
		}
		if !strings.HasSuffix(acct["webhook_url"].(string), "/api/v1/psp/accounts/"+acct["id"].(string)+"/webhook") {
			t.Errorf("webhook URL %v", acct["webhook_url"])
		}
		// Changing only the publishable key keeps the secrets.
		r = e.Do(t, "PUT", "/api/v1/provider-accounts/live", map[string]any{"provider": "stripe",
			"values": map[string]string{"publishable_key": "pk_live_51other"}}, m.LiveAuth())
		if r.Status != http.StatusOK || r.Map(t)["secrets"].(map[string]any)["secret_key"] != "••••5t4y" {
			t.Fatalf("update without secrets: %d %s", r.Status, r.Body)
		}
		if r := e.Do(t, "PUT", "/api/v1/provider-accounts/test", map[string]any{"provider": "stripe",
			"values": map[string]string{"secret_key": testSecretKey, "publishable_key": "pk_test_x"}}, m.Auth()); r.Status != http.StatusOK {
			t.Fatalf("test account: %d %s", r.Status, r.Body)
		}
		var seen []string
		for _, p := range []string{"/api/v1/provider-accounts/live", "/api/v1/audit-log?limit=100", "/api/v1/events?limit=100", "/api/v1/emails?limit=100"} {
			for _, key := range []apitest.Header{m.Auth(), m.LiveAuth()} {
				seen = append(seen, string(e.Do(t, "GET", p, nil, key).Body))
			}
		}
		for _, v := range storetest.TextValues(t, e.App.DB) {
			seen = append(seen, v.Where+": "+v.Value)
		}
		e.App.RequestLog.Flush(t.Context())
		seen = append(seen, logs.String())
		for _, s := range seen {
			for _, secret := range []string{liveSecretKey, liveWebhookSecret, testSecretKey, "SECRET"} {
				if strings.Contains(s, secret) {
					t.Errorf("a secret shows: %.300s", s)
				}
			}
		}
	}, apitest.CaptureLogs(&logs))
}

// TestOnlyOwnersManageProviderAccounts: a staff user may not read or change them.
func TestOnlyOwnersManageProviderAccounts(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Owners")
		email := "staff-accounts@example.com"
		inv := e.Do(t, "POST", "/api/v1/users/invitations", map[string]any{"email": email}, m.Auth()).Map(t)["invitation_url"].(string)
		if r := e.Do(t, "POST", "/api/v1/auth/invitations/accept", map[string]any{"token": inv[strings.LastIndex(inv, "/")+1:], "password": "staff-password-1"}); r.Status != http.StatusOK {
			t.Fatalf("accept: %d %s", r.Status, r.Body)
		}
		staff := logIn(t, e, email, "staff-password-1")
		for _, c := range []struct{ method, path string }{{"GET", "/api/v1/provider-accounts/test"}, {"PUT", "/api/v1/provider-accounts/test"},
			{"DELETE", "/api/v1/provider-accounts/test"}, {"POST", "/api/v1/provider-accounts/test/test"}} {
			r := staff.do(t, e, c.method, c.path, map[string]any{"provider": "testgateway", "values": map[string]string{}})
			if r.Status != http.StatusForbidden {
				t.Errorf("staff %s %s: %d %s, want 403", c.method, c.path, r.Status, r.Body)
			}
		}
		owner := logIn(t, e, m.Email, m.Password)
		if r := owner.do(t, e, "PUT", "/api/v1/provider-accounts/test", map[string]any{"provider": "testgateway", "values": map[string]string{}}); r.Status != http.StatusOK {
			t.Fatalf("owner connects the test gateway: %d %s", r.Status, r.Body)
		}
		if r := owner.do(t, e, "POST", "/api/v1/provider-accounts/test/test", nil); r.Status != http.StatusOK || r.Map(t)["ok"] != true {
			t.Fatalf("owner tests it: %d %s", r.Status, r.Body)
		}
		// With an account in place, staff still may not replace, test or remove it; it stays as it was.
		before := owner.do(t, e, "GET", "/api/v1/provider-accounts/test", nil).Map(t)
		for _, c := range []struct{ method, path string }{{"PUT", "/api/v1/provider-accounts/test"}, {"POST", "/api/v1/provider-accounts/test/test"},
			{"DELETE", "/api/v1/provider-accounts/test"}, {"GET", "/api/v1/provider-accounts/test"}} {
			r := staff.do(t, e, c.method, c.path, map[string]any{"provider": "testgateway", "values": map[string]string{}})
			if r.Status != http.StatusForbidden || r.ErrorObject(t)["code"] == nil {
				t.Errorf("staff %s %s on an existing account: %d %s, want 403", c.method, c.path, r.Status, r.Body)
			}
		}
		if after := owner.do(t, e, "GET", "/api/v1/provider-accounts/test", nil).Map(t); after["id"] != before["id"] ||
			after["last_test"].(map[string]any)["tested_at"] != before["last_test"].(map[string]any)["tested_at"] {
			t.Errorf("staff changed the account: before %v, after %v", before, after)
		}
		list := e.Do(t, "GET", "/api/v1/providers", nil, m.Auth()).Map(t)["data"].([]any)
		names := map[string]bool{}
		for _, p := range list {
			p := p.(map[string]any)
			names[p["name"].(string)] = true
			for _, f := range p["fields"].([]any) {
				if f.(map[string]any)["key"] == "api_url" {
					t.Errorf("%s lists the operator-only api_url", p["name"])
				}
			}
		}
		if !names["stripe"] || !names["testgateway"] {
			t.Errorf("providers %v", names)
		}
	})
}
