package stripe

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strconv"
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
	proxy := newSuccessStatusProxy(t, mockURL)
	p, err := New(Config{SecretKey: "sk_test_psptest", PublishableKey: "pk_test_psptest", BackendURL: proxy.URL, HTTPClient: proxy.Client()})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	psptest.Run(t, psptest.Harness{
		Provider: p,
		Token:    stripeTestPaymentMethod,
		Limits: psptest.Limits{
			Stateless:       true, // statuses and amounts never change after capture, void or refund
			NoDeclines:      true, // stripe-mock cannot decline
			NoRefundFailure: true, // nor fail a refund
			NoCardDetails:   true, // every charge fixture is the same Visa ending 4242
		},
		// Complete3DS stays nil: stripe-mock cannot produce a 3-D Secure challenge.
	})
}

// stripeTestPaymentMethods are Stripe's test PaymentMethods for SecureLink's test cards, so the
// same suite could run against a Stripe test account. Stripe knows no DinaCard: a Visa stands in.
var stripeTestPaymentMethods = map[string]string{
	psptest.CardVisa:              "pm_card_visa",
	psptest.CardMastercard:        "pm_card_mastercard",
	psptest.CardAmex:              "pm_card_amex",
	psptest.CardDinaCard:          "pm_card_visa",
	psptest.CardOtherValid:        "pm_card_visa",
	psptest.CardDeclined:          "pm_card_visa_chargeDeclined",
	psptest.CardInsufficientFunds: "pm_card_visa_chargeDeclinedInsufficientFunds",
	psptest.CardExpired:           "pm_card_chargeDeclinedExpiredCard",
	psptest.CardIncorrectCVC:      "pm_card_chargeDeclinedIncorrectCvc",
	psptest.CardProcessingError:   "pm_card_chargeDeclinedProcessingError",
	psptest.Card3DS:               "pm_card_threeDSecure2Required",
	psptest.Card3DSAlt:            "pm_card_authenticationRequired",
	psptest.CardRefundFails:       "pm_card_refundFail",
}

// stripeTestPaymentMethod is the suite's Token function.
func stripeTestPaymentMethod(t *testing.T, card string) string {
	t.Helper()
	pm, ok := stripeTestPaymentMethods[card]
	if !ok {
		t.Fatalf("no Stripe test PaymentMethod for card %s", card)
	}
	return pm
}

var (
	capturePath = regexp.MustCompile(`^/v1/payment_intents/[^/]+/capture$`)
	cancelPath  = regexp.MustCompile(`^/v1/payment_intents/[^/]+/cancel$`)
	intentPath  = regexp.MustCompile(`^/v1/payment_intents(/[^/]+)?$`)
)

// newSuccessStatusProxy starts a loopback reverse proxy to stripe-mock that sets each
// PaymentIntent's status to what Stripe answers for a succeeding card.
func newSuccessStatusProxy(t *testing.T, mockURL string) *httptest.Server {
	t.Helper()
	target, err := url.Parse(mockURL)
	if err != nil {
		t.Fatalf("parse stripe-mock URL: %v", err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(resp *http.Response) error {
		if resp.StatusCode != http.StatusOK {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			return err
		}
		body, err = withSuccessStatus(resp.Request.Method, resp.Request.URL.Path, body)
		if err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	server := httptest.NewServer(proxy)
	t.Cleanup(server.Close)
	return server
}

// withSuccessStatus rewrites a PaymentIntent answer; other answers pass unchanged.
func withSuccessStatus(method, path string, body []byte) ([]byte, error) {
	if !intentPath.MatchString(path) && !capturePath.MatchString(path) && !cancelPath.MatchString(path) {
		return body, nil
	}
	var pi map[string]any
	if err := json.Unmarshal(body, &pi); err != nil {
		return nil, err
	}
	amount := pi["amount"]
	pi["last_payment_error"] = nil
	pi["next_action"] = nil
	pi["amount_capturable"], pi["amount_received"] = 0, 0
	switch {
	case cancelPath.MatchString(path):
		pi["status"] = "canceled"
	case capturePath.MatchString(path):
		pi["status"] = "succeeded"
		pi["amount_received"] = amount
	case method == http.MethodPost && pi["capture_method"] == "automatic":
		pi["status"] = "succeeded"
		pi["amount_received"] = amount
	default:
		// A new manual-capture PaymentIntent, or one read back: stateless, so call it authorised.
		pi["status"] = "requires_capture"
		pi["amount_capturable"] = amount
	}
	return json.Marshal(pi)
}
