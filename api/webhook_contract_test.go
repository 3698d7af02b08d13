package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"securelink"
	"securelink/api"
	"securelink/api/apitest"
	"securelink/internal/domain"
)

// TestWebhookEventsTableCoversEveryType: the document describes exactly the event types an
// endpoint may subscribe to.
func TestWebhookEventsTableCoversEveryType(t *testing.T) {
	t.Parallel()
	var documented []string
	for _, ev := range api.WebhookEventDocs() {
		documented = append(documented, ev.Type)
	}
	if strings.Join(documented, ",") != strings.Join(domain.WebhookEventTypes, ",") {
		t.Errorf("documented events %v, subscribable %v", documented, domain.WebhookEventTypes)
	}
}

// TestWebhookPayloadsMatchTheDocument drives real flows that emit every webhook event type, catches
// what the product posts to an endpoint, and checks each body against the event type's schema in
// openapi.yaml.
func TestWebhookPayloadsMatchTheDocument(t *testing.T) {
	t.Parallel()
	doc, err := openapi3.NewLoader().LoadFromData(securelink.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	hooks, _ := doc.Extensions["x-webhooks"].(map[string]any)
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		var mu sync.Mutex
		var bodies [][]byte
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			bodies = append(bodies, b)
			mu.Unlock()
		}))
		defer rcv.Close()
		m := e.NewMerchant(t, "Pekara")
		if r := e.Do(t, "POST", "/api/v1/webhook-endpoints", map[string]any{"url": rcv.URL, "events": domain.WebhookEventTypes}, m.Auth()); r.Status != http.StatusCreated {
			t.Fatalf("endpoint: %d %s", r.Status, r.Body)
		}
		emitEveryEvent(t, e, m)
		// Deliver until every event has reached the receiver.
		for range 20 {
			runWorkers(t, e.App)
			mu.Lock()
			n := len(bodies)
			mu.Unlock()
			if n >= len(domain.WebhookEventTypes) && seenAll(bodies) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}

		seen := map[string]bool{}
		for _, b := range bodies {
			var env struct {
				Type string `json:"type"`
			}
			if err := json.Unmarshal(b, &env); err != nil {
				t.Fatalf("delivery is not JSON: %s", b)
			}
			seen[env.Type] = true
			name := api.WebhookEventSchemaName(env.Type)
			schema := doc.Components.Schemas[name]
			if schema == nil {
				t.Errorf("%s: no schema %s in openapi.yaml", env.Type, name)
				continue
			}
			var v any
			_ = json.Unmarshal(b, &v)
			if err := schema.Value.VisitJSON(v); err != nil {
				t.Errorf("%s does not match %s: %v\n%s", env.Type, name, err, b)
			}
			if _, ok := hooks[env.Type]; !ok {
				t.Errorf("%s is not under x-webhooks", env.Type)
			}
		}
		for _, typ := range domain.WebhookEventTypes {
			if !seen[typ] {
				t.Errorf("no %s delivery was seen", typ)
			}
		}
	})
}

func seenAll(bodies [][]byte) bool {
	all := string(bytesJoin(bodies))
	for _, typ := range domain.WebhookEventTypes {
		if !strings.Contains(all, `"type":"`+typ+`"`) {
			return false
		}
	}
	return true
}

func bytesJoin(bs [][]byte) []byte {
	var out []byte
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}

// emitEveryEvent makes the product emit each webhook event type at least once.
func emitEveryEvent(t *testing.T, e *apitest.Env, m apitest.Merchant) {
	t.Helper()
	// invoice.created, payment.captured, invoice.paid, refund.succeeded
	_, token := newInvoice(t, e, m, 5000, "automatic")
	p := pay(t, e, token, visaCard, http.StatusOK)
	if r := e.Do(t, "POST", "/api/v1/payments/"+p["id"].(string)+"/refunds", map[string]any{"amount": 1000}, m.Auth()); r.Status != http.StatusCreated {
		t.Fatalf("refund: %d %s", r.Status, r.Body)
	}
	// invoice.partially_paid
	body := apitest.Invoice(5000)
	body["allow_partial"] = true
	if r := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth()); r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	} else {
		payPart(t, e, r.Map(t)["link"].(map[string]any)["token"].(string), 1000, http.StatusOK)
	}
	// refund.failed: this card charges but its refunds fail.
	_, token = newInvoice(t, e, m, 5000, "automatic")
	p = pay(t, e, token, "4000000000005126", http.StatusOK)
	e.Do(t, "POST", "/api/v1/payments/"+p["id"].(string)+"/refunds", nil, m.Auth())
	// payment.failed
	_, token = newInvoice(t, e, m, 5000, "automatic")
	pay(t, e, token, "4000000000000002", http.StatusOK)
	// payment.authorized, then payment.voided
	_, token = newInvoice(t, e, m, 5000, "manual")
	p = pay(t, e, token, visaCard, http.StatusOK)
	if r := e.Do(t, "POST", "/api/v1/payments/"+p["id"].(string)+"/void", nil, m.Auth()); r.Status != http.StatusOK {
		t.Fatalf("void: %d %s", r.Status, r.Body)
	}
	// invoice.cancelled
	id, _ := newInvoice(t, e, m, 5000, "automatic")
	if r := e.Do(t, "POST", "/api/v1/invoices/"+id+"/cancel", nil, m.Auth()); r.Status != http.StatusOK {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	// invoice.expired
	id, _ = newInvoice(t, e, m, 5000, "automatic")
	past := time.Now().Add(-time.Minute).UTC()
	e.App.DB.Gorm.Exec("UPDATE invoices SET expires_at = ? WHERE id = ?", past, id)
	e.App.DB.Gorm.Exec("UPDATE links SET expires_at = ? WHERE invoice_id = ?", past, id)
	if _, err := e.App.Invoices.ExpireDue(context.Background()); err != nil {
		t.Fatalf("expire: %v", err)
	}
}
