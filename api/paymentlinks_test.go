package api_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"securelink/api"
	"securelink/api/apitest"
	"securelink/api/wiring"
	"securelink/internal/psp/testgateway"
)

func init() {
	extraBOLARoutes["GET /api/v1/payment-links/:id"] = paymentLinkOf
	extraBOLARoutes["PATCH /api/v1/payment-links/:id"] = paymentLinkOf
	extraBOLARoutes["GET /api/v1/payment-links/:id/qr.svg"] = paymentLinkOf
	publicIDRoutes["GET /api/v1/checkout-links/:token"] = true
	publicIDRoutes["POST /api/v1/checkout-links/:token/orders"] = true
}

// fixedLink is a valid body of a reusable link with one fixed line.
func fixedLink(fn func(b map[string]any)) map[string]any {
	b := map[string]any{"title": "Yoga class", "currency": "RSD",
		"lines": []any{map[string]any{"description": "Class", "quantity": 1, "unit_amount": 150000, "vat_rate": 20}}}
	if fn != nil {
		fn(b)
	}
	return b
}

// customLink is a valid body of a reusable link whose payer chooses the amount.
func customLink(fn func(b map[string]any)) map[string]any {
	b := map[string]any{"title": "Donation", "pricing": "custom", "amount_min": 10000, "amount_max": 1000000}
	if fn != nil {
		fn(b)
	}
	return b
}

func paymentLinkOf(t *testing.T, e *apitest.Env, a apitest.Merchant) string {
	return createLink(t, e, a, fixedLink(nil))["id"].(string)
}

func createLink(t testing.TB, e *apitest.Env, m apitest.Merchant, body map[string]any) map[string]any {
	t.Helper()
	r := e.Do(t, "POST", "/api/v1/payment-links", body, m.Auth())
	if r.Status != http.StatusCreated {
		t.Fatalf("create payment link: %d %s", r.Status, r.Body)
	}
	return r.Map(t)
}

// order orders through a reusable link and returns the answer.
func order(t testing.TB, e *apitest.Env, token string, body map[string]any) *apitest.Response {
	t.Helper()
	if body == nil {
		body = map[string]any{"customer": map[string]any{"email": "payer@example.com"}}
	}
	return e.Do(t, "POST", "/api/v1/checkout-links/"+token+"/orders", body)
}

func wantError(t *testing.T, r *apitest.Response, status int, code string) {
	t.Helper()
	if r.Status != status || r.ErrorObject(t)["code"] != code {
		t.Errorf("got %d %s, want %d %s", r.Status, r.Body, status, code)
	}
}

