package exchange_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"securelink/internal/psp"
	"securelink/internal/psp/exchange"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func authorizeRequest(ref, token string, capture bool) psp.AuthorizeRequest {
	return psp.AuthorizeRequest{IdempotencyKey: ref + ":authorize", Reference: ref, Amount: 1999, Currency: "RSD",
		PaymentToken: token, Capture: capture, ReturnURL: "https://pay.example/return", Description: "Invoice 7"}
}

// A payment whose answer is lost after the card was charged is found by repeating the request:
// the gateway refuses the repeated merchantTransactionId and the status API gives the first outcome.
func TestTimeoutAfterChargingIsReconciledThroughTheStatusAPI(t *testing.T) {
	e := newEnv(t, "")
	req := authorizeRequest("pay_lost1", e.token(t, "4000000000000770"), true)
	if res, err := e.provider.Authorize(ctx(t), req); err == nil || psp.IsRequestError(err) {
		t.Fatalf("Authorize = %+v, %v; want an unknown outcome (plain error)", res, err)
	}
	if n := e.sandbox.Charges(req.IdempotencyKey); n != 1 {
		t.Fatalf("charges = %d, want 1 (the gateway charged before the answer was lost)", n)
	}
	res, err := e.provider.Authorize(ctx(t), req)
	if err != nil || res.Outcome != psp.OutcomeSucceeded || res.State != psp.StateCaptured || res.AmountCaptured != 1999 {
		t.Fatalf("repeated Authorize = %+v, %v; want the captured sale", res, err)
	}
	if res.Card == nil || res.Card.Last4 != "0770" {
		t.Errorf("card = %+v, want the card ending 0770", res.Card)
	}
	if n := e.sandbox.Charges(req.IdempotencyKey); n != 1 {
		t.Errorf("charges after the retry = %d, want still 1", n)
	}
}

func TestPendingSettlesLater(t *testing.T) {
	e := newEnv(t, "")
	res, err := e.provider.Authorize(ctx(t), authorizeRequest("pay_pending1", e.token(t, "4000000000000259"), false))
	if err != nil || res.Outcome != psp.OutcomePending || res.PaymentRef == "" {
		t.Fatalf("Authorize = %+v, %v; want pending with a ref", res, err)
	}
	synced, err := e.provider.Sync(ctx(t), res.PaymentRef)
	if err != nil || synced.Outcome != psp.OutcomePending {
		t.Fatalf("Sync before settling = %+v, %v; want pending", synced, err)
	}
	resp, err := http.Post(e.url+"/sandbox/transactions/"+res.PaymentRef+"/settle", "application/json", nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("settle: %v %v", resp, err)
	}
	resp.Body.Close()
	synced, err = e.provider.Sync(ctx(t), res.PaymentRef)
	if err != nil || synced.Outcome != psp.OutcomeSucceeded || synced.State != psp.StateAuthorized || synced.AmountAuthorized != 1999 {
		t.Fatalf("Sync after settling = %+v, %v; want authorised 1999", synced, err)
	}
}

func TestAmountsAreDecimalStringsInTheCurrencyExponent(t *testing.T) {
	var bodies []string
	var mu sync.Mutex
	e := newEnv(t, "")
	// A recording proxy in front of the sandbox keeps the request bodies.
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(body))
		mu.Unlock()
		out, _ := http.NewRequest(r.Method, e.url+r.URL.RequestURI(), strings.NewReader(string(body)))
		out.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	t.Cleanup(proxy.Close)
	p, err := exchange.New(exchange.Config{APIURL: proxy.URL, APIKey: testAPIKey, Username: testUser, Password: testPassword,
		SharedSecret: testSecret, PublicIntegrationKey: testPublicKey, CallbackURL: "https://securelink.example/webhooks/acct_1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		currency string
		amount   int64
		want     string
	}{{"RSD", 1999, `"amount":"19.99","currency":"RSD"`}, {"JPY", 500, `"amount":"500","currency":"JPY"`}, {"KWD", 1234, `"amount":"1.234","currency":"KWD"`}} {
		req := authorizeRequest("pay_amount_"+tc.currency, e.token(t, "4242424242424242"), true)
		req.Amount, req.Currency = tc.amount, tc.currency
		res, err := p.Authorize(ctx(t), req)
		if err != nil || res.AmountCaptured != tc.amount {
			t.Fatalf("%s: Authorize = %+v, %v", tc.currency, res, err)
		}
		mu.Lock()
		last := bodies[len(bodies)-1]
		mu.Unlock()
		for _, want := range []string{tc.want, `"merchantTransactionId":"pay_amount_` + tc.currency + `:authorize"`,
			`"callbackUrl":"https://securelink.example/webhooks/acct_1"`, `"successUrl":"https://pay.example/return"`} {
			if !strings.Contains(last, want) {
				t.Errorf("%s: request body %s lacks %s", tc.currency, last, want)
			}
		}
	}
}

