package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"securelink/api/apitest"
	"securelink/api/wiring"
	"securelink/internal/domain"
)

func ids(t *testing.T, r *apitest.Response) []string {
	t.Helper()
	var l struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
		HasMore bool `json:"has_more"`
	}
	r.JSON(t, &l)
	out := make([]string, len(l.Data))
	for i, d := range l.Data {
		out[i] = d.ID
	}
	return out
}

func hasMore(t *testing.T, r *apitest.Response) bool {
	t.Helper()
	return r.Map(t)["has_more"] == true
}

// TestEndingBefore: walking back with ending_before gives the same pages, newest first, as walking
// forward with starting_after; has_more says whether newer items remain; both cursors at once is a 400.
func TestEndingBefore(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pekara")
		var created []string
		for range 5 {
			id, _ := newInvoice(t, e, m, 1000, "automatic")
			created = append(created, id)
		}
		slices.Reverse(created) // newest first
		first := e.Do(t, "GET", "/api/v1/invoices?limit=2", nil, m.Auth())
		second := e.Do(t, "GET", "/api/v1/invoices?limit=2&starting_after="+ids(t, first)[1], nil, m.Auth())
		if got := ids(t, second); !slices.Equal(got, created[2:4]) {
			t.Fatalf("second page = %v, want %v", got, created[2:4])
		}
		back := e.Do(t, "GET", "/api/v1/invoices?limit=2&ending_before="+created[2], nil, m.Auth())
		if back.Status != http.StatusOK {
			t.Fatalf("ending_before: %d %s", back.Status, back.Body)
		}
		if got := ids(t, back); !slices.Equal(got, created[0:2]) || hasMore(t, back) {
			t.Errorf("page before %s = %v has_more=%v, want %v and no more", created[2], got, hasMore(t, back), created[0:2])
		}
		back = e.Do(t, "GET", "/api/v1/invoices?limit=2&ending_before="+created[4], nil, m.Auth())
		if got := ids(t, back); !slices.Equal(got, created[2:4]) || !hasMore(t, back) {
			t.Errorf("page before the oldest = %v has_more=%v, want %v and more", got, hasMore(t, back), created[2:4])
		}
		for _, path := range []string{"/api/v1/payments", "/api/v1/events", "/api/v1/emails", "/api/v1/webhook-endpoints", "/api/v1/audit-log", "/api/v1/request-logs"} {
			if r := e.Do(t, "GET", path+"?ending_before=zzz", nil, m.Auth()); r.Status != http.StatusOK {
				t.Errorf("%s?ending_before: %d %s", path, r.Status, r.Body)
			}
		}
		both := e.Do(t, "GET", "/api/v1/invoices?starting_after="+created[1]+"&ending_before="+created[3], nil, m.Auth())
		if both.Status != http.StatusBadRequest || both.ErrorObject(t)["param"] != "ending_before" {
			t.Errorf("both cursors: %d %s", both.Status, both.Body)
		}
	})
}

// TestExpand: expand[]=invoice puts a payment's invoice inline (one and list), expand[]=payment a
// refund's payment; without it they stay ids; an unknown expansion is a 400 naming expand[].
func TestExpand(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pekara")
		invID, token := newInvoice(t, e, m, 5000, "automatic")
		p := pay(t, e, token, visaCard, http.StatusOK)
		payID := p["id"].(string)

		plain := e.Do(t, "GET", "/api/v1/payments/"+payID, nil, m.Auth()).Map(t)
		if _, ok := plain["invoice"]; ok {
			t.Errorf("payment without expand has its invoice inline")
		}
		one := e.Do(t, "GET", "/api/v1/payments/"+payID+"?expand[]=invoice", nil, m.Auth())
		inv, _ := one.Map(t)["invoice"].(map[string]any)
		if one.Status != http.StatusOK || inv["id"] != invID || inv["number"] == "" {
			t.Fatalf("expanded payment: %d %s", one.Status, one.Body)
		}
		listed := e.Do(t, "GET", "/api/v1/payments?expand%5B%5D=invoice", nil, m.Auth()).Map(t)["data"].([]any)
		if len(listed) != 1 || listed[0].(map[string]any)["invoice"].(map[string]any)["id"] != invID {
			t.Errorf("expanded list: %v", listed)
		}

		ref := e.Do(t, "POST", "/api/v1/payments/"+payID+"/refunds", map[string]any{"amount": 1000}, m.Auth()).Map(t)
		got := e.Do(t, "GET", "/api/v1/refunds/"+ref["id"].(string)+"?expand[]=payment", nil, m.Auth())
		pm, _ := got.Map(t)["payment"].(map[string]any)
		if got.Status != http.StatusOK || pm["id"] != payID || pm["amount_refunded"] != float64(1000) {
			t.Errorf("expanded refund: %d %s", got.Status, got.Body)
		}

		for _, path := range []string{"/api/v1/payments/" + payID + "?expand[]=payment", "/api/v1/refunds/" + ref["id"].(string) + "?expand[]=invoice", "/api/v1/payments?expand[]=customer"} {
			r := e.Do(t, "GET", path, nil, m.Auth())
			if r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != "expand[]" || r.ErrorObject(t)["code"] != "invalid_expand" {
				t.Errorf("%s: %d %s", path, r.Status, r.Body)
			}
		}
	})
}

