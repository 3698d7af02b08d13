package api_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"securelink/api/apitest"
	"securelink/internal/psp/testgateway"
)

func init() {
	extraBOLARoutes["GET /api/v1/payments/:id"] = declinedPaymentOf
	extraBOLARoutes["POST /api/v1/payments/:id/capture"] = declinedPaymentOf
	extraBOLARoutes["POST /api/v1/payments/:id/void"] = declinedPaymentOf
	extraBOLARoutes["POST /api/v1/payments/:id/refunds"] = declinedPaymentOf
	extraBOLARoutes["GET /api/v1/refunds/:id"] = foreignRefundOf
}

// declinedPaymentOf is a failed payment of merchant a: its invoice stays open.
func declinedPaymentOf(t *testing.T, e *apitest.Env, a apitest.Merchant) string {
	_, token := newInvoice(t, e, a, 1000, "automatic")
	p := pay(t, e, token, "4000000000000002", http.StatusOK)
	return p["id"].(string)
}

// foreignRefundOf is a refund of a third merchant (a refunded invoice of a would no longer be open).
func foreignRefundOf(t *testing.T, e *apitest.Env, _ apitest.Merchant) string {
	c := e.NewMerchant(t, "C")
	_, token := newInvoice(t, e, c, 1000, "automatic")
	p := pay(t, e, token, visaCard, http.StatusOK)
	r := e.Do(t, "POST", "/api/v1/payments/"+p["id"].(string)+"/refunds", map[string]any{"amount": 100}, c.Auth())
	if r.Status != http.StatusCreated {
		t.Fatalf("refund: %d %s", r.Status, r.Body)
	}
	return r.Map(t)["id"].(string)
}

const visaCard = "4242424242424242"

// newInvoice creates an invoice and returns its id and link token.
func newInvoice(t *testing.T, e *apitest.Env, m apitest.Merchant, amount int64, mode string) (string, string) {
	t.Helper()
	body := apitest.Invoice(amount)
	body["capture_mode"] = mode
	r := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth())
	if r.Status != http.StatusCreated {
		t.Fatalf("create invoice: %d %s", r.Status, r.Body)
	}
	inv := r.Map(t)
	return inv["id"].(string), inv["link"].(map[string]any)["token"].(string)
}

// cardToken tokenises a card at the gateway mounted in the product, as the checkout does.
func cardToken(t *testing.T, e *apitest.Env, number string) string {
	t.Helper()
	cvc := "123"
	if strings.HasPrefix(number, "37") {
		cvc = "1234"
	}
	r := e.Do(t, "POST", "/gateway/v1/tokens", map[string]any{"number": number, "exp_month": 12, "exp_year": time.Now().Year() + 2, "cvc": cvc})
	if r.Status != http.StatusCreated && r.Status != http.StatusOK {
		t.Fatalf("tokenise: %d %s", r.Status, r.Body)
	}
	return r.Map(t)["id"].(string)
}

// pay pays through a link with a card and checks the status code.
func pay(t *testing.T, e *apitest.Env, token, card string, want int) map[string]any {
	t.Helper()
	r := e.Do(t, "POST", "/api/v1/checkout/"+token+"/pay", map[string]any{"terms_accepted": true, "payment_token": cardToken(t, e, card)})
	if r.Status != want {
		t.Fatalf("pay with %s: %d %s, want %d", card, r.Status, r.Body, want)
	}
	return r.Map(t)
}

