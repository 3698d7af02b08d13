package stripe

import (
	"testing"

	"securelink/internal/psp/psptest"
	"securelink/internal/psp/stripe/stripemock"
)

// TestSharedSuiteOnStripeMock runs SecureLink's provider suite against stripe-mock.
//
// stripe-mock validates every request against Stripe's API description but answers fixtures:
// every PaymentIntent it returns has status requires_payment_method with a stray
// last_payment_error, whatever was asked. A loopback proxy in front of it gives each answer
// the status Stripe gives a card that succeeds (requires_capture or succeeded after confirm,
// succeeded after capture, canceled after cancel), so the suite sees well-formed successes.
// What needs real state, declines or 3-D Secure is switched off through the suite's Limits;
// the request-shape and error-mapping tests cover those with recorded answers.
func TestSharedSuiteOnStripeMock(t *testing.T) {
	mockURL := stripemock.Start(t)
	proxy := stripemock.SucceedingProxy(t, mockURL)
	p, err := New(Config{SecretKey: "sk_test_psptest", PublishableKey: "pk_test_psptest", BackendURL: proxy.URL, HTTPClient: proxy.Client()})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	psptest.Run(t, psptest.Harness{
		Provider: p,
		Token:    stripemock.TestPaymentMethod,
		Limits: psptest.Limits{
			Stateless:       true, // statuses and amounts never change after capture, void or refund
			NoDeclines:      true, // stripe-mock cannot decline
			NoRefundFailure: true, // nor fail a refund
			NoCardDetails:   true, // every charge fixture is the same Visa ending 4242
		},
		// Complete3DS stays nil: stripe-mock cannot produce a 3-D Secure challenge.
	})
}
