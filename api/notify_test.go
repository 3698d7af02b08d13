package api_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"securelink/api/apitest"
	"securelink/api/wiring"
)

func TestWebhookEndpointsAPI(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pekara")
		other := e.NewMerchant(t, "Druga")
		var mu sync.Mutex
		var got []http.Header
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.ReadAll(r.Body)
			mu.Lock()
			got = append(got, r.Header.Clone())
			mu.Unlock()
		}))
		defer rcv.Close()

		for _, c := range []struct {
			body  map[string]any
			param string
		}{
			{map[string]any{"url": "ftp://example.com", "events": []string{"invoice.paid"}}, "url"},
			{map[string]any{"url": rcv.URL, "events": []string{"invoice.bogus"}}, "events"},
			{map[string]any{"url": rcv.URL, "events": []string{}}, "events"},
			{map[string]any{"url": rcv.URL, "events": []string{"invoice.paid"}, "secret": "mine"}, "secret"},
		} {
			r := e.Do(t, "POST", "/api/v1/webhook-endpoints", c.body, m.Auth())
			if r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != c.param {
				t.Errorf("%v: %d %s, want 400 on %s", c.body, r.Status, r.Body, c.param)
			}
		}

		r := e.Do(t, "POST", "/api/v1/webhook-endpoints", map[string]any{"url": rcv.URL + "/hooks", "events": []string{"invoice.created", "invoice.paid"}, "description": "ERP"}, m.Auth())
		if r.Status != http.StatusCreated {
			t.Fatalf("create endpoint: %d %s", r.Status, r.Body)
		}
		ep := r.Map(t)
		id, secret := ep["id"].(string), ep["secret"].(string)
		if !strings.HasPrefix(id, "we_") || !strings.HasPrefix(secret, "whsec_") || ep["status"] != "enabled" {
			t.Fatalf("endpoint = %v", ep)
		}
		r = e.Do(t, "GET", "/api/v1/webhook-endpoints/"+id, nil, m.Auth())
		if r.Status != http.StatusOK || strings.Contains(string(r.Body), secret) {
			t.Errorf("get endpoint: %d, secret shown again: %v", r.Status, strings.Contains(string(r.Body), secret))
		}
		r = e.Do(t, "GET", "/api/v1/webhook-endpoints", nil, m.Auth())
		if list := r.Map(t)["data"].([]any); r.Status != http.StatusOK || len(list) != 1 || strings.Contains(string(r.Body), "whsec_") {
			t.Errorf("list endpoints: %d %s", r.Status, r.Body)
		}
		for _, path := range []string{"/api/v1/webhook-endpoints/" + id} {
			if r := e.Do(t, "GET", path, nil, other.Auth()); r.Status != http.StatusNotFound {
				t.Errorf("another merchant GET %s: %d", path, r.Status)
			}
		}
		if r := e.Do(t, "DELETE", "/api/v1/webhook-endpoints/"+id, nil, other.Auth()); r.Status != http.StatusNotFound {
			t.Errorf("another merchant DELETE: %d", r.Status)
		}

		// An invoice gives invoice.created; sending its link gives a held e-mail (no SMTP configured).
		r = e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(120000), m.Auth())
		if r.Status != http.StatusCreated {
			t.Fatalf("create invoice: %d %s", r.Status, r.Body)
		}
		invID := r.Map(t)["id"].(string)
		r = e.Do(t, "POST", "/api/v1/invoices/"+invID+"/send", nil, m.Auth())
		if r.Status != http.StatusAccepted {
			t.Fatalf("send: %d %s", r.Status, r.Body)
		}
		emailID := r.Map(t)["email_id"].(string)
		runWorkers(t, e.App)

		r = e.Do(t, "GET", "/api/v1/emails/"+emailID, nil, m.Auth())
		em := r.Map(t)
		if r.Status != http.StatusOK || em["status"] != "held" || em["kind"] != "payment_link" || em["to"] != "ana@example.com" ||
			em["invoice_id"] != invID || !strings.Contains(em["text"].(string), "/pay/") || !strings.Contains(em["html"].(string), "<html") {
			t.Errorf("e-mail = %d %v", r.Status, em)
		}
		if r := e.Do(t, "GET", "/api/v1/emails/"+emailID, nil, other.Auth()); r.Status != http.StatusNotFound {
			t.Errorf("another merchant's e-mail: %d", r.Status)
		}
		if r := e.Do(t, "GET", "/api/v1/emails?limit=1", nil, m.Auth()); r.Status != http.StatusOK || len(r.Map(t)["data"].([]any)) != 1 {
			t.Errorf("list e-mails: %d %s", r.Status, r.Body)
		}

		r = e.Do(t, "GET", "/api/v1/events", nil, m.Auth())
		events := r.Map(t)["data"].([]any)
		if r.Status != http.StatusOK || len(events) != 1 {
			t.Fatalf("events: %d %s", r.Status, r.Body)
		}
		ev := events[0].(map[string]any)
		deliveries := ev["deliveries"].([]any)
		if ev["type"] != "invoice.created" || len(deliveries) != 1 || deliveries[0].(map[string]any)["status"] != "succeeded" {
			t.Errorf("event = %v", ev)
		}
		evID := ev["id"].(string)
		if r := e.Do(t, "GET", "/api/v1/events/"+evID, nil, other.Auth()); r.Status != http.StatusNotFound {
			t.Errorf("another merchant's event: %d", r.Status)
		}
		if r := e.Do(t, "POST", "/api/v1/events/"+evID+"/redeliver", nil, other.Auth()); r.Status != http.StatusNotFound {
			t.Errorf("another merchant's redeliver: %d", r.Status)
		}
		r = e.Do(t, "POST", "/api/v1/events/"+evID+"/redeliver", nil, m.Auth())
		if r.Status != http.StatusAccepted {
			t.Fatalf("redeliver: %d %s", r.Status, r.Body)
		}
		runWorkers(t, e.App)
		r = e.Do(t, "POST", "/api/v1/webhook-endpoints/"+id+"/rotate-secret", nil, m.Auth())
		if r.Status != http.StatusOK || r.Map(t)["secret"] == secret || !strings.HasPrefix(r.Map(t)["secret"].(string), "whsec_") {
			t.Errorf("rotate: %d %s", r.Status, r.Body)
		}
		mu.Lock()
		if len(got) != 2 || got[0].Get("webhook-id") != evID || got[1].Get("webhook-id") != evID || got[0].Get("webhook-signature") == "" {
			t.Errorf("receiver got %d requests with ids %v", len(got), got)
		}
		mu.Unlock()

		if r := e.Do(t, "DELETE", "/api/v1/webhook-endpoints/"+id, nil, m.Auth()); r.Status != http.StatusOK {
			t.Errorf("delete: %d %s", r.Status, r.Body)
		}
		if r := e.Do(t, "GET", "/api/v1/webhook-endpoints/"+id, nil, m.Auth()); r.Status != http.StatusNotFound {
			t.Errorf("deleted endpoint: %d", r.Status)
		}
		if r := e.Do(t, "POST", "/api/v1/events/"+evID+"/redeliver", nil, m.Auth()); r.Status != http.StatusConflict {
			t.Errorf("redeliver with no endpoint: %d %s", r.Status, r.Body)
		}
	})
}