func TestPayThroughLinkThenRefund(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Shop")
		invID, token := newInvoice(t, e, m, 240000, "automatic")

		r := e.Do(t, "POST", "/api/v1/checkout/"+token+"/pay", map[string]any{"terms_accepted": false, "payment_token": cardToken(t, e, visaCard)})
		if r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != "terms_accepted" {
			t.Fatalf("terms not accepted: %d %s", r.Status, r.Body)
		}
		r = e.Do(t, "POST", "/api/v1/checkout/"+token+"/pay", map[string]any{"terms_accepted": true, "payment_token": "tok_x", "card_number": visaCard})
		if r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != "card_number" {
			t.Fatalf("unknown field: %d %s", r.Status, r.Body)
		}
		declined := pay(t, e, token, "4000000000009995", http.StatusOK)
		if declined["status"] != "failed" || declined["decline_code"] != "insufficient_funds" {
			t.Fatalf("decline: %v", declined)
		}
		p := pay(t, e, token, visaCard, http.StatusOK)
		if p["status"] != "captured" || p["amount_captured"].(float64) != 240000 || p["card"].(map[string]any)["last4"] != "4242" {
			t.Fatalf("pay: %v", p)
		}
		payID := p["id"].(string)
		if again := e.Do(t, "POST", "/api/v1/checkout/"+token+"/pay", map[string]any{"terms_accepted": true, "payment_token": cardToken(t, e, visaCard)}); again.Status != http.StatusConflict {
			t.Fatalf("second pay: %d %s", again.Status, again.Body)
		}

		co := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)
		receipt, _ := co["receipt"].(map[string]any)
		if co["status"] != "paid" || receipt == nil || receipt["payment_id"] != payID || receipt["reference"] == "" || receipt["amount"].(float64) != 240000 {
			t.Fatalf("checkout after payment: %v", co)
		}

		inv := e.Do(t, "GET", "/api/v1/invoices/"+invID, nil, m.Auth()).Map(t)
		if inv["status"] != "paid" || len(inv["payments"].([]any)) != 2 || len(inv["transactions"].([]any)) != 2 {
			t.Fatalf("invoice detail: %v", inv)
		}
		list := e.Do(t, "GET", "/api/v1/payments?limit=1", nil, m.Auth()).Map(t)
		if data := list["data"].([]any); len(data) != 1 || data[0].(map[string]any)["id"] != payID || list["has_more"] != true {
			t.Fatalf("payments list: %v", list)
		}
		if bad := e.Do(t, "GET", "/api/v1/payments?status=nope", nil, m.Auth()); bad.Status != http.StatusBadRequest {
			t.Fatalf("bad status filter: %d", bad.Status)
		}

		over := e.Do(t, "POST", "/api/v1/payments/"+payID+"/refunds", map[string]any{"amount": 240001}, m.Auth())
		if over.Status != http.StatusBadRequest || over.ErrorObject(t)["param"] != "amount" {
			t.Fatalf("over-refund: %d %s", over.Status, over.Body)
		}
		rf := e.Do(t, "POST", "/api/v1/payments/"+payID+"/refunds", map[string]any{"amount": 40000, "reason": "damaged"}, m.Auth(),
			apitest.Header{Name: "Idempotency-Key", Value: "refund-1"})
		if rf.Status != http.StatusCreated || rf.Map(t)["status"] != "succeeded" {
			t.Fatalf("refund: %d %s", rf.Status, rf.Body)
		}
		replay := e.Do(t, "POST", "/api/v1/payments/"+payID+"/refunds", map[string]any{"amount": 40000, "reason": "damaged"}, m.Auth(),
			apitest.Header{Name: "Idempotency-Key", Value: "refund-1"})
		if replay.Header.Get("Idempotent-Replayed") != "true" || replay.Map(t)["id"] != rf.Map(t)["id"] {
			t.Fatalf("replayed refund: %d %s", replay.Status, replay.Body)
		}
		refundID := rf.Map(t)["id"].(string)
		if got := e.Do(t, "GET", "/api/v1/refunds/"+refundID, nil, m.Auth()); got.Status != http.StatusOK || got.Map(t)["amount"].(float64) != 40000 {
			t.Fatalf("get refund: %d %s", got.Status, got.Body)
		}
		detail := e.Do(t, "GET", "/api/v1/payments/"+payID, nil, m.Auth()).Map(t)
		if detail["status"] != "partially_refunded" || len(detail["refunds"].([]any)) != 1 || len(detail["transactions"].([]any)) != 2 {
			t.Fatalf("payment detail: %v", detail)
		}
		txn := detail["transactions"].([]any)[1].(map[string]any)
		if txn["type"] != "refund" || txn["actor"] != m.KeyID {
			t.Fatalf("refund transaction: %v", txn)
		}
		if inv := e.Do(t, "GET", "/api/v1/invoices/"+invID, nil, m.Auth()).Map(t); inv["status"] != "partially_refunded" || inv["amount_refunded"].(float64) != 40000 {
			t.Fatalf("invoice after refund: %v", inv["status"])
		}
	})
}

