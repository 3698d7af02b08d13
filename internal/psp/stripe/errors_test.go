package stripe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	stripego "github.com/stripe/stripe-go/v76"

	"securelink/internal/psp"
	"securelink/internal/psp/stripe/stripemock"
)

// declineBody is a card_error as Stripe sends it when confirming a PaymentIntent fails,
// with the failed PaymentIntent attached.
func declineBody(code, declineCode, message string) string {
	decline := ""
	if declineCode != "" {
		decline = `"decline_code": "` + declineCode + `",`
	}
	return `{"error": {
  "charge": "ch_3SLdeclined",
  "code": "` + code + `",
  ` + decline + `
  "doc_url": "https://stripe.com/docs/error-codes/` + code + `",
  "message": "` + message + `",
  "payment_intent": {
    "id": "pi_3SLdeclined", "object": "payment_intent", "amount": 2500, "currency": "eur",
    "capture_method": "manual", "status": "requires_payment_method",
    "metadata": {"securelink_payment": "pay_01JDECL"},
    "latest_charge": "ch_3SLdeclined", "payment_method": null
  },
  "payment_method": {
    "id": "pm_1SLdeclined", "object": "payment_method", "type": "card",
    "card": {"brand": "visa", "exp_month": 7, "exp_year": 2030, "last4": "0002"}
  },
  "request_log_url": "https://dashboard.stripe.com/test/logs/req_declined",
  "type": "card_error"
}}`
}

// requestErrorBody is an invalid_request_error (or another type) with a code.
func requestErrorBody(errType, code, param, message string) string {
	return `{"error": {"code": "` + code + `", "param": "` + param + `", "message": "` + message +
		`", "type": "` + errType + `", "request_log_url": "https://dashboard.stripe.com/test/logs/req_x"}}`
}

// TestErrorMapping checks how recorded Stripe error answers become declines, refusals or unknown outcomes.
func TestErrorMapping(t *testing.T) {
	type kind int
	const (
		declined kind = iota // a Result with OutcomeDeclined, no error
		refused              // a *psp.RequestError: Stripe did nothing
		unknown              // any other error: the outcome is not known
	)
	ctx := context.Background()
	authorize := func(p *Provider) (psp.Result, error) {
		return p.Authorize(ctx, psp.AuthorizeRequest{
			IdempotencyKey: "pay_01JDECL-authorize-1", Reference: "pay_01JDECL", Amount: 2500, Currency: "EUR",
			PaymentToken: "pm_1SLdeclined", ReturnURL: "https://pay.example.test/r",
		})
	}
	refund := func(p *Provider) (psp.Result, error) {
		return p.Refund(ctx, psp.RefundRequest{IdempotencyKey: "rfd_01JX", PaymentRef: "pi_3SLcaptured", Amount: 99999, Currency: "EUR"})
	}
	capture := func(p *Provider) (psp.Result, error) {
		return p.Capture(ctx, psp.CaptureRequest{IdempotencyKey: "pay_01JX-capture-1", PaymentRef: "pi_3SLvoided", Amount: 100, Currency: "EUR"})
	}

	tests := []struct {
		name   string
		call   func(p *Provider) (psp.Result, error)
		status int
		body   string

		want            kind
		wantDecline     psp.DeclineCode
		wantRequestCode string
	}{
		{"generic decline", authorize, http.StatusPaymentRequired,
			declineBody("card_declined", "generic_decline", "Your card was declined."),
			declined, psp.DeclineCardDeclined, ""},
		{"insufficient funds", authorize, http.StatusPaymentRequired,
			declineBody("card_declined", "insufficient_funds", "Your card has insufficient funds."),
			declined, psp.DeclineInsufficientFunds, ""},
		{"expired card", authorize, http.StatusPaymentRequired,
			declineBody("expired_card", "expired_card", "Your card has expired."),
			declined, psp.DeclineExpiredCard, ""},
		{"incorrect CVC", authorize, http.StatusPaymentRequired,
			declineBody("incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."),
			declined, psp.DeclineIncorrectCVC, ""},
		{"processing error", authorize, http.StatusPaymentRequired,
			declineBody("processing_error", "processing_error", "An error occurred while processing your card. Try again in a little bit."),
			declined, psp.DeclineProcessingError, ""},
		{"issuer asks for authentication", authorize, http.StatusPaymentRequired,
			declineBody("card_declined", "authentication_required", "Your card was declined. This transaction requires authentication."),
			declined, psp.DeclineAuthenticationFailed, ""},
		{"3-D Secure failed", authorize, http.StatusBadRequest,
			requestErrorBody("invalid_request_error", "payment_intent_authentication_failure", "",
				"The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again."),
			declined, psp.DeclineAuthenticationFailed, ""},
		{"amount too large", authorize, http.StatusBadRequest,
			requestErrorBody("invalid_request_error", "amount_too_large", "amount", "Amount must be no more than €999,999.99"),
			refused, "", "amount_too_large"},
		{"used payment method", authorize, http.StatusBadRequest,
			requestErrorBody("invalid_request_error", "payment_method_unexpected_state", "payment_method",
				"The PaymentMethod provided was previously used with a PaymentIntent without Customer attachment."),
			refused, "", "token_invalid"},
		{"unknown payment method", authorize, http.StatusBadRequest,
			requestErrorBody("invalid_request_error", "resource_missing", "payment_method", "No such PaymentMethod: 'pm_nope'"),
			refused, "", "token_invalid"},
		{"idempotency key reused with other parameters", authorize, http.StatusBadRequest,
			requestErrorBody("idempotency_error", "", "",
				"Keys for idempotent requests can only be used with the same parameters they were first used with."),
			refused, "", "idempotency_key_reused"},
		{"over-refund", refund, http.StatusBadRequest,
			requestErrorBody("invalid_request_error", "amount_too_large", "amount",
				"Refund amount (€999.99) is greater than unrefunded amount on charge (€65.00)"),
			refused, "", "amount_too_large"},
		{"refund of a fully refunded charge", refund, http.StatusBadRequest,
			requestErrorBody("invalid_request_error", "charge_already_refunded", "", "Charge ch_3SLcaptured has already been refunded."),
			refused, "", "amount_too_large"},
		{"capture of a cancelled payment", capture, http.StatusBadRequest,
			requestErrorBody("invalid_request_error", "payment_intent_unexpected_state", "",
				"This PaymentIntent could not be captured because it has a status of canceled."),
			refused, "", "invalid_state"},
		{"unknown payment intent", capture, http.StatusNotFound,
			requestErrorBody("invalid_request_error", "resource_missing", "intent", "No such payment_intent: 'pi_3SLvoided'"),
			refused, "", "not_found"},
		{"rate limit", authorize, http.StatusTooManyRequests,
			requestErrorBody("invalid_request_error", "rate_limit", "", "Too many requests hit the API too quickly."),
			unknown, "", ""},
		{"Stripe failure", authorize, http.StatusInternalServerError,
			`{"error": {"message": "An unknown error occurred", "type": "api_error"}}`,
			unknown, "", ""},
		{"bad secret key", authorize, http.StatusUnauthorized,
			`{"error": {"message": "Invalid API Key provided: sk_test_****hape", "type": "invalid_request_error"}}`,
			unknown, "", ""},
		{"same idempotency key still running", authorize, http.StatusConflict,
			`{"error": {"message": "There is currently another in-progress request using this Idempotent Key.", "type": "idempotency_error", "code": "idempotency_key_in_use"}}`,
			unknown, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, p := newFakeStripe(t, tt.status, []byte(tt.body))
			res, err := tt.call(p)
			switch tt.want {
			case declined:
				if err != nil {
					t.Fatalf("err = %v, want a declined Result", err)
				}
				if res.Outcome != psp.OutcomeDeclined || res.State != psp.StateFailed || res.DeclineCode != tt.wantDecline {
					t.Errorf("result = %s/%s/%s, want declined/failed/%s", res.Outcome, res.State, res.DeclineCode, tt.wantDecline)
				}
				if res.DeclineMessage == "" {
					t.Errorf("DeclineMessage is empty, want Stripe's message")
				}
			case refused:
				var re *psp.RequestError
				if !errors.As(err, &re) {
					t.Fatalf("err = %v (%T), want *psp.RequestError", err, err)
				}
				if re.Code != tt.wantRequestCode {
					t.Errorf("RequestError.Code = %q, want %q", re.Code, tt.wantRequestCode)
				}
			case unknown:
				if err == nil {
					t.Fatalf("err = nil, result %+v; want an error", res)
				}
				if psp.IsRequestError(err) {
					t.Errorf("err = %v is a RequestError, want an unknown outcome", err)
				}
				var stripeErr *stripego.Error
				if !errors.As(err, &stripeErr) || stripeErr.HTTPStatusCode != tt.status {
					t.Errorf("err = %v, want it to wrap Stripe's error with status %d", err, tt.status)
				}
			}
		})
	}
}

