package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"securelink/api/apitest"
)

func init() {
	extraBOLARoutes["GET /api/v1/emails/:id"] = emailOf
	extraBOLARoutes["GET /api/v1/events/:id"] = eventOf
	extraBOLARoutes["POST /api/v1/events/:id/redeliver"] = eventOf
	extraBOLARoutes["GET /api/v1/webhook-endpoints/:id"] = endpointOf
	extraBOLARoutes["DELETE /api/v1/webhook-endpoints/:id"] = endpointOf
	extraBOLARoutes["POST /api/v1/webhook-endpoints/:id/rotate-secret"] = endpointOf
	extraBOLARoutes["PATCH /api/v1/webhook-endpoints/:id"] = endpointOf
	extraBOLARoutes["POST /api/v1/emails/:id/send"] = emailOf
	extraBOLARoutes["GET /api/v1/emails/:id/preview"] = emailOf
}

// emailOf queues the payment link e-mail of one of A's invoices and dispatches it into the outbox.
func emailOf(t *testing.T, e *apitest.Env, a apitest.Merchant) string {
	id := invoiceOf(t, e, a)
	r := e.Do(t, "POST", "/api/v1/invoices/"+id+"/send", nil, a.Auth())
	if _, err := e.App.Dispatcher.RunUntilIdle(context.Background()); err != nil {
		t.Fatalf("dispatch: %v", err)
	}
	return r.Map(t)["email_id"].(string)
}

// eventOf returns the invoice.created event of one of A's invoices.
func eventOf(t *testing.T, e *apitest.Env, a apitest.Merchant) string {
	id := invoiceOf(t, e, a)
	var ev string
	e.App.DB.Gorm.Raw("SELECT id FROM events WHERE object_id = ? AND type = 'invoice.created'", id).Scan(&ev)
	return ev
}

// endpointOf creates a webhook endpoint of A on a loopback receiver.
func endpointOf(t *testing.T, e *apitest.Env, a apitest.Merchant) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	t.Cleanup(srv.Close)
	r := e.Do(t, "POST", "/api/v1/webhook-endpoints", map[string]any{"url": srv.URL + "/hook", "events": []string{"invoice.paid"}}, a.Auth())
	if r.Status != http.StatusCreated {
		t.Fatalf("create endpoint: %d %s", r.Status, r.Body)
	}
	return r.Map(t)["id"].(string)
}
