package api_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"securelink/api/apitest"
	"securelink/api/wiring"
	"securelink/internal/psp/stripe"
	"securelink/internal/psp/stripe/stripemock"
)

// The settings of a product running with Stripe as its provider in these tests.
const (
	stripeTestSecretKey      = "sk_test_securelink"
	stripeTestPublishableKey = "pk_test_securelink"
	stripeTestWebhookSecret  = "whsec_securelink_test"
	stripeWebhookPath        = "/api/v1/psp/stripe/webhook"
)

// withStripe makes Stripe the provider, reached at apiURL.
func withStripe(apiURL string) apitest.Option {
	return func(c *wiring.Config) {
		c.PSP = "stripe"
		c.PSPValues = map[string]string{stripe.FieldSecretKey: stripeTestSecretKey, stripe.FieldPublishableKey: stripeTestPublishableKey,
			stripe.FieldWebhookSecret: stripeTestWebhookSecret, stripe.FieldAPIURL: apiURL}
	}
}

// TestStripeProvider runs the product with PSP=stripe against stripe-mock, through a loopback
// proxy that records what reaches Stripe and gives PaymentIntents the statuses Stripe would:
// stripe-mock validates every request against Stripe's API description, but keeps no state and
// answers every PaymentIntent with status requires_payment_method. Starting stripe-mock needs the
// CPUs more than the parallel API tests do, so this test runs on its own, before them.
func TestStripeProvider(t *testing.T) {
	backend := newStripeBackend(t, stripemock.Start(t))
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Stripe shop")
		t.Run("checkout offers Stripe.js", func(t *testing.T) { testStripeCheckout(t, e, m) })
		t.Run("pay with a PaymentMethod", func(t *testing.T) { testStripePay(t, e, m, backend) })
		t.Run("webhook settles a processing payment", func(t *testing.T) { testStripeWebhook(t, e, m, backend) })
	}, withStripe(backend.URL))
}

func testStripeCheckout(t *testing.T, e *apitest.Env, m apitest.Merchant) {
	_, token := newInvoice(t, e, m, 1000, "automatic")
	r := e.Do(t, "GET", "/api/v1/checkout/"+token, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("checkout: %d %s", r.Status, r.Body)
	}
	var co struct {
		Provider map[string]any `json:"provider"`
	}
	r.JSON(t, &co)
	want := map[string]any{"name": "stripe", "publishable_key": stripeTestPublishableKey, "name_required": false}
	if !reflect.DeepEqual(co.Provider, want) {
		t.Fatalf("provider = %v, want %v (and no tokenize_url)", co.Provider, want)
	}
	if script := checkoutScriptSrc(t, e, token); !strings.Contains(script, "https://js.stripe.com") {
		t.Fatalf("checkout script-src %q does not allow Stripe.js", script)
	}
}

func testStripePay(t *testing.T, e *apitest.Env, m apitest.Merchant, backend *stripeBackend) {
	tests := []struct {
		mode, captureMethod, wantStatus string
	}{
		{"automatic", "automatic", "captured"},
		{"manual", "manual", "authorized"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			invID, token := newInvoice(t, e, m, 2500, tt.mode)
			inv := e.Do(t, "GET", "/api/v1/invoices/"+invID, nil, m.Auth()).Map(t)
			total, currency := int64(inv["amount_total"].(float64)), inv["currency"].(string)
			backend.reset(false)

			p := payStripe(t, e, token)
			if p["status"] != tt.wantStatus || p["psp"] != "stripe" || p["amount_authorized"].(float64) != float64(total) {
				t.Fatalf("payment: %v", p)
			}
			if ref, _ := p["psp_reference"].(string); !strings.HasPrefix(ref, "pi_") {
				t.Fatalf("psp_reference = %v, want a PaymentIntent id", p["psp_reference"])
			}
			if card, _ := p["card"].(map[string]any); card == nil || card["last4"] != "4242" {
				t.Fatalf("card = %v, want the Visa ending 4242 of Stripe's charge", p["card"])
			}

			calls := backend.callsTo("POST", "/v1/payment_intents")
			if len(calls) != 1 {
				t.Fatalf("%d PaymentIntents created, want 1", len(calls))
			}
			c := calls[0]
			wantForm := map[string]string{
				"amount":                       strconv.FormatInt(total, 10),
				"currency":                     strings.ToLower(currency),
				"capture_method":               tt.captureMethod,
				"confirm":                      "true",
				"payment_method":               "pm_card_visa",
				"metadata[securelink_payment]": p["id"].(string),
			}
			for k, v := range wantForm {
				if got := c.Form.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if want := p["id"].(string) + ":authorize"; c.IdempotencyKey != want {
				t.Errorf("Idempotency-Key = %q, want %q", c.IdempotencyKey, want)
			}

			got := e.Do(t, "GET", "/api/v1/payments/"+p["id"].(string), nil, m.Auth()).Map(t)
			if got["status"] != tt.wantStatus || got["psp_reference"] != p["psp_reference"] {
				t.Fatalf("stored payment: %v", got)
			}
		})
	}
}

