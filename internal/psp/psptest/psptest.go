// Package psptest is the one behaviour suite every psp.Provider must pass.
//
// A provider's test builds a Harness and calls Run:
//
//	func TestProvider(t *testing.T) {
//		psptest.Run(t, psptest.Harness{
//			Provider:    client,
//			Token:       func(t *testing.T, card string) string { ... },
//			Complete3DS: func(t *testing.T, redirectURL string, succeed bool) { ... },
//			Charges:     func(t *testing.T, reference string) int { ... },
//		})
//	}
//
// Card numbers passed to Token are the test cards the README lists (the constants below); a provider
// whose test cards differ maps them in its Token function.
package psptest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"securelink/internal/psp"
)

// Test cards (listed in the README).
const (
	CardVisa              = "4242424242424242"
	CardMastercard        = "5555555555554444"
	CardAmex              = "378282246310005"
	CardDinaCard          = "9891000000000003"
	CardDeclined          = "4000000000000002"
	CardInsufficientFunds = "4000000000009995"
	CardExpired           = "4000000000000069"
	CardIncorrectCVC      = "4000000000000127"
	CardProcessingError   = "4000000000000119"
	Card3DS               = "4000000000003220"
	Card3DSAlt            = "4000002500003155"
	Card3DSDeclined       = "4000008400001629"
	CardRefundFails       = "4000000000005126"
	CardOtherValid        = "4111111111111111" // not a scripted card: succeeds
)

// Every payment in the suite is for 10.00 of the harness currency.
const (
	defaultCurrency       = "EUR"
	defaultAmount   int64 = 10_00
)

// Limits says which parts of the suite a provider (or the mock behind it) cannot answer.
// The zero value runs everything: a real or stateful provider sets no limits.
type Limits struct {
	// Stateless: the backend keeps no state (stripe-mock), so states and amounts after capture,
	// void and refund, refusals that depend on state (over-capture, over-refund, capture after void,
	// used tokens) and idempotent replays are not checked.
	Stateless bool
	// NoDeclines: the test cards do not produce declines.
	NoDeclines bool
	// NoRefundFailure: no card makes refunds fail.
	NoRefundFailure bool
	// NoCardDetails: results do not carry the card's brand and last four digits.
	NoCardDetails bool
	// ReusableTokens: the provider's payment tokens may pay more than once (Stripe's test
	// PaymentMethods such as pm_card_visa), so reuse is not refused.
	ReusableTokens bool
}

// Harness is what Run needs to exercise a provider.
type Harness struct {
	Provider psp.Provider
	// Token makes a single-use payment token for a test card number. Required.
	Token func(t *testing.T, card string) string
	// Complete3DS drives the challenge at redirectURL like the payer's browser, completing it when
	// succeed is true and failing it otherwise. Nil skips the 3-D Secure tests.
	Complete3DS func(t *testing.T, redirectURL string, succeed bool)
	// Charges counts how many times the provider really charged the card for a reference.
	// Nil skips the "charged once" checks.
	Charges func(t *testing.T, reference string) int
	// ReturnURL is sent with every authorisation; empty means "https://checkout.test/return".
	ReturnURL string
	// Currency of every payment; empty means EUR.
	Currency string
	Limits   Limits
	// Timeout bounds each call; zero means 10 seconds.
	Timeout time.Duration
}

// Run runs the suite as subtests of t.
func Run(t *testing.T, h Harness) {
	t.Helper()
	if h.Provider == nil || h.Token == nil {
		t.Fatal("psptest: Harness needs Provider and Token")
	}
	s := &suite{h: h}
	if s.h.Currency == "" {
		s.h.Currency = defaultCurrency
	}
	if s.h.ReturnURL == "" {
		s.h.ReturnURL = "https://checkout.test/return"
	}
	if s.h.Timeout == 0 {
		s.h.Timeout = 10 * time.Second
	}
	t.Run("Name", s.testName)
	t.Run("Authorize", s.testAuthorize)
	t.Run("Sale", s.testSale)
	t.Run("SuccessCards", s.testSuccessCards)
	t.Run("CaptureFull", s.testCaptureFull)
	t.Run("CapturePartial", s.testCapturePartial)
	t.Run("CaptureTooMuchRefused", s.testCaptureTooMuch)
	t.Run("Void", s.testVoid)
	t.Run("RefundFull", s.testRefundFull)
	t.Run("RefundPartial", s.testRefundPartial)
	t.Run("RefundSeveral", s.testRefundSeveral)
	t.Run("OverRefundRefused", s.testOverRefund)
	t.Run("RefundUncapturedRefused", s.testRefundUncaptured)
	t.Run("RefundFails", s.testRefundFails)
	t.Run("Declines", s.testDeclines)
	t.Run("ThreeDSecureSuccess", s.testThreeDSSuccess)
	t.Run("ThreeDSecureSaleSuccess", s.testThreeDSSale)
	t.Run("ThreeDSecureFailure", s.testThreeDSFailure)
	t.Run("ThreeDSecureThenDeclined", s.testThreeDSDeclined)
	t.Run("UsedTokenRefused", s.testUsedToken)
	t.Run("IdempotentAuthorize", s.testIdempotentAuthorize)
	t.Run("IdempotentCaptureAndRefund", s.testIdempotentCaptureRefund)
	t.Run("IdempotencyKeyReuseRefused", s.testIdempotencyKeyReuse)
}

