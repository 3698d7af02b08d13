package domain

import (
	"errors"
	"fmt"
	"time"
)

// AuthorizationExpiringAfter is the age from which an uncaptured authorisation is shown as
// expiring: card networks let many authorisations lapse after about a week, so the merchant is
// warned to capture or void it before the PSP or our background job releases it.
const AuthorizationExpiringAfter = 7 * 24 * time.Hour

// PaymentStatus is where one payment attempt is.
type PaymentStatus string

// The payment statuses. Processing means the attempt is saved and the PSP's answer is not yet
// recorded (in flight, timed out, or the process died); reconciliation settles it.
const (
	PaymentProcessing        PaymentStatus = "processing"
	PaymentRequiresAction    PaymentStatus = "requires_action"
	PaymentAuthorized        PaymentStatus = "authorized"
	PaymentCaptured          PaymentStatus = "captured"
	PaymentPartiallyRefunded PaymentStatus = "partially_refunded"
	PaymentRefunded          PaymentStatus = "refunded"
	PaymentVoided            PaymentStatus = "voided"
	PaymentFailed            PaymentStatus = "failed"
)

// CanTransition reports whether a payment may move from s to next.
func (s PaymentStatus) CanTransition(next PaymentStatus) bool {
	switch s {
	case PaymentProcessing:
		return next == PaymentRequiresAction || next == PaymentAuthorized || next == PaymentCaptured ||
			next == PaymentFailed
	case PaymentRequiresAction:
		// Processing again: the payer finished 3-D Secure and the PSP is still working on it.
		return next == PaymentProcessing || next == PaymentAuthorized || next == PaymentCaptured || next == PaymentFailed
	case PaymentAuthorized:
		return next == PaymentCaptured || next == PaymentVoided
	case PaymentCaptured:
		return next == PaymentPartiallyRefunded || next == PaymentRefunded
	case PaymentPartiallyRefunded:
		return next == PaymentPartiallyRefunded || next == PaymentRefunded
	case PaymentRefunded, PaymentVoided, PaymentFailed:
		return false
	}
	return false
}

// Succeeded reports whether the payment holds or took the payer's money.
func (s PaymentStatus) Succeeded() bool {
	switch s {
	case PaymentAuthorized, PaymentCaptured, PaymentPartiallyRefunded, PaymentRefunded, PaymentVoided:
		return true
	case PaymentProcessing, PaymentRequiresAction, PaymentFailed:
		return false
	}
	return false
}

// InFlight reports whether the payment's outcome is not yet known.
func (s PaymentStatus) InFlight() bool {
	switch s {
	case PaymentProcessing, PaymentRequiresAction:
		return true
	case PaymentAuthorized, PaymentCaptured, PaymentPartiallyRefunded, PaymentRefunded, PaymentVoided,
		PaymentFailed:
		return false
	}
	return false
}

// PaymentMethod is how the payer's money came: by card through a PSP, or by a bank transfer (an IPS
// instant transfer or a payment slip) that arrived at the merchant's bank and was recorded.
type PaymentMethod string

// The payment methods.
const (
	MethodCard         PaymentMethod = "card"
	MethodBankTransfer PaymentMethod = "bank_transfer"
)

// PaymentMethods lists every method (the API's enum is checked against it).
var PaymentMethods = []PaymentMethod{MethodCard, MethodBankTransfer}

// TransactionType is the kind of PSP operation a transaction row records.
type TransactionType string

// The transaction types.
const (
	TxnAuthorize TransactionType = "authorize"
	TxnSale      TransactionType = "sale"
	TxnCapture   TransactionType = "capture"
	TxnVoid      TransactionType = "void"
	TxnRefund    TransactionType = "refund"
)

// TransactionResult is the result of one PSP operation.
type TransactionResult string

// The transaction results.
const (
	TxnPending   TransactionResult = "pending"
	TxnSucceeded TransactionResult = "succeeded"
	TxnFailed    TransactionResult = "failed"
)

// RefundStatus is the state of a refund.
type RefundStatus string

// The refund statuses.
const (
	RefundPending   RefundStatus = "pending"
	RefundSucceeded RefundStatus = "succeeded"
	RefundFailed    RefundStatus = "failed"
)

// CanTransition reports whether a refund may move from s to next.
func (s RefundStatus) CanTransition(next RefundStatus) bool {
	switch s {
	case RefundPending:
		return next == RefundSucceeded || next == RefundFailed
	case RefundSucceeded, RefundFailed:
		return false
	}
	return false
}

