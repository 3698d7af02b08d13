package api_test

import (
	"net/http"
	"slices"
	"testing"

	"securelink/api/apitest"
)

// payPart pays amount of an invoice through its link and checks the status code.
func payPart(t *testing.T, e *apitest.Env, token string, amount int64, want int) map[string]any {
	t.Helper()
	r := e.Do(t, "POST", "/api/v1/checkout/"+token+"/pay", map[string]any{"terms_accepted": true, "payment_token": cardToken(t, e, visaCard), "amount": amount})
	if r.Status != want {
		t.Fatalf("pay %d: %d %s, want %d", amount, r.Status, r.Body, want)
	}
	return r.Map(t)
}

// TestInvoicePaidInParts: an invoice that allows parts is paid in two; the checkout, the invoice,
// the list filter, the summary, the events and the receipts show each step.
func TestInvoicePaidInParts(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Parts")
		body := apitest.Invoice(100000)
		body["allow_partial"], body["min_first_amount"] = true, 40000
		r := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth())
		if r.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		inv := r.Map(t)
		id, token := inv["id"].(string), inv["link"].(map[string]any)["token"].(string)
		if inv["allow_partial"] != true || inv["min_first_amount"] != float64(40000) {
			t.Fatalf("created: %s", r.Body)
		}
		co := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)["invoice"].(map[string]any)
		if co["allow_partial"] != true || co["min_amount"] != float64(40000) || co["amount_due"] != float64(100000) {
			t.Fatalf("checkout: %v", co)
		}
		for _, amount := range []int64{39999, 100001} {
			r := e.Do(t, "POST", "/api/v1/checkout/"+token+"/pay", map[string]any{"terms_accepted": true, "payment_token": cardToken(t, e, visaCard), "amount": amount})
			if eo := r.ErrorObject(t); r.Status != http.StatusUnprocessableEntity || eo["param"] != "amount" || eo["code"] != "amount_out_of_range" {
				t.Fatalf("pay %d: %d %s; want 422 naming amount", amount, r.Status, r.Body)
			}
		}

		first := payPart(t, e, token, 40000, http.StatusOK)
		if first["status"] != "captured" || first["amount_captured"] != float64(40000) {
			t.Fatalf("first part: %v", first)
		}
		got := e.Do(t, "GET", "/api/v1/invoices/"+id, nil, m.Auth()).Map(t)
		if got["status"] != "partially_paid" || got["amount_paid"] != float64(40000) || got["amount_due"] != float64(60000) || got["link"].(map[string]any)["status"] != "active" {
			t.Fatalf("after the first part: %s", mustJSON(got))
		}
		co = e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)
		if co["status"] != "partially_paid" || co["invoice"].(map[string]any)["min_amount"] != float64(1) || co["invoice"].(map[string]any)["amount_paid"] != float64(40000) {
			t.Fatalf("checkout after the first part: %s", mustJSON(co))
		}
		list := e.Do(t, "GET", "/api/v1/invoices?status=partially_paid", nil, m.Auth()).Map(t)["data"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["id"] != id {
			t.Fatalf("partially paid list: %v", list)
		}
		sum := e.Do(t, "GET", "/api/v1/invoices/summary", nil, m.Auth()).Map(t)
		if sum["counts"].(map[string]any)["partially_paid"] != float64(1) {
			t.Fatalf("summary: %s", mustJSON(sum))
		}

		second := payPart(t, e, token, 60000, http.StatusOK)
		got = e.Do(t, "GET", "/api/v1/invoices/"+id, nil, m.Auth()).Map(t)
		if got["status"] != "paid" || got["amount_paid"] != float64(100000) || len(got["payments"].([]any)) != 2 || got["link"].(map[string]any)["status"] != "completed" {
			t.Fatalf("after the second part: %s", mustJSON(got))
		}
		if r := e.Do(t, "POST", "/api/v1/payments/"+second["id"].(string)+"/refunds", map[string]any{"amount": 60001}, m.Auth()); r.Status < 400 {
			t.Fatalf("refund over the part: %d %s", r.Status, r.Body)
		}

		runWorkers(t, e.App)
		var types []string
		for _, ev := range e.Do(t, "GET", "/api/v1/events?limit=100", nil, m.Auth()).Map(t)["data"].([]any) {
			ev := ev.(map[string]any)
			if ev["type"] == "invoice.partially_paid" {
				data := ev["data"].(map[string]any)
				if data["payment_amount"] != float64(40000) || data["amount_paid"] != float64(40000) || data["status"] != "partially_paid" {
					t.Errorf("invoice.partially_paid data: %v", data)
				}
			}
			types = append(types, ev["type"].(string))
		}
		if !slices.Contains(types, "invoice.partially_paid") || !slices.Contains(types, "invoice.paid") {
			t.Fatalf("events: %v", types)
		}
		receipts := 0
		for _, em := range e.Do(t, "GET", "/api/v1/emails?limit=100", nil, m.Auth()).Map(t)["data"].([]any) {
			if em.(map[string]any)["kind"] == "receipt" {
				receipts++
			}
		}
		if receipts != 2 {
			t.Fatalf("%d receipts, want one per part", receipts)
		}
	})
}
