package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"securelink/api/apitest"
	"securelink/api/wiring"
	"securelink/internal/psp/exchange"
	"securelink/internal/psp/exchange/sandbox"
)

// The AllSecure account of a product running with Exchange as its provider in these tests.
const (
	exchangeAPIKey    = "sl-api-key"
	exchangeUser      = "sl-user"
	exchangePassword  = "sl-password"
	exchangeSecret    = "sl-shared-secret"
	exchangePublicKey = "sl-public-key"
)

// exchangeSandbox is the gateway emulator on a loopback port.
type exchangeSandbox struct {
	*sandbox.Server
	URL string
}

func newExchangeSandbox(t *testing.T) *exchangeSandbox {
	t.Helper()
	sb := sandbox.New(sandbox.Config{APIKey: exchangeAPIKey, Username: exchangeUser, Password: exchangePassword,
		SharedSecret: exchangeSecret, PublicIntegrationKey: exchangePublicKey,
		CallbackRetries: []time.Duration{10 * time.Millisecond, 50 * time.Millisecond}})
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(func() { srv.Close(); sb.Close() })
	return &exchangeSandbox{Server: sb, URL: srv.URL}
}

// withExchange makes the sandbox's account the deployment's default, as PSP=exchange and the
// EXCHANGE_… variables do.
func withExchange(sandboxURL string) apitest.Option {
	return func(c *wiring.Config) {
		c.PSP = exchange.Name
		c.PSPValues = map[string]string{exchange.FieldAPIURL: sandboxURL, exchange.FieldAPIKey: exchangeAPIKey,
			exchange.FieldUsername: exchangeUser, exchange.FieldPassword: exchangePassword,
			exchange.FieldSharedSecret: exchangeSecret, exchange.FieldPublicIntegrationKey: exchangePublicKey}
	}
}

// token tokenises a card at the sandbox, as payment.js does in the checkout.
func (sb *exchangeSandbox) token(t *testing.T, number string) string {
	t.Helper()
	cvv := "123"
	if strings.HasPrefix(number, "37") {
		cvv = "1234"
	}
	tok, err := sandbox.CreateToken(context.Background(), nil, sb.URL, number, 12, time.Now().Year()+2, cvv, "Ana Anić")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (sb *exchangeSandbox) pay(t *testing.T, e *apitest.Env, linkToken, card string) map[string]any {
	t.Helper()
	r := e.Do(t, "POST", "/api/v1/checkout/"+linkToken+"/pay", map[string]any{"terms_accepted": true, "payment_token": sb.token(t, card)})
	if r.Status != http.StatusOK {
		t.Fatalf("pay with %s: %d %s", card, r.Status, r.Body)
	}
	return r.Map(t)
}

// TestExchangeProvider runs the product with PSP=exchange against the sandbox over loopback HTTP:
// the checkout offers payment.js from the gateway only, and invoices are paid, captured, voided,
// refunded, declined, challenged and settled by the gateway's callback.
func TestExchangeProvider(t *testing.T) {
	t.Parallel()
	sb := newExchangeSandbox(t)
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Exchange shop")
		t.Run("checkout offers payment.js", func(t *testing.T) { testExchangeCheckout(t, e, m, sb) })
		t.Run("sale and refunds", func(t *testing.T) { testExchangeSale(t, e, m, sb) })
		t.Run("authorise, capture part, void", func(t *testing.T) { testExchangeCaptureVoid(t, e, m, sb) })
		t.Run("declines", func(t *testing.T) { testExchangeDecline(t, e, m, sb) })
		t.Run("3-D Secure", func(t *testing.T) { testExchangeThreeDS(t, e, m, sb) })
		t.Run("callback settles a pending payment", func(t *testing.T) { testExchangeCallback(t, e, m, sb) })
	}, withExchange(sb.URL))
}

func testExchangeCheckout(t *testing.T, e *apitest.Env, m apitest.Merchant, sb *exchangeSandbox) {
	_, token := newInvoice(t, e, m, 1000, "automatic")
	co := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)
	p := co["provider"].(map[string]any)
	if p["name"] != exchange.Name || p["publishable_key"] != exchangePublicKey || p["name_required"] != true ||
		p["script_url"] != sb.URL+exchange.ScriptPath {
		t.Fatalf("provider = %v", p)
	}
	r := e.Do(t, "GET", "/pay/"+token, nil)
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self' " + sb.URL, "frame-src " + sb.URL, "connect-src 'self' " + sb.URL} {
		if !strings.Contains(csp, want) {
			t.Errorf("checkout CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "js.stripe.com") {
		t.Errorf("checkout CSP names another provider: %q", csp)
	}
	// The test band lists the sandbox's own cards, not the test gateway's.
	var listed []string
	outcomes := map[string]bool{}
	for _, c := range co["test_cards"].([]any) {
		c := c.(map[string]any)
		listed = append(listed, c["number"].(string))
		outcomes[c["outcome"].(string)] = true
	}
	for _, c := range exchange.SandboxCards {
		listable := c.Behaviour != exchange.SandboxPending && c.Behaviour != exchange.SandboxTimeout
		if slices.Contains(listed, c.Number) != listable {
			t.Errorf("the checkout lists %v; the sandbox's %s (%s) listed: %v, want %v", listed, c.Number, c.Does, !listable, listable)
		}
	}
	if len(outcomes) != 5 {
		t.Errorf("outcomes of the listed cards: %v", outcomes)
	}
}