func TestReusableLinkOrdersAndPayments(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Studio")
		l := createLink(t, e, m, fixedLink(func(b map[string]any) {
			b["adjustable_quantity"] = map[string]any{"enabled": true, "min": 1, "max": 5}
			b["collect"] = map[string]any{"name": true, "phone": true}
			b["custom_fields"] = []any{map[string]any{"key": "size", "label": "T-shirt size", "required": true}}
			b["max_payments"] = 3
		}))
		id, token := l["id"].(string), l["token"].(string)
		if l["object"] != "payment_link" || l["status"] != "active" || l["availability"] != "open" || l["url"] != e.URL+"/pay/l/"+token ||
			l["max_payments"].(float64) != 3 || l["pricing"] != "fixed" || l["collect"].(map[string]any)["email"] != true {
			t.Fatalf("created link: %v", l)
		}
		if got := e.Do(t, "GET", "/api/v1/payment-links/"+id, nil, m.Auth()).Map(t); got["id"] != id {
			t.Fatalf("get: %v", got)
		}
		if r := e.Do(t, "GET", "/api/v1/payment-links/"+id+"/qr.svg", nil, m.Auth()); r.Status != http.StatusOK || !strings.HasPrefix(string(r.Body), "<svg") {
			t.Errorf("qr: %d %.80s", r.Status, r.Body)
		}
		co := e.Do(t, "GET", "/api/v1/checkout-links/"+token, nil)
		if co.Status != http.StatusOK {
			t.Fatalf("checkout: %d %s", co.Status, co.Body)
		}
		if c := co.Map(t); c["title"] != "Yoga class" || c["availability"] != "open" || c["merchant"].(map[string]any)["name"] != "Studio" {
			t.Errorf("checkout: %v", c)
		}
		// Required fields, bounds and unknown answers are refused naming the field.
		base := func(fn func(b map[string]any)) map[string]any {
			b := map[string]any{"quantity": 2, "customer": map[string]any{"name": "Ana", "email": "ana@example.com", "phone": "+381 64 123 4567"},
				"custom_fields": map[string]any{"size": "M"}, "locale": "en"}
			if fn != nil {
				fn(b)
			}
			return b
		}
		bad := []struct {
			body  map[string]any
			param string
		}{
			{base(func(b map[string]any) { b["quantity"] = 6 }), "quantity"},
			{base(func(b map[string]any) { b["amount"] = 100 }), "amount"},
			{base(func(b map[string]any) { b["custom_fields"] = map[string]any{} }), "custom_fields.size"},
			{base(func(b map[string]any) { b["custom_fields"] = map[string]any{"size": "M", "color": "red"} }), "custom_fields.color"},
			{base(func(b map[string]any) { delete(b["customer"].(map[string]any), "phone") }), "customer.phone"},
			{base(func(b map[string]any) { delete(b["customer"].(map[string]any), "name") }), "customer.name"},
			{base(func(b map[string]any) { b["customer"].(map[string]any)["email"] = "nope" }), "customer.email"},
			{base(func(b map[string]any) { b["locale"] = "de" }), "locale"},
		}
		for _, tc := range bad {
			if r := order(t, e, token, tc.body); r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != tc.param {
				t.Errorf("%v: %d %s, want 400 naming %s", tc.body, r.Status, r.Body, tc.param)
			}
		}
		r := order(t, e, token, base(nil))
		if r.Status != http.StatusCreated {
			t.Fatalf("order: %d %s", r.Status, r.Body)
		}
		o := r.Map(t)
		if o["object"] != "payment_link_order" || o["url"] != e.URL+"/pay/"+o["checkout_token"].(string) {
			t.Fatalf("order: %v", o)
		}
		inv := e.Do(t, "GET", "/api/v1/invoices/"+o["invoice_id"].(string), nil, m.Auth()).Map(t)
		cf := inv["custom_fields"].([]any)
		if inv["payment_link_id"] != id || inv["amount_total"].(float64) != 300000 || inv["locale"] != "en" || inv["number"] != "INV-000001" ||
			len(cf) != 1 || cf[0].(map[string]any)["value"] != "M" || cf[0].(map[string]any)["label"] != "T-shirt size" ||
			inv["customer"].(map[string]any)["phone"] != "+381 64 123 4567" || inv["description"] != "Yoga class" {
			t.Fatalf("order invoice: %v", inv)
		}
		if lines := inv["lines"].([]any); len(lines) != 1 || lines[0].(map[string]any)["quantity"].(float64) != 2 {
			t.Errorf("order lines: %v", lines)
		}
		// The invoice PDF shows the answers under the merchant's labels.
		pdf := e.Do(t, "GET", "/api/v1/checkout/"+o["checkout_token"].(string)+"/pdf", nil)
		if text := pdfText(t, pdf.Body); pdf.Status != http.StatusOK || !strings.Contains(text, "T-shirt size: M") {
			t.Errorf("the order's PDF lacks the answer: %d %.400s", pdf.Status, text)
		}
		p := pay(t, e, o["checkout_token"].(string), visaCard, http.StatusOK)
		if p["status"] != "captured" {
			t.Fatalf("pay: %v", p)
		}
		// An invoice that is no order stays out of the link's list.
		newInvoice(t, e, m, 1000, "automatic")
		orders := e.Do(t, "GET", "/api/v1/invoices?payment_link="+id, nil, m.Auth()).Map(t)["data"].([]any)
		if len(orders) != 1 || orders[0].(map[string]any)["id"] != o["invoice_id"] {
			t.Errorf("the link's orders: %v", orders)
		}
		got := e.Do(t, "GET", "/api/v1/payment-links/"+id, nil, m.Auth()).Map(t)
		if got["payments_count"].(float64) != 1 || got["amount_collected"].(float64) != 300000 {
			t.Errorf("counts after one payment: %v %v", got["payments_count"], got["amount_collected"])
		}
		// Pause, resume, end: the checkout says so and refuses orders.
		patch := func(body map[string]any) *apitest.Response {
			return e.Do(t, "PATCH", "/api/v1/payment-links/"+id, body, m.Auth())
		}
		if r := patch(map[string]any{"status": "paused"}); r.Status != http.StatusOK || r.Map(t)["availability"] != "paused" {
			t.Fatalf("pause: %d %s", r.Status, r.Body)
		}
		if a := e.Do(t, "GET", "/api/v1/checkout-links/"+token, nil).Map(t)["availability"]; a != "paused" {
			t.Errorf("checkout of a paused link: %v", a)
		}
		wantError(t, order(t, e, token, base(nil)), http.StatusConflict, "link_paused")
		if r := patch(map[string]any{"status": "active", "title": "Yoga", "max_payments": 0, "expires_at": "2020-01-01T00:00:00Z"}); r.Status != http.StatusBadRequest {
			t.Errorf("past end date: %d %s", r.Status, r.Body)
		}
		if r := patch(map[string]any{"status": "active", "title": "Yoga", "max_payments": 0}); r.Status != http.StatusOK || r.Map(t)["title"] != "Yoga" || r.Map(t)["max_payments"] != nil {
			t.Fatalf("resume: %d %s", r.Status, r.Body)
		}
		if r := patch(map[string]any{"status": "ended"}); r.Status != http.StatusOK || r.Map(t)["availability"] != "ended" {
			t.Fatalf("end: %d %s", r.Status, r.Body)
		}
		wantError(t, order(t, e, token, base(nil)), http.StatusConflict, "link_ended")
		wantError(t, patch(map[string]any{"status": "active"}), http.StatusConflict, "invalid_state")
		wantError(t, patch(map[string]any{"title": "Again"}), http.StatusConflict, "invalid_state")
		// Lists filter by status.
		createLink(t, e, m, customLink(nil))
		for q, n := range map[string]int{"": 2, "?status=ended": 1, "?status=active": 1, "?status=paused": 0} {
			if got := e.Do(t, "GET", "/api/v1/payment-links"+q, nil, m.Auth()).Map(t)["data"].([]any); len(got) != n {
				t.Errorf("list%s: %d links, want %d", q, len(got), n)
			}
		}
		wantError(t, e.Do(t, "GET", "/api/v1/payment-links?status=gone", nil, m.Auth()), http.StatusBadRequest, "invalid_status")
		audit := string(e.Do(t, "GET", "/api/v1/audit-log", nil, m.Auth()).Body)
		for _, a := range []string{"payment_link.created", "payment_link.updated"} {
			if !strings.Contains(audit, a) {
				t.Errorf("audit log lacks %s", a)
			}
		}
	})
}