func TestCaptureAndVoidOverHTTP(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Hotel")
		invID, token := newInvoice(t, e, m, 50000, "manual")
		p := pay(t, e, token, "5555555555554444", http.StatusOK)
		if p["status"] != "authorized" || p["authorization_expires_at"] == nil {
			t.Fatalf("authorisation: %v", p)
		}
		payID := p["id"].(string)
		if r := e.Do(t, "POST", "/api/v1/payments/"+payID+"/capture", map[string]any{"amount": 0}, m.Auth()); r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != "amount" {
			t.Fatalf("capture 0: %d %s", r.Status, r.Body)
		}
		c := e.Do(t, "POST", "/api/v1/payments/"+payID+"/capture", map[string]any{"amount": 30000}, m.Auth())
		if c.Status != http.StatusOK || c.Map(t)["status"] != "captured" || c.Map(t)["amount_captured"].(float64) != 30000 {
			t.Fatalf("capture: %d %s", c.Status, c.Body)
		}
		if r := e.Do(t, "POST", "/api/v1/payments/"+payID+"/void", nil, m.Auth()); r.Status != http.StatusConflict || r.ErrorObject(t)["code"] != "invalid_state" {
			t.Fatalf("void after capture: %d %s", r.Status, r.Body)
		}
		if inv := e.Do(t, "GET", "/api/v1/invoices/"+invID, nil, m.Auth()).Map(t); inv["status"] != "paid" || inv["amount_paid"].(float64) != 30000 {
			t.Fatalf("invoice after capture: %v %v", inv["status"], inv["amount_paid"])
		}

		invID2, token2 := newInvoice(t, e, m, 50000, "manual")
		p2 := pay(t, e, token2, visaCard, http.StatusOK)
		v := e.Do(t, "POST", "/api/v1/payments/"+p2["id"].(string)+"/void", nil, m.Auth())
		if v.Status != http.StatusOK || v.Map(t)["status"] != "voided" {
			t.Fatalf("void: %d %s", v.Status, v.Body)
		}
		if inv := e.Do(t, "GET", "/api/v1/invoices/"+invID2, nil, m.Auth()).Map(t); inv["status"] != "cancelled" {
			t.Fatalf("invoice after void: %v", inv["status"])
		}
	})
}

func TestThreeDSecureOverHTTP(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Shop")
		_, token := newInvoice(t, e, m, 9900, "automatic")
		p := pay(t, e, token, "4000000000003220", http.StatusOK)
		next, _ := p["next_action"].(map[string]any)
		if p["status"] != "requires_action" || next == nil || next["redirect_url"] == "" {
			t.Fatalf("3-D Secure: %v", p)
		}
		back, err := testgateway.Complete3DS(context.Background(), nil, next["redirect_url"].(string), true)
		if err != nil || !strings.Contains(back, "payment="+p["id"].(string)) {
			t.Fatalf("challenge: %q %v", back, err)
		}
		r := e.Do(t, "POST", "/api/v1/checkout/"+token+"/complete", map[string]any{"payment_id": p["id"]})
		if r.Status != http.StatusOK || r.Map(t)["status"] != "captured" {
			t.Fatalf("complete: %d %s", r.Status, r.Body)
		}
		if r := e.Do(t, "POST", "/api/v1/checkout/"+token+"/complete", map[string]any{"payment_id": "pay_nope"}); r.Status != http.StatusNotFound {
			t.Fatalf("complete unknown payment: %d", r.Status)
		}
	})
}

func TestFailedAttemptsAreRateLimited(t *testing.T) {
	t.Parallel()
	e := apitest.New(t, "sqlite")
	m := e.NewMerchant(t, "Shop")
	_, token := newInvoice(t, e, m, 1000, "automatic")
	for range 10 {
		pay(t, e, token, "4000000000000002", http.StatusOK)
	}
	r := e.Do(t, "POST", "/api/v1/checkout/"+token+"/pay", map[string]any{"terms_accepted": true, "payment_token": cardToken(t, e, visaCard)})
	if r.Status != http.StatusTooManyRequests || r.ErrorObject(t)["type"] != "rate_limit_error" {
		t.Fatalf("11th attempt: %d %s", r.Status, r.Body)
	}
	if ra, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || ra < 1 {
		t.Errorf("429 without a usable Retry-After: %q", r.Header.Get("Retry-After"))
	}
}

