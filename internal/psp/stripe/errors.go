package stripe

import (
	"errors"
	"net/http"

	stripego "github.com/stripe/stripe-go/v76"

	"securelink/internal/psp"
)

// mapError sorts a failed Stripe call into the three answers psp.Provider gives:
// a declined Result, a *psp.RequestError (Stripe did nothing), or a wrapped error (outcome unknown).
func mapError(op string, err error) (psp.Result, error) {
	var stripeErr *stripego.Error
	if !errors.As(err, &stripeErr) {
		// Network failures, timeouts and unreadable answers: the request may have gone through.
		return psp.Result{}, wrapUnknown(op, err)
	}

	switch {
	case stripeErr.HTTPStatusCode == http.StatusTooManyRequests,
		stripeErr.HTTPStatusCode >= http.StatusInternalServerError,
		stripeErr.Type == stripego.ErrorTypeAPI:
		// Rate limits and Stripe's own failures say nothing definite about the payment.
		return psp.Result{}, wrapUnknown(op, err)
	case stripeErr.HTTPStatusCode == http.StatusUnauthorized, stripeErr.HTTPStatusCode == http.StatusForbidden:
		// A wrong or restricted key is SecureLink's misconfiguration, not the payer's problem:
		// the payment stays pending until an operator fixes the key and Sync settles it.
		return psp.Result{}, wrapUnknown(op, err)
	case stripeErr.Type == stripego.ErrorTypeCard,
		stripeErr.Code == stripego.ErrorCodePaymentIntentAuthenticationFailure:
		return declinedResult(stripeErr), nil
	case stripeErr.HTTPStatusCode == http.StatusConflict:
		// Another request with the same idempotency key is still running; its outcome is not known yet.
		return psp.Result{}, wrapUnknown(op, err)
	case stripeErr.Type == stripego.ErrorTypeInvalidRequest, stripeErr.Type == stripego.ErrorTypeIdempotency:
		return psp.Result{}, &psp.RequestError{Code: requestErrorCode(stripeErr), Message: stripeErr.Msg}
	default:
		return psp.Result{}, wrapUnknown(op, err)
	}
}

// declinedResult is the Result of a card error: Stripe sends the failed PaymentIntent along.
func declinedResult(stripeErr *stripego.Error) psp.Result {
	res := psp.Result{
		Outcome:        psp.OutcomeDeclined,
		State:          psp.StateFailed,
		DeclineCode:    unifiedDeclineCode(stripeErr.Code, stripeErr.DeclineCode),
		DeclineMessage: stripeErr.Msg,
		OperationRef:   stripeErr.ChargeID,
	}
	if pi := stripeErr.PaymentIntent; pi != nil {
		res.PaymentRef = pi.ID
		res.Card = cardOfPaymentIntent(pi)
	}
	if res.OperationRef == "" {
		res.OperationRef = res.PaymentRef
	}
	if res.Card == nil && stripeErr.PaymentMethod != nil && stripeErr.PaymentMethod.Card != nil {
		c := stripeErr.PaymentMethod.Card
		res.Card = &psp.Card{Brand: unifiedBrand(c.Brand), Last4: c.Last4, ExpMonth: int(c.ExpMonth), ExpYear: int(c.ExpYear)}
	}
	return res
}

// requestErrorCode names a refusal in the codes psp.RequestError documents, keeping Stripe's
// own code where SecureLink has no equivalent.
func requestErrorCode(stripeErr *stripego.Error) string {
	switch stripeErr.Code {
	case stripego.ErrorCodeAmountTooLarge, stripego.ErrorCodeChargeAlreadyRefunded:
		// Refunding more than is left, including a second full refund.
		return "amount_too_large"
	case stripego.ErrorCodePaymentIntentUnexpectedState,
		stripego.ErrorCodeChargeAlreadyCaptured,
		stripego.ErrorCodeChargeExpiredForCapture:
		return "invalid_state"
	case stripego.ErrorCodePaymentMethodUnexpectedState,
		stripego.ErrorCodePaymentIntentIncompatiblePaymentMethod:
		return "token_invalid"
	case stripego.ErrorCodeResourceMissing:
		if stripeErr.Param == "payment_method" {
			return "token_invalid"
		}
		return "not_found"
	case "":
		if stripeErr.Type == stripego.ErrorTypeIdempotency {
			return "idempotency_key_reused"
		}
		return "invalid_request"
	default:
		return string(stripeErr.Code)
	}
}