type suite struct{ h Harness }

func (s *suite) ctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), s.h.Timeout)
	t.Cleanup(cancel)
	return ctx
}

// unique returns prefix plus random hex, so runs and subtests never share keys or references.
func unique(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

func (s *suite) skipIf(t *testing.T, limited bool, why string) {
	t.Helper()
	if limited {
		t.Skip("provider limit: " + why)
	}
}

// authorizeRequest is a fresh request for card with new keys.
func (s *suite) authorizeRequest(t *testing.T, card string, capture bool) psp.AuthorizeRequest {
	t.Helper()
	ref := unique("pay_psptest_")
	return psp.AuthorizeRequest{
		IdempotencyKey: ref + ":authorize", Reference: ref, Amount: defaultAmount, Currency: s.h.Currency,
		PaymentToken: s.h.Token(t, card), Capture: capture, ReturnURL: s.h.ReturnURL,
		Description: "psptest " + t.Name(),
	}
}

func (s *suite) authorize(t *testing.T, req psp.AuthorizeRequest) psp.Result {
	t.Helper()
	res, err := s.h.Provider.Authorize(s.ctx(t), req)
	if err != nil {
		t.Fatalf("Authorize(%s): %v", req.Reference, err)
	}
	return res
}

// authorized makes an authorisation (capture=false) or a sale of defaultAmount that succeeded.
func (s *suite) authorized(t *testing.T, card string, capture bool) psp.Result {
	t.Helper()
	res := s.authorize(t, s.authorizeRequest(t, card, capture))
	want := psp.StateAuthorized
	if capture {
		want = psp.StateCaptured
	}
	if res.Outcome != psp.OutcomeSucceeded || res.State != want || res.PaymentRef == "" {
		t.Fatalf("Authorize: got outcome %q state %q ref %q, want succeeded %q with a ref", res.Outcome, res.State, res.PaymentRef, want)
	}
	return res
}

func (s *suite) capture(t *testing.T, ref string, amount int64) (psp.Result, error) {
	t.Helper()
	return s.h.Provider.Capture(s.ctx(t), psp.CaptureRequest{
		IdempotencyKey: unique(ref + ":capture:"), PaymentRef: ref, Amount: amount, Currency: s.h.Currency,
	})
}

func (s *suite) refund(t *testing.T, ref string, amount int64) (psp.Result, error) {
	t.Helper()
	return s.h.Provider.Refund(s.ctx(t), psp.RefundRequest{
		IdempotencyKey: unique(ref + ":refund:"), PaymentRef: ref, Amount: amount, Currency: s.h.Currency,
		Reason: "requested_by_customer",
	})
}

func mustSucceed(t *testing.T, what string, res psp.Result, err error) psp.Result {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if res.Outcome != psp.OutcomeSucceeded {
		t.Fatalf("%s: outcome %q (%s %s), want succeeded", what, res.Outcome, res.DeclineCode, res.DeclineMessage)
	}
	return res
}

func mustRefuse(t *testing.T, what string, res psp.Result, err error) {
	t.Helper()
	var re *psp.RequestError
	if !errors.As(err, &re) {
		t.Fatalf("%s: got result %+v and error %v, want a *psp.RequestError", what, res, err)
	}
	if re.Code == "" {
		t.Errorf("%s: RequestError without a code: %v", what, re)
	}
}

func (s *suite) checkAmounts(t *testing.T, what string, res psp.Result, captured, refunded int64) {
	t.Helper()
	if s.h.Limits.Stateless {
		return
	}
	if res.AmountCaptured != captured || res.AmountRefunded != refunded {
		t.Errorf("%s: captured %d refunded %d, want %d and %d", what, res.AmountCaptured, res.AmountRefunded, captured, refunded)
	}
}

func (s *suite) checkState(t *testing.T, what string, res psp.Result, want psp.PaymentState) {
	t.Helper()
	if s.h.Limits.Stateless {
		return
	}
	if res.State != want {
		t.Errorf("%s: state %q, want %q", what, res.State, want)
	}
}

func (s *suite) testName(t *testing.T) {
	if s.h.Provider.Name() == "" {
		t.Error("Name() is empty")
	}
	if cfg := s.h.Provider.ClientConfig(); cfg.Name != s.h.Provider.Name() {
		t.Errorf("ClientConfig().Name = %q, want %q", cfg.Name, s.h.Provider.Name())
	}
}

func (s *suite) testAuthorize(t *testing.T) {
	res := s.authorized(t, CardVisa, false)
	if res.AmountAuthorized != defaultAmount || res.AmountCaptured != 0 {
		t.Errorf("authorized %d captured %d, want %d and 0", res.AmountAuthorized, res.AmountCaptured, defaultAmount)
	}
	if !s.h.Limits.NoCardDetails && (res.Card == nil || res.Card.Last4 != "4242" || res.Card.Brand != "visa") {
		t.Errorf("card = %+v, want visa ending 4242", res.Card)
	}
	synced, err := s.h.Provider.Sync(s.ctx(t), res.PaymentRef)
	mustSucceed(t, "Sync", synced, err)
	if synced.PaymentRef != res.PaymentRef {
		t.Errorf("Sync ref = %q, want %q", synced.PaymentRef, res.PaymentRef)
	}
	s.checkState(t, "Sync", synced, psp.StateAuthorized)
}

func (s *suite) testSale(t *testing.T) {
	res := s.authorized(t, CardVisa, true)
	s.checkAmounts(t, "sale", res, defaultAmount, 0)
	if res.AmountAuthorized != defaultAmount {
		t.Errorf("authorized %d, want %d", res.AmountAuthorized, defaultAmount)
	}
}

func (s *suite) testSuccessCards(t *testing.T) {
	for _, card := range []struct{ number, brand, last4 string }{
		{CardMastercard, "mastercard", "4444"}, {CardAmex, "amex", "0005"},
		{CardDinaCard, "dinacard", "0003"}, {CardOtherValid, "visa", "1111"},
	} {
		t.Run(card.brand+"_"+card.last4, func(t *testing.T) {
			res := s.authorized(t, card.number, false)
			if !s.h.Limits.NoCardDetails && (res.Card == nil || res.Card.Brand != card.brand || res.Card.Last4 != card.last4) {
				t.Errorf("card = %+v, want %s ending %s", res.Card, card.brand, card.last4)
			}
		})
	}
}

func (s *suite) testCaptureFull(t *testing.T) {
	auth := s.authorized(t, CardVisa, false)
	res := mustOK(t, "Capture")(s.capture(t, auth.PaymentRef, defaultAmount))
	if res.PaymentRef != auth.PaymentRef {
		t.Errorf("Capture ref = %q, want %q", res.PaymentRef, auth.PaymentRef)
	}
	s.checkState(t, "Capture", res, psp.StateCaptured)
	s.checkAmounts(t, "Capture", res, defaultAmount, 0)
}

func (s *suite) testCapturePartial(t *testing.T) {
	auth := s.authorized(t, CardVisa, false)
	res := mustOK(t, "Capture")(s.capture(t, auth.PaymentRef, 600))
	s.checkState(t, "Capture", res, psp.StateCaptured)
	s.checkAmounts(t, "Capture", res, 600, 0)
	s.skipIf(t, s.h.Limits.Stateless, "a second capture cannot be refused")
	res, err := s.capture(t, auth.PaymentRef, 400)
	mustRefuse(t, "second Capture", res, err)
}

func (s *suite) testCaptureTooMuch(t *testing.T) {
	s.skipIf(t, s.h.Limits.Stateless, "over-capture cannot be refused")
	auth := s.authorized(t, CardVisa, false)
	res, err := s.capture(t, auth.PaymentRef, defaultAmount+1)
	mustRefuse(t, "Capture more than authorised", res, err)
	synced, err := s.h.Provider.Sync(s.ctx(t), auth.PaymentRef)
	mustSucceed(t, "Sync", synced, err)
	s.checkState(t, "Sync after refused capture", synced, psp.StateAuthorized)
}

func (s *suite) testVoid(t *testing.T) {
	auth := s.authorized(t, CardVisa, false)
	res, err := s.h.Provider.Void(s.ctx(t), psp.VoidRequest{IdempotencyKey: auth.PaymentRef + ":void", PaymentRef: auth.PaymentRef})
	mustSucceed(t, "Void", res, err)
	s.checkState(t, "Void", res, psp.StateVoided)
	s.checkAmounts(t, "Void", res, 0, 0)
	s.skipIf(t, s.h.Limits.Stateless, "capture after void cannot be refused")
	res, err = s.capture(t, auth.PaymentRef, defaultAmount)
	mustRefuse(t, "Capture after Void", res, err)
}

func (s *suite) testRefundFull(t *testing.T) {
	sale := s.authorized(t, CardVisa, true)
	res := mustOK(t, "Refund")(s.refund(t, sale.PaymentRef, defaultAmount))
	if res.PaymentRef != sale.PaymentRef || res.OperationRef == "" {
		t.Errorf("Refund refs = %q/%q, want payment %q and a refund id", res.PaymentRef, res.OperationRef, sale.PaymentRef)
	}
	s.checkState(t, "Refund", res, psp.StateCaptured)
	s.checkAmounts(t, "Refund", res, defaultAmount, defaultAmount)
}

func (s *suite) testRefundPartial(t *testing.T) {
	sale := s.authorized(t, CardVisa, true)
	res := mustOK(t, "Refund")(s.refund(t, sale.PaymentRef, 300))
	s.checkAmounts(t, "Refund", res, defaultAmount, 300)
}

func (s *suite) testRefundSeveral(t *testing.T) {
	auth := s.authorized(t, CardVisa, false)
	mustOK(t, "Capture")(s.capture(t, auth.PaymentRef, defaultAmount))
	seen := map[string]bool{}
	var total int64
	for _, amount := range []int64{300, 200, 500} {
		res := mustOK(t, "Refund")(s.refund(t, auth.PaymentRef, amount))
		total += amount
		s.checkAmounts(t, "Refund", res, defaultAmount, total)
		if seen[res.OperationRef] {
			t.Errorf("refund id %q repeated", res.OperationRef)
		}
		seen[res.OperationRef] = true
	}
	s.skipIf(t, s.h.Limits.Stateless, "refund beyond the total cannot be refused")
	res, err := s.refund(t, auth.PaymentRef, 1)
	mustRefuse(t, "Refund after full refunds", res, err)
}

func (s *suite) testOverRefund(t *testing.T) {
	s.skipIf(t, s.h.Limits.Stateless, "over-refund cannot be refused")
	sale := s.authorized(t, CardVisa, true)
	res, err := s.refund(t, sale.PaymentRef, defaultAmount+1)
	mustRefuse(t, "Refund more than captured", res, err)
	mustOK(t, "Refund")(s.refund(t, sale.PaymentRef, 600))
	res, err = s.refund(t, sale.PaymentRef, 500)
	mustRefuse(t, "Refund more than what is left", res, err)
	res = mustOK(t, "Refund the rest")(s.refund(t, sale.PaymentRef, 400))
	s.checkAmounts(t, "Refund the rest", res, defaultAmount, defaultAmount)
}

func (s *suite) testRefundUncaptured(t *testing.T) {
	s.skipIf(t, s.h.Limits.Stateless, "refund of an authorisation cannot be refused")
	auth := s.authorized(t, CardVisa, false)
	res, err := s.refund(t, auth.PaymentRef, 100)
	mustRefuse(t, "Refund of an uncaptured authorisation", res, err)
}

func (s *suite) testRefundFails(t *testing.T) {
	s.skipIf(t, s.h.Limits.NoRefundFailure, "no card makes refunds fail")
	sale := s.authorized(t, CardRefundFails, true)
	res, err := s.refund(t, sale.PaymentRef, 500)
	if err != nil {
		t.Fatalf("Refund: %v", err)
	}
	if res.Outcome != psp.OutcomeDeclined || res.DeclineCode != psp.DeclineRefundFailed {
		t.Fatalf("Refund: outcome %q code %q, want declined %q", res.Outcome, res.DeclineCode, psp.DeclineRefundFailed)
	}
	s.checkAmounts(t, "failed Refund", res, defaultAmount, 0)
}

func (s *suite) testDeclines(t *testing.T) {
	s.skipIf(t, s.h.Limits.NoDeclines, "test cards do not decline")
	for _, tc := range []struct {
		card string
		code psp.DeclineCode
	}{
		{CardDeclined, psp.DeclineCardDeclined},
		{CardInsufficientFunds, psp.DeclineInsufficientFunds},
		{CardExpired, psp.DeclineExpiredCard},
		{CardIncorrectCVC, psp.DeclineIncorrectCVC},
		{CardProcessingError, psp.DeclineProcessingError},
	} {
		t.Run(string(tc.code), func(t *testing.T) {
			for _, capture := range []bool{false, true} {
				req := s.authorizeRequest(t, tc.card, capture)
				res := s.authorize(t, req)
				if res.Outcome != psp.OutcomeDeclined || res.DeclineCode != tc.code {
					t.Fatalf("capture=%v: outcome %q code %q, want declined %q", capture, res.Outcome, res.DeclineCode, tc.code)
				}
				if res.DeclineMessage == "" {
					t.Errorf("capture=%v: decline without a message", capture)
				}
				s.checkState(t, "declined", res, psp.StateFailed)
				if res.AmountAuthorized != 0 || res.AmountCaptured != 0 {
					t.Errorf("capture=%v: declined payment shows authorized %d captured %d", capture, res.AmountAuthorized, res.AmountCaptured)
				}
				if s.h.Charges != nil {
					if n := s.h.Charges(t, req.Reference); n != 0 {
						t.Errorf("capture=%v: %d charges for a declined payment, want 0", capture, n)
					}
				}
			}
		})
	}
}

// challenge starts a payment that needs 3-D Secure and returns its result.
func (s *suite) challenge(t *testing.T, card string, capture bool) (psp.AuthorizeRequest, psp.Result) {
	t.Helper()
	if s.h.Complete3DS == nil {
		t.Skip("harness cannot drive 3-D Secure")
	}
	req := s.authorizeRequest(t, card, capture)
	res := s.authorize(t, req)
	if res.Outcome != psp.OutcomeRequiresAction || res.RedirectURL == "" {
		t.Fatalf("Authorize: outcome %q redirect %q, want requires_action with a redirect URL", res.Outcome, res.RedirectURL)
	}
	s.checkState(t, "before 3-D Secure", res, psp.StateRequiresAction)
	if res.AmountAuthorized != 0 {
		t.Errorf("authorized %d before 3-D Secure, want 0", res.AmountAuthorized)
	}
	return req, res
}

func (s *suite) testThreeDSSuccess(t *testing.T) {
	for _, card := range []string{Card3DS, Card3DSAlt} {
		t.Run(card, func(t *testing.T) {
			req, res := s.challenge(t, card, false)
			s.h.Complete3DS(t, res.RedirectURL, true)
			synced, err := s.h.Provider.Sync(s.ctx(t), res.PaymentRef)
			mustSucceed(t, "Sync after 3-D Secure", synced, err)
			s.checkState(t, "Sync after 3-D Secure", synced, psp.StateAuthorized)
			if synced.AmountAuthorized != defaultAmount {
				t.Errorf("authorized %d, want %d", synced.AmountAuthorized, defaultAmount)
			}
			s.checkCharges(t, req.Reference, 1)
			mustOK(t, "Capture after 3-D Secure")(s.capture(t, res.PaymentRef, defaultAmount))
		})
	}
}

func (s *suite) testThreeDSSale(t *testing.T) {
	req, res := s.challenge(t, Card3DS, true)
	s.h.Complete3DS(t, res.RedirectURL, true)
	synced, err := s.h.Provider.Sync(s.ctx(t), res.PaymentRef)
	mustSucceed(t, "Sync after 3-D Secure", synced, err)
	s.checkState(t, "Sync after 3-D Secure", synced, psp.StateCaptured)
	s.checkAmounts(t, "Sync after 3-D Secure", synced, defaultAmount, 0)
	s.checkCharges(t, req.Reference, 1)
}

func (s *suite) testThreeDSFailure(t *testing.T) {
	req, res := s.challenge(t, Card3DS, false)
	s.h.Complete3DS(t, res.RedirectURL, false)
	s.expectAuthFailed(t, res.PaymentRef)
	s.checkCharges(t, req.Reference, 0)
}

func (s *suite) testThreeDSDeclined(t *testing.T) {
	req, res := s.challenge(t, Card3DSDeclined, false)
	s.h.Complete3DS(t, res.RedirectURL, true)
	s.expectAuthFailed(t, res.PaymentRef)
	s.checkCharges(t, req.Reference, 0)
}

func (s *suite) expectAuthFailed(t *testing.T, ref string) {
	t.Helper()
	synced, err := s.h.Provider.Sync(s.ctx(t), ref)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	if synced.Outcome != psp.OutcomeDeclined || synced.DeclineCode != psp.DeclineAuthenticationFailed {
		t.Fatalf("Sync: outcome %q code %q, want declined %q", synced.Outcome, synced.DeclineCode, psp.DeclineAuthenticationFailed)
	}
	s.checkState(t, "Sync", synced, psp.StateFailed)
}

func (s *suite) checkCharges(t *testing.T, reference string, want int) {
	t.Helper()
	if s.h.Charges == nil {
		return
	}
	if got := s.h.Charges(t, reference); got != want {
		t.Errorf("charges for %s = %d, want %d", reference, got, want)
	}
}

func (s *suite) testUsedToken(t *testing.T) {
	s.skipIf(t, s.h.Limits.Stateless || s.h.Limits.ReusableTokens, "a used token cannot be recognised")
	first := s.authorizeRequest(t, CardVisa, false)
	s.authorize(t, first)
	second := first
	second.Reference = unique("pay_psptest_")
	second.IdempotencyKey = second.Reference + ":authorize"
	res, err := s.h.Provider.Authorize(s.ctx(t), second)
	mustRefuse(t, "Authorize with a used token", res, err)
	s.checkCharges(t, second.Reference, 0)
}

func (s *suite) testIdempotentAuthorize(t *testing.T) {
	s.skipIf(t, s.h.Limits.Stateless, "idempotent replays are not stored")
	for _, capture := range []bool{false, true} {
		req := s.authorizeRequest(t, CardVisa, capture)
		first := s.authorize(t, req)
		again := s.authorize(t, req)
		if again.PaymentRef != first.PaymentRef || again.Outcome != first.Outcome || again.State != first.State ||
			again.AmountCaptured != first.AmountCaptured {
			t.Errorf("capture=%v: retry gave %+v, first gave %+v", capture, again, first)
		}
		s.checkCharges(t, req.Reference, 1)
	}
}

func (s *suite) testIdempotentCaptureRefund(t *testing.T) {
	s.skipIf(t, s.h.Limits.Stateless, "idempotent replays are not stored")
	auth := s.authorized(t, CardVisa, false)
	capture := psp.CaptureRequest{IdempotencyKey: auth.PaymentRef + ":capture", PaymentRef: auth.PaymentRef, Amount: 800, Currency: s.h.Currency}
	for range 2 {
		res := mustOK(t, "Capture")(s.h.Provider.Capture(s.ctx(t), capture))
		s.checkAmounts(t, "Capture", res, 800, 0)
	}
	refund := psp.RefundRequest{IdempotencyKey: auth.PaymentRef + ":refund:1", PaymentRef: auth.PaymentRef, Amount: 300, Currency: s.h.Currency}
	first := mustOK(t, "Refund")(s.h.Provider.Refund(s.ctx(t), refund))
	again := mustOK(t, "Refund retry")(s.h.Provider.Refund(s.ctx(t), refund))
	if again.OperationRef != first.OperationRef {
		t.Errorf("Refund retry made refund %q, first was %q", again.OperationRef, first.OperationRef)
	}
	synced, err := s.h.Provider.Sync(s.ctx(t), auth.PaymentRef)
	mustSucceed(t, "Sync", synced, err)
	s.checkAmounts(t, "Sync after retries", synced, 800, 300)
}

func (s *suite) testIdempotencyKeyReuse(t *testing.T) {
	s.skipIf(t, s.h.Limits.Stateless, "idempotency keys are not checked")
	req := s.authorizeRequest(t, CardVisa, false)
	s.authorize(t, req)
	other := req
	other.Amount = defaultAmount + 100
	res, err := s.h.Provider.Authorize(s.ctx(t), other)
	mustRefuse(t, "Authorize reusing a key with another amount", res, err)
	s.checkCharges(t, req.Reference, 1)
}

// mustOK is mustSucceed for a call's (Result, error) pair: mustOK(t, "Capture")(p.Capture(ctx, r)).
func mustOK(t *testing.T, what string) func(psp.Result, error) psp.Result {
	return func(res psp.Result, err error) psp.Result {
		t.Helper()
		return mustSucceed(t, what, res, err)
	}
}