func TestReusableLinkCustomAmount(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Charity")
		l := createLink(t, e, m, customLink(func(b map[string]any) { b["amount_suggested"] = 50000 }))
		token := l["token"].(string)
		for _, amount := range []int{9999, 1000001} {
			r := order(t, e, token, map[string]any{"amount": amount, "customer": map[string]any{"email": "d@example.com"}})
			if r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != "amount" {
				t.Errorf("amount %d: %d %s", amount, r.Status, r.Body)
			}
		}
		if r := order(t, e, token, map[string]any{"quantity": 2, "customer": map[string]any{"email": "d@example.com"}}); r.Status != http.StatusBadRequest {
			t.Errorf("quantity on a custom price: %d %s", r.Status, r.Body)
		}
		r := order(t, e, token, map[string]any{"amount": 250000, "customer": map[string]any{"email": "d@example.com"}})
		if r.Status != http.StatusCreated {
			t.Fatalf("order: %d %s", r.Status, r.Body)
		}
		inv := e.Do(t, "GET", "/api/v1/invoices/"+r.Map(t)["invoice_id"].(string), nil, m.Auth()).Map(t)
		if inv["amount_total"].(float64) != 250000 || inv["customer"].(map[string]any)["name"] != "d@example.com" {
			t.Errorf("order: %v", inv)
		}
		// A retry with the same Idempotency-Key gets the same order, not a second one.
		key := apitest.Header{Name: "Idempotency-Key", Value: "order-retry-1"}
		body := map[string]any{"amount": 30000, "customer": map[string]any{"email": "d@example.com"}}
		first := e.Do(t, "POST", "/api/v1/checkout-links/"+token+"/orders", body, key).Map(t)
		again := e.Do(t, "POST", "/api/v1/checkout-links/"+token+"/orders", body, key)
		if again.Map(t)["invoice_id"] != first["invoice_id"] || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retried order: %v then %s", first, again.Body)
		}
		// The suggested amount when the payer sends none.
		r = order(t, e, token, nil)
		inv = e.Do(t, "GET", "/api/v1/invoices/"+r.Map(t)["invoice_id"].(string), nil, m.Auth()).Map(t)
		if inv["amount_total"].(float64) != 50000 {
			t.Errorf("suggested amount: %v", inv["amount_total"])
		}
		// A declined payment takes no money and leaves the order payable.
		tok := order(t, e, token, nil).Map(t)["checkout_token"].(string)
		if p := pay(t, e, tok, "4000000000009995", http.StatusOK); p["status"] != "failed" {
			t.Fatalf("decline: %v", p)
		}
		if got := e.Do(t, "GET", "/api/v1/payment-links/"+l["id"].(string), nil, m.Auth()).Map(t); got["payments_count"].(float64) != 0 {
			t.Errorf("payments after a decline: %v", got["payments_count"])
		}
		if r := e.Do(t, "GET", "/api/v1/checkout-links/unknown-token", nil); r.Status != http.StatusNotFound {
			t.Errorf("unknown token: %d", r.Status)
		}
		if r := order(t, e, "unknown-token", nil); r.Status != http.StatusNotFound {
			t.Errorf("order through an unknown token: %d", r.Status)
		}
	})
}