func testExchangeSale(t *testing.T, e *apitest.Env, m apitest.Merchant, sb *exchangeSandbox) {
	invID, token := newInvoice(t, e, m, 240000, "automatic")
	p := sb.pay(t, e, token, "4242424242424242")
	if p["status"] != "captured" || p["amount_captured"].(float64) != 240000 || p["card"].(map[string]any)["last4"] != "4242" {
		t.Fatalf("pay: %v", p)
	}
	payID := p["id"].(string)
	if n := sb.Charges(payID + ":authorize"); n != 1 {
		t.Fatalf("the sandbox charged %d times, want 1", n)
	}
	for i, amount := range []float64{40000, 200000} {
		rf := e.Do(t, "POST", "/api/v1/payments/"+payID+"/refunds", map[string]any{"amount": amount}, m.Auth())
		if rf.Status != http.StatusCreated || rf.Map(t)["status"] != "succeeded" {
			t.Fatalf("refund %d: %d %s", i+1, rf.Status, rf.Body)
		}
	}
	if over := e.Do(t, "POST", "/api/v1/payments/"+payID+"/refunds", map[string]any{"amount": 1}, m.Auth()); over.Status < 400 {
		t.Fatalf("refund beyond the total: %d %s", over.Status, over.Body)
	}
	if inv := e.Do(t, "GET", "/api/v1/invoices/"+invID, nil, m.Auth()).Map(t); inv["status"] != "refunded" || inv["amount_refunded"].(float64) != 240000 {
		t.Fatalf("invoice after refunds: %v %v", inv["status"], inv["amount_refunded"])
	}
	var refunded int64
	for _, entry := range sb.Ledger("") {
		if entry.Kind == sandbox.EntryRefund && entry.ReferenceUUID == p["psp_reference"] {
			refunded += entry.Amount
		}
	}
	if refunded != 240000 {
		t.Fatalf("the sandbox refunded %d, want 240000", refunded)
	}
}

func testExchangeCaptureVoid(t *testing.T, e *apitest.Env, m apitest.Merchant, sb *exchangeSandbox) {
	invID, token := newInvoice(t, e, m, 50000, "manual")
	p := sb.pay(t, e, token, "5555555555554444")
	if p["status"] != "authorized" {
		t.Fatalf("authorisation: %v", p)
	}
	c := e.Do(t, "POST", "/api/v1/payments/"+p["id"].(string)+"/capture", map[string]any{"amount": 30000}, m.Auth())
	if c.Status != http.StatusOK || c.Map(t)["status"] != "captured" || c.Map(t)["amount_captured"].(float64) != 30000 {
		t.Fatalf("capture: %d %s", c.Status, c.Body)
	}
	if inv := e.Do(t, "GET", "/api/v1/invoices/"+invID, nil, m.Auth()).Map(t); inv["status"] != "paid" || inv["amount_paid"].(float64) != 30000 {
		t.Fatalf("invoice after capture: %v %v", inv["status"], inv["amount_paid"])
	}

	invID2, token2 := newInvoice(t, e, m, 50000, "manual")
	p2 := sb.pay(t, e, token2, "9891000000000003")
	if card := p2["card"].(map[string]any); card["brand"] != "dinacard" {
		t.Errorf("card = %v, want DinaCard", card)
	}
	v := e.Do(t, "POST", "/api/v1/payments/"+p2["id"].(string)+"/void", nil, m.Auth())
	if v.Status != http.StatusOK || v.Map(t)["status"] != "voided" {
		t.Fatalf("void: %d %s", v.Status, v.Body)
	}
	if inv := e.Do(t, "GET", "/api/v1/invoices/"+invID2, nil, m.Auth()).Map(t); inv["status"] != "cancelled" {
		t.Fatalf("invoice after void: %v", inv["status"])
	}
}

