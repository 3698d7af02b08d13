package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"securelink/api/apitest"
	"securelink/internal/domain"
	"securelink/internal/provideraccounts"
	"securelink/internal/psp/stripe"
	"securelink/internal/psp/stripe/stripemock"
)

// connectStripe gives a merchant a test Stripe account reached at backend, as an operator does
// from the command line (the API takes no API URL).
func connectStripe(t *testing.T, e *apitest.Env, m apitest.Merchant, backend *stripeBackend, name string) string {
	t.Helper()
	owner := domain.Actor{Type: domain.ActorAPIKey, ID: m.KeyID, MerchantID: m.ID}
	a, err := e.App.ProviderAccounts.Put(context.Background(), owner, false, provideraccounts.PutInput{Provider: stripe.Name, Operator: true,
		Values: map[string]string{stripe.FieldSecretKey: "sk_test_" + name + "secret", stripe.FieldPublishableKey: "pk_test_" + name,
			stripe.FieldWebhookSecret: "whsec_" + name, stripe.FieldAPIURL: backend.URL}})
	if err != nil {
		t.Fatalf("connect %s: %v", name, err)
	}
	return a.ID
}

// TestPaymentsGoToTheAccountThatTookThem: two merchants with their own Stripe accounts never see
// each other's calls; after a merchant connects another account, capture and refund of a payment
// taken with the old one still go to the old one, and new payments go to the new one. Webhooks
// arrive per account and settle only that account's payments.
func TestPaymentsGoToTheAccountThatTookThem(t *testing.T) {
	mock := stripemock.Start(t)
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		a1, a2, b1 := newStripeBackend(t, mock), newStripeBackend(t, mock), newStripeBackend(t, mock)
		ma, mb, mc := e.NewMerchant(t, "A"), e.NewMerchant(t, "B"), e.NewMerchant(t, "C")
		accA1 := connectStripe(t, e, ma, a1, "a1")
		accB1 := connectStripe(t, e, mb, b1, "b1")

		invA, tokA := newInvoice(t, e, ma, 3000, "manual")
		invB, tokB := newInvoice(t, e, mb, 2000, "automatic")
		_, tokC := newInvoice(t, e, mc, 1000, "automatic")
		for _, c := range []struct{ token, key string }{{tokA, "pk_test_a1"}, {tokB, "pk_test_b1"}} {
			co := e.Do(t, "GET", "/api/v1/checkout/"+c.token, nil).Map(t)
			if p := co["provider"].(map[string]any); p["name"] != "stripe" || p["publishable_key"] != c.key {
				t.Errorf("checkout provider %v, want Stripe with %s", p, c.key)
			}
			if script := checkoutScriptSrc(t, e, c.token); !strings.Contains(script, "https://js.stripe.com") {
				t.Errorf("checkout of a Stripe account's invoice: script-src %q", script)
			}
		}
		// A merchant without an account of its own pays through the deployment's test gateway, and
		// its checkout names no Stripe origin.
		if script := checkoutScriptSrc(t, e, tokC); strings.Contains(script, "stripe.com") {
			t.Errorf("checkout of a test gateway invoice allows Stripe: %q", script)
		}

		payA := payStripe(t, e, tokA)
		payB := payStripe(t, e, tokB)
		if payA["provider_account_id"] != accA1 || payB["provider_account_id"] != accB1 {
			t.Fatalf("payments recorded accounts %v and %v, want %s and %s", payA["provider_account_id"], payB["provider_account_id"], accA1, accB1)
		}
		if n := len(a1.callsTo("POST", "/v1/payment_intents")); n != 1 {
			t.Errorf("A's account got %d PaymentIntents, want 1", n)
		}
		if n := len(b1.callsTo("POST", "/v1/payment_intents")); n != 1 {
			t.Errorf("B's account got %d PaymentIntents, want 1", n)
		}

		// A connects another account: its new payments go there, the old payment stays with A1.
		accA2 := connectStripe(t, e, ma, a2, "a2")
		_, tokA2 := newInvoice(t, e, ma, 1500, "automatic")
		if p := payStripe(t, e, tokA2); p["provider_account_id"] != accA2 {
			t.Fatalf("payment after the new account: %v", p["provider_account_id"])
		}
		piA := payA["psp_reference"].(string)
		if r := e.Do(t, "POST", "/api/v1/payments/"+payA["id"].(string)+"/capture", map[string]any{}, ma.Auth()); r.Status != http.StatusOK {
			t.Fatalf("capture: %d %s", r.Status, r.Body)
		}
		if r := e.Do(t, "POST", "/api/v1/payments/"+payA["id"].(string)+"/refunds", map[string]any{"amount": 500}, ma.Auth()); r.Status != http.StatusCreated {
			t.Fatalf("refund: %d %s", r.Status, r.Body)
		}
		if n := len(a1.callsTo("POST", "/v1/payment_intents/"+piA+"/capture")); n != 1 {
			t.Errorf("the old account got %d captures, want 1", n)
		}
		if n := len(a1.callsTo("POST", "/v1/refunds")); n != 1 {
			t.Errorf("the old account got %d refunds, want 1", n)
		}
		for name, b := range map[string]*stripeBackend{"A's new account": a2, "B's account": b1} {
			if n := len(b.callsTo("POST", "/v1/payment_intents/"+piA+"/capture")) + len(b.callsTo("POST", "/v1/refunds")); n != 0 {
				t.Errorf("%s got %d captures or refunds of A's old payment", name, n)
			}
		}
		if st := invoiceStatus(t, e, ma, invA); st != "partially_refunded" {
			t.Errorf("A's invoice is %v", st)
		}
		_ = invB
		testAccountWebhooks(t, e, mb, b1, accB1, accA1)
	})
}

