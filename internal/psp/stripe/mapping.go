package stripe

import (
	stripego "github.com/stripe/stripe-go/v76"

	"securelink/internal/psp"
)

// resultFromPaymentIntent maps a PaymentIntent to the outcome and state of the payment.
// Every status is listed on purpose: a status Stripe adds later falls to pending, never to success.
func resultFromPaymentIntent(pi *stripego.PaymentIntent) psp.Result {
	res := psp.Result{
		PaymentRef:   pi.ID,
		OperationRef: pi.ID,
		Card:         cardOfPaymentIntent(pi),
	}
	if pi.LatestCharge != nil {
		res.AmountRefunded = pi.LatestCharge.AmountRefunded
	}

	switch pi.Status {
	case stripego.PaymentIntentStatusRequiresAction:
		res.Outcome = psp.OutcomeRequiresAction
		res.State = psp.StateRequiresAction
		if pi.NextAction != nil && pi.NextAction.RedirectToURL != nil {
			res.RedirectURL = pi.NextAction.RedirectToURL.URL
		}
	case stripego.PaymentIntentStatusRequiresCapture:
		res.Outcome = psp.OutcomeSucceeded
		res.State = psp.StateAuthorized
		res.AmountAuthorized = pi.AmountCapturable
		if res.AmountAuthorized == 0 {
			res.AmountAuthorized = pi.Amount
		}
	case stripego.PaymentIntentStatusSucceeded:
		res.Outcome = psp.OutcomeSucceeded
		res.State = psp.StateCaptured
		res.AmountAuthorized = pi.Amount
		res.AmountCaptured = pi.AmountReceived
	case stripego.PaymentIntentStatusRequiresPaymentMethod:
		// We always confirm with a payment method, so this status means the attempt failed
		// (a decline, or a failed 3-D Secure challenge) and the payer may try another card.
		res.Outcome = psp.OutcomeDeclined
		res.State = psp.StateFailed
		res.DeclineCode, res.DeclineMessage = declineOfLastError(pi.LastPaymentError)
	case stripego.PaymentIntentStatusCanceled:
		if pi.LastPaymentError != nil {
			res.Outcome = psp.OutcomeDeclined
			res.State = psp.StateFailed
			res.DeclineCode, res.DeclineMessage = declineOfLastError(pi.LastPaymentError)
		} else {
			res.Outcome = psp.OutcomeSucceeded
			res.State = psp.StateVoided
		}
	case stripego.PaymentIntentStatusProcessing, stripego.PaymentIntentStatusRequiresConfirmation:
		// Stripe has not decided yet: the payment stays pending until Sync or a webhook settles it.
		res.Outcome = psp.OutcomePending
	default:
		res.Outcome = psp.OutcomePending
	}
	return res
}

// resultFromRefund maps a Refund, with its charge expanded, to the payment after the refund.
func resultFromRefund(paymentRef string, refund *stripego.Refund) psp.Result {
	res := psp.Result{
		PaymentRef:   paymentRef,
		OperationRef: refund.ID,
		State:        psp.StateCaptured,
	}
	if refund.PaymentIntent != nil && refund.PaymentIntent.ID != "" {
		res.PaymentRef = refund.PaymentIntent.ID
	}
	if charge := refund.Charge; charge != nil {
		res.AmountAuthorized = charge.Amount
		res.AmountCaptured = charge.AmountCaptured
		res.AmountRefunded = charge.AmountRefunded
		res.Card = cardOfCharge(charge)
	}

	switch refund.Status {
	case stripego.RefundStatusSucceeded:
		res.Outcome = psp.OutcomeSucceeded
	case stripego.RefundStatusFailed, stripego.RefundStatusCanceled:
		res.Outcome = psp.OutcomeDeclined
		res.DeclineCode = psp.DeclineRefundFailed
		res.DeclineMessage = string(refund.FailureReason)
	case stripego.RefundStatusPending, stripego.RefundStatusRequiresAction:
		res.Outcome = psp.OutcomePending
	default:
		res.Outcome = psp.OutcomePending
	}
	return res
}

// declineOfLastError turns a PaymentIntent's last_payment_error into a unified decline.
func declineOfLastError(lastErr *stripego.Error) (psp.DeclineCode, string) {
	if lastErr == nil {
		return psp.DeclineCardDeclined, ""
	}
	return unifiedDeclineCode(lastErr.Code, lastErr.DeclineCode), lastErr.Msg
}

// unifiedDeclineCode maps Stripe's error code and issuer decline code to SecureLink's codes.
// The issuer's decline code is the more precise of the two, so it is looked at first.
func unifiedDeclineCode(code stripego.ErrorCode, declineCode stripego.DeclineCode) psp.DeclineCode {
	switch declineCode {
	case stripego.DeclineCodeInsufficientFunds:
		return psp.DeclineInsufficientFunds
	case stripego.DeclineCodeExpiredCard:
		return psp.DeclineExpiredCard
	case stripego.DeclineCodeIncorrectCVC, stripego.DeclineCodeInvalidCVC:
		return psp.DeclineIncorrectCVC
	case stripego.DeclineCodeProcessingError:
		return psp.DeclineProcessingError
	case stripego.DeclineCodeAuthenticationRequired:
		return psp.DeclineAuthenticationFailed
	default:
		// Stripe has dozens of issuer codes; the error code below decides the rest.
	}
	switch code {
	case stripego.ErrorCodeExpiredCard:
		return psp.DeclineExpiredCard
	case stripego.ErrorCodeIncorrectCVC, stripego.ErrorCodeInvalidCVC:
		return psp.DeclineIncorrectCVC
	case stripego.ErrorCodeProcessingError:
		return psp.DeclineProcessingError
	case stripego.ErrorCodeAuthenticationRequired, stripego.ErrorCodePaymentIntentAuthenticationFailure:
		return psp.DeclineAuthenticationFailed
	default:
		// Every other refusal is a plain decline.
	}
	return psp.DeclineCardDeclined
}

// cardOfPaymentIntent reads the card from the latest charge or, before any charge, the payment method.
func cardOfPaymentIntent(pi *stripego.PaymentIntent) *psp.Card {
	if card := cardOfCharge(pi.LatestCharge); card != nil {
		return card
	}
	if pi.PaymentMethod != nil && pi.PaymentMethod.Card != nil && pi.PaymentMethod.Card.Last4 != "" {
		c := pi.PaymentMethod.Card
		return &psp.Card{Brand: unifiedBrand(c.Brand), Last4: c.Last4, ExpMonth: int(c.ExpMonth), ExpYear: int(c.ExpYear)}
	}
	return nil
}

// cardOfCharge reads the card a charge was made on, if the charge is expanded.
func cardOfCharge(charge *stripego.Charge) *psp.Card {
	if charge == nil || charge.PaymentMethodDetails == nil || charge.PaymentMethodDetails.Card == nil {
		return nil
	}
	c := charge.PaymentMethodDetails.Card
	if c.Last4 == "" {
		return nil
	}
	return &psp.Card{Brand: unifiedBrand(c.Brand), Last4: c.Last4, ExpMonth: int(c.ExpMonth), ExpYear: int(c.ExpYear)}
}

// unifiedBrand keeps the brands SecureLink shows and calls every other one unknown.
func unifiedBrand(brand stripego.PaymentMethodCardBrand) string {
	switch brand {
	case stripego.PaymentMethodCardBrandVisa, stripego.PaymentMethodCardBrandMastercard, stripego.PaymentMethodCardBrandAmex:
		return string(brand)
	default:
		return "unknown"
	}
}
