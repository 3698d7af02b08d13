package testgateway

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"securelink/internal/psp"
)

func TestTokenCORS(t *testing.T) {
	tests := []struct {
		name       string
		allowed    []string
		method     string
		origin     string
		wantStatus int
		wantAllow  string
	}{
		{"preflight, any origin by default", nil, http.MethodOptions, "https://shop.test", http.StatusNoContent, "*"},
		{"preflight, listed origin", []string{"https://pay.test"}, http.MethodOptions, "https://pay.test", http.StatusNoContent, "https://pay.test"},
		{"preflight, other origin", []string{"https://pay.test"}, http.MethodOptions, "https://evil.test", http.StatusForbidden, ""},
		{"preflight without origin", nil, http.MethodOptions, "", http.StatusForbidden, ""},
		{"post, listed origin", []string{"https://pay.test"}, http.MethodPost, "https://pay.test", http.StatusCreated, "https://pay.test"},
		{"post, other origin", []string{"https://pay.test"}, http.MethodPost, "https://evil.test", http.StatusForbidden, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := newGateway(t, Config{AllowedOrigins: tc.allowed})
			headers := map[string]string{"Content-Type": "application/json"}
			if tc.origin != "" {
				headers["Origin"] = tc.origin
			}
			body := ""
			if tc.method == http.MethodOptions {
				headers["Access-Control-Request-Method"] = "POST"
				headers["Access-Control-Request-Headers"] = "content-type"
			} else {
				body = `{"number":"4242424242424242","exp_month":12,"exp_year":2040,"cvc":"123"}`
			}
			status, h, raw := g.call(t, tc.method, "/gateway/v1/tokens", headers, body)
			if status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", status, tc.wantStatus, raw)
			}
			if got := h.Get("Access-Control-Allow-Origin"); got != tc.wantAllow {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, tc.wantAllow)
			}
			if tc.method == http.MethodOptions && tc.wantStatus == http.StatusNoContent {
				if !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") ||
					!strings.Contains(strings.ToLower(h.Get("Access-Control-Allow-Headers")), "content-type") {
					t.Errorf("preflight headers: methods %q headers %q", h.Get("Access-Control-Allow-Methods"), h.Get("Access-Control-Allow-Headers"))
				}
			}
		})
	}
}

func TestTokenSingleUseAndExpiry(t *testing.T) {
	clock := &fixedClock{at: time.Date(2026, time.November, 25, 12, 0, 0, 0, time.UTC)}
	g := newGateway(t, Config{Now: clock.now})
	pay := func(token, key string) (int, apiError) {
		body := fmt.Sprintf(`{"token":%q,"amount":500,"currency":"EUR","reference":"pay_1"}`, token)
		status, _, raw := g.call(t, http.MethodPost, "/gateway/v1/payments", authHeaders(key), body)
		if status >= 400 {
			return status, errorCode(t, raw)
		}
		return status, apiError{}
	}

	used := g.tokenFor(t, "4242424242424242")
	if status, e := pay(used, "k1"); status != http.StatusCreated {
		t.Fatalf("first use: %d %+v", status, e)
	}
	if status, e := pay(used, "k2"); status != http.StatusBadRequest || e.Code != "token_already_used" || e.Param != "token" {
		t.Errorf("second use: %d %+v, want 400 token_already_used", status, e)
	}

	stale := g.tokenFor(t, "4242424242424242")
	clock.at = clock.at.Add(TokenTTL + time.Second)
	if status, e := pay(stale, "k3"); status != http.StatusBadRequest || e.Code != "token_expired" {
		t.Errorf("expired token: %d %+v, want 400 token_expired", status, e)
	}
	if status, e := pay("tok_nope", "k4"); status != http.StatusBadRequest || e.Code != "token_invalid" {
		t.Errorf("unknown token: %d %+v, want 400 token_invalid", status, e)
	}
}