// TestCardDeclineKeepsPaymentAndCard checks that a decline still names the PaymentIntent and card,
// so the attempt can be shown and reconciled.
func TestCardDeclineKeepsPaymentAndCard(t *testing.T) {
	_, p := newFakeStripe(t, http.StatusPaymentRequired,
		[]byte(declineBody("card_declined", "insufficient_funds", "Your card has insufficient funds.")))
	res, err := p.Authorize(context.Background(), psp.AuthorizeRequest{
		IdempotencyKey: "pay_01JDECL-authorize-1", Reference: "pay_01JDECL", Amount: 2500, Currency: "EUR", PaymentToken: "pm_1SLdeclined",
	})
	if err != nil {
		t.Fatalf("Authorize: %v", err)
	}
	assertResult(t, res, psp.Result{
		Outcome: psp.OutcomeDeclined, PaymentRef: "pi_3SLdeclined", OperationRef: "ch_3SLdeclined", State: psp.StateFailed,
		DeclineCode: psp.DeclineInsufficientFunds, DeclineMessage: "Your card has insufficient funds.",
		Card: &psp.Card{Brand: "visa", Last4: "0002", ExpMonth: 7, ExpYear: 2030},
	})
}

// TestUnreachableStripeIsUnknownOutcome checks that a network failure is never taken for a refusal.
func TestUnreachableStripeIsUnknownOutcome(t *testing.T) {
	// Nothing listens on a port just released, so the connection is refused.
	closedURL := fmt.Sprintf("http://127.0.0.1:%d", stripemock.FreePort(t))
	p, err := newProvider(Config{SecretKey: "sk_test_x", BackendURL: closedURL}, stripego.Int64(0))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	_, err = p.Void(context.Background(), psp.VoidRequest{IdempotencyKey: "pay_x-void-1", PaymentRef: "pi_x"})
	if err == nil || psp.IsRequestError(err) {
		t.Fatalf("err = %v, want an unknown-outcome error", err)
	}
}