// TestUnreachableGatewayIsReportedAsSuch: no answer at all is told apart from refused credentials.
func TestUnreachableGatewayIsReportedAsSuch(t *testing.T) {
	p, err := exchange.New(exchange.Config{APIURL: "http://127.0.0.1:1", APIKey: testAPIKey, Username: testUser, Password: testPassword,
		SharedSecret: testSecret, PublicIntegrationKey: testPublicKey})
	if err != nil {
		t.Fatal(err)
	}
	err = p.TestConnection(ctx(t))
	if code := psp.ConnectionFailureOf(err); err == nil || code != psp.ConnectionUnreachable {
		t.Fatalf("TestConnection = %v (code %s), want %s", err, code, psp.ConnectionUnreachable)
	}
}

func TestWrongCredentialsAreRefusedAndReported(t *testing.T) {
	e := newEnv(t, "")
	if err := e.provider.TestConnection(ctx(t)); err != nil {
		t.Fatalf("TestConnection with the right credentials: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(*exchange.Config)
		want string
	}{
		{"password", func(c *exchange.Config) { c.Password = "wrong" }, "Invalid API credentials"},
		{"api key", func(c *exchange.Config) { c.APIKey = "wrong-key" }, "Invalid API credentials"},
		{"shared secret", func(c *exchange.Config) { c.SharedSecret = "wrong" }, "Invalid signature"},
		{"clock", func(c *exchange.Config) { c.Now = func() time.Time { return time.Now().Add(-time.Hour) } }, "date outside"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := exchange.Config{APIURL: e.url, APIKey: testAPIKey, Username: testUser, Password: testPassword,
				SharedSecret: testSecret, PublicIntegrationKey: testPublicKey}
			tc.edit(&cfg)
			p, err := exchange.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			err = p.TestConnection(ctx(t))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("TestConnection = %v, want an error saying %q", err, tc.want)
			}
			if code := psp.ConnectionFailureOf(err); code != psp.ConnectionCredentialsRefused {
				t.Errorf("TestConnection's code = %s, want %s", code, psp.ConnectionCredentialsRefused)
			}
			req := authorizeRequest("pay_badcreds_"+strings.ReplaceAll(tc.name, " ", ""), e.token(t, "4242424242424242"), true)
			if res, err := p.Authorize(ctx(t), req); err == nil || psp.IsRequestError(err) {
				t.Fatalf("Authorize = %+v, %v; want an error that keeps the payment pending", res, err)
			}
			if n := e.sandbox.Charges(req.IdempotencyKey); n != 0 {
				t.Errorf("charges = %d after a refused request, want 0", n)
			}
		})
	}
}