func TestSecretKeyRequired(t *testing.T) {
	g := newGateway(t, Config{})
	routes := []struct{ method, path string }{
		{http.MethodPost, "/gateway/v1/payments"},
		{http.MethodGet, "/gateway/v1/payments/gp_x"},
		{http.MethodPost, "/gateway/v1/payments/gp_x/capture"},
		{http.MethodPost, "/gateway/v1/payments/gp_x/void"},
		{http.MethodPost, "/gateway/v1/payments/gp_x/refunds"},
		{http.MethodGet, "/gateway/v1/ledger"},
		{http.MethodGet, "/gateway/v1/test/faults"},
		{http.MethodPost, "/gateway/v1/test/faults"},
	}
	for _, rt := range routes {
		for name, auth := range map[string]string{"none": "", "wrong key": "Bearer sk_wrong", "not bearer": "Basic " + testSecret} {
			t.Run(rt.method+" "+rt.path+" "+name, func(t *testing.T) {
				headers := map[string]string{"Idempotency-Key": "k"}
				if auth != "" {
					headers["Authorization"] = auth
				}
				status, h, raw := g.call(t, rt.method, rt.path, headers, "{}")
				if status != http.StatusUnauthorized || errorCode(t, raw).Type != "authentication_error" || h.Get("WWW-Authenticate") == "" {
					t.Errorf("status %d %s, want 401 authentication_error with WWW-Authenticate", status, raw)
				}
			})
		}
	}
	if len(g.srv.Ledger()) != 0 {
		t.Errorf("ledger has %d entries after refused calls", len(g.srv.Ledger()))
	}
}

func TestIdempotencyOverHTTP(t *testing.T) {
	g := newGateway(t, Config{})
	token := g.tokenFor(t, "4242424242424242")
	body := fmt.Sprintf(`{"token":%q,"amount":1500,"currency":"eur","capture":true,"reference":"pay_idem"}`, token)

	status, h1, first := g.call(t, http.MethodPost, "/gateway/v1/payments", authHeaders("pay_idem:authorize"), body)
	if status != http.StatusCreated || h1.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %d replayed=%q %s", status, h1.Get("Idempotent-Replayed"), first)
	}
	status, h2, again := g.call(t, http.MethodPost, "/gateway/v1/payments", authHeaders("pay_idem:authorize"), body)
	if status != http.StatusCreated || string(again) != string(first) || h2.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay: %d replayed=%q body differs=%v", status, h2.Get("Idempotent-Replayed"), string(again) != string(first))
	}
	var p paymentObject
	if err := json.Unmarshal(first, &p); err != nil {
		t.Fatal(err)
	}
	if p.Currency != "EUR" || p.Status != StatusCaptured || p.AmountCaptured != 1500 {
		t.Errorf("payment = %+v, want captured 1500 EUR", p)
	}

	changed := strings.Replace(body, "1500", "1600", 1)
	status, _, raw := g.call(t, http.MethodPost, "/gateway/v1/payments", authHeaders("pay_idem:authorize"), changed)
	if e := errorCode(t, raw); status != http.StatusUnprocessableEntity || e.Code != "idempotency_key_reused" || e.Type != typeIdempotency {
		t.Errorf("other body, same key: %d %+v, want 422 idempotency_key_reused", status, e)
	}
	status, _, raw = g.call(t, http.MethodPost, "/gateway/v1/payments/"+p.ID+"/refunds", authHeaders("pay_idem:authorize"), `{"amount":100}`)
	if status != http.StatusUnprocessableEntity {
		t.Errorf("same key on another route: %d %s, want 422", status, raw)
	}
	status, _, raw = g.call(t, http.MethodPost, "/gateway/v1/payments/"+p.ID+"/refunds", authHeaders(""), `{"amount":100}`)
	if e := errorCode(t, raw); status != http.StatusBadRequest || e.Code != "idempotency_key_missing" {
		t.Errorf("no key: %d %+v, want 400 idempotency_key_missing", status, e)
	}

	// A request refused by validation is not remembered: the corrected request may reuse the key.
	status, _, raw = g.call(t, http.MethodPost, "/gateway/v1/payments/"+p.ID+"/refunds", authHeaders("pay_idem:refund"), `{"amount":-5}`)
	if status != http.StatusBadRequest {
		t.Fatalf("negative refund: %d %s", status, raw)
	}
	status, _, raw = g.call(t, http.MethodPost, "/gateway/v1/payments/"+p.ID+"/refunds", authHeaders("pay_idem:refund"), `{"amount":500}`)
	if status != http.StatusCreated {
		t.Errorf("corrected refund with the same key: %d %s, want 201", status, raw)
	}
	if n := g.srv.Charges("pay_idem"); n != 1 {
		t.Errorf("charges = %d, want 1", n)
	}
	if n := g.srv.Count(OpRefund, "pay_idem"); n != 1 {
		t.Errorf("refunds = %d, want 1", n)
	}
}