// TestReusableLinkModes: a test key never sees live links, nor a live key test ones; a live link
// needs a live provider account.
func TestReusableLinkModes(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Modes")
		r := e.Do(t, "POST", "/api/v1/payment-links", fixedLink(nil), m.LiveAuth())
		wantError(t, r, http.StatusConflict, "live_provider_missing")
		e.ConnectLive(t, m)
		live := e.Do(t, "POST", "/api/v1/payment-links", fixedLink(nil), m.LiveAuth()).Map(t)
		test := createLink(t, e, m, fixedLink(nil))
		if live["livemode"] != true || test["livemode"] != false {
			t.Fatalf("modes: live %v test %v", live["livemode"], test["livemode"])
		}
		if r := e.Do(t, "GET", "/api/v1/payment-links/"+live["id"].(string), nil, m.Auth()); r.Status != http.StatusNotFound {
			t.Errorf("test key reads a live link: %d", r.Status)
		}
		if r := e.Do(t, "PATCH", "/api/v1/payment-links/"+live["id"].(string), map[string]any{"status": "paused"}, m.Auth()); r.Status != http.StatusNotFound {
			t.Errorf("test key pauses a live link: %d", r.Status)
		}
		if r := e.Do(t, "GET", "/api/v1/payment-links/"+test["id"].(string), nil, m.LiveAuth()); r.Status != http.StatusNotFound {
			t.Errorf("live key reads a test link: %d", r.Status)
		}
		for auth, id := range map[apitest.Header]string{m.Auth(): test["id"].(string), m.LiveAuth(): live["id"].(string)} {
			data := e.Do(t, "GET", "/api/v1/payment-links", nil, auth).Map(t)["data"].([]any)
			if len(data) != 1 || data[0].(map[string]any)["id"] != id {
				t.Errorf("list of %s: %v", auth.Value[:14], data)
			}
		}
		// The live link's order is a live invoice, seen by the live key only.
		o := order(t, e, live["token"].(string), nil).Map(t)
		if r := e.Do(t, "GET", "/api/v1/invoices/"+o["invoice_id"].(string), nil, m.LiveAuth()); r.Status != http.StatusOK || r.Map(t)["livemode"] != true {
			t.Errorf("live order: %d %s", r.Status, r.Body)
		}
		if r := e.Do(t, "GET", "/api/v1/invoices/"+o["invoice_id"].(string), nil, m.Auth()); r.Status != http.StatusNotFound {
			t.Errorf("test key reads a live order: %d", r.Status)
		}
		if c := e.Do(t, "GET", "/api/v1/checkout-links/"+live["token"].(string), nil).Map(t); c["livemode"] != true {
			t.Errorf("live checkout: %v", c["livemode"])
		}
	})
}

