package api_test

import (
	"strings"
	"testing"

	"securelink/api/apitest"
)

// TestReferenceShowsThePublicAPI: the reference's document leaves out the portal's, the checkout's
// and the providers' routes, keeps the resource tags in their order, and carries the webhook events.
func TestReferenceShowsThePublicAPI(t *testing.T) {
	t.Parallel()
	e := apitest.New(t, "sqlite")
	r := e.Do(t, "GET", "/api/docs/openapi.json", nil)
	if r.Status != 200 {
		t.Fatalf("openapi.json: %d", r.Status)
	}
	doc := r.Map(t)
	paths := doc["paths"].(map[string]any)
	for _, internal := range []string{"/auth/login", "/checkout/{token}", "/checkout/{token}/pay", "/checkout-links/{token}/orders", "/psp/stripe/webhook", "/me"} {
		if _, ok := paths[internal]; ok {
			t.Errorf("the reference shows the internal route %s", internal)
		}
	}
	for _, public := range []string{"/invoices", "/payment-links/{id}", "/payments/{id}/refunds", "/request-logs", "/webhook-endpoints"} {
		if _, ok := paths[public]; !ok {
			t.Errorf("the reference lacks %s", public)
		}
	}
	var tags []string
	for _, tg := range doc["tags"].([]any) {
		tags = append(tags, tg.(map[string]any)["name"].(string))
	}
	want := "Invoices,Payment links,Reusable payment links,Payments,Refunds,Webhooks,Events,E-mails,Merchant,API keys,Currencies,Request logs,Webhook events"
	if strings.Join(tags, ",") != want {
		t.Errorf("tags = %v, want %s", tags, want)
	}
	if hooks, _ := doc["x-webhooks"].(map[string]any); hooks["invoice.paid"] == nil {
		t.Errorf("no webhook events in the reference")
	}
	full := e.Do(t, "GET", "/openapi.yaml", nil)
	if !strings.Contains(string(full.Body), "/checkout/{token}/pay:") {
		t.Errorf("openapi.yaml lost the internal routes")
	}
	lic := e.Do(t, "GET", "/api/docs/license.txt", nil)
	if lic.Status != 200 || !strings.Contains(lic.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("license: %d %s", lic.Status, lic.Header.Get("Content-Type"))
	}
}
