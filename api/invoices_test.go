package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"securelink/api/apitest"
)

func TestCreateAndGetInvoice(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pekara Kod Mike")
		body := map[string]any{
			"customer":     map[string]any{"name": "Ana Anić", "email": "Ana@Example.com", "phone": "+381 64 123 4567", "address": "Knez Mihailova 1, Beograd"},
			"currency":     "rsd",
			"description":  "Torta za rođendan",
			"reference":    "ORD-77",
			"capture_mode": "manual",
			"locale":       "sr-Cyrl",
			"lines": []any{
				map[string]any{"description": "Torta", "quantity": 2, "unit_amount": 120000, "vat_rate": 20},
				map[string]any{"description": "Dostava", "quantity": 1, "unit_amount": 30000, "vat_rate": 10},
			},
		}
		r := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth())
		if r.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		inv := r.Map(t)
		checks := map[string]any{
			"status": "open", "currency": "RSD", "amount_total": float64(270000), "amount_vat": float64(42727),
			"number": "INV-000001", "capture_mode": "manual", "locale": "sr-Cyrl", "reference": "ORD-77",
		}
		for k, want := range checks {
			if inv[k] != want {
				t.Errorf("%s = %v, want %v", k, inv[k], want)
			}
		}
		if c := inv["customer"].(map[string]any); c["email"] != "ana@example.com" {
			t.Errorf("customer e-mail not normalised: %v", c["email"])
		}
		link := inv["link"].(map[string]any)
		token := link["token"].(string)
		if len(token) < 32 || link["status"] != "active" || link["url"] != e.URL+"/pay/"+token {
			t.Errorf("link = %v", link)
		}

		got := e.Do(t, "GET", "/api/v1/invoices/"+inv["id"].(string), nil, m.Auth())
		if got.Status != http.StatusOK {
			t.Fatalf("get: %d %s", got.Status, got.Body)
		}
		if lines := got.Map(t)["lines"].([]any); len(lines) != 2 {
			t.Errorf("lines = %v", lines)
		}

		co := e.Do(t, "GET", "/api/v1/checkout/"+token, nil)
		if co.Status != http.StatusOK {
			t.Fatalf("checkout: %d %s", co.Status, co.Body)
		}
		if co.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("checkout Referrer-Policy = %q", co.Header.Get("Referrer-Policy"))
		}
		view := co.Map(t)
		if view["status"] != "open" || view["merchant"].(map[string]any)["name"] != "Pekara Kod Mike" {
			t.Errorf("checkout view = %v", view)
		}
		// Nothing internal: no invoice id, merchant id, customer e-mail or address.
		for _, secret := range []string{inv["id"].(string), m.ID, "ana@example.com", "Knez Mihailova", "+381"} {
			if strings.Contains(string(co.Body), secret) {
				t.Errorf("checkout view reveals %q", secret)
			}
		}
	})
}

func TestInvoiceNumbersAreSequentialPerMerchant(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		a, b := e.NewMerchant(t, "A"), e.NewMerchant(t, "B")
		for i := 1; i <= 3; i++ {
			for _, m := range []apitest.Merchant{a, b} {
				r := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(1000), m.Auth())
				if n := r.Map(t)["number"]; n != fmt.Sprintf("INV-%06d", i) {
					t.Fatalf("invoice %d of %s numbered %v", i, m.ID, n)
				}
			}
		}
	})
}
