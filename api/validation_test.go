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

// TestPaymentLinkValidation: every field of a new reusable link is checked, naming the field.
func TestPaymentLinkValidation(t *testing.T) {
	t.Parallel()
	fixed := func(fn func(b map[string]any)) map[string]any { return fixedLink(fn) }
	custom := func(fn func(b map[string]any)) map[string]any { return customLink(fn) }
	aq := func(min, max any) func(b map[string]any) {
		return func(b map[string]any) {
			b["adjustable_quantity"] = map[string]any{"enabled": true, "min": min, "max": max}
		}
	}
	field := func(key, label string) map[string]any { return map[string]any{"key": key, "label": label} }
	cases := []struct {
		name   string
		body   any
		status int
		param  string
		code   string
	}{
		{"unknown field", fixed(func(b map[string]any) { b["customer"] = map[string]any{} }), 400, "customer", "unknown_parameter"},
		{"missing title", fixed(func(b map[string]any) { b["title"] = " " }), 400, "title", "missing"},
		{"long title", fixed(func(b map[string]any) { b["title"] = strings.Repeat("t", 201) }), 400, "title", "too_long"},
		{"long description", fixed(func(b map[string]any) { b["description"] = strings.Repeat("d", 1001) }), 400, "description", "too_long"},
		{"unknown currency", fixed(func(b map[string]any) { b["currency"] = "XYZ" }), 400, "currency", "invalid_currency"},
		{"unknown pricing", fixed(func(b map[string]any) { b["pricing"] = "auction" }), 400, "pricing", "invalid_pricing"},
		{"fixed without lines", fixed(func(b map[string]any) { b["lines"] = []any{} }), 400, "lines", "missing"},
		{"21 lines", fixed(func(b map[string]any) { b["lines"] = manyLines(21) }), 400, "lines", "too_many"},
		{"zero unit amount", fixed(line(func(l map[string]any) { l["unit_amount"] = 0 })), 400, "lines[0].unit_amount", "amount_out_of_range"},
		{"line without description", fixed(line(func(l map[string]any) { l["description"] = "" })), 400, "lines[0].description", "missing"},
		{"line vat over 100", fixed(line(func(l map[string]any) { l["vat_rate"] = 101 })), 400, "lines[0].vat_rate", "invalid_vat_rate"},
		{"line zero quantity", fixed(line(func(l map[string]any) { l["quantity"] = 0 })), 400, "lines[0].quantity", "invalid_quantity"},
		{"fixed with amount_min", fixed(func(b map[string]any) { b["amount_min"] = 100 }), 400, "amount_min", "not_allowed"},
		{"fixed with amount_max", fixed(func(b map[string]any) { b["amount_max"] = 100 }), 400, "amount_max", "not_allowed"},
		{"fixed with amount_suggested", fixed(func(b map[string]any) { b["amount_suggested"] = 100 }), 400, "amount_suggested", "not_allowed"},
		{"quantity min 0", fixed(aq(0, 5)), 400, "adjustable_quantity.min", "invalid_quantity"},
		{"quantity max below min", fixed(aq(3, 2)), 400, "adjustable_quantity.max", "invalid_quantity"},
		{"quantity max over 1000", fixed(aq(1, 1001)), 400, "adjustable_quantity.max", "invalid_quantity"},
		{"quantity times total over 10^12", fixed(func(b map[string]any) {
			aq(1, 1000)(b)
			b["lines"].([]any)[0].(map[string]any)["unit_amount"] = 1_000_000_000_000
		}), 400, "adjustable_quantity.max", "amount_out_of_range"},
		{"quantity wrong type", fixed(aq("one", 5)), 400, "adjustable_quantity.min", "invalid_type"},
		{"custom with lines", custom(func(b map[string]any) { b["lines"] = manyLines(1) }), 400, "lines", "not_allowed"},
		{"custom with quantity", custom(aq(1, 2)), 400, "adjustable_quantity", "not_allowed"},
		{"custom without amount_min", custom(func(b map[string]any) { delete(b, "amount_min") }), 400, "amount_min", "amount_out_of_range"},
		{"custom amount_min over 10^12", custom(func(b map[string]any) { b["amount_min"] = 1_000_000_000_001 }), 400, "amount_min", "amount_out_of_range"},
		{"custom amount_max below min", custom(func(b map[string]any) { b["amount_max"] = 9999 }), 400, "amount_max", "amount_out_of_range"},
		{"custom amount_max over 10^12", custom(func(b map[string]any) { b["amount_max"] = 1_000_000_000_001 }), 400, "amount_max", "amount_out_of_range"},
		{"custom suggested out of range", custom(func(b map[string]any) { b["amount_suggested"] = 1 }), 400, "amount_suggested", "amount_out_of_range"},
		{"negative max_payments", fixed(func(b map[string]any) { b["max_payments"] = -1 }), 400, "max_payments", "invalid_max_payments"},
		{"max_payments over a million", fixed(func(b map[string]any) { b["max_payments"] = 1_000_001 }), 400, "max_payments", "invalid_max_payments"},
		{"fractional max_payments", fixed(func(b map[string]any) { b["max_payments"] = 1.5 }), 400, "max_payments", "invalid_type"},
		{"bad expiry format", fixed(func(b map[string]any) { b["expires_at"] = "soon" }), 400, "expires_at", "invalid_time"},
		{"past expiry", fixed(func(b map[string]any) { b["expires_at"] = "2020-01-01T00:00:00Z" }), 400, "expires_at", "invalid_expiry"},
		{"expiry too far", fixed(func(b map[string]any) { b["expires_at"] = "2099-01-01T00:00:00Z" }), 400, "expires_at", "invalid_expiry"},
		{"email not collected", fixed(func(b map[string]any) { b["collect"] = map[string]any{"email": false} }), 400, "collect.email", "email_required"},
		{"collect wrong type", fixed(func(b map[string]any) { b["collect"] = map[string]any{"name": "yes"} }), 400, "collect.name", "invalid_type"},
		{"four custom fields", fixed(func(b map[string]any) {
			b["custom_fields"] = []any{field("a", "A"), field("b", "B"), field("c", "C"), field("d", "D")}
		}), 400, "custom_fields", "too_many"},
		{"custom field key with capitals", fixed(func(b map[string]any) { b["custom_fields"] = []any{field("Size", "Size")} }), 400, "custom_fields[0].key", "invalid_key"},
		{"custom field key too long", fixed(func(b map[string]any) { b["custom_fields"] = []any{field(strings.Repeat("k", 41), "K")} }), 400, "custom_fields[0].key", "invalid_key"},
		{"custom field keys repeated", fixed(func(b map[string]any) { b["custom_fields"] = []any{field("size", "Size"), field("size", "Size 2")} }), 400, "custom_fields[1].key", "duplicate_key"},
		{"custom field without label", fixed(func(b map[string]any) { b["custom_fields"] = []any{field("size", " ")} }), 400, "custom_fields[0].label", "missing"},
		{"custom field label too long", fixed(func(b map[string]any) { b["custom_fields"] = []any{field("size", strings.Repeat("l", 101))} }), 400, "custom_fields[0].label", "too_long"},
		{"bad locale", fixed(func(b map[string]any) { b["locale"] = "de" }), 400, "locale", "invalid_locale"},
		{"bad capture mode", fixed(func(b map[string]any) { b["capture_mode"] = "later" }), 400, "capture_mode", "invalid_capture_mode"},
		{"success url not https", fixed(func(b map[string]any) { b["success_url"] = "http://shop.example/" }), 400, "success_url", "insecure_url"},
		{"cancel url javascript", fixed(func(b map[string]any) { b["cancel_url"] = "javascript:alert(1)" }), 400, "cancel_url", "invalid_url"},
	}
	patches := []struct {
		name  string
		body  map[string]any
		param string
		code  string
	}{
		{"empty title", map[string]any{"title": ""}, "title", "missing"},
		{"long description", map[string]any{"description": strings.Repeat("d", 1001)}, "description", "too_long"},
		{"negative max_payments", map[string]any{"max_payments": -2}, "max_payments", "invalid_max_payments"},
		{"bad expiry", map[string]any{"expires_at": "never"}, "expires_at", "invalid_time"},
		{"past expiry", map[string]any{"expires_at": "2020-01-01T00:00:00Z"}, "expires_at", "invalid_expiry"},
		{"unknown status", map[string]any{"status": "deleted"}, "status", "invalid_status"},
		{"field that cannot change", map[string]any{"currency": "EUR"}, "currency", "unknown_parameter"},
	}
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Link validation")
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := e.Do(t, "POST", "/api/v1/payment-links", tc.body, m.Auth())
				if r.Status != tc.status {
					t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Body)
				}
				if eo := r.ErrorObject(t); eo["code"] != tc.code || eo["param"] != tc.param {
					t.Errorf("error = %v, want code %q param %q", eo, tc.code, tc.param)
				}
			})
		}
		if n := len(e.Do(t, "GET", "/api/v1/payment-links", nil, m.Auth()).Map(t)["data"].([]any)); n != 0 {
			t.Errorf("%d links stored from invalid requests", n)
		}
		id := createLink(t, e, m, fixedLink(nil))["id"].(string)
		for _, tc := range patches {
			r := e.Do(t, "PATCH", "/api/v1/payment-links/"+id, tc.body, m.Auth())
			if eo := r.ErrorObject(t); r.Status != http.StatusBadRequest || eo["code"] != tc.code || eo["param"] != tc.param {
				t.Errorf("patch %s: %d %s, want 400 %s naming %s", tc.name, r.Status, r.Body, tc.code, tc.param)
			}
		}
		for _, q := range []string{"/api/v1/payment-links?limit=0", "/api/v1/payment-links?status=open", "/api/v1/invoices?payment_link=" + strings.Repeat("x", 65)} {
			if r := e.Do(t, "GET", q, nil, m.Auth()); r.Status != http.StatusBadRequest {
				t.Errorf("%s: %d %s", q, r.Status, r.Body)
			}
		}
	})
}

