package stripe

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"
)

const testWebhookSecret = "whsec_shape" // the secret newFakeStripe configures

// signStripe computes a Stripe-Signature header for payload: HMAC-SHA256 over "timestamp.payload".
func signStripe(payload []byte, secret string, at time.Time) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.", at.Unix())
	mac.Write(payload)
	return fmt.Sprintf("t=%d,v1=%s", at.Unix(), hex.EncodeToString(mac.Sum(nil)))
}

// paymentIntentEvent is a Stripe event about a PaymentIntent, in the API version given.
func paymentIntentEvent(eventType, apiVersion string) []byte {
	return []byte(`{
  "id": "evt_3SLpi", "object": "event", "api_version": "` + apiVersion + `", "created": 1764090000,
  "livemode": false, "pending_webhooks": 1, "type": "` + eventType + `",
  "request": {"id": "req_x", "idempotency_key": "pay_01JAUTH-authorize-1"},
  "data": {"object": {
    "id": "pi_3SLauthorized", "object": "payment_intent", "amount": 12500, "amount_capturable": 12500,
    "amount_received": 0, "capture_method": "manual", "currency": "eur", "status": "requires_capture",
    "latest_charge": "ch_3SLauthorized", "metadata": {"securelink_payment": "pay_01JAUTH"}
  }}
}`)
}

// chargeRefundedEvent is a charge.refunded event.
var chargeRefundedEvent = []byte(`{
  "id": "evt_3SLrefund", "object": "event", "api_version": "2023-10-16", "created": 1764090000,
  "livemode": false, "pending_webhooks": 1, "type": "charge.refunded",
  "data": {"object": {
    "id": "ch_3SLcaptured", "object": "charge", "amount": 12500, "amount_captured": 8000,
    "amount_refunded": 1500, "captured": true, "currency": "eur", "refunded": false,
    "payment_intent": "pi_3SLcaptured", "metadata": {"securelink_payment": "pay_01JCAPT"}, "status": "succeeded"
  }},
  "previous_attributes": {"amount_refunded": 0}
}`)

// TestParseWebhookVerifiedEvents checks that correctly signed events are read.
func TestParseWebhookVerifiedEvents(t *testing.T) {
	_, p := newFakeStripe(t, http.StatusOK, []byte(`{}`))
	piWant := WebhookEvent{ID: "evt_3SLpi", PaymentRef: "pi_3SLauthorized", Reference: "pay_01JAUTH"}
	tests := []struct {
		name    string
		payload []byte
		want    WebhookEvent
		handled bool
	}{
		{"succeeded", paymentIntentEvent(EventPaymentSucceeded, "2023-10-16"), piWant, true},
		{"amount capturable updated", paymentIntentEvent(EventPaymentCapturableUpdated, "2023-10-16"), piWant, true},
		{"payment failed", paymentIntentEvent(EventPaymentFailed, "2023-10-16"), piWant, true},
		{"canceled", paymentIntentEvent(EventPaymentCanceled, "2023-10-16"), piWant, true},
		{"other API version is accepted", paymentIntentEvent(EventPaymentSucceeded, "2025-03-31.basil"), piWant, true},
		{"charge refunded", chargeRefundedEvent, WebhookEvent{
			ID: "evt_3SLrefund", Type: EventChargeRefunded, PaymentRef: "pi_3SLcaptured", Reference: "pay_01JCAPT",
			ChargeRef: "ch_3SLcaptured", AmountRefunded: 1500,
		}, true},
		{"event we do not act on", paymentIntentEvent("payment_intent.created", "2023-10-16"),
			WebhookEvent{ID: "evt_3SLpi", Type: "payment_intent.created"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want.Type == "" {
				tt.want.Type = eventTypeOf(t, tt.payload)
			}
			got, err := p.ParseEvent(tt.payload, signStripe(tt.payload, testWebhookSecret, time.Now()))
			if err != nil {
				t.Fatalf("ParseWebhook: %v", err)
			}
			if got != tt.want {
				t.Errorf("event = %+v, want %+v", got, tt.want)
			}
			if got.Handled() != tt.handled {
				t.Errorf("Handled() = %v, want %v", got.Handled(), tt.handled)
			}
		})
	}
}

// TestParseWebhookRefusesForgeries checks that unsigned, mis-signed, altered and old events are refused.
func TestParseWebhookRefusesForgeries(t *testing.T) {
	_, p := newFakeStripe(t, http.StatusOK, []byte(`{}`))
	payload := paymentIntentEvent(EventPaymentSucceeded, "2023-10-16")
	altered := paymentIntentEvent(EventPaymentSucceeded, "2023-10-17")
	tests := []struct {
		name    string
		payload []byte
		header  string
	}{
		{"no header", payload, ""},
		{"malformed header", payload, "v1=deadbeef"},
		{"signed with another secret", payload, signStripe(payload, "whsec_attacker", time.Now())},
		{"payload altered after signing", altered, signStripe(payload, testWebhookSecret, time.Now())},
		{"signed ten minutes ago", payload, signStripe(payload, testWebhookSecret, time.Now().Add(-10*time.Minute))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.ParseEvent(tt.payload, tt.header)
			if !errors.Is(err, ErrBadSignature) {
				t.Fatalf("err = %v, want ErrBadSignature", err)
			}
			if got != (WebhookEvent{}) {
				t.Errorf("event = %+v, want none", got)
			}
		})
	}
}

// TestParseWebhookNeedsSecret checks that a provider without a signing secret accepts nothing.
func TestParseWebhookNeedsSecret(t *testing.T) {
	p, err := New(Config{SecretKey: "sk_test_x"})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	payload := paymentIntentEvent(EventPaymentSucceeded, "2023-10-16")
	if _, err := p.ParseEvent(payload, signStripe(payload, "", time.Now())); err == nil {
		t.Fatal("ParseWebhook without a configured secret succeeded, want an error")
	}
}

// eventTypeOf reads the type field the test payload was built with.
func eventTypeOf(t *testing.T, payload []byte) string {
	t.Helper()
	var event struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(payload, &event); err != nil {
		t.Fatalf("test payload: %v", err)
	}
	return event.Type
}