// TestReusableLinkMaxPaymentsUnderConcurrency: with max_payments N, N+20 payers who ordered before
// the link sold out pay at the same moment through the real router: exactly N orders are paid, every
// other payer gets 409 link_sold_out, and the gateway charged exactly N cards.
func TestReusableLinkMaxPaymentsUnderConcurrency(t *testing.T) {
	t.Parallel()
	const n, extra = 5, 20
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Tickets")
		l := createLink(t, e, m, fixedLink(func(b map[string]any) { b["max_payments"] = n }))
		token := l["token"].(string)
		// Every payer orders at once (nobody has paid yet, so every order is taken), then all pay at once.
		checkouts := make([]string, n+extra)
		cards := make([]string, n+extra)
		var wg sync.WaitGroup
		for i := range checkouts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := order(t, e, token, nil)
				if r.Status != http.StatusCreated {
					t.Errorf("order %d: %d %s", i, r.Status, r.Body)
					return
				}
				checkouts[i] = r.Map(t)["checkout_token"].(string)
				cards[i] = cardToken(t, e, visaCard)
			}()
		}
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		start := make(chan struct{})
		results := make([]*apitest.Response, len(checkouts))
		for i, co := range checkouts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i] = e.Do(t, "POST", "/api/v1/checkout/"+co+"/pay", map[string]any{"terms_accepted": true, "payment_token": cards[i]})
			}()
		}
		close(start)
		wg.Wait()
		paid, soldOut := 0, 0
		for i, r := range results {
			switch {
			case r == nil:
				t.Errorf("payer %d got no answer", i)
			case r.Status == http.StatusOK && r.Map(t)["status"] == "captured":
				paid++
			case r.Status == http.StatusConflict && r.ErrorObject(t)["code"] == "link_sold_out":
				soldOut++
			default:
				t.Errorf("payer %d: %d %s", i, r.Status, r.Body)
			}
		}
		charges := 0
		for _, entry := range e.App.Gateway.Ledger() {
			if entry.Op == testgateway.OpAuthorize {
				charges++
			}
		}
		if paid != n || soldOut != extra || charges != n {
			t.Errorf("paid %d, sold out %d, charges %d; want %d, %d, %d", paid, soldOut, charges, n, extra, n)
		}
		got := e.Do(t, "GET", "/api/v1/payment-links/"+l["id"].(string), nil, m.Auth()).Map(t)
		if got["payments_count"].(float64) != n || got["availability"] != "sold_out" {
			t.Errorf("link after selling out: %v %v", got["payments_count"], got["availability"])
		}
		if a := e.Do(t, "GET", "/api/v1/checkout-links/"+token, nil).Map(t)["availability"]; a != "sold_out" {
			t.Errorf("checkout after selling out: %v", a)
		}
		wantError(t, order(t, e, token, nil), http.StatusConflict, "link_sold_out")
	})
}

// TestReusableLinkPage: /pay/l/{token} is the checkout app with the link's preview (merchant, title,
// price; HTML-escaped), its language and the link's data; an unknown token gets the app as built.
func TestReusableLinkPage(t *testing.T) {
	t.Parallel()
	e := apitest.New(t, "sqlite", func(c *wiring.Config) { c.PayFS = payFS(t) })
	m := e.NewMerchant(t, `Joga & "Mir"`)
	l := createLink(t, e, m, fixedLink(func(b map[string]any) { b["title"] = "Čas <b>joge</b>"; b["locale"] = "sr-Cyrl" }))
	resp, page := get(t, e, "/pay/l/"+l["token"].(string), "")
	html := string(page)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
		resp.Header.Get("Cache-Control") != "private, no-cache" || resp.Header.Get("Content-Security-Policy") == "" {
		t.Fatalf("page: %d %v", resp.StatusCode, resp.Header)
	}
	for _, want := range []string{`<html lang="sr-Cyrl">`, "<title>Joga &amp; &#34;Mir&#34;: Čas &lt;b&gt;joge&lt;/b&gt; – ", `id="payment-link-data"`,
		`"object":"payment_link_checkout"`, `og:title`} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<b>joge</b>") {
		t.Error("the title is not escaped")
	}
	resp, page = get(t, e, "/pay/l/no-such-link", "")
	if resp.StatusCode != http.StatusOK || string(page) != payIndex {
		t.Errorf("unknown link: %d %s", resp.StatusCode, page)
	}
}

// TestReusableLinkOrdersAreLimitedPerAddress: a script cannot make orders (each an invoice with a
// number of its own) by the thousand from one address.
func TestReusableLinkOrdersAreLimitedPerAddress(t *testing.T) {
	t.Parallel()
	e := apitest.New(t, "sqlite")
	m := e.NewMerchant(t, "Busy")
	token := createLink(t, e, m, fixedLink(nil))["token"].(string)
	for i := range api.OrdersPerMinute {
		if r := order(t, e, token, nil); r.Status != http.StatusCreated {
			t.Fatalf("order %d: %d %s", i, r.Status, r.Body)
		}
	}
	r := order(t, e, token, nil)
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("order past the limit: %d %v %s", r.Status, r.Header, r.Body)
	}
}