// TestPaymentLinkOrderValidation: every field of a payer's order through a reusable link is checked,
// naming the field, and nothing is ordered from a refused request.
func TestPaymentLinkOrderValidation(t *testing.T) {
	t.Parallel()
	valid := func(fn func(b map[string]any)) map[string]any {
		b := map[string]any{"quantity": 2, "customer": map[string]any{"name": "Ana", "email": "ana@example.com", "phone": "+381 64 123 4567"},
			"custom_fields": map[string]any{"size": "M"}, "locale": "en"}
		if fn != nil {
			fn(b)
		}
		return b
	}
	cust := func(k string, v any) func(b map[string]any) {
		return func(b map[string]any) {
			if v == nil {
				delete(b["customer"].(map[string]any), k)
				return
			}
			b["customer"].(map[string]any)[k] = v
		}
	}
	cases := []struct {
		name, param, code string
		body              any
	}{
		{"empty body", "", "missing_body", ""},
		{"unknown field", "coupon", "unknown_parameter", valid(func(b map[string]any) { b["coupon"] = "X" })},
		{"quantity as text", "quantity", "invalid_type", valid(func(b map[string]any) { b["quantity"] = "2" })},
		{"quantity over max", "quantity", "invalid_quantity", valid(func(b map[string]any) { b["quantity"] = 6 })},
		{"negative quantity", "quantity", "invalid_quantity", valid(func(b map[string]any) { b["quantity"] = -1 })},
		{"amount on a fixed price", "amount", "not_allowed", valid(func(b map[string]any) { b["amount"] = 100 })},
		{"missing email", "customer.email", "missing", valid(cust("email", nil))},
		{"bad email", "customer.email", "invalid_email", valid(cust("email", "ana@"))},
		{"missing name", "customer.name", "missing", valid(cust("name", nil))},
		{"long name", "customer.name", "too_long", valid(cust("name", strings.Repeat("n", 201)))},
		{"missing phone", "customer.phone", "missing", valid(cust("phone", nil))},
		{"bad phone", "customer.phone", "invalid_phone", valid(cust("phone", "call me"))},
		{"long address", "customer.address", "too_long", valid(cust("address", strings.Repeat("a", 501)))},
		{"missing answer", "custom_fields.size", "missing", valid(func(b map[string]any) { b["custom_fields"] = map[string]any{"size": " "} })},
		{"long answer", "custom_fields.size", "too_long", valid(func(b map[string]any) { b["custom_fields"] = map[string]any{"size": strings.Repeat("m", 501)} })},
		{"unknown answer", "custom_fields.colour", "unknown_parameter", valid(func(b map[string]any) { b["custom_fields"] = map[string]any{"size": "M", "colour": "red"} })},
		{"answer not text", "custom_fields", "invalid_type", valid(func(b map[string]any) { b["custom_fields"] = map[string]any{"size": 3} })},
		{"bad locale", "locale", "invalid_locale", valid(func(b map[string]any) { b["locale"] = "de" })},
	}
	customCases := []struct {
		name, param, code string
		body              map[string]any
	}{
		{"amount below min", "amount", "amount_out_of_range", map[string]any{"amount": 9999, "customer": map[string]any{"email": "d@example.com"}}},
		{"amount above max", "amount", "amount_out_of_range", map[string]any{"amount": 1000001, "customer": map[string]any{"email": "d@example.com"}}},
		{"no amount and none suggested", "amount", "missing", map[string]any{"customer": map[string]any{"email": "d@example.com"}}},
		{"quantity on a custom price", "quantity", "invalid_quantity", map[string]any{"amount": 20000, "quantity": 3, "customer": map[string]any{"email": "d@example.com"}}},
	}
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Order validation")
		fixed := createLink(t, e, m, fixedLink(func(b map[string]any) {
			b["adjustable_quantity"] = map[string]any{"enabled": true, "min": 1, "max": 5}
			b["collect"] = map[string]any{"name": true, "phone": true}
			b["custom_fields"] = []any{map[string]any{"key": "size", "label": "Size", "required": true}}
		}))
		custom := createLink(t, e, m, customLink(nil))
		check := func(token, name, param, code string, body any) {
			r := e.Do(t, "POST", "/api/v1/checkout-links/"+token+"/orders", body)
			if eo := r.ErrorObject(t); r.Status != http.StatusBadRequest || eo["code"] != code || (param != "" && eo["param"] != param) {
				t.Errorf("%s: %d %s, want 400 %s naming %s", name, r.Status, r.Body, code, param)
			}
		}
		for _, tc := range cases {
			check(fixed["token"].(string), tc.name, tc.param, tc.code, tc.body)
		}
		for _, tc := range customCases {
			check(custom["token"].(string), tc.name, tc.param, tc.code, tc.body)
		}
		if n := len(e.Do(t, "GET", "/api/v1/invoices", nil, m.Auth()).Map(t)["data"].([]any)); n != 0 {
			t.Errorf("%d orders stored from invalid requests", n)
		}
	})
}