func TestNewNamesTheMissingField(t *testing.T) {
	good := psp.Account{Provider: exchange.Name, Settings: map[string]string{
		exchange.FieldAPIURL: "https://asxgw.paymentsandbox.cloud", exchange.FieldAPIKey: "k", exchange.FieldUsername: "u",
		exchange.FieldPublicIntegrationKey: "pub"}, Secrets: map[string]string{exchange.FieldPassword: "p", exchange.FieldSharedSecret: "s"}}
	if _, err := exchange.Definition.New(good, psp.Env{}); err != nil {
		t.Fatalf("New(good) = %v", err)
	}
	if err := exchange.Definition.CheckFields(good); err != nil {
		t.Fatalf("CheckFields(good) = %v", err)
	}
	for _, field := range []string{exchange.FieldAPIKey, exchange.FieldUsername, exchange.FieldPassword,
		exchange.FieldSharedSecret, exchange.FieldPublicIntegrationKey} {
		a := psp.Account{Settings: map[string]string{}, Secrets: map[string]string{}}
		for k, v := range good.Settings {
			a.Settings[k] = v
		}
		for k, v := range good.Secrets {
			a.Secrets[k] = v
		}
		delete(a.Settings, field)
		delete(a.Secrets, field)
		_, err := exchange.Definition.New(a, psp.Env{})
		var ce *psp.ConfigError
		if !errors.As(err, &ce) || ce.Field != field {
			t.Errorf("New without %s = %v, want a ConfigError naming it", field, err)
		}
	}
	for _, mode := range []struct {
		live bool
		want string
	}{{true, "https://asxgw.com/js/"}, {false, "https://asxgw.paymentsandbox.cloud/js/"}} {
		a := good
		a.Livemode = mode.live
		a.Settings = map[string]string{exchange.FieldAPIKey: "k", exchange.FieldUsername: "u", exchange.FieldPublicIntegrationKey: "pub"}
		p, err := exchange.Definition.New(a, psp.Env{})
		if err != nil || !strings.HasPrefix(p.ClientConfig().ScriptURL, mode.want) {
			t.Errorf("livemode %v without an API URL: %v, %v; want the gateway %s", mode.live, p, err, mode.want)
		}
	}
	bad := good
	bad.Settings = map[string]string{exchange.FieldAPIURL: "asxgw.com", exchange.FieldAPIKey: "k", exchange.FieldUsername: "u", exchange.FieldPublicIntegrationKey: "pub"}
	_, err := exchange.Definition.New(bad, psp.Env{})
	var ce *psp.ConfigError
	if !errors.As(err, &ce) || ce.Field != exchange.FieldAPIURL {
		t.Errorf("New with a relative API URL = %v, want a ConfigError for api_url", err)
	}
	for _, f := range exchange.Definition.Fields {
		secret := f.Key == exchange.FieldPassword || f.Key == exchange.FieldSharedSecret
		if f.Secret != secret {
			t.Errorf("field %s secret = %v, want %v", f.Key, f.Secret, secret)
		}
	}
}

func TestCheckoutLoadsPaymentJSFromTheAccountsGatewayOnly(t *testing.T) {
	p, err := exchange.New(exchange.Config{APIURL: "https://asxgw.paymentsandbox.cloud/", APIKey: "k", Username: "u", Password: "p",
		SharedSecret: "s", PublicIntegrationKey: "pub-key"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := p.ClientConfig()
	if cfg.Name != exchange.Name || cfg.PublishableKey != "pub-key" ||
		cfg.ScriptURL != "https://asxgw.paymentsandbox.cloud/js/integrated/payment.1.3.min.js" || !cfg.NeedsHolderName {
		t.Errorf("ClientConfig = %+v", cfg)
	}
	csp := p.CSP()
	want := []string{"https://asxgw.paymentsandbox.cloud"}
	for name, got := range map[string][]string{"script": csp.Script, "frame": csp.Frame, "connect": csp.Connect} {
		if len(got) != 1 || got[0] != want[0] {
			t.Errorf("CSP %s = %v, want %v", name, got, want)
		}
	}
	if len(csp.Form) != 0 {
		t.Errorf("CSP form = %v, want none", csp.Form)
	}
}

func TestMerchantTransactionID(t *testing.T) {
	for _, key := range []string{"pay_01JABCDEF:authorize", "re_01JABCDEF"} {
		if got := exchange.MerchantTransactionID(key); got != key {
			t.Errorf("MerchantTransactionID(%q) = %q, want the key itself", key, got)
		}
	}
	long := "pay_psptest_0123456789abcdef:refund:0123456789abcdef"
	got := exchange.MerchantTransactionID(long)
	if len(got) > 50 || !strings.HasPrefix(got, "pay_psptest_0123456789abcdef:") || got == exchange.MerchantTransactionID(long+"x") {
		t.Errorf("MerchantTransactionID(long) = %q: want ≤ 50 characters, readable start, distinct per key", got)
	}
	if exchange.MerchantTransactionID(long) != got {
		t.Error("MerchantTransactionID is not stable")
	}
}
