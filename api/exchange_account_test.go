package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"securelink/api/apitest"
	"securelink/api/wiring"
	"securelink/internal/psp/exchange"
	"securelink/internal/psp/exchange/sandbox"
)

// The AllSecure sandbox account a merchant was given (its own, not the deployment's).
const (
	ownAPIKey    = "pekara-api-key"
	ownUser      = "pekara-user"
	ownPassword  = "pekara-password"
	ownSecret    = "pekara-shared-secret"
	ownPublicKey = "pekara-public-key"
)

// withExchangeTestURL is the operator pointing every merchant's test Exchange account at a sandbox,
// as EXCHANGE_TEST_API_URL does; the deployment's default account stays the test gateway.
func withExchangeTestURL(sandboxURL string) apitest.Option {
	return func(c *wiring.Config) {
		c.TestAccountValues = map[string]map[string]string{exchange.Name: {exchange.FieldAPIURL: sandboxURL}}
	}
}

// TestMerchantsOwnExchangeAccount: a merchant's owner connects the merchant's own AllSecure Exchange
// account through the API (the operator has pointed test accounts at the sandbox); "Test connection"
// refuses a wrong password with its code and passes with the right one; the merchant's payments go to
// that account, another merchant's do not; and the gateway's callback for the account arrives at the
// account's own webhook route, verified with the account's shared secret.
func TestMerchantsOwnExchangeAccount(t *testing.T) {
	t.Parallel()
	sb := sandbox.New(sandbox.Config{APIKey: ownAPIKey, Username: ownUser, Password: ownPassword,
		SharedSecret: ownSecret, PublicIntegrationKey: ownPublicKey,
		CallbackRetries: []time.Duration{10 * time.Millisecond, 50 * time.Millisecond}})
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(func() { srv.Close(); sb.Close() })
	own := &exchangeSandbox{Server: sb, URL: srv.URL}

	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pekara Exchange")
		other := e.NewMerchant(t, "Default gateway shop")
		owner := logIn(t, e, m.Email, m.Password)
		values := map[string]string{exchange.FieldAPIKey: ownAPIKey, exchange.FieldUsername: ownUser, exchange.FieldPassword: "wrong-password",
			exchange.FieldSharedSecret: ownSecret, exchange.FieldPublicIntegrationKey: ownPublicKey}

		// The merchant may not choose the address itself.
		withURL := map[string]string{exchange.FieldAPIURL: own.URL}
		for k, v := range values {
			withURL[k] = v
		}
		if r := owner.do(t, e, "PUT", "/api/v1/provider-accounts/test", map[string]any{"provider": exchange.Name, "values": withURL}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("a merchant setting api_url: %d %s, want 422", r.Status, r.Body)
		}

		// A wrong password: saved, but Test connection says the gateway refused it, with a code.
		if r := owner.do(t, e, "PUT", "/api/v1/provider-accounts/test", map[string]any{"provider": exchange.Name, "values": values}); r.Status != http.StatusOK {
			t.Fatalf("connect: %d %s", r.Status, r.Body)
		}
		r := owner.do(t, e, "POST", "/api/v1/provider-accounts/test/test", nil)
		if got := r.Map(t); r.Status != http.StatusOK || got["ok"] != false || got["code"] != "credentials_refused" ||
			!strings.Contains(got["message"].(string), "Invalid API credentials") {
			t.Fatalf("test with a wrong password: %d %s", r.Status, r.Body)
		}
		if lt := owner.do(t, e, "GET", "/api/v1/provider-accounts/test", nil).Map(t)["last_test"].(map[string]any); lt["code"] != "credentials_refused" {
			t.Fatalf("the kept test result: %v", lt)
		}

		// The right password (the other values are kept), and the test passes without a code.
		values[exchange.FieldPassword] = ownPassword
		r = owner.do(t, e, "PUT", "/api/v1/provider-accounts/test", map[string]any{"provider": exchange.Name, "values": values})
		if r.Status != http.StatusOK {
			t.Fatalf("reconnect: %d %s", r.Status, r.Body)
		}
		acct := r.Map(t)
		acctID := acct["id"].(string)
		webhookPath := "/api/v1/psp/accounts/" + acctID + "/webhook"
		if acct["webhook_url"] != e.URL+webhookPath || acct["settings"].(map[string]any)[exchange.FieldAPIURL] != nil {
			t.Fatalf("account: %v (the webhook URL is the account's; the operator's API URL is not shown)", acct)
		}
		r = owner.do(t, e, "POST", "/api/v1/provider-accounts/test/test", nil)
		if got := r.Map(t); r.Status != http.StatusOK || got["ok"] != true || got["code"] != nil {
			t.Fatalf("test connection: %d %s", r.Status, r.Body)
		}

		// The merchant's checkout loads payment.js from that gateway with the account's public key.
		invID, token := newInvoice(t, e, m, 120000, "automatic")
		p := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)["provider"].(map[string]any)
		if p["name"] != exchange.Name || p["publishable_key"] != ownPublicKey || p["script_url"] != own.URL+exchange.ScriptPath {
			t.Fatalf("checkout provider: %v", p)
		}
		// Another merchant, with no account of its own, still pays through the deployment's test gateway.
		_, otherToken := newInvoice(t, e, other, 5000, "automatic")
		if name := e.Do(t, "GET", "/api/v1/checkout/"+otherToken, nil).Map(t)["provider"].(map[string]any)["name"]; name == exchange.Name {
			t.Fatalf("another merchant's checkout goes to %v", name)
		}

		// A payment goes to the merchant's account at the sandbox.
		paid := own.pay(t, e, token, "4242424242424242")
		if paid["status"] != "captured" || paid["amount_captured"].(float64) != 120000 {
			t.Fatalf("pay: %v", paid)
		}
		if n := own.Charges(paid["id"].(string) + ":authorize"); n != 1 {
			t.Fatalf("the merchant's account was charged %d times, want 1", n)
		}
		if st := invoiceStatus(t, e, m, invID); st != "paid" {
			t.Fatalf("invoice: %v", st)
		}
		rf := e.Do(t, "POST", "/api/v1/payments/"+paid["id"].(string)+"/refunds", map[string]any{"amount": 20000}, m.Auth())
		if rf.Status != http.StatusCreated || rf.Map(t)["status"] != "succeeded" {
			t.Fatalf("refund: %d %s", rf.Status, rf.Body)
		}

		// A pending payment is settled by the gateway's callback to the account's own route.
		pendingInv, pendingToken := newInvoice(t, e, m, 7700, "automatic")
		pending := own.pay(t, e, pendingToken, "4000000000000259")
		ref, _ := pending["psp_reference"].(string)
		if pending["status"] != "processing" || ref == "" {
			t.Fatalf("pending payment: %v", pending)
		}
		body := []byte(`{"result":"OK","uuid":"` + ref + `","merchantTransactionId":"` + pending["id"].(string) + `:authorize","transactionType":"DEBIT"}`)
		for _, secret := range []string{"another-secret", exchangeSecret} {
			req, _ := http.NewRequest(http.MethodPost, e.URL+webhookPath, strings.NewReader(string(body)))
			req.Header.Set("Content-Type", exchange.ContentTypeJSON)
			exchange.SignHeaders(req.Header, secret, http.MethodPost, body, webhookPath, time.Now())
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("a callback signed with %q: %d, want 401", secret, resp.StatusCode)
			}
		}
		if st := invoiceStatus(t, e, m, pendingInv); st != "processing" {
			t.Fatalf("invoice after badly signed callbacks: %v, want processing", st)
		}
		settle, err := http.Post(own.URL+"/sandbox/transactions/"+ref+"/settle", "application/json", nil)
		if err != nil || settle.StatusCode != http.StatusOK {
			t.Fatalf("settle: %v %v", settle, err)
		}
		settle.Body.Close()
		waitForCallback(t, own, ref)
		for _, d := range own.Deliveries(ref) {
			if d.URL != e.URL+webhookPath {
				t.Errorf("the gateway called back %s, want the account's route %s", d.URL, e.URL+webhookPath)
			}
		}
		if st := invoiceStatus(t, e, m, pendingInv); st != "paid" {
			t.Fatalf("invoice after the callback: %v, want paid", st)
		}
	}, withExchangeTestURL(srv.URL))
}