func testStripeWebhook(t *testing.T, e *apitest.Env, m apitest.Merchant, backend *stripeBackend) {
	invID, token := newInvoice(t, e, m, 4000, "automatic")
	backend.reset(true) // Stripe has not decided yet: the payment stays processing
	p := payStripe(t, e, token)
	payID, piID := p["id"].(string), p["psp_reference"].(string)
	if p["status"] != "processing" || piID == "" {
		t.Fatalf("payment before the webhook: %v", p)
	}
	backend.settle()

	succeeded := stripeEvent("evt_succeeded_"+payID, "payment_intent.succeeded", piID, payID)
	t.Run("bad signature", func(t *testing.T) {
		for name, sig := range map[string]string{
			"other secret": signStripeWebhook(succeeded, "whsec_other", time.Now()),
			"too old":      signStripeWebhook(succeeded, stripeTestWebhookSecret, time.Now().Add(-time.Hour)),
			"missing":      "",
		} {
			r := postStripeWebhook(t, e, succeeded, sig)
			if r.Status != http.StatusBadRequest {
				t.Errorf("%s: %d %s, want 400", name, r.Status, r.Body)
			}
		}
	})
	t.Run("unhandled event type", func(t *testing.T) {
		ev := stripeEvent("evt_created_"+payID, "payment_intent.created", piID, payID)
		r := postStripeWebhook(t, e, ev, signStripeWebhook(ev, stripeTestWebhookSecret, time.Now()))
		if r.Status != http.StatusOK || r.Map(t)["received"] != true {
			t.Fatalf("unhandled event: %d %s", r.Status, r.Body)
		}
	})
	if n := len(backend.callsTo("GET", "/v1/payment_intents/"+piID)); n != 0 {
		t.Fatalf("Stripe was asked %d times before a valid handled event, want 0", n)
	}
	if st := invoiceStatus(t, e, m, invID); st != "processing" {
		t.Fatalf("invoice is %s before a valid handled event, want processing", st)
	}

	for delivery := 1; delivery <= 2; delivery++ { // Stripe may deliver an event more than once
		r := postStripeWebhook(t, e, succeeded, signStripeWebhook(succeeded, stripeTestWebhookSecret, time.Now()))
		if r.Status != http.StatusOK || r.Map(t)["received"] != true {
			t.Fatalf("delivery %d: %d %s", delivery, r.Status, r.Body)
		}
	}
	inv := e.Do(t, "GET", "/api/v1/invoices/"+invID, nil, m.Auth()).Map(t)
	txns := inv["transactions"].([]any)
	if inv["status"] != "paid" || len(txns) != 1 {
		t.Fatalf("invoice after the webhook: status %v, %d transactions: %v", inv["status"], len(txns), txns)
	}
	if txn := txns[0].(map[string]any); txn["type"] != "sale" || txn["result"] != "succeeded" || txn["psp_reference"] != piID {
		t.Fatalf("transaction: %v", txn)
	}
	got := e.Do(t, "GET", "/api/v1/payments/"+payID, nil, m.Auth()).Map(t)
	if got["status"] != "captured" || got["amount_captured"].(float64) != got["amount"].(float64) {
		t.Fatalf("payment after the webhook: %v", got)
	}
	paidEvents := 0
	for _, ev := range e.Do(t, "GET", "/api/v1/events?limit=100", nil, m.Auth()).Map(t)["data"].([]any) {
		if ev := ev.(map[string]any); ev["type"] == "invoice.paid" && ev["object_id"] == invID {
			paidEvents++
		}
	}
	if paidEvents != 1 {
		t.Fatalf("%d invoice.paid events for the invoice, want 1", paidEvents)
	}
	// The payment is read from Stripe once; the second delivery finds it settled.
	if n := len(backend.callsTo("GET", "/v1/payment_intents/"+piID)); n != 1 {
		t.Fatalf("Stripe was asked %d times for the PaymentIntent, want 1", n)
	}
}

