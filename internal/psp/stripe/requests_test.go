package stripe

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"securelink/internal/psp"
)

// TestRequestShapes checks what each call sends Stripe and how the recorded answer is read.
func TestRequestShapes(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		response string // testdata file answered with 200
		call     func(p *Provider) (psp.Result, error)

		wantMethod, wantPath string
		wantIdempotencyKey   string // "" for reads, which carry none
		wantForm             map[string]string
		wantAbsent           []string
		want                 psp.Result
	}{
		{
			name:     "authorize with manual capture",
			response: "pi_requires_capture.json",
			call: func(p *Provider) (psp.Result, error) {
				return p.Authorize(ctx, psp.AuthorizeRequest{
					IdempotencyKey: "pay_01JAUTH-authorize-1", Reference: "pay_01JAUTH", Amount: 12500, Currency: "EUR",
					PaymentToken: "pm_1SLcard", ReturnURL: "https://pay.example.test/checkout/lnk_abc/return",
					Description: "Invoice 2026-118",
				})
			},
			wantMethod: http.MethodPost, wantPath: "/v1/payment_intents",
			wantIdempotencyKey: "pay_01JAUTH-authorize-1",
			wantForm: map[string]string{
				"amount": "12500", "currency": "eur", "payment_method": "pm_1SLcard", "confirm": "true",
				"capture_method": "manual", "return_url": "https://pay.example.test/checkout/lnk_abc/return",
				"metadata[securelink_payment]": "pay_01JAUTH", "description": "Invoice 2026-118",
				"payment_method_types[0]": "card", "expand[0]": "latest_charge", "expand[1]": "payment_method",
			},
			want: psp.Result{
				Outcome: psp.OutcomeSucceeded, PaymentRef: "pi_3SLauthorized", OperationRef: "pi_3SLauthorized",
				State: psp.StateAuthorized, AmountAuthorized: 12500,
				Card: &psp.Card{Brand: "visa", Last4: "4242", ExpMonth: 12, ExpYear: 2034},
			},
		},
		{
			name:     "sale captures automatically",
			response: "pi_succeeded.json",
			call: func(p *Provider) (psp.Result, error) {
				return p.Authorize(ctx, psp.AuthorizeRequest{
					IdempotencyKey: "pay_01JCAPT-authorize-1", Reference: "pay_01JCAPT", Amount: 12500, Currency: "eur",
					PaymentToken: "pm_1SLmc", Capture: true, ReturnURL: "https://pay.example.test/r",
				})
			},
			wantMethod: http.MethodPost, wantPath: "/v1/payment_intents",
			wantIdempotencyKey: "pay_01JCAPT-authorize-1",
			wantForm: map[string]string{
				"amount": "12500", "currency": "eur", "payment_method": "pm_1SLmc", "confirm": "true",
				"capture_method": "automatic", "return_url": "https://pay.example.test/r",
				"metadata[securelink_payment]": "pay_01JCAPT",
			},
			wantAbsent: []string{"description"},
			want: psp.Result{
				Outcome: psp.OutcomeSucceeded, PaymentRef: "pi_3SLcaptured", OperationRef: "pi_3SLcaptured",
				State: psp.StateCaptured, AmountAuthorized: 12500, AmountCaptured: 8000, AmountRefunded: 1500,
				Card: &psp.Card{Brand: "mastercard", Last4: "4444", ExpMonth: 3, ExpYear: 2031},
			},
		},
		{
			name:     "authorize that needs 3-D Secure",
			response: "pi_requires_action.json",
			call: func(p *Provider) (psp.Result, error) {
				return p.Authorize(ctx, psp.AuthorizeRequest{
					IdempotencyKey: "pay_01J3DS-authorize-1", Reference: "pay_01J3DS", Amount: 4999, Currency: "EUR",
					PaymentToken: "pm_1SL3ds", Capture: true, ReturnURL: "https://pay.example.test/checkout/lnk_abc/return",
				})
			},
			wantMethod: http.MethodPost, wantPath: "/v1/payment_intents",
			wantIdempotencyKey: "pay_01J3DS-authorize-1",
			wantForm:           map[string]string{"amount": "4999", "capture_method": "automatic", "confirm": "true"},
			want: psp.Result{
				Outcome: psp.OutcomeRequiresAction, PaymentRef: "pi_3SL3ds", OperationRef: "pi_3SL3ds",
				State:       psp.StateRequiresAction,
				RedirectURL: "https://hooks.stripe.com/3d_secure_2/hosted?merchant=acct_1SL&payment_intent=pi_3SL3ds&publishable_key=pk_test_x",
				Card:        &psp.Card{Brand: "visa", Last4: "3155", ExpMonth: 1, ExpYear: 2033},
			},
		},
		{
			name:       "sync after a failed 3-D Secure challenge",
			response:   "pi_failed_3ds.json",
			call:       func(p *Provider) (psp.Result, error) { return p.Sync(ctx, "pi_3SL3dsfail") },
			wantMethod: http.MethodGet, wantPath: "/v1/payment_intents/pi_3SL3dsfail",
			wantForm: map[string]string{"expand[0]": "latest_charge", "expand[1]": "payment_method"},
			want: psp.Result{
				Outcome: psp.OutcomeDeclined, PaymentRef: "pi_3SL3dsfail", OperationRef: "pi_3SL3dsfail",
				State: psp.StateFailed, DeclineCode: psp.DeclineAuthenticationFailed,
				DeclineMessage: "We are unable to authenticate your payment method. Please choose a different payment method and try again.",
			},
		},
		{
			name:     "partial capture",
			response: "pi_succeeded.json",
			call: func(p *Provider) (psp.Result, error) {
				return p.Capture(ctx, psp.CaptureRequest{IdempotencyKey: "pay_01JCAPT-capture-1", PaymentRef: "pi_3SLcaptured", Amount: 8000, Currency: "EUR"})
			},
			wantMethod: http.MethodPost, wantPath: "/v1/payment_intents/pi_3SLcaptured/capture",
			wantIdempotencyKey: "pay_01JCAPT-capture-1",
			wantForm:           map[string]string{"amount_to_capture": "8000", "expand[0]": "latest_charge"},
			want: psp.Result{
				Outcome: psp.OutcomeSucceeded, PaymentRef: "pi_3SLcaptured", OperationRef: "ch_3SLcaptured",
				State: psp.StateCaptured, AmountAuthorized: 12500, AmountCaptured: 8000, AmountRefunded: 1500,
				Card: &psp.Card{Brand: "mastercard", Last4: "4444", ExpMonth: 3, ExpYear: 2031},
			},
		},
		{
			name:     "void cancels the PaymentIntent",
			response: "pi_canceled.json",
			call: func(p *Provider) (psp.Result, error) {
				return p.Void(ctx, psp.VoidRequest{IdempotencyKey: "pay_01JAUTH-void-1", PaymentRef: "pi_3SLauthorized"})
			},
			wantMethod: http.MethodPost, wantPath: "/v1/payment_intents/pi_3SLauthorized/cancel",
			wantIdempotencyKey: "pay_01JAUTH-void-1",
			wantAbsent:         []string{"cancellation_reason"},
			want: psp.Result{
				Outcome: psp.OutcomeSucceeded, PaymentRef: "pi_3SLauthorized", OperationRef: "pi_3SLauthorized",
				State: psp.StateVoided, AmountRefunded: 12500,
				Card: &psp.Card{Brand: "visa", Last4: "4242", ExpMonth: 12, ExpYear: 2034},
			},
		},
		{
			name:     "partial refund with a reason Stripe knows",
			response: "refund_succeeded.json",
			call: func(p *Provider) (psp.Result, error) {
				return p.Refund(ctx, psp.RefundRequest{IdempotencyKey: "rfd_01JR1", PaymentRef: "pi_3SLcaptured", Amount: 1500, Currency: "EUR", Reason: "requested_by_customer"})
			},
			wantMethod: http.MethodPost, wantPath: "/v1/refunds",
			wantIdempotencyKey: "rfd_01JR1",
			wantForm: map[string]string{
				"payment_intent": "pi_3SLcaptured", "amount": "1500", "reason": "requested_by_customer", "expand[0]": "charge",
			},
			wantAbsent: []string{"metadata[securelink_reason]"},
			want: psp.Result{
				Outcome: psp.OutcomeSucceeded, PaymentRef: "pi_3SLcaptured", OperationRef: "re_3SLpartial",
				State: psp.StateCaptured, AmountAuthorized: 12500, AmountCaptured: 8000, AmountRefunded: 1500,
				Card: &psp.Card{Brand: "mastercard", Last4: "4444", ExpMonth: 3, ExpYear: 2031},
			},
		},
		{
			name:     "refund with our own reason that fails at the bank",
			response: "refund_failed.json",
			call: func(p *Provider) (psp.Result, error) {
				return p.Refund(ctx, psp.RefundRequest{IdempotencyKey: "rfd_01JR2", PaymentRef: "pi_3SLcaptured", Amount: 8000, Currency: "EUR", Reason: "goodwill"})
			},
			wantMethod: http.MethodPost, wantPath: "/v1/refunds",
			wantIdempotencyKey: "rfd_01JR2",
			wantForm:           map[string]string{"payment_intent": "pi_3SLcaptured", "amount": "8000", "metadata[securelink_reason]": "goodwill"},
			wantAbsent:         []string{"reason"},
			want: psp.Result{
				Outcome: psp.OutcomeDeclined, PaymentRef: "pi_3SLcaptured", OperationRef: "re_3SLfailed",
				State: psp.StateCaptured, AmountAuthorized: 12500, AmountCaptured: 8000,
				DeclineCode: psp.DeclineRefundFailed, DeclineMessage: "expired_or_canceled_card",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, p := newFakeStripe(t, http.StatusOK, fixture(t, tt.response))
			got, err := tt.call(p)
			if err != nil {
				t.Fatalf("call failed: %v", err)
			}
			req := fake.only(t)

			if req.Method != tt.wantMethod || req.Path != tt.wantPath {
				t.Errorf("request = %s %s, want %s %s", req.Method, req.Path, tt.wantMethod, tt.wantPath)
			}
			if auth := req.Header.Get("Authorization"); auth != "Bearer sk_test_shape" {
				t.Errorf("Authorization = %q, want the provider's own secret key", auth)
			}
			if key := req.Header.Get("Idempotency-Key"); key != tt.wantIdempotencyKey {
				t.Errorf("Idempotency-Key = %q, want %q", key, tt.wantIdempotencyKey)
			}
			for field, want := range tt.wantForm {
				if got := req.Form.Get(field); got != want {
					t.Errorf("form %s = %q, want %q", field, got, want)
				}
			}
			for _, field := range tt.wantAbsent {
				if req.Form.Has(field) {
					t.Errorf("form %s = %q, want it absent", field, req.Form.Get(field))
				}
			}
			assertResult(t, got, tt.want)
		})
	}
}

