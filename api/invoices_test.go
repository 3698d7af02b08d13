package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"securelink/api/apitest"
	"securelink/internal/domain"
)

func TestCreateAndGetInvoice(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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

func TestInvoiceSummary(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Summary")
		summary := func(query string, who apitest.Merchant) map[string]any {
			t.Helper()
			r := e.Do(t, "GET", "/api/v1/invoices/summary"+query, nil, who.Auth())
			if r.Status != http.StatusOK {
				t.Fatalf("summary%s: %d %s", query, r.Status, r.Body)
			}
			return r.Map(t)
		}
		empty := summary("", m)
		for _, st := range domain.InvoiceStatuses {
			if n, ok := empty["counts"].(map[string]any)[string(st)]; !ok || n.(float64) != 0 {
				t.Errorf("empty merchant: count of %s = %v, want 0", st, n)
			}
		}
		if empty["paid_count"].(float64) != 0 || len(empty["paid_totals"].([]any)) != 0 {
			t.Errorf("empty merchant: %v", empty)
		}

		_, paidToken := newInvoice(t, e, m, 10_000, "automatic")
		p := pay(t, e, paidToken, visaCard, http.StatusOK)
		if r := e.Do(t, "POST", "/api/v1/payments/"+p["id"].(string)+"/refunds", map[string]any{"amount": 2_500}, m.Auth()); r.Status != http.StatusCreated {
			t.Fatalf("refund: %d %s", r.Status, r.Body)
		}
		_, authToken := newInvoice(t, e, m, 7_000, "manual")
		auth := pay(t, e, authToken, visaCard, http.StatusOK)
		if got := summary("", m)["authorizations_expiring"]; got != 0.0 || auth["authorization_expiring"] != false {
			t.Errorf("fresh authorisation: %v expiring in the summary, payment expiring %v", got, auth["authorization_expiring"])
		}
		// Eight days later it is shown as expiring, in the summary and on the payment.
		if err := e.App.DB.Gorm.Exec("UPDATE payments SET authorized_at = ? WHERE id = ?", time.Now().Add(-8*24*time.Hour).UTC(), auth["id"]).Error; err != nil {
			t.Fatal(err)
		}
		if p := e.Do(t, "GET", "/api/v1/payments/"+auth["id"].(string), nil, m.Auth()).Map(t); p["authorization_expiring"] != true || p["authorization_expires_at"] == nil {
			t.Errorf("eight-day-old authorisation: expiring %v, expires at %v", p["authorization_expiring"], p["authorization_expires_at"])
		}
		newInvoice(t, e, m, 1_000, "automatic")
		cancelID, _ := newInvoice(t, e, m, 1_000, "automatic")
		if r := e.Do(t, "POST", "/api/v1/invoices/"+cancelID+"/cancel", nil, m.Auth()); r.Status != http.StatusOK {
			t.Fatalf("cancel: %d %s", r.Status, r.Body)
		}
		lapsedID, _ := newInvoice(t, e, m, 1_000, "automatic")
		// Past its expiry but not yet swept: it counts as expired, as it reads everywhere else.
		if err := e.App.DB.Gorm.Exec("UPDATE invoices SET expires_at = ? WHERE id = ?", time.Now().Add(-time.Minute).UTC(), lapsedID).Error; err != nil {
			t.Fatal(err)
		}
		eur := apitest.Invoice(5_000)
		eur["currency"] = "EUR"
		if r := e.Do(t, "POST", "/api/v1/invoices", eur, m.Auth()); r.Status != http.StatusCreated {
			t.Fatalf("EUR invoice: %d %s", r.Status, r.Body)
		}

		got := summary("", m)
		want := map[string]float64{"open": 2, "authorized": 1, "partially_refunded": 1, "cancelled": 1, "expired": 1,
			"processing": 0, "paid": 0, "refunded": 0}
		for st, n := range want {
			if c := got["counts"].(map[string]any)[st]; c != n {
				t.Errorf("count of %s = %v, want %v", st, c, n)
			}
		}
		if got["authorizations_expiring"] != 1.0 {
			t.Errorf("authorizations_expiring = %v, want 1", got["authorizations_expiring"])
		}
		// Only captured money counts as paid: the authorisation is not, the refund comes off.
		totals := got["paid_totals"].([]any)
		if got["paid_count"].(float64) != 1 || len(totals) != 1 ||
			totals[0].(map[string]any)["currency"] != "RSD" || totals[0].(map[string]any)["amount"].(float64) != 7_500 {
			t.Errorf("paid: count %v totals %v, want 1 invoice and 75.00 RSD", got["paid_count"], totals)
		}
		if got["paid_since"].(string) == "" || !strings.HasSuffix(got["paid_since"].(string), "-01T00:00:00Z") {
			t.Errorf("default paid_since = %v, want the first of this month, UTC", got["paid_since"])
		}

		if later := summary("?paid_since="+time.Now().Add(time.Hour).UTC().Format(time.RFC3339), m); later["paid_count"].(float64) != 0 {
			t.Errorf("paid since an hour from now: %v", later["paid_count"])
		}
		if r := e.Do(t, "GET", "/api/v1/invoices/summary?paid_since=last-week", nil, m.Auth()); r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != "paid_since" {
			t.Errorf("bad paid_since: %d %s", r.Status, r.Body)
		}
		// Another merchant sees none of it.
		other := summary("", e.NewMerchant(t, "Other"))
		if other["counts"].(map[string]any)["open"].(float64) != 0 || other["paid_count"].(float64) != 0 || other["authorizations_expiring"].(float64) != 0 {
			t.Errorf("another merchant's summary: %v", other)
		}
	})
}