// The payer's Idempotency-Key is kept on the attempt it started: a retry gets that attempt as it
// is now and is never charged again; the key with another body is refused; a declined attempt is
// replayed as declined and a new key may try another card.
func TestPayIdempotencyKey(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Kiosk")
		_, token := newInvoice(t, e, m, 12_000, "automatic")
		path := "/api/v1/checkout/" + token + "/pay"
		key := func(k string) apitest.Header { return apitest.Header{Name: "Idempotency-Key", Value: k} }

		declinedBody := map[string]any{"terms_accepted": true, "payment_token": cardToken(t, e, "4000000000009995")}
		declined := e.Do(t, "POST", path, declinedBody, key("attempt-1"))
		if declined.Status != http.StatusOK || declined.Map(t)["status"] != "failed" {
			t.Fatalf("declined attempt: %d %s", declined.Status, declined.Body)
		}
		// Retried while the invoice is open again, the declined call is answered, not tried again.
		if r := e.Do(t, "POST", path, declinedBody, key("attempt-1")); r.Status != http.StatusOK || r.Map(t)["id"] != declined.Map(t)["id"] ||
			r.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry of the declined call on the open invoice: %d %s", r.Status, r.Body)
		}
		okBody := map[string]any{"terms_accepted": true, "payment_token": cardToken(t, e, visaCard)}
		paid := e.Do(t, "POST", path, okBody, key("attempt-2"))
		if paid.Status != http.StatusOK || paid.Map(t)["status"] != "captured" || paid.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("paying attempt: %d %s", paid.Status, paid.Body)
		}
		paidID := paid.Map(t)["id"].(string)

		for _, tc := range []struct {
			name, key  string
			body       map[string]any
			wantStatus int
			wantID     string
			wantPay    string
			wantCode   string
		}{
			{"retry of the paying call", "attempt-2", okBody, http.StatusOK, paidID, "captured", ""},
			{"retry of the declined call", "attempt-1", declinedBody, http.StatusOK, declined.Map(t)["id"].(string), "failed", ""},
			{"the paying key with another body", "attempt-2", declinedBody, http.StatusUnprocessableEntity, "", "", "idempotency_key_reused"},
			{"a new key on a paid invoice", "attempt-3", okBody, http.StatusConflict, "", "", "invalid_state"},
			{"no key on a paid invoice", "", okBody, http.StatusConflict, "", "", "invalid_state"},
		} {
			var hs []apitest.Header
			if tc.key != "" {
				hs = append(hs, key(tc.key))
			}
			r := e.Do(t, "POST", path, tc.body, hs...)
			if r.Status != tc.wantStatus {
				t.Fatalf("%s: %d %s, want %d", tc.name, r.Status, r.Body, tc.wantStatus)
			}
			if tc.wantCode != "" {
				if code := r.ErrorObject(t)["code"]; code != tc.wantCode {
					t.Errorf("%s: code %v, want %s", tc.name, code, tc.wantCode)
				}
				continue
			}
			if got := r.Map(t); got["id"] != tc.wantID || got["status"] != tc.wantPay || r.Header.Get("Idempotent-Replayed") != "true" {
				t.Errorf("%s: payment %v %v replayed %q, want %s %s replayed", tc.name, got["id"], got["status"], r.Header.Get("Idempotent-Replayed"), tc.wantID, tc.wantPay)
			}
		}
		if n := e.App.Gateway.Charges(paidID); n != 1 {
			t.Errorf("the gateway charged the paid attempt %d times, want 1", n)
		}
		if r := e.Do(t, "POST", path, okBody, key(strings.Repeat("k", 256))); r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != "Idempotency-Key" {
			t.Errorf("a 256-character key: %d %s", r.Status, r.Body)
		}

		// While the first call waits for the provider, a retry is told to come back; afterwards it
		// gets the outcome.
		invID, slowToken := newInvoice(t, e, m, 3_000, "automatic")
		slowPath := "/api/v1/checkout/" + slowToken + "/pay"
		slowBody := map[string]any{"terms_accepted": true, "payment_token": cardToken(t, e, visaCard)}
		release := make(chan struct{})
		e.App.Gateway.SetFaults(testgateway.Faults{Release: release})
		first := make(chan *apitest.Response, 1)
		go func() { first <- e.Do(t, "POST", slowPath, slowBody, key("slow")) }()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if e.Do(t, "GET", "/api/v1/invoices/"+invID, nil, m.Auth()).Map(t)["status"] == "processing" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the first call never stored its attempt")
			}
		}
		if r := e.Do(t, "POST", slowPath, slowBody, key("slow")); r.Status != http.StatusConflict || r.ErrorObject(t)["code"] != "idempotency_key_in_use" {
			t.Errorf("retry while the first call runs: %d %s", r.Status, r.Body)
		}
		close(release)
		done := <-first
		e.App.Gateway.SetFaults(testgateway.Faults{})
		if done.Status != http.StatusOK || done.Map(t)["status"] != "captured" {
			t.Fatalf("the slow call: %d %s", done.Status, done.Body)
		}
		if r := e.Do(t, "POST", slowPath, slowBody, key("slow")); r.Status != http.StatusOK || r.Map(t)["id"] != done.Map(t)["id"] || r.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retry after the first call: %d %s", r.Status, r.Body)
		}
	})
}
