package api_test

import (
	"strings"
	"testing"

	"securelink/api/apitest"
	"securelink/internal/store/storetest"
)

// TestNoCardDataKeptWhenSentWhereItDoesNotBelong: a payer and a merchant send card numbers in every
// place they can type text (a card number as the payment token, in names, descriptions, terms, a
// search, an Idempotency-Key, a login). Each is refused with 400, and then every table and the log
// are searched: no card number anywhere.
func TestNoCardDataKeptWhenSentWhereItDoesNotBelong(t *testing.T) {
	t.Parallel()
	// Each instance writes its request and job logs here (both dialects, in parallel).
	logs := &apitest.SafeBuffer{}
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Kartice")
		inv := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(5000), m.Auth()).Map(t)
		link := "/api/v1/checkout/" + inv["link"].(map[string]any)["token"].(string) + "/pay"
		const visa, visaSpaced, amex = "4242424242424242", "4242 4242 4242 4242", "3782-822463-10005"
		withCard := func(path []string, card string) map[string]any {
			body := apitest.Invoice(5000)
			switch path[0] {
			case "customer":
				body["customer"].(map[string]any)[path[1]] = card
			case "lines":
				body["lines"].([]any)[0].(map[string]any)[path[1]] = card
			default:
				body[path[0]] = card
			}
			return body
		}
		tries := []struct {
			method, path string
			body         any
			header       apitest.Header
			code, param  string
		}{
			{"POST", link, map[string]any{"terms_accepted": true, "payment_token": visa}, apitest.Header{}, "invalid_payment_token", "payment_token"},
			{"POST", link, map[string]any{"terms_accepted": true, "payment_token": visaSpaced}, apitest.Header{}, "invalid_payment_token", "payment_token"},
			{"POST", link, map[string]any{"terms_accepted": true, "payment_token": "tok_" + visa}, apitest.Header{}, "invalid_payment_token", "payment_token"},
			{"POST", "/api/v1/invoices", withCard([]string{"customer", "name"}, visaSpaced), m.Auth(), "card_number_not_allowed", "customer.name"},
			{"POST", "/api/v1/invoices", withCard([]string{"customer", "phone"}, visa), m.Auth(), "card_number_not_allowed", "customer.phone"},
			{"POST", "/api/v1/invoices", withCard([]string{"lines", "description"}, "Kartica "+amex), m.Auth(), "card_number_not_allowed", "lines[0].description"},
			{"POST", "/api/v1/invoices", withCard([]string{"description"}, visa), m.Auth(), "card_number_not_allowed", "description"},
			{"POST", "/api/v1/invoices", withCard([]string{"reference"}, visaSpaced), m.Auth(), "card_number_not_allowed", "reference"},
			{"PATCH", "/api/v1/merchant", map[string]any{"terms": "Pay to " + visaSpaced}, m.Auth(), "card_number_not_allowed", "terms"},
			{"POST", "/api/v1/webhook-endpoints", map[string]any{"url": e.URL + "/h", "events": []string{"invoice.paid"}, "description": visa}, m.Auth(), "card_number_not_allowed", "description"},
			{"GET", "/api/v1/invoices?q=" + visa, nil, m.Auth(), "card_number_not_allowed", "q"},
			{"POST", "/api/v1/auth/login", map[string]any{"email": visa, "password": "whatever-password"}, apitest.Header{}, "card_number_not_allowed", "email"},
		}
		for _, tr := range tries {
			hs := []apitest.Header{}
			if tr.header.Name != "" {
				hs = append(hs, tr.header)
			}
			r := e.Do(t, tr.method, tr.path, tr.body, hs...)
			if r.Status != 400 || r.ErrorObject(t)["code"] != tr.code || r.ErrorObject(t)["param"] != tr.param {
				t.Errorf("%s %s %v: %d %s, want 400 %s naming %s", tr.method, tr.path, tr.body, r.Status, r.Body, tr.code, tr.param)
			}
		}
		r := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(5000), m.Auth(), apitest.Header{Name: "Idempotency-Key", Value: visa})
		if r.Status != 400 || r.ErrorObject(t)["param"] != "Idempotency-Key" {
			t.Errorf("card number as Idempotency-Key: %d %s", r.Status, r.Body)
		}
		values := storetest.TextValues(t, e.App.DB)
		if len(values) < 50 {
			t.Fatalf("only %d values scanned: the scan is not reading the tables", len(values))
		}
		out := logs.String()
		for _, card := range []string{visa, visaSpaced, amex, "378282246310005"} {
			for _, v := range values {
				if strings.Contains(v.Value, card) {
					t.Errorf("card number %s stored in %s: %q", card, v.Where, v.Value)
				}
			}
			if strings.Contains(out, card) {
				t.Errorf("card number %s found in the log", card)
			}
		}
	}, apitest.CaptureLogs(logs))
}