// PaymentStatuses lists every payment status.
var PaymentStatuses = []PaymentStatus{PaymentProcessing, PaymentRequiresAction, PaymentAuthorized, PaymentCaptured,
	PaymentPartiallyRefunded, PaymentRefunded, PaymentVoided, PaymentFailed}

// PaymentStatusesWhere lists the payment statuses for which rule holds; stores build their
// guards (WHERE status IN …) from it, so a guard never disagrees with the rule.
func PaymentStatusesWhere(rule func(PaymentStatus) bool) []PaymentStatus {
	return StatusesWhere(PaymentStatuses, rule)
}

// ErrTransition is a status change the state machine does not allow.
var ErrTransition = errors.New("domain: status change not allowed")

// To moves a payment from s to next, or fails with ErrTransition.
func (s PaymentStatus) To(next PaymentStatus) (PaymentStatus, error) {
	if !s.CanTransition(next) {
		return s, fmt.Errorf("payment %s → %s: %w", s, next, ErrTransition)
	}
	return next, nil
}

// Capturable reports whether the merchant may capture a payment in status s: only an
// authorisation that was not captured at once.
func (s PaymentStatus) Capturable() bool {
	return s == PaymentAuthorized && s.CanTransition(PaymentCaptured)
}

// Voidable reports whether the merchant may release a payment's authorisation.
func (s PaymentStatus) Voidable() bool { return s.CanTransition(PaymentVoided) }

// Refundable reports whether money may be refunded on a payment in status s.
func (s PaymentStatus) Refundable() bool { return s.CanTransition(PaymentRefunded) }

// RefundRule is the status a succeeded refund leaves on what was paid: Full once everything paid
// is refunded, Partial while some is left. It is a table so that a store that must apply it inside
// one SQL statement (concurrent refunds add up atomically there) renders its SQL from the table;
// the store's test checks that rendering against After for every case.
type RefundRule[S ~string] struct{ Partial, Full S }

// After is the status once refunded of total is refunded.
func (r RefundRule[S]) After(refunded, total int64) S {
	if refunded >= total {
		return r.Full
	}
	return r.Partial
}

// PaymentRefundRule is the status a succeeded refund leaves on a captured payment.
var PaymentRefundRule = RefundRule[PaymentStatus]{Partial: PaymentPartiallyRefunded, Full: PaymentRefunded}

// PaymentStatusAfterRefund is a captured payment's status once refunded of captured is refunded:
// refunded when nothing is left, partially refunded otherwise.
func PaymentStatusAfterRefund(refunded, captured int64) PaymentStatus {
	return PaymentRefundRule.After(refunded, captured)
}

// RefundStatuses lists every refund status.
var RefundStatuses = []RefundStatus{RefundPending, RefundSucceeded, RefundFailed}

// TransactionResults lists every transaction result.
var TransactionResults = []TransactionResult{TxnPending, TxnSucceeded, TxnFailed}

// StatusesWhere lists the statuses of all for which rule holds; stores build their guards from it.
func StatusesWhere[S ~string](all []S, rule func(S) bool) []S {
	var out []S
	for _, s := range all {
		if rule(s) {
			out = append(out, s)
		}
	}
	return out
}

// StatusesTo lists the statuses of all that may move to next by can (a CanTransition method
// expression): the guard of an update that moves a row to next.
func StatusesTo[S ~string](all []S, can func(S, S) bool, next S) []S {
	return StatusesWhere(all, func(s S) bool { return can(s, next) })
}

// Pending reports whether a transaction's outcome is not yet recorded (reconciliation repeats it).
func (r TransactionResult) Pending() bool {
	switch r {
	case TxnPending:
		return true
	case TxnSucceeded, TxnFailed:
		return false
	}
	return false
}

// To moves a refund from s to next, or fails with ErrTransition.
func (s RefundStatus) To(next RefundStatus) (RefundStatus, error) {
	if !s.CanTransition(next) {
		return s, fmt.Errorf("refund %s → %s: %w", s, next, ErrTransition)
	}
	return next, nil
}

// CanTransition reports whether a transaction's result may move from r to next: a pending
// operation gets its one outcome.
func (r TransactionResult) CanTransition(next TransactionResult) bool {
	switch r {
	case TxnPending:
		return next == TxnSucceeded || next == TxnFailed
	case TxnSucceeded, TxnFailed:
		return false
	}
	return false
}

// To moves a transaction's result from r to next, or fails with ErrTransition.
func (r TransactionResult) To(next TransactionResult) (TransactionResult, error) {
	if !r.CanTransition(next) {
		return r, fmt.Errorf("transaction %s → %s: %w", r, next, ErrTransition)
	}
	return next, nil
}
