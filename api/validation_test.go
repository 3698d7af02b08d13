package api_test

import (
	"net/http"
	"strings"
	"testing"

	"securelink/api/apitest"
)

// with returns a valid invoice body changed by fn.
func with(fn func(b map[string]any)) map[string]any {
	b := apitest.Invoice(10000)
	fn(b)
	return b
}

func line(fn func(l map[string]any)) func(b map[string]any) {
	return func(b map[string]any) { fn(b["lines"].([]any)[0].(map[string]any)) }
}

func manyLines(n int) []any {
	ls := make([]any, n)
	for i := range ls {
		ls[i] = map[string]any{"description": "x", "quantity": 1, "unit_amount": 100, "vat_rate": 0}
	}
	return ls
}

func TestInvoiceValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		body   any
		status int
		param  string
		code   string
	}{
		{"not json", "{", 400, "", "invalid_json"},
		{"array body", "[]", 400, "", "invalid_json"},
		{"empty body", "", 400, "", "missing_body"},
		{"two objects", `{"lines":[]} {}`, 400, "", "invalid_json"},
		{"unknown field", with(func(b map[string]any) { b["amount"] = 5 }), 400, "amount", "unknown_parameter"},
		{"unknown nested field", with(func(b map[string]any) { b["customer"].(map[string]any)["vip"] = true }), 400, "vip", "unknown_parameter"},
		{"wrong type", with(func(b map[string]any) { b["currency"] = 941 }), 400, "currency", "invalid_type"},
		{"fractional quantity", with(line(func(l map[string]any) { l["quantity"] = 1.5 })), 400, "lines.quantity", "invalid_type"},
		{"unknown currency", with(func(b map[string]any) { b["currency"] = "XYZ" }), 400, "currency", "invalid_currency"},
		{"missing customer name", with(func(b map[string]any) { b["customer"].(map[string]any)["name"] = " " }), 400, "customer.name", "missing"},
		{"long customer name", with(func(b map[string]any) { b["customer"].(map[string]any)["name"] = strings.Repeat("a", 201) }), 400, "customer.name", "too_long"},
		{"control character", with(func(b map[string]any) { b["customer"].(map[string]any)["name"] = "a\x00b" }), 400, "customer.name", "invalid_string"},
		{"missing email", with(func(b map[string]any) { delete(b["customer"].(map[string]any), "email") }), 400, "customer.email", "missing"},
		{"bad email", with(func(b map[string]any) { b["customer"].(map[string]any)["email"] = "ana@" }), 400, "customer.email", "invalid_email"},
		{"email with name", with(func(b map[string]any) { b["customer"].(map[string]any)["email"] = "Ana <ana@example.com>" }), 400, "customer.email", "invalid_email"},
		{"bad phone", with(func(b map[string]any) { b["customer"].(map[string]any)["phone"] = "call me" }), 400, "customer.phone", "invalid_phone"},
		{"long address", with(func(b map[string]any) { b["customer"].(map[string]any)["address"] = strings.Repeat("a", 501) }), 400, "customer.address", "too_long"},
		{"no lines", with(func(b map[string]any) { b["lines"] = []any{} }), 400, "lines", "missing"},
		{"101 lines", with(func(b map[string]any) { b["lines"] = manyLines(101) }), 400, "lines", "too_many"},
		{"zero quantity", with(line(func(l map[string]any) { l["quantity"] = 0 })), 400, "lines[0].quantity", "invalid_quantity"},
		{"negative quantity", with(line(func(l map[string]any) { l["quantity"] = -1 })), 400, "lines[0].quantity", "invalid_quantity"},
		{"zero amount", with(line(func(l map[string]any) { l["unit_amount"] = 0 })), 400, "lines[0].unit_amount", "amount_out_of_range"},
		{"amount over 10^12", with(line(func(l map[string]any) { l["unit_amount"] = 1_000_000_000_001 })), 400, "lines[0].unit_amount", "amount_out_of_range"},
		{"total over 10^12", with(line(func(l map[string]any) { l["unit_amount"] = 1_000_000_000_000; l["quantity"] = 2 })), 400, "lines", "amount_out_of_range"},
		{"amount beyond int64", with(line(func(l map[string]any) { l["unit_amount"] = 1e20 })), 400, "lines.unit_amount", "invalid_type"},
		{"missing description", with(line(func(l map[string]any) { l["description"] = "" })), 400, "lines[0].description", "missing"},
		{"vat over 100", with(line(func(l map[string]any) { l["vat_rate"] = 101 })), 400, "lines[0].vat_rate", "invalid_vat_rate"},
		{"negative vat", with(line(func(l map[string]any) { l["vat_rate"] = -1 })), 400, "lines[0].vat_rate", "invalid_vat_rate"},
		{"vat with three decimals", with(line(func(l map[string]any) { l["vat_rate"] = 20.555 })), 400, "lines[0].vat_rate", "invalid_vat_rate"},
		{"long description", with(func(b map[string]any) { b["description"] = strings.Repeat("ž", 1001) }), 400, "description", "too_long"},
		{"long reference", with(func(b map[string]any) { b["reference"] = strings.Repeat("r", 101) }), 400, "reference", "too_long"},
		{"bad capture mode", with(func(b map[string]any) { b["capture_mode"] = "later" }), 400, "capture_mode", "invalid_capture_mode"},
		{"bad locale", with(func(b map[string]any) { b["locale"] = "de" }), 400, "locale", "invalid_locale"},
		{"bad expiry format", with(func(b map[string]any) { b["expires_at"] = "tomorrow" }), 400, "expires_at", "invalid_time"},
		{"past expiry", with(func(b map[string]any) { b["expires_at"] = "2020-01-01T00:00:00Z" }), 400, "expires_at", "invalid_expiry"},
		{"expiry too far", with(func(b map[string]any) { b["expires_at"] = "2099-01-01T00:00:00Z" }), 400, "expires_at", "invalid_expiry"},
		{"parts with manual capture", with(func(b map[string]any) { b["allow_partial"] = true; b["capture_mode"] = "manual" }), 422, "allow_partial", "partial_payment_not_allowed"},
		{"first part minimum without parts", with(func(b map[string]any) { b["min_first_amount"] = 100 }), 422, "min_first_amount", "partial_payment_not_allowed"},
		{"first part minimum over the total", with(func(b map[string]any) { b["allow_partial"] = true; b["min_first_amount"] = 10001 }), 422, "min_first_amount", "amount_out_of_range"},
		{"negative first part minimum", with(func(b map[string]any) { b["allow_partial"] = true; b["min_first_amount"] = -1 }), 422, "min_first_amount", "amount_out_of_range"},
		{"success url not https", with(func(b map[string]any) { b["success_url"] = "http://shop.example/thanks" }), 400, "success_url", "insecure_url"},
		{"success url relative", with(func(b map[string]any) { b["success_url"] = "/thanks" }), 400, "success_url", "invalid_url"},
		{"success url javascript", with(func(b map[string]any) { b["success_url"] = "javascript:alert(1)" }), 400, "success_url", "invalid_url"},
		{"success url with credentials", with(func(b map[string]any) { b["success_url"] = "https://user:pw@shop.example/" }), 400, "success_url", "invalid_url"},
		{"success url too long", with(func(b map[string]any) { b["success_url"] = "https://shop.example/" + strings.Repeat("a", 1500) }), 400, "success_url", "too_long"},
		{"cancel url scheme-relative", with(func(b map[string]any) { b["cancel_url"] = "//evil.example/" }), 400, "cancel_url", "invalid_url"},
		{"cancel url ftp", with(func(b map[string]any) { b["cancel_url"] = "ftp://shop.example/" }), 400, "cancel_url", "invalid_url"},
		{"body over 64 KiB", with(func(b map[string]any) { b["description"] = strings.Repeat("a", 70_000) }), 413, "", "request_too_large"},
	}
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Validation")
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := e.Do(t, "POST", "/api/v1/invoices", tc.body, m.Auth())
				if r.Status != tc.status {
					t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Body)
				}
				eo := r.ErrorObject(t)
				if eo["type"] != "invalid_request_error" || eo["code"] != tc.code || (eo["param"] != nil && eo["param"] != tc.param) || (tc.param != "" && eo["param"] != tc.param) {
					t.Errorf("error = %v, want code %q param %q", eo, tc.code, tc.param)
				}
				if eo["message"] == "" || eo["request_id"] != r.Header.Get("X-Request-Id") {
					t.Errorf("error lacks message or request id: %v", eo)
				}
			})
		}
		// Nothing of the refused requests was stored.
		list := e.Do(t, "GET", "/api/v1/invoices", nil, m.Auth())
		if n := len(list.Map(t)["data"].([]any)); n != 0 {
			t.Errorf("%d invoices stored from invalid requests", n)
		}
	})
}

func TestQueryValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		path, param string
	}{
		{"/api/v1/invoices?limit=0", "limit"},
		{"/api/v1/invoices?limit=101", "limit"},
		{"/api/v1/invoices?limit=ten", "limit"},
		{"/api/v1/invoices?status=unpaid", "status"},
		{"/api/v1/invoices?created_gte=yesterday", "created_gte"},
		{"/api/v1/invoices?created_lte=2026-13-01", "created_lte"},
		{"/api/v1/invoices?starting_after=" + strings.Repeat("x", 65), "starting_after"},
		{"/api/v1/invoices?q=" + strings.Repeat("q", 201), "q"},
		{"/api/v1/audit-log?limit=1000", "limit"},
	}
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Query")
		for _, tc := range cases {
			r := e.Do(t, "GET", tc.path, nil, m.Auth())
			if r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != tc.param {
				t.Errorf("%s: %d %s, want 400 naming %s", tc.path, r.Status, r.Body, tc.param)
			}
		}
	})
}

func TestMerchantSettingsValidation(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Settings")
		bad := []struct {
			body  map[string]any
			param string
		}{
			{map[string]any{"default_currency": "EURO"}, "default_currency"},
			{map[string]any{"default_locale": "fr"}, "default_locale"},
			{map[string]any{"default_capture_mode": "x"}, "default_capture_mode"},
			{map[string]any{"support_email": "nope"}, "support_email"},
			{map[string]any{"name": ""}, "name"},
			{map[string]any{"terms": strings.Repeat("t", 10001)}, "terms"},
			{map[string]any{"color": "red"}, "color"},
			{map[string]any{"brand_color": "red"}, "brand_color"},
			{map[string]any{"brand_color": "#fff"}, "brand_color"},
			{map[string]any{"brand_color": "#12345g"}, "brand_color"},
			{map[string]any{"remind_after_days": 366}, "remind_after_days"},
			{map[string]any{"remind_before_expiry_days": -1}, "remind_before_expiry_days"},
		}
		for _, b := range bad {
			r := e.Do(t, "PATCH", "/api/v1/merchant", b.body, m.Auth())
			if r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != b.param {
				t.Errorf("%v: %d %s, want 400 naming %s", b.body, r.Status, r.Body, b.param)
			}
		}
		r := e.Do(t, "PATCH", "/api/v1/merchant", map[string]any{"default_currency": "eur", "default_locale": "en",
			"default_capture_mode": "manual", "terms": "Uslovi", "legal_name": "Pekara d.o.o.", "tax_id": "123456789"}, m.Auth())
		if r.Status != http.StatusOK {
			t.Fatalf("patch: %d %s", r.Status, r.Body)
		}
		got := e.Do(t, "GET", "/api/v1/merchant", nil, m.Auth()).Map(t)
		if got["default_currency"] != "EUR" || got["default_locale"] != "en" || got["default_capture_mode"] != "manual" || got["terms"] != "Uslovi" {
			t.Errorf("merchant after patch = %v", got)
		}
		// New invoices take the new defaults.
		inv := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(500), m.Auth()).Map(t)
		if inv["currency"] != "EUR" || inv["locale"] != "en" || inv["capture_mode"] != "manual" {
			t.Errorf("invoice did not take the defaults: %v", inv)
		}
	})
}