func TestPaymentValidation(t *testing.T) {
	g := newGateway(t, Config{})
	tests := []struct {
		name, body, code, param string
	}{
		{"zero amount", `{"token":"tok_x","amount":0,"currency":"EUR"}`, "parameter_invalid", "amount"},
		{"bad currency", `{"token":"tok_x","amount":100,"currency":"EURO"}`, "parameter_invalid", "currency"},
		{"no token", `{"amount":100,"currency":"EUR"}`, "parameter_missing", "token"},
		{"ftp return url", `{"token":"tok_x","amount":100,"currency":"EUR","return_url":"ftp://x.test/"}`, "parameter_invalid", "return_url"},
		{"unknown field", `{"token":"tok_x","amount":100,"currency":"EUR","card":"4242"}`, "parameter_unknown", "card"},
		{"amount as string", `{"token":"tok_x","amount":"100","currency":"EUR"}`, "parameter_invalid", "amount"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, _, raw := g.call(t, http.MethodPost, "/gateway/v1/payments", authHeaders(fmt.Sprint("k", i)), tc.body)
			e := errorCode(t, raw)
			if status != http.StatusBadRequest || e.Code != tc.code || e.Param != tc.param {
				t.Errorf("%d %+v, want 400 %s on %s", status, e, tc.code, tc.param)
			}
		})
	}
	big := `{"token":"` + strings.Repeat("x", maxBodyBytes) + `"}`
	status, _, raw := g.call(t, http.MethodPost, "/gateway/v1/payments", authHeaders("big"), big)
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d %s, want 413", status, raw)
	}
	status, _, raw = g.call(t, http.MethodGet, "/gateway/v1/payments/gp_missing", authHeaders(""), "")
	if e := errorCode(t, raw); status != http.StatusNotFound || e.Code != "not_found" {
		t.Errorf("missing payment: %d %+v, want 404 not_found", status, e)
	}
}