// TestRateLimitPerAPIKey: each key gets its own window; every answer says where the key stands;
// the request over the limit gets 429 with Retry-After; the portal's session is not limited.
func TestRateLimitPerAPIKey(t *testing.T) {
	t.Parallel()
	const limit = 3
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pekara")
		for i := range limit {
			r := e.Do(t, "GET", "/api/v1/invoices", nil, m.Auth())
			if r.Status != http.StatusOK || r.Header.Get("RateLimit-Limit") != fmt.Sprint(limit) ||
				r.Header.Get("RateLimit-Remaining") != fmt.Sprint(limit-1-i) || r.Header.Get("RateLimit-Reset") == "" {
				t.Fatalf("request %d: %d %v", i+1, r.Status, r.Header)
			}
		}
		r := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(100), m.Auth())
		if r.Status != http.StatusTooManyRequests || r.ErrorObject(t)["type"] != "rate_limit_error" ||
			r.Header.Get("Retry-After") == "" || r.Header.Get("RateLimit-Remaining") != "0" {
			t.Fatalf("over the limit: %d %v %s", r.Status, r.Header, r.Body)
		}
		other := e.NewMerchant(t, "Druga")
		if r := e.Do(t, "GET", "/api/v1/invoices", nil, other.Auth()); r.Status != http.StatusOK {
			t.Errorf("another key is limited too: %d", r.Status)
		}
		portal(t, e)
		login := e.Do(t, "POST", "/api/v1/auth/login", map[string]any{"email": m.Email, "password": m.Password})
		if login.Status != http.StatusOK {
			t.Fatalf("login: %d %s", login.Status, login.Body)
		}
		for range limit + 1 {
			if r := e.Do(t, "GET", "/api/v1/invoices", nil); r.Status != http.StatusOK || r.Header.Get("RateLimit-Limit") != "" {
				t.Fatalf("session: %d %v", r.Status, r.Header)
			}
		}
	}, func(c *wiring.Config) { c.APIRateLimit = limit })
}

// TestAPIVersion: a key answers with the version it was pinned to, the header picks another known
// one, an unknown one is a 400 naming the header, and a key made with the header is pinned to it.
func TestAPIVersion(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pekara")
		r := e.Do(t, "GET", "/api/v1/merchant", nil, m.Auth())
		if r.Header.Get("API-Version") != domain.APIVersionLatest {
			t.Errorf("default version = %q, want the key's %s", r.Header.Get("API-Version"), domain.APIVersionLatest)
		}
		old := apitest.Header{Name: "API-Version", Value: domain.APIVersionFirst}
		if r := e.Do(t, "GET", "/api/v1/merchant", nil, m.Auth(), old); r.Status != http.StatusOK || r.Header.Get("API-Version") != domain.APIVersionFirst {
			t.Errorf("asked for %s: %d %q", domain.APIVersionFirst, r.Status, r.Header.Get("API-Version"))
		}
		bad := e.Do(t, "GET", "/api/v1/merchant", nil, m.Auth(), apitest.Header{Name: "API-Version", Value: "2019-01-01"})
		if bad.Status != http.StatusBadRequest || bad.ErrorObject(t)["param"] != "API-Version" || bad.ErrorObject(t)["code"] != "invalid_api_version" {
			t.Errorf("unknown version: %d %s", bad.Status, bad.Body)
		}

		created := e.Do(t, "POST", "/api/v1/api-keys", map[string]any{"name": "old integration"}, m.Auth(), old)
		key := created.Map(t)
		if created.Status != http.StatusCreated || key["api_version"] != domain.APIVersionFirst {
			t.Fatalf("create pinned key: %d %s", created.Status, created.Body)
		}
		pinned := apitest.Header{Name: "Authorization", Value: "Bearer " + key["secret"].(string)}
		if r := e.Do(t, "GET", "/api/v1/invoices", nil, pinned); r.Header.Get("API-Version") != domain.APIVersionFirst {
			t.Errorf("pinned key answers with %q", r.Header.Get("API-Version"))
		}
		latest := e.Do(t, "POST", "/api/v1/api-keys", map[string]any{"name": "new"}, pinned).Map(t)
		if latest["api_version"] != domain.APIVersionLatest {
			t.Errorf("a key made without the header is pinned to %v", latest["api_version"])
		}
		listed := e.Do(t, "GET", "/api/v1/api-keys", nil, m.Auth()).Map(t)["data"].([]any)
		for _, k := range listed {
			if v := k.(map[string]any)["api_version"]; !domain.ValidAPIVersion(fmt.Sprint(v)) {
				t.Errorf("listed key has version %v", v)
			}
		}
	})
}

