package stripe

import (
	"context"
	"strings"
	"testing"

	"securelink/internal/psp"
	"securelink/internal/psp/stripe/stripemock"
)

// TestCallsAcceptedByStripeMock sends every call to stripe-mock, which refuses any parameter
// Stripe's API does not know: this proves the requests are well formed. The answers are
// fixtures, so only what stripe-mock echoes back (ids, amount, currency) is asserted.
func TestCallsAcceptedByStripeMock(t *testing.T) {
	baseURL := stripemock.Start(t)
	p, err := New(Config{SecretKey: "sk_test_mock", PublishableKey: "pk_test_mock", BackendURL: baseURL})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx := context.Background()

	tests := []struct {
		name string
		call func() (psp.Result, error)
	}{
		{"authorize", func() (psp.Result, error) {
			return p.Authorize(ctx, psp.AuthorizeRequest{
				IdempotencyKey: "pay_mock1-authorize", Reference: "pay_mock1", Amount: 12500, Currency: "EUR",
				PaymentToken: "pm_card_visa", ReturnURL: "https://pay.example.test/return", Description: "Invoice 1",
			})
		}},
		{"sale", func() (psp.Result, error) {
			return p.Authorize(ctx, psp.AuthorizeRequest{
				IdempotencyKey: "pay_mock2-authorize", Reference: "pay_mock2", Amount: 990, Currency: "usd",
				PaymentToken: "pm_card_visa", Capture: true, ReturnURL: "https://pay.example.test/return",
			})
		}},
		{"sync", func() (psp.Result, error) { return p.Sync(ctx, "pi_mock") }},
		{"capture", func() (psp.Result, error) {
			return p.Capture(ctx, psp.CaptureRequest{IdempotencyKey: "pay_mock1-capture", PaymentRef: "pi_mock", Amount: 8000, Currency: "EUR"})
		}},
		{"void", func() (psp.Result, error) {
			return p.Void(ctx, psp.VoidRequest{IdempotencyKey: "pay_mock1-void", PaymentRef: "pi_mock"})
		}},
		{"refund with a Stripe reason", func() (psp.Result, error) {
			return p.Refund(ctx, psp.RefundRequest{IdempotencyKey: "ref_mock1", PaymentRef: "pi_mock", Amount: 500, Currency: "EUR", Reason: "duplicate"})
		}},
		{"refund with our own reason", func() (psp.Result, error) {
			return p.Refund(ctx, psp.RefundRequest{IdempotencyKey: "ref_mock2", PaymentRef: "pi_mock", Amount: 500, Currency: "EUR", Reason: "goodwill gesture"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.call()
			if err != nil {
				t.Fatalf("stripe-mock refused the request: %v", err)
			}
			if !strings.HasPrefix(res.PaymentRef, "pi_") {
				t.Errorf("PaymentRef = %q, want a PaymentIntent id", res.PaymentRef)
			}
			if res.Outcome == "" {
				t.Errorf("Outcome is empty")
			}
		})
	}
}