func TestStateRefusalsOverHTTP(t *testing.T) {
	g := newGateway(t, Config{})
	token := g.tokenFor(t, "4242424242424242")
	status, _, raw := g.call(t, http.MethodPost, "/gateway/v1/payments", authHeaders("a"),
		fmt.Sprintf(`{"token":%q,"amount":1000,"currency":"EUR","reference":"pay_state"}`, token))
	if status != http.StatusCreated {
		t.Fatalf("%d %s", status, raw)
	}
	var p paymentObject
	_ = json.Unmarshal(raw, &p)
	base := "/gateway/v1/payments/" + p.ID
	steps := []struct {
		name, path, key, body string
		wantStatus            int
		wantCode              string
	}{
		{"refund before capture", "/refunds", "r0", `{"amount":100}`, http.StatusConflict, "invalid_state"},
		{"over-capture", "/capture", "c0", `{"amount":1001}`, http.StatusBadRequest, "amount_too_large"},
		{"capture in another currency", "/capture", "c1", `{"amount":100,"currency":"USD"}`, http.StatusBadRequest, "currency_mismatch"},
		{"partial capture", "/capture", "c2", `{"amount":700,"currency":"EUR"}`, http.StatusOK, ""},
		{"second capture", "/capture", "c3", `{"amount":300}`, http.StatusConflict, "invalid_state"},
		{"void after capture", "/void", "v1", ``, http.StatusConflict, "invalid_state"},
		{"over-refund", "/refunds", "r1", `{"amount":701}`, http.StatusBadRequest, "amount_too_large"},
		{"refund the rest", "/refunds", "r2", `{}`, http.StatusCreated, ""},
		{"refund when nothing is left", "/refunds", "r3", `{"amount":1}`, http.StatusConflict, "already_refunded"},
	}
	for _, st := range steps {
		status, _, raw := g.call(t, http.MethodPost, base+st.path, authHeaders(st.key), st.body)
		if status != st.wantStatus {
			t.Fatalf("%s: %d %s, want %d", st.name, status, raw, st.wantStatus)
		}
		if st.wantCode != "" {
			if e := errorCode(t, raw); e.Code != st.wantCode {
				t.Errorf("%s: code %q, want %q", st.name, e.Code, st.wantCode)
			}
		}
	}
	status, _, raw = g.call(t, http.MethodGet, base, authHeaders(""), "")
	_ = json.Unmarshal(raw, &p)
	if status != http.StatusOK || p.AmountCaptured != 700 || p.AmountRefunded != 700 || p.Status != StatusCaptured {
		t.Errorf("final payment: %d %+v, want captured 700 refunded 700", status, p)
	}
	ops := []Op{}
	for _, e := range g.srv.Ledger() {
		ops = append(ops, e.Op)
	}
	if fmt.Sprint(ops) != "[authorize capture refund]" {
		t.Errorf("ledger ops = %v, want [authorize capture refund]", ops)
	}
}

