package api

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
)

// ErrorBody is the error object every failure answers with.
type ErrorBody struct {
	Error ErrorObject `json:"error"`
} // @name ErrorResponse

// ErrorObject describes one failure.
type ErrorObject struct {
	// Type is the broad class: invalid_request_error, authentication_error, permission_error,
	// not_found, conflict, idempotency_error, card_error, rate_limit_error or api_error.
	Type string `json:"type" example:"invalid_request_error" enums:"invalid_request_error,authentication_error,permission_error,not_found,conflict,idempotency_error,card_error,rate_limit_error,api_error"`
	// Code is a machine-readable reason, e.g. invalid_currency.
	Code string `json:"code" example:"invalid_currency"`
	// Message is for humans.
	Message string `json:"message" example:"currency must be a supported ISO 4217 code such as RSD, EUR or USD."`
	// Param names the request field at fault, when one is.
	Param string `json:"param,omitempty" example:"currency"`
	// RequestID identifies the request in our logs.
	RequestID string `json:"request_id" example:"req_8f3kq0a1b2c3d4e5"`
} // @name ErrorDetail

// statusOf maps an error kind to its HTTP status and error type.
func statusOf(e *apperr.Error) (int, string) {
	status, typ := http.StatusInternalServerError, "api_error"
	switch e.Kind {
	case apperr.KindInvalid:
		status, typ = http.StatusBadRequest, "invalid_request_error"
	case apperr.KindUnprocessable:
		status, typ = http.StatusUnprocessableEntity, "invalid_request_error"
	case apperr.KindUnauthenticated:
		status, typ = http.StatusUnauthorized, "authentication_error"
	case apperr.KindForbidden:
		status, typ = http.StatusForbidden, "permission_error"
	case apperr.KindNotFound:
		status, typ = http.StatusNotFound, "not_found"
	case apperr.KindConflict:
		status, typ = http.StatusConflict, "conflict"
	case apperr.KindIdempotency:
		status, typ = http.StatusConflict, "idempotency_error"
	case apperr.KindCard:
		status, typ = http.StatusPaymentRequired, "card_error"
	case apperr.KindRateLimited:
		status, typ = http.StatusTooManyRequests, "rate_limit_error"
	case apperr.KindUnavailable:
		status, typ = http.StatusServiceUnavailable, "api_error"
	case apperr.KindInternal:
	}
	if e.Status != 0 {
		status = e.Status
	}
	return status, typ
}

// handleError is the one place errors become responses. A 5xx logs its cause and tells the client
// only the request id.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	rid := requestID(c)
	ae, ok := apperr.As(err)
	var he *echo.HTTPError
	switch {
	case s.d.IsUnavailable != nil && s.d.IsUnavailable(err) && (!ok || ae.Kind == apperr.KindInternal):
		ae = apperr.Unavailable(err, DatabaseRetryAfter)
	case ok:
	case errors.Is(err, apperr.ErrNotFound):
		ae = apperr.NotFound("resource")
	case errors.As(err, &he):
		ae = fromEchoError(he)
	default:
		ae = apperr.Internal(err)
	}
	status, typ := statusOf(ae)
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", retryAfterSeconds(ae.RetryAfter))
	}
	if status >= 500 {
		s.d.Log.ErrorContext(c.Request().Context(), "request failed", "status", status, "err", err)
		ae = &apperr.Error{Kind: ae.Kind, Code: ae.Code, Message: ae.Message, RetryAfter: ae.RetryAfter}
		if ae.Kind == apperr.KindInternal {
			ae.Message = "Something went wrong on our side. Quote the request id when you contact support."
		}
	}
	body := ErrorBody{Error: ErrorObject{Type: typ, Code: ae.Code, Message: ae.Message, Param: ae.Param, RequestID: rid}}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	_ = c.JSON(status, body)
}

// fromEchoError covers what Echo itself answers: unknown routes, wrong methods, body limits.
func fromEchoError(he *echo.HTTPError) *apperr.Error {
	switch he.Code {
	case http.StatusNotFound:
		return &apperr.Error{Kind: apperr.KindNotFound, Code: "route_not_found", Message: "No such route."}
	case http.StatusMethodNotAllowed:
		return &apperr.Error{Kind: apperr.KindInvalid, Code: "method_not_allowed", Message: "This method is not allowed here.", Status: http.StatusMethodNotAllowed}
	case http.StatusRequestEntityTooLarge:
		return &apperr.Error{Kind: apperr.KindInvalid, Code: "request_too_large", Message: "The request body is larger than 64 KiB.", Status: http.StatusRequestEntityTooLarge}
	case http.StatusUnauthorized:
		return apperr.Unauthenticated("unauthenticated", "Authentication is required.")
	case http.StatusForbidden:
		return apperr.Forbidden("forbidden", "This is not allowed.")
	case http.StatusTooManyRequests:
		return apperr.RateLimited("Too many requests. Slow down.", 0)
	}
	if he.Code >= 400 && he.Code < 500 {
		return &apperr.Error{Kind: apperr.KindInvalid, Code: "invalid_request", Message: http.StatusText(he.Code), Status: he.Code}
	}
	return apperr.Internal(he)
}

// DatabaseRetryAfter is when a client may retry a request the database could not serve.
const DatabaseRetryAfter = 2 * time.Second

// DefaultRetryAfter is sent with a 429 or 503 that names no time of its own.
const DefaultRetryAfter = 60 * time.Second

// retryAfterSeconds is a Retry-After value: whole seconds, at least one.
func retryAfterSeconds(d time.Duration) string {
	if d <= 0 {
		d = DefaultRetryAfter
	}
	return strconv.FormatInt(int64(math.Ceil(d.Seconds())), 10)
}