// testAccountWebhooks: a notification at an account's route is verified with that account's
// secret (401 otherwise, nothing changes) and settles only that account's payments.
func testAccountWebhooks(t *testing.T, e *apitest.Env, m apitest.Merchant, backend *stripeBackend, accountID, otherAccountID string) {
	invID, token := newInvoice(t, e, m, 4000, "automatic")
	backend.reset(true)
	p := payStripe(t, e, token)
	payID, piID := p["id"].(string), p["psp_reference"].(string)
	if p["status"] != "processing" {
		t.Fatalf("payment before the webhook: %v", p)
	}
	backend.settle()
	ev := stripeEvent("evt_"+payID, "payment_intent.succeeded", piID, payID)
	post := func(account, secret string) *apitest.Response {
		return e.Do(t, "POST", "/api/v1/psp/accounts/"+account+"/webhook", ev,
			apitest.Header{Name: "Stripe-Signature", Value: signStripeWebhook(ev, secret, time.Now())})
	}
	if r := post(accountID, "whsec_a1"); r.Status != http.StatusUnauthorized || r.ErrorObject(t)["code"] != "invalid_signature" {
		t.Fatalf("another account's secret: %d %s, want 401", r.Status, r.Body)
	}
	// Signed right for the other account, it names a payment that is not the other account's.
	if r := post(otherAccountID, "whsec_a1"); r.Status != http.StatusOK {
		t.Fatalf("other account's route: %d %s", r.Status, r.Body)
	}
	if st := invoiceStatus(t, e, m, invID); st != "processing" {
		t.Fatalf("invoice after notifications it must ignore: %v", st)
	}
	if r := e.Do(t, "POST", "/api/v1/psp/accounts/pa_unknown/webhook", ev); r.Status != http.StatusNotFound {
		t.Fatalf("unknown account: %d", r.Status)
	}
	if r := post(accountID, "whsec_b1"); r.Status != http.StatusOK || r.Map(t)["received"] != true {
		t.Fatalf("valid notification: %d %s", r.Status, r.Body)
	}
	if st := invoiceStatus(t, e, m, invID); st != "paid" {
		t.Fatalf("invoice after its account's notification: %v", st)
	}
}
