// Package apperr is the vocabulary of failures every layer shares: a Kind that the HTTP layer maps to
// a status and error type, a machine-readable Code, a human Message and the Param at fault.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies a failure; the HTTP error handler maps each kind to one status.
type Kind int

// The kinds of failure.
const (
	KindInternal        Kind = iota // a bug or an unavailable dependency: 500, cause logged only
	KindInvalid                     // malformed request: 400
	KindUnprocessable               // well-formed but refused by a rule: 422
	KindUnauthenticated             // 401
	KindForbidden                   // 403
	KindNotFound                    // 404
	KindConflict                    // 409 conflict
	KindIdempotency                 // idempotency key misuse: 409 or 422
	KindCard                        // card declined: 402
	KindRateLimited                 // 429
	KindUnavailable                 // 503
)

// Error is a failure a client may be told about.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Param   string
	// Status overrides the kind's default HTTP status (e.g. 422 for an idempotency body mismatch).
	Status int
	// RetryAfter tells a rate-limited (429) or unavailable (503) client when to try again; the error
	// handler sends it as Retry-After, with a default when it is zero.
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	s := e.Code + ": " + e.Message
	if e.Param != "" {
		s += " (" + e.Param + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Codes the SPAs explain in words of their own (the rest they show with the error's type and
// message); a test checks that every code they translate is one of these.
const (
	CodeCSRFTokenInvalid = "csrf_token_invalid"
	CodeNoEndpoints      = "no_endpoints"
	// Webhook endpoint URLs and events (notify and its URL guard).
	CodeInvalidURL        = "invalid_url"
	CodeMissingURL        = "missing_url"
	CodeURLNotAllowed     = "url_not_allowed"
	CodeURLUnresolvable   = "url_unresolvable"
	CodeMissingEvents     = "missing_events"
	CodeSMTPNotConfigured = "smtp_not_configured"
	// Accounts: the team and the password reset (merchants).
	CodeEmailTaken        = "email_taken"
	CodeLastOwner         = "last_owner"
	CodeOwnerRequired     = "owner_required"
	CodeCannotRemoveSelf  = "cannot_remove_self"
	CodeResetTokenInvalid = "reset_token_invalid"
)

// TranslatedCodes lists the codes above.
var TranslatedCodes = []string{CodeCSRFTokenInvalid, CodeNoEndpoints, CodeInvalidURL, CodeMissingURL, CodeURLNotAllowed,
	CodeURLUnresolvable, CodeMissingEvents, CodeSMTPNotConfigured, CodeEmailTaken, CodeLastOwner, CodeOwnerRequired,
	CodeCannotRemoveSelf, CodeResetTokenInvalid}

// Sentinels that stores return wrapped; use cases and the error handler test them with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
)

// Invalid is a 400 naming the param at fault.
func Invalid(param, code, format string, args ...any) *Error {
	return &Error{Kind: KindInvalid, Code: code, Message: fmt.Sprintf(format, args...), Param: param}
}

// Unprocessable is a 422 naming the param at fault.
func Unprocessable(param, code, format string, args ...any) *Error {
	return &Error{Kind: KindUnprocessable, Code: code, Message: fmt.Sprintf(format, args...), Param: param}
}

// NotFound says the named resource does not exist for this caller.
func NotFound(resource string) *Error {
	return &Error{Kind: KindNotFound, Code: "resource_missing", Message: "No such " + resource + "."}
}

// InvalidState is a 409 for a transition the state machine does not allow.
func InvalidState(format string, args ...any) *Error {
	return &Error{Kind: KindConflict, Code: "invalid_state", Message: fmt.Sprintf(format, args...)}
}

// IdempotencyKeyReused is the 422 for an Idempotency-Key sent again with a different request.
func IdempotencyKeyReused() *Error {
	return &Error{Kind: KindIdempotency, Code: "idempotency_key_reused", Status: 422,
		Message: "This Idempotency-Key was used with a different request body. Use a new key for a new request."}
}

// IdempotencyKeyInUse is the 409 for an Idempotency-Key whose first request is still running.
func IdempotencyKeyInUse() *Error {
	return &Error{Kind: KindIdempotency, Code: "idempotency_key_in_use",
		Message: "A request with this Idempotency-Key is still being processed. Retry later."}
}

// Conflict is a 409 with a code.
func Conflict(code, format string, args ...any) *Error {
	return &Error{Kind: KindConflict, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Unauthenticated is a 401.
func Unauthenticated(code, message string) *Error {
	return &Error{Kind: KindUnauthenticated, Code: code, Message: message}
}

// Forbidden is a 403.
func Forbidden(code, message string) *Error {
	return &Error{Kind: KindForbidden, Code: code, Message: message}
}

// RateLimited is a 429 telling the client to come back after retryAfter (zero: the default).
func RateLimited(message string, retryAfter time.Duration) *Error {
	return &Error{Kind: KindRateLimited, Code: "rate_limited", Message: message, RetryAfter: retryAfter}
}

// Unavailable is a 503: a dependency (the database) cannot serve the request now; the client may
// retry after retryAfter. The cause is logged, never shown.
func Unavailable(err error, retryAfter time.Duration) *Error {
	return &Error{Kind: KindUnavailable, Code: "service_unavailable", RetryAfter: retryAfter, Err: err,
		Message: "The service is busy. Retry after the time in the Retry-After header."}
}

// Internal wraps a cause that must reach the log but not the client.
func Internal(err error) *Error {
	return &Error{Kind: KindInternal, Code: "internal_error", Message: "Something went wrong on our side.", Err: err}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