// TestClientConfigNamesStripe checks what the checkout is told.
func TestClientConfigNamesStripe(t *testing.T) {
	_, p := newFakeStripe(t, http.StatusOK, []byte(`{}`))
	got := p.ClientConfig()
	want := psp.ClientConfig{Name: "stripe", PublishableKey: "pk_test_shape", CardBrands: []string{"visa", "mastercard", "maestro", "amex"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ClientConfig() = %+v, want %+v", got, want)
	}
	if p.Name() != "stripe" {
		t.Errorf("Name() = %q, want stripe", p.Name())
	}
}

// TestNewNeedsSecretKey checks that a provider without a key is refused at start-up.
func TestNewNeedsSecretKey(t *testing.T) {
	if _, err := New(Config{PublishableKey: "pk_test_x"}); err == nil {
		t.Fatal("New without a secret key succeeded, want an error")
	}
}

// assertResult compares two Results field by field, the card by value.
func assertResult(t *testing.T, got, want psp.Result) {
	t.Helper()
	gotCard, wantCard := got.Card, want.Card
	got.Card, want.Card = nil, nil
	if got != want {
		t.Errorf("result =\n  %+v\nwant\n  %+v", got, want)
	}
	switch {
	case gotCard == nil && wantCard == nil:
	case gotCard == nil || wantCard == nil:
		t.Errorf("card = %+v, want %+v", gotCard, wantCard)
	case *gotCard != *wantCard:
		t.Errorf("card = %+v, want %+v", *gotCard, *wantCard)
	}
}