func testExchangeDecline(t *testing.T, e *apitest.Env, m apitest.Merchant, sb *exchangeSandbox) {
	invID, token := newInvoice(t, e, m, 9900, "automatic")
	for card, code := range map[string]string{"4000000000009995": "insufficient_funds", "4000000000000002": "card_declined"} {
		p := sb.pay(t, e, token, card)
		if p["status"] != "failed" || p["decline_code"] != code {
			t.Fatalf("%s: %v, want failed with %s", card, p, code)
		}
	}
	if st := invoiceStatus(t, e, m, invID); st != "open" {
		t.Fatalf("invoice after declines: %v, want open", st)
	}
}

func testExchangeThreeDS(t *testing.T, e *apitest.Env, m apitest.Merchant, sb *exchangeSandbox) {
	for _, tc := range []struct {
		card       string
		complete   bool
		wantStatus string
	}{{"4000000000003220", true, "captured"}, {"4000000000003220", false, "failed"}, {"4000008400001629", true, "failed"}} {
		invID, token := newInvoice(t, e, m, 9900, "automatic")
		p := sb.pay(t, e, token, tc.card)
		next, _ := p["next_action"].(map[string]any)
		redirect, _ := next["redirect_url"].(string)
		if p["status"] != "requires_action" || !strings.HasPrefix(redirect, sb.URL+"/sandbox/3ds/") {
			t.Fatalf("%s: pay = %v, want requires_action at the sandbox's 3-D Secure page", tc.card, p)
		}
		back, err := sandbox.Complete3DS(context.Background(), nil, redirect, tc.complete)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(back, e.URL+"/pay/"+token) || !strings.Contains(back, "payment="+p["id"].(string)) {
			t.Fatalf("%s: the bank sends the payer to %q, want the checkout", tc.card, back)
		}
		r := e.Do(t, "POST", "/api/v1/checkout/"+token+"/complete", map[string]any{"payment_id": p["id"]})
		if r.Status != http.StatusOK || r.Map(t)["status"] != tc.wantStatus {
			t.Fatalf("%s complete=%v: %d %s, want %s", tc.card, tc.complete, r.Status, r.Body, tc.wantStatus)
		}
		if tc.wantStatus == "failed" && r.Map(t)["decline_code"] != "authentication_failed" {
			t.Errorf("%s: decline %v, want authentication_failed", tc.card, r.Map(t)["decline_code"])
		}
		want := map[string]string{"captured": "paid", "failed": "open"}[tc.wantStatus]
		if st := invoiceStatus(t, e, m, invID); st != want {
			t.Errorf("%s: invoice %v, want %s", tc.card, st, want)
		}
	}
}

func testExchangeCallback(t *testing.T, e *apitest.Env, m apitest.Merchant, sb *exchangeSandbox) {
	invID, token := newInvoice(t, e, m, 7700, "automatic")
	p := sb.pay(t, e, token, "4000000000000259")
	ref, _ := p["psp_reference"].(string)
	if p["status"] != "processing" || ref == "" {
		t.Fatalf("pending payment: %v", p)
	}

	// A callback that is not signed with the account's secret is refused and changes nothing.
	body := []byte(`{"result":"OK","uuid":"` + ref + `","merchantTransactionId":"` + p["id"].(string) + `:authorize","transactionType":"DEBIT"}`)
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/api/v1/psp/exchange/webhook", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", exchange.ContentTypeJSON)
	exchange.SignHeaders(req.Header, "another-secret", http.MethodPost, body, "/api/v1/psp/exchange/webhook", time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("badly signed callback: %d, want 401", resp.StatusCode)
	}
	if st := invoiceStatus(t, e, m, invID); st != "processing" {
		t.Fatalf("invoice after a badly signed callback: %v, want processing", st)
	}

	// The acquirer answers: the sandbox sends its signed callback, SecureLink reads the status API.
	settle, err := http.Post(sb.URL+"/sandbox/transactions/"+ref+"/settle", "application/json", nil)
	if err != nil || settle.StatusCode != http.StatusOK {
		t.Fatalf("settle: %v %v", settle, err)
	}
	settle.Body.Close()
	waitForCallback(t, sb, ref)
	if st := invoiceStatus(t, e, m, invID); st != "paid" {
		t.Fatalf("invoice after the callback: %v, want paid", st)
	}
	got := e.Do(t, "GET", "/api/v1/payments/"+p["id"].(string), nil, m.Auth()).Map(t)
	if got["status"] != "captured" || got["amount_captured"].(float64) != 7700 {
		t.Fatalf("payment after the callback: %v", got)
	}
}

// waitForCallback waits until SecureLink acknowledged the callback that says uuid succeeded.
func waitForCallback(t *testing.T, sb *exchangeSandbox, uuid string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, d := range sb.Deliveries(uuid) {
			if d.Result == exchange.ResultOK && d.Status == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no acknowledged callback for %s: %+v", uuid, sb.Deliveries(uuid))
}