// TestRequestLog: every API-key request is logged with method, path, status and request id (never
// the query string), visible only to its merchant; portal requests are not logged; entries older
// than 30 days are purged.
func TestRequestLog(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pekara")
		created := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(1000), m.Auth())
		missing := e.Do(t, "GET", "/api/v1/invoices/inv_missing?q=ana@example.com", nil, m.Auth())
		other := e.NewMerchant(t, "Druga")
		e.Do(t, "GET", "/api/v1/merchant", nil, other.Auth())
		flush(t, e.App)

		r := e.Do(t, "GET", "/api/v1/request-logs", nil, m.Auth())
		if r.Status != http.StatusOK {
			t.Fatalf("list: %d %s", r.Status, r.Body)
		}
		var l struct {
			Data []map[string]any `json:"data"`
		}
		r.JSON(t, &l)
		if len(l.Data) != 2 {
			t.Fatalf("entries = %d, want 2: %s", len(l.Data), r.Body)
		}
		newest, oldest := l.Data[0], l.Data[1]
		if newest["method"] != "GET" || newest["path"] != "/api/v1/invoices/inv_missing" || newest["status"] != float64(404) ||
			newest["request_id"] != missing.Header.Get("X-Request-Id") || newest["api_key_id"] != m.KeyID {
			t.Errorf("newest entry = %v", newest)
		}
		if oldest["method"] != "POST" || oldest["status"] != float64(201) || oldest["request_id"] != created.Header.Get("X-Request-Id") ||
			oldest["api_version"] != domain.APIVersionLatest {
			t.Errorf("oldest entry = %v", oldest)
		}
		if strings.Contains(string(r.Body), "ana@example.com") {
			t.Errorf("the log keeps a query string: %s", r.Body)
		}
		failed := e.Do(t, "GET", "/api/v1/request-logs?failed=true", nil, m.Auth())
		if got := ids(t, failed); len(got) != 1 || got[0] != newest["id"] {
			t.Errorf("failed only = %v", got)
		}

		// A portal session's requests are not in the log.
		portal(t, e)
		if login := e.Do(t, "POST", "/api/v1/auth/login", map[string]any{"email": m.Email, "password": m.Password}); login.Status != http.StatusOK {
			t.Fatalf("login: %d", login.Status)
		}
		e.Do(t, "GET", "/api/v1/invoices", nil)
		flush(t, e.App)
		all := e.Do(t, "GET", "/api/v1/request-logs?limit=100", nil)
		if got := ids(t, all); len(got) != 4 { // the two above and the two list calls made with the key
			t.Errorf("entries after portal requests = %d, want 4: %s", len(got), all.Body)
		}

		// Thirty days later the entries are purged.
		e.App.RequestLog.Now = func() time.Time { return time.Now().Add(31 * 24 * time.Hour) }
		if n, err := e.App.RequestLog.Purge(context.Background()); err != nil || n != 5 { // with the other merchant's entry
			t.Errorf("purge: %d, %v", n, err)
		}
		e.App.RequestLog.Now = nil
		flush(t, e.App)
		if got := ids(t, e.Do(t, "GET", "/api/v1/request-logs?limit=100", nil)); len(got) != 0 {
			t.Errorf("entries after the purge = %v", got)
		}
	})
}

func flush(t *testing.T, a *wiring.App) {
	t.Helper()
	if _, err := a.RequestLog.Flush(context.Background()); err != nil {
		t.Fatalf("flush request log: %v", err)
	}
}
