package stripemock

import (
	"testing"

	"securelink/internal/psp/psptest"
)

// testPaymentMethods are Stripe's test PaymentMethods for SecureLink's test cards, so the
// same suite could run against a Stripe test account. Stripe knows no DinaCard: a Visa stands in.
var testPaymentMethods = map[string]string{
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

// TestPaymentMethod is the provider suite's Token function for Stripe.
func TestPaymentMethod(t *testing.T, card string) string {
	t.Helper()
	pm, ok := testPaymentMethods[card]
	if !ok {
		t.Fatalf("no Stripe test PaymentMethod for card %s", card)
	}
	return pm
}