// TestStripeOffWithTestGateway checks that nothing of Stripe is exposed with the test gateway.
func TestStripeOffWithTestGateway(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Gateway shop")
		_, token := newInvoice(t, e, m, 1000, "automatic")
		if script := checkoutScriptSrc(t, e, token); strings.Contains(script, "stripe.com") {
			t.Fatalf("checkout script-src %q allows Stripe without PSP=stripe", script)
		}
		ev := stripeEvent("evt_x", "payment_intent.succeeded", "pi_x", "pay_x")
		r := postStripeWebhook(t, e, ev, signStripeWebhook(ev, stripeTestWebhookSecret, time.Now()))
		if r.Status != http.StatusNotFound {
			t.Fatalf("Stripe webhook without PSP=stripe: %d %s, want 404", r.Status, r.Body)
		}
	})
}

// payStripe pays through a link with Stripe's test PaymentMethod for a Visa that succeeds.
func payStripe(t *testing.T, e *apitest.Env, token string) map[string]any {
	t.Helper()
	r := e.Do(t, "POST", "/api/v1/checkout/"+token+"/pay", map[string]any{"terms_accepted": true, "payment_token": "pm_card_visa"})
	if r.Status != http.StatusOK {
		t.Fatalf("pay: %d %s", r.Status, r.Body)
	}
	return r.Map(t)
}

func invoiceStatus(t *testing.T, e *apitest.Env, m apitest.Merchant, invID string) any {
	t.Helper()
	return e.Do(t, "GET", "/api/v1/invoices/"+invID, nil, m.Auth()).Map(t)["status"]
}

// checkoutScriptSrc returns the script-src directive of the checkout page of a link.
func checkoutScriptSrc(t *testing.T, e *apitest.Env, token string) string {
	t.Helper()
	r := e.Do(t, "GET", "/pay/"+token, nil)
	// 503 is the page a binary built without the SPAs (go test before npm) serves, with the same headers.
	if r.Status != http.StatusOK && r.Status != http.StatusServiceUnavailable {
		t.Fatalf("checkout page: %d", r.Status)
	}
	csp := r.Header.Get("Content-Security-Policy")
	for _, directive := range strings.Split(csp, ";") {
		if fields := strings.Fields(directive); len(fields) > 0 && fields[0] == "script-src" {
			return strings.Join(fields[1:], " ")
		}
	}
	t.Fatalf("checkout page has no script-src: %q", csp)
	return ""
}

// postStripeWebhook delivers a webhook as Stripe does; an empty signature sends no header.
func postStripeWebhook(t *testing.T, e *apitest.Env, payload []byte, signature string) *apitest.Response {
	t.Helper()
	var headers []apitest.Header
	if signature != "" {
		headers = append(headers, apitest.Header{Name: "Stripe-Signature", Value: signature})
	}
	return e.Do(t, "POST", stripeWebhookPath, payload, headers...)
}

// signStripeWebhook computes a Stripe-Signature header: HMAC-SHA256 of "timestamp.payload".
func signStripeWebhook(payload []byte, secret string, at time.Time) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.", at.Unix())
	mac.Write(payload)
	return fmt.Sprintf("t=%d,v1=%s", at.Unix(), hex.EncodeToString(mac.Sum(nil)))
}

// stripeEvent is a Stripe event about a PaymentIntent that carries SecureLink's payment id.
func stripeEvent(id, eventType, piID, payID string) []byte {
	ev := map[string]any{
		"id": id, "object": "event", "api_version": "2023-10-16", "created": time.Now().Unix(),
		"livemode": false, "pending_webhooks": 1, "type": eventType,
		"data": map[string]any{"object": map[string]any{
			"id": piID, "object": "payment_intent", "amount": 4800, "currency": "eur",
			"capture_method": "automatic", "status": "succeeded",
			"metadata": map[string]string{"securelink_payment": payID},
		}},
	}
	b, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	return b
}

// stripeCall is one request that reached the Stripe backend.
type stripeCall struct {
	Method, Path   string
	Form           url.Values // body and query
	IdempotencyKey string
}

