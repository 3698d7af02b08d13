// Package psp defines the one interface every payment service provider (PSP) adapter implements,
// with the request and result types SecureLink's payment use cases speak.
//
// The rules every provider follows:
//   - Every request carries an idempotency key derived from SecureLink's own ids; repeating a
//     request with the same key returns the first result and never moves money twice.
//   - Amounts are int64 minor units with an ISO 4217 currency code.
//   - A decline is a Result with Outcome OutcomeDeclined and a unified DeclineCode, not an error.
//   - A *RequestError means the provider refused the request and nothing happened (over-refund,
//     capture of a voided payment, a used token). Any other error means the outcome is unknown:
//     the caller keeps the payment pending until Sync (or a retry with the same key) settles it.
package psp

import (
	"context"
	"errors"
	"fmt"

	"securelink/internal/validate"
)

// Provider is a payment service provider adapter.
type Provider interface {
	// Name is the provider's short name as the checkout sees it ("testgateway", "stripe").
	Name() string
	// Authorize reserves (r.Capture=false) or charges (r.Capture=true, a sale) the payer's card.
	Authorize(ctx context.Context, r AuthorizeRequest) (Result, error)
	// Sync fetches the current state of a payment from the PSP: after a 3-D Secure return,
	// and for reconciliation of payments whose outcome was not recorded.
	Sync(ctx context.Context, paymentRef string) (Result, error)
	// Capture captures an authorisation, fully or in part; the rest is released.
	Capture(ctx context.Context, r CaptureRequest) (Result, error)
	// Void releases an authorisation that was not captured.
	Void(ctx context.Context, r VoidRequest) (Result, error)
	// Refund returns captured money, fully or in part; several refunds may follow one capture.
	Refund(ctx context.Context, r RefundRequest) (Result, error)
	// ClientConfig tells the checkout how to tokenise a card with this provider.
	ClientConfig() ClientConfig
}

// AuthorizeRequest asks for an authorisation or, with Capture, a sale.
type AuthorizeRequest struct {
	IdempotencyKey string
	// Reference is SecureLink's payment id; providers store it with the payment.
	Reference    string
	Amount       int64
	Currency     string
	PaymentToken string // single-use card token (tok_… for the test gateway, pm_… for Stripe)
	Capture      bool
	// ReturnURL is where the payer's browser comes back after a 3-D Secure challenge.
	ReturnURL   string
	Description string
}

// CaptureRequest captures Amount of an authorisation.
type CaptureRequest struct {
	IdempotencyKey string
	PaymentRef     string
	Amount         int64
	Currency       string
}

// VoidRequest releases an authorisation.
type VoidRequest struct {
	IdempotencyKey string
	PaymentRef     string
}

// RefundRequest refunds Amount of a captured payment.
type RefundRequest struct {
	IdempotencyKey string
	PaymentRef     string
	Amount         int64
	Currency       string
	Reason         string
}

// Outcome is what became of one operation.
type Outcome string

// The outcomes of an operation.
const (
	OutcomeSucceeded      Outcome = "succeeded"
	OutcomeRequiresAction Outcome = "requires_action" // 3-D Secure: send the payer to RedirectURL
	OutcomeDeclined       Outcome = "declined"
	OutcomePending        Outcome = "pending" // accepted by the PSP; the final outcome comes later (Sync)
)

// PaymentState is the PSP's view of the whole payment after an operation.
type PaymentState string

// The states of a payment at the PSP.
const (
	StateRequiresAction PaymentState = "requires_action"
	StateAuthorized     PaymentState = "authorized"
	StateCaptured       PaymentState = "captured" // includes partially or fully refunded payments
	StateVoided         PaymentState = "voided"
	StateFailed         PaymentState = "failed"
)

// DeclineCode is the unified reason for a decline, whichever PSP handled it.
type DeclineCode string

// The unified decline codes.
const (
	DeclineCardDeclined         DeclineCode = "card_declined"
	DeclineInsufficientFunds    DeclineCode = "insufficient_funds"
	DeclineExpiredCard          DeclineCode = "expired_card"
	DeclineIncorrectCVC         DeclineCode = "incorrect_cvc"
	DeclineProcessingError      DeclineCode = "processing_error"
	DeclineAuthenticationFailed DeclineCode = "authentication_failed"
	DeclineRefundFailed         DeclineCode = "refund_failed"
)

// PayerDeclineCodes are the codes a payer may see after a payment attempt; the checkout explains each
// in words (a test checks its translations). DeclineRefundFailed concerns only the merchant.
var PayerDeclineCodes = []DeclineCode{DeclineCardDeclined, DeclineInsufficientFunds, DeclineExpiredCard,
	DeclineIncorrectCVC, DeclineProcessingError, DeclineAuthenticationFailed}

// Card is what may be known of a card: never its number or CVC.
type Card struct {
	Brand    string `json:"brand"` // visa, mastercard, amex, maestro, dinacard, unknown
	Last4    string `json:"last4"`
	ExpMonth int    `json:"exp_month"`
	ExpYear  int    `json:"exp_year"`
}

// Result is the answer to one operation.
type Result struct {
	Outcome Outcome
	// PaymentRef is the PSP's id of the payment, the same for every operation on it.
	PaymentRef string
	// OperationRef is the PSP's id of this operation (a capture or refund id); may equal PaymentRef.
	OperationRef string
	State        PaymentState
	// Amounts as the PSP records them after the operation, in minor units.
	AmountAuthorized int64
	AmountCaptured   int64
	AmountRefunded   int64
	Card             *Card
	DeclineCode      DeclineCode
	DeclineMessage   string
	// RedirectURL is set with OutcomeRequiresAction.
	RedirectURL string
}

// ClientConfig is what the checkout needs to tokenise a card.
type ClientConfig struct {
	// Name picks the checkout's card component: one per provider with a browser SDK.
	Name           string `json:"name"`
	TokenizeURL    string `json:"tokenize_url,omitempty"`
	PublishableKey string `json:"publishable_key,omitempty"`
	// ScriptURL is the provider's browser SDK, loaded by the checkout only when it shows the card form.
	ScriptURL string `json:"script_url,omitempty"`
	// NeedsHolderName asks the checkout for the name on the card.
	NeedsHolderName bool `json:"needs_holder_name,omitempty"`
	// CardBrands are the card brands the provider takes, in the order the checkout shows them.
	CardBrands []string `json:"card_brands,omitempty"`
}

// RequestError is a definite refusal: the PSP did nothing (bad amount, wrong state, used token).
type RequestError struct {
	Code    string // e.g. "amount_too_large", "invalid_state", "token_invalid", "not_found"
	Message string
}

func (e *RequestError) Error() string { return fmt.Sprintf("psp: %s: %s", e.Code, e.Message) }

// IsRequestError reports whether err is a definite refusal by the PSP.
func IsRequestError(err error) bool {
	var re *RequestError
	return errors.As(err, &re)
}

// TokenShaper is implemented by a provider whose card tokens have a known form (tok_… for the test
// gateway, pm_… for Stripe). The checkout's pay call refuses anything else before it is stored, so
// a card number sent where a token belongs never reaches the database or a log.
type TokenShaper interface {
	// IsPaymentToken reports whether s has the shape of this provider's card token.
	IsPaymentToken(s string) bool
}

// IsPaymentToken reports whether token has the provider's token shape; a provider that declares none
// accepts any token that is not a card number.
func IsPaymentToken(p Provider, token string) bool {
	if ts, ok := p.(TokenShaper); ok {
		return ts.IsPaymentToken(token)
	}
	return !validate.ContainsCardNumber(token)
}