func TestWebhookEndpointRefusesLoopbackUnlessAllowed(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pekara")
		r := e.Do(t, "POST", "/api/v1/webhook-endpoints", map[string]any{"url": "http://127.0.0.1:9/hooks", "events": []string{"invoice.paid"}}, m.Auth())
		if r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != "url" || r.ErrorObject(t)["code"] != "url_not_allowed" {
			t.Errorf("loopback endpoint: %d %s", r.Status, r.Body)
		}
	}, func(c *wiring.Config) { c.WebhookAllowPrivate = false })
}

// runWorkers dispatches every event and makes one webhook attempt on each due delivery.
func runWorkers(t *testing.T, a *wiring.App) {
	t.Helper()
	if _, err := a.Dispatcher.RunUntilIdle(context.Background()); err != nil {
		t.Fatalf("dispatch: %v", err)
	}
	if _, err := a.Webhooks.RunOnce(context.Background()); err != nil {
		t.Fatalf("webhooks: %v", err)
	}
}

// TestWebhookEndpointUpdate: an endpoint that answered 410 Gone is enabled again and gets the next
// events; its URL, events and description change without a new secret; disabling stops deliveries.
func TestWebhookEndpointUpdate(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pekara")
		var mu sync.Mutex
		gone := true
		var paths []string
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.ReadAll(r.Body)
			mu.Lock()
			defer mu.Unlock()
			paths = append(paths, r.URL.Path)
			if gone {
				w.WriteHeader(http.StatusGone)
			}
		}))
		defer rcv.Close()
		received := func() []string {
			mu.Lock()
			defer mu.Unlock()
			return append([]string(nil), paths...)
		}
		newInvoice := func() {
			t.Helper()
			if r := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(1000), m.Auth()); r.Status != http.StatusCreated {
				t.Fatalf("create invoice: %d %s", r.Status, r.Body)
			}
			runWorkers(t, e.App)
		}
		patch := func(id string, body map[string]any, want int) map[string]any {
			t.Helper()
			r := e.Do(t, "PATCH", "/api/v1/webhook-endpoints/"+id, body, m.Auth())
			if r.Status != want {
				t.Fatalf("PATCH %v: %d %s, want %d", body, r.Status, r.Body, want)
			}
			return r.Map(t)
		}

		r := e.Do(t, "POST", "/api/v1/webhook-endpoints", map[string]any{"url": rcv.URL + "/old", "events": []string{"invoice.created"}}, m.Auth())
		if r.Status != http.StatusCreated {
			t.Fatalf("create endpoint: %d %s", r.Status, r.Body)
		}
		id, secret := r.Map(t)["id"].(string), r.Map(t)["secret"].(string)

		newInvoice() // answered 410: the endpoint is disabled
		ep := e.Do(t, "GET", "/api/v1/webhook-endpoints/"+id, nil, m.Auth()).Map(t)
		if ep["status"] != "disabled" || !strings.Contains(ep["disabled_reason"].(string), "410") {
			t.Fatalf("after 410: %v", ep)
		}

		for _, c := range []struct {
			body  map[string]any
			param string
		}{
			{map[string]any{"status": "paused"}, "status"},
			{map[string]any{"events": []string{"invoice.bogus"}}, "events"},
			{map[string]any{"events": []string{}}, "events"},
			{map[string]any{"url": "ftp://example.com/x"}, "url"},
			{map[string]any{"url": ""}, "url"},
			{map[string]any{"description": strings.Repeat("d", 501)}, "description"},
			{map[string]any{"secret": "mine"}, "secret"},
		} {
			r := e.Do(t, "PATCH", "/api/v1/webhook-endpoints/"+id, c.body, m.Auth())
			if r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != c.param {
				t.Errorf("PATCH %v: %d %s, want 400 on %s", c.body, r.Status, r.Body, c.param)
			}
		}
		if got := e.Do(t, "GET", "/api/v1/webhook-endpoints/"+id, nil, m.Auth()).Map(t); got["status"] != "disabled" || got["url"] != rcv.URL+"/old" {
			t.Errorf("a refused PATCH changed the endpoint: %v", got)
		}

		mu.Lock()
		gone = false
		mu.Unlock()
		ep = patch(id, map[string]any{"status": "enabled", "url": rcv.URL + "/new", "events": []string{"invoice.created", "invoice.paid"}, "description": "ERP"}, http.StatusOK)
		if ep["status"] != "enabled" || ep["disabled_reason"] != "" || ep["url"] != rcv.URL+"/new" || ep["description"] != "ERP" ||
			len(ep["events"].([]any)) != 2 || ep["secret"] != nil {
			t.Fatalf("after enabling: %v", ep)
		}
		newInvoice()
		if got := received(); len(got) != 2 || got[1] != "/new" {
			t.Fatalf("deliveries after enabling: %v, want the old 410 and one to /new", got)
		}

		// The secret did not change: rotating still returns a new one different from the first.
		if r := e.Do(t, "POST", "/api/v1/webhook-endpoints/"+id+"/rotate-secret", nil, m.Auth()); r.Map(t)["secret"] == secret {
			t.Errorf("rotate after PATCH returned the old secret")
		}

		// Disabled: the next event is not delivered, and an empty PATCH changes nothing.
		if ep := patch(id, map[string]any{"status": "disabled"}, http.StatusOK); ep["status"] != "disabled" || ep["disabled_reason"] == "" {
			t.Errorf("after disabling: %v", ep)
		}
		newInvoice()
		if got := received(); len(got) != 2 {
			t.Errorf("a disabled endpoint got a delivery: %v", got)
		}
		if ep := patch(id, map[string]any{}, http.StatusOK); ep["status"] != "disabled" {
			t.Errorf("empty PATCH: %v", ep)
		}
		if r := e.Do(t, "PATCH", "/api/v1/webhook-endpoints/we_doesnotexist", map[string]any{"status": "enabled"}, m.Auth()); r.Status != http.StatusNotFound {
			t.Errorf("unknown endpoint: %d", r.Status)
		}
	})
}