// stripeBackend is a loopback proxy to stripe-mock that records requests and sets each
// PaymentIntent's status to what Stripe answers for a card that succeeds (or "processing").
type stripeBackend struct {
	*httptest.Server
	mu    sync.Mutex
	calls []stripeCall
	// hold makes new PaymentIntents "processing" until settle is called.
	hold bool
	// created keeps the parameters of every PaymentIntent created, by id.
	created map[string]url.Values
}

var (
	paymentIntentsPath = regexp.MustCompile(`^/v1/payment_intents(/[^/]+)?(/capture)?$`)
)

func newStripeBackend(t *testing.T, mockURL string) *stripeBackend {
	t.Helper()
	target, err := url.Parse(mockURL)
	if err != nil {
		t.Fatalf("parse stripe-mock URL: %v", err)
	}
	b := &stripeBackend{created: map[string]url.Values{}}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = b.rewrite
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		for k, vs := range r.URL.Query() {
			form[k] = append(form[k], vs...)
		}
		b.mu.Lock()
		b.calls = append(b.calls, stripeCall{Method: r.Method, Path: r.URL.Path, Form: form, IdempotencyKey: r.Header.Get("Idempotency-Key")})
		b.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(b.Close)
	return b
}

// reset forgets recorded calls; hold makes new PaymentIntents "processing".
func (b *stripeBackend) reset(hold bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls, b.hold = nil, hold
}

// settle lets Stripe decide: PaymentIntents read from now on have succeeded.
func (b *stripeBackend) settle() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.hold = false
}

func (b *stripeBackend) callsTo(method, path string) []stripeCall {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []stripeCall
	for _, c := range b.calls {
		if c.Method == method && c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

// rewrite gives a PaymentIntent answer of stripe-mock the amounts, metadata and status Stripe
// would give it; other answers pass unchanged.
func (b *stripeBackend) rewrite(resp *http.Response) error {
	if resp.StatusCode != http.StatusOK || !paymentIntentsPath.MatchString(resp.Request.URL.Path) {
		return nil
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return err
	}
	var pi map[string]any
	if err := json.Unmarshal(body, &pi); err != nil {
		return err
	}
	id, _ := pi["id"].(string)
	b.mu.Lock()
	params := b.created[id]
	if resp.Request.Method == http.MethodPost && resp.Request.URL.Path == "/v1/payment_intents" {
		params = b.lastCreateParams()
		b.created[id] = params
	}
	hold := b.hold
	b.mu.Unlock()
	if params == nil {
		return fmt.Errorf("stripe backend: PaymentIntent %s was never created", id)
	}

	amount, _ := strconv.ParseInt(params.Get("amount"), 10, 64)
	metadata := map[string]string{}
	for k, vs := range params {
		if key, ok := strings.CutPrefix(k, "metadata["); ok && len(vs) > 0 {
			metadata[strings.TrimSuffix(key, "]")] = vs[0]
		}
	}
	pi["amount"], pi["currency"], pi["metadata"] = amount, params.Get("currency"), metadata
	pi["capture_method"] = params.Get("capture_method")
	pi["last_payment_error"], pi["next_action"] = nil, nil
	pi["amount_capturable"], pi["amount_received"] = 0, 0
	switch {
	case strings.HasSuffix(resp.Request.URL.Path, "/capture"):
		pi["status"], pi["amount_received"] = "succeeded", amount
		b.mu.Lock()
		for i := len(b.calls) - 1; i >= 0; i-- {
			if c := b.calls[i]; c.Path == resp.Request.URL.Path && c.Form.Get("amount_to_capture") != "" {
				pi["amount_received"], _ = strconv.ParseInt(c.Form.Get("amount_to_capture"), 10, 64)
				break
			}
		}
		b.mu.Unlock()
	case hold:
		pi["status"] = "processing"
	case params.Get("capture_method") == "manual":
		pi["status"], pi["amount_capturable"] = "requires_capture", amount
	default:
		pi["status"], pi["amount_received"] = "succeeded", amount
	}
	body, err = json.Marshal(pi)
	if err != nil {
		return err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return nil
}

// lastCreateParams returns the parameters of the latest PaymentIntent creation; b.mu is held.
// SecureLink creates one PaymentIntent at a time in these tests.
func (b *stripeBackend) lastCreateParams() url.Values {
	for i := len(b.calls) - 1; i >= 0; i-- {
		if c := b.calls[i]; c.Method == http.MethodPost && c.Path == "/v1/payment_intents" {
			return c.Form
		}
	}
	return nil
}