func TestChallengePageFlow(t *testing.T) {
	g := newGateway(t, Config{PublicURL: "https://pay.example.test/"})
	token := g.tokenFor(t, "4000000000003220")
	status, _, raw := g.call(t, http.MethodPost, "/gateway/v1/payments", authHeaders("k"),
		fmt.Sprintf(`{"token":%q,"amount":4250,"currency":"EUR","reference":"pay_3ds","return_url":"https://shop.test/pay/l1?step=back","description":"Invoice <7>"}`, token))
	if status != http.StatusCreated {
		t.Fatalf("%d %s", status, raw)
	}
	var p paymentObject
	_ = json.Unmarshal(raw, &p)
	wantRedirect := "https://pay.example.test/gateway/v1/3ds/" + p.ID
	if p.Status != StatusRequiresAction || p.NextAction == nil || p.NextAction.RedirectURL != wantRedirect {
		t.Fatalf("payment = %+v, want requires_action redirecting to %s", p, wantRedirect)
	}
	if g.srv.Charges("pay_3ds") != 0 {
		t.Errorf("charged before the challenge")
	}

	page := "/gateway/v1/3ds/" + p.ID
	status, h, html := g.call(t, http.MethodGet, page+"?locale=en", nil, "")
	if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Fatalf("page: %d %s", status, h.Get("Content-Type"))
	}
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "style-src 'nonce-", "form-action 'self' https://shop.test", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	for _, want := range []string{"EUR 42.50", "Visa •••• 3220", "Invoice &lt;7&gt;", ">Complete authentication</button>", ">Fail authentication</button>", `method="post"`} {
		if !strings.Contains(string(html), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, banned := range []string{"<script", "http://", "src="} {
		if strings.Contains(string(html), banned) {
			t.Errorf("page contains %q: it must be self-contained", banned)
		}
	}

	status, _, _ = g.call(t, http.MethodPost, page, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "result=maybe")
	if status != http.StatusBadRequest {
		t.Errorf("bad answer: %d, want 400", status)
	}
	noFollow := *g.ts.Client()
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for i := range 2 { // answering twice changes nothing the second time
		resp, err := noFollow.PostForm(g.ts.URL+page, url.Values{"result": {"complete"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || loc == nil || loc.Host != "shop.test" || loc.Query().Get("payment_id") != p.ID || loc.Query().Get("step") != "back" {
			t.Errorf("answer %d: %d Location %q, want 303 to the return URL with payment_id", i, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if n := g.srv.Charges("pay_3ds"); n != 1 {
		t.Errorf("charges = %d, want 1", n)
	}
	_, _, html = g.call(t, http.MethodGet, page+"?locale=en", nil, "")
	if strings.Contains(string(html), "<button") || !strings.Contains(string(html), "already finished") {
		t.Errorf("finished challenge still offers buttons")
	}
	status, _, _ = g.call(t, http.MethodGet, "/gateway/v1/3ds/gp_unknown", nil, "")
	if status != http.StatusNotFound {
		t.Errorf("unknown challenge: %d, want 404", status)
	}
}

func TestLedgerOverHTTP(t *testing.T) {
	g := newGateway(t, Config{})
	for i, ref := range []string{"pay_a", "pay_b", "pay_a"} {
		token := g.tokenFor(t, "4242424242424242")
		status, _, raw := g.call(t, http.MethodPost, "/gateway/v1/payments", authHeaders(fmt.Sprint("k", i)),
			fmt.Sprintf(`{"token":%q,"amount":100,"currency":"EUR","capture":true,"reference":%q}`, token, ref))
		if status != http.StatusCreated {
			t.Fatalf("%d %s", status, raw)
		}
	}
	status, _, raw := g.call(t, http.MethodGet, "/gateway/v1/ledger?reference=pay_a", authHeaders(""), "")
	var list ledgerList
	if err := json.Unmarshal(raw, &list); err != nil || status != http.StatusOK {
		t.Fatalf("%d %s", status, raw)
	}
	if list.Charges != 2 || len(list.Data) != 4 {
		t.Errorf("pay_a: %d charges in %d entries, want 2 in 4", list.Charges, len(list.Data))
	}
	for _, e := range list.Data {
		if e.Reference != "pay_a" || e.Amount != 100 || e.Currency != "EUR" || e.IdempotencyKey == "" || e.At.IsZero() || e.PaymentID == "" {
			t.Errorf("entry %+v incomplete", e)
		}
	}
	if g.srv.Charges("pay_b") != 1 || g.srv.Count(OpCapture, "pay_a") != 2 {
		t.Errorf("counts: pay_b charges %d, pay_a captures %d", g.srv.Charges("pay_b"), g.srv.Count(OpCapture, "pay_a"))
	}
}

// TestHandlerUnderStripPrefix serves Handler the way the main binary mounts it and checks that
// path parameters and redirect URLs still work.
func TestHandlerUnderStripPrefix(t *testing.T) {
	srv := NewServer(Config{SecretKey: testSecret})
	mux := http.NewServeMux()
	mux.Handle(Prefix+"/", http.StripPrefix(Prefix, srv.Handler()))
	ts := httptest.NewServer(mux)
	t.Cleanup(func() {
		srv.Close()
		ts.Close()
	})
	g := &gateway{srv: srv, ts: ts, client: NewClient(ClientOptions{BaseURL: ts.URL, SecretKey: testSecret})}
	res, err := g.client.Authorize(context.Background(), psp.AuthorizeRequest{
		IdempotencyKey: "k", Reference: "pay_mount", Amount: 100, Currency: "EUR",
		PaymentToken: g.tokenFor(t, "4000002500003155"), ReturnURL: "https://shop.test/back",
	})
	if err != nil || res.Outcome != psp.OutcomeRequiresAction || res.RedirectURL != ts.URL+Prefix+"/3ds/"+res.PaymentRef {
		t.Fatalf("Authorize: %+v %v", res, err)
	}
	if _, err := Complete3DS(context.Background(), ts.Client(), res.RedirectURL, false); err != nil {
		t.Fatal(err)
	}
	synced, err := g.client.Sync(context.Background(), res.PaymentRef)
	if err != nil || synced.Outcome != psp.OutcomeDeclined || synced.DeclineCode != psp.DeclineAuthenticationFailed {
		t.Errorf("Sync after a failed challenge: %+v %v", synced, err)
	}
	status, _, _ := g.call(t, http.MethodGet, Prefix+"/nowhere", nil, "")
	if status != http.StatusNotFound {
		t.Errorf("unknown route: %d, want 404", status)
	}
}
