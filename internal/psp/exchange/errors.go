package exchange

import (
	"fmt"
	"strconv"

	"securelink/internal/psp"
)

// The gateway's error codes SecureLink tells apart. 1xxx: the request was refused; 2xxx: the
// payment was declined; 3xxx: the transaction could not be processed.
const (
	CodeUnknown             = 1000
	CodeInvalidRequest      = 1002 // a field is missing or malformed
	CodeInvalidCredentials  = 1003 // Basic auth or API key wrong
	CodeInvalidSignature    = 1004 // X-Signature wrong or its date outside the window
	CodeTransactionNotFound = 1005 // referenceUuid or merchantTransactionId unknown
	CodeInvalidToken        = 1006 // transactionToken unknown, expired or used
	CodeDeclined            = 2003
	CodeInsufficientFunds   = 2006
	CodeIncorrectPayment    = 2007 // incorrect payment information, such as the security code
	CodeExpiredCard         = 2009
	Code3DSFailed           = 2021
	CodeTimeout             = 3001
	CodeNotAllowed          = 3002 // the transaction's state or amount forbids the operation
	CodeUnavailable         = 3003
	CodeDuplicateID         = 3004 // merchantTransactionId already used
	CodeCommunication       = 3005 // the acquirer could not be reached: the payment failed
)

// declineCodes maps the gateway's decline codes to SecureLink's; other 2xxx codes are card_declined.
var declineCodes = map[int]psp.DeclineCode{
	CodeDeclined:          psp.DeclineCardDeclined,
	CodeInsufficientFunds: psp.DeclineInsufficientFunds,
	CodeIncorrectPayment:  psp.DeclineIncorrectCVC,
	CodeExpiredCard:       psp.DeclineExpiredCard,
	Code3DSFailed:         psp.DeclineAuthenticationFailed,
	CodeTimeout:           psp.DeclineProcessingError,
	CodeUnavailable:       psp.DeclineProcessingError,
	CodeCommunication:     psp.DeclineProcessingError,
}

// DeclineCodeOf is SecureLink's decline code for a gateway error code.
func DeclineCodeOf(code int) psp.DeclineCode {
	if c, ok := declineCodes[code]; ok {
		return c
	}
	if code >= 3000 && code < 4000 {
		return psp.DeclineProcessingError
	}
	return psp.DeclineCardDeclined
}

// isRefusal reports whether a gateway error code means the request was refused and nothing happened.
func isRefusal(code int) bool {
	switch code {
	case CodeInvalidRequest, CodeTransactionNotFound, CodeInvalidToken, CodeNotAllowed, CodeDuplicateID:
		return true
	}
	return false
}

// requestErrorCode names a refusal in the codes psp.RequestError documents.
func requestErrorCode(code int) string {
	switch code {
	case CodeTransactionNotFound:
		return "not_found"
	case CodeInvalidToken:
		return "token_invalid"
	case CodeNotAllowed:
		return "invalid_state"
	case CodeDuplicateID:
		return "idempotency_key_reused"
	default:
		return "invalid_request"
	}
}

// firstError is an answer's first error, or a general one when it names none.
func firstError(errs []Error) Error {
	if len(errs) > 0 {
		return errs[0]
	}
	return Error{ErrorCode: CodeUnknown, ErrorMessage: "the gateway gave no reason"}
}

// hasError reports whether errs carry code.
func hasError(errs []Error, code int) bool {
	for _, e := range errs {
		if e.ErrorCode == code {
			return true
		}
	}
	return false
}

// refusal is the *psp.RequestError for a refused request.
func refusal(e Error) *psp.RequestError {
	return &psp.RequestError{Code: requestErrorCode(e.ErrorCode), Message: describe(e)}
}

// describe is an error's message with the acquirer's, when the gateway passes one on.
func describe(e Error) string {
	msg := e.ErrorMessage
	if msg == "" {
		msg = "error " + strconv.Itoa(e.ErrorCode)
	}
	if e.AdapterMessage != "" && e.AdapterMessage != msg {
		msg = fmt.Sprintf("%s (%s)", msg, e.AdapterMessage)
	}
	return msg
}
