package payments

import (
	"context"
	"errors"
	"log/slog"
	"sort"
	"strings"
	"unicode/utf8"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/psp"
)

// maxReasonLen caps a refund's reason.
const maxReasonLen = 500

// Get returns one of the merchant's payments.
func (s *Service) Get(ctx context.Context, merchantID, id string) (Payment, error) {
	p, err := s.Store.GetPayment(ctx, merchantID, id)
	if errors.Is(err, apperr.ErrNotFound) {
		return Payment{}, apperr.NotFound("payment")
	}
	return p, err
}

// Detail is a payment with its transactions and refunds.
type Detail struct {
	Payment      Payment
	Transactions []Transaction
	Refunds      []Refund
}

// GetDetail returns one of the merchant's payments with its transactions and refunds.
func (s *Service) GetDetail(ctx context.Context, merchantID, id string) (Detail, error) {
	p, err := s.Get(ctx, merchantID, id)
	if err != nil {
		return Detail{}, err
	}
	txns, err := s.Store.ListTransactions(ctx, []string{p.ID})
	if err != nil {
		return Detail{}, err
	}
	refunds, err := s.Store.ListRefunds(ctx, []string{p.ID})
	if err != nil {
		return Detail{}, err
	}
	return Detail{Payment: p, Transactions: txns, Refunds: refunds}, nil
}

// List returns a page of the merchant's payments, newest first.
func (s *Service) List(ctx context.Context, merchantID string, f Filter) ([]Payment, bool, error) {
	if f.Status != "" && !validStatus(f.Status) {
		return nil, false, apperr.Invalid("status", "invalid_status", "status must be one of processing, requires_action, authorized, captured, partially_refunded, refunded, voided, failed.")
	}
	return s.Store.ListPayments(ctx, merchantID, f)
}

func validStatus(st domain.PaymentStatus) bool {
	switch st {
	case domain.PaymentProcessing, domain.PaymentRequiresAction, domain.PaymentAuthorized, domain.PaymentCaptured,
		domain.PaymentPartiallyRefunded, domain.PaymentRefunded, domain.PaymentVoided, domain.PaymentFailed:
		return true
	}
	return false
}

// InvoicePayments is every payment of an invoice with their transactions and refunds, newest first.
func (s *Service) InvoicePayments(ctx context.Context, merchantID, invoiceID string) ([]Payment, []Transaction, []Refund, error) {
	ps, _, err := s.Store.ListPayments(ctx, merchantID, Filter{InvoiceID: invoiceID, Page: domain.Page{Limit: domain.MaxPageLimit}})
	if err != nil || len(ps) == 0 {
		return ps, nil, nil, err
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	txns, err := s.Store.ListTransactions(ctx, ids)
	if err != nil {
		return nil, nil, nil, err
	}
	refunds, err := s.Store.ListRefunds(ctx, ids)
	if err != nil {
		return nil, nil, nil, err
	}
	return ps, txns, refunds, nil
}

// Receipt is the invoice's successful payment, for the payer's receipt; ok is false when none.
func (s *Service) Receipt(ctx context.Context, invoiceID string) (Payment, bool, error) {
	p, err := s.Store.SucceededPayment(ctx, invoiceID)
	if errors.Is(err, apperr.ErrNotFound) {
		return Payment{}, false, nil
	}
	if err != nil {
		return Payment{}, false, err
	}
	return p, true, nil
}

// GetRefund returns one of the merchant's refunds.
func (s *Service) GetRefund(ctx context.Context, merchantID, id string) (Refund, error) {
	r, err := s.Store.GetRefund(ctx, merchantID, id)
	if errors.Is(err, apperr.ErrNotFound) {
		return Refund{}, apperr.NotFound("refund")
	}
	return r, err
}

// Capture captures an authorisation, fully (amount nil) or in part; the rest is released.
func (s *Service) Capture(ctx context.Context, actor domain.Actor, paymentID string, amount *int64) (Payment, error) {
	p, err := s.Get(ctx, actor.MerchantID, paymentID)
	if err != nil {
		return Payment{}, err
	}
	if !p.Status.Capturable() {
		return Payment{}, apperr.InvalidState("Only an authorized payment can be captured; this one is %s.", p.Status)
	}
	amt := p.AmountAuthorized
	if amount != nil {
		if *amount < domain.MinAmount || *amount > p.AmountAuthorized {
			return Payment{}, apperr.Invalid("amount", "amount_out_of_range", "amount must be between 1 and %d, the authorised amount.", p.AmountAuthorized)
		}
		amt = *amount
	}
	return s.runOperation(ctx, actor, p, domain.TxnCapture, amt)
}

// Void releases an authorisation; the invoice is cancelled.
func (s *Service) Void(ctx context.Context, actor domain.Actor, paymentID string) (Payment, error) {
	p, err := s.Get(ctx, actor.MerchantID, paymentID)
	if err != nil {
		return Payment{}, err
	}
	if !p.Status.Voidable() {
		return Payment{}, apperr.InvalidState("Only an authorized payment can be voided; this one is %s.", p.Status)
	}
	return s.runOperation(ctx, actor, p, domain.TxnVoid, p.AmountAuthorized)
}

// runOperation takes the payment's operation lock, calls the PSP and records its answer. Of a
// concurrent capture and void exactly one takes the lock; the other gets 409.
func (s *Service) runOperation(ctx context.Context, actor domain.Actor, p Payment, op domain.TransactionType, amount int64) (Payment, error) {
	now := s.now()
	txn := Transaction{ID: domain.NewID(domain.PrefixTransaction), MerchantID: p.MerchantID, Livemode: p.Livemode, PaymentID: p.ID, Type: op,
		Amount: amount, Currency: p.Currency, Result: domain.TxnPending, Actor: actor.Label(),
		IdempotencyKey: p.ID + ":" + string(op), CreatedAt: now, UpdatedAt: now, NextAttemptAt: now.Add(s.staleAfter())}
	if err := s.Store.BeginOperation(ctx, actor.MerchantID, p.ID, txn); err != nil {
		if !errors.Is(err, apperr.ErrConflict) {
			return Payment{}, err
		}
		cur, gerr := s.Get(ctx, actor.MerchantID, p.ID)
		if gerr != nil {
			return Payment{}, gerr
		}
		if cur.Status != domain.PaymentAuthorized {
			return Payment{}, apperr.InvalidState("The payment is %s now; it can no longer be %s.", cur.Status, pastTense(op))
		}
		return Payment{}, apperr.Conflict("payment_in_progress", "Another operation on this payment is in progress (%s).", cur.PendingOp)
	}
	pctx := context.WithoutCancel(ctx)
	res, perr := s.callOperation(pctx, p, txn)
	// The outcome and its audit row commit together; a refused operation is recorded without one.
	var out Payment
	var err error
	terr := s.Tx.Run(pctx, func(ctx context.Context) error {
		if out, err = s.recordOperation(ctx, p, txn, res, perr); err != nil {
			return nil
		}
		return s.Audit.Record(ctx, actor, "payment."+pastTense(op), p.ID, map[string]any{"amount": amount, "currency": p.Currency})
	})
	if terr != nil {
		return Payment{}, terr
	}
	return out, err
}

func pastTense(op domain.TransactionType) string {
	switch op {
	case domain.TxnCapture:
		return "captured"
	case domain.TxnVoid:
		return "voided"
	case domain.TxnRefund:
		return "refunded"
	case domain.TxnAuthorize:
		return "authorized"
	case domain.TxnSale:
		return "sold"
	}
	return string(op)
}

// callOperation sends a capture or void to the PSP; reconciliation repeats it identically.
func (s *Service) callOperation(ctx context.Context, p Payment, txn Transaction) (psp.Result, error) {
	provider, err := s.providerOf(ctx, p)
	if err != nil {
		return psp.Result{}, err
	}
	if txn.Type == domain.TxnCapture {
		return provider.Capture(ctx, psp.CaptureRequest{IdempotencyKey: txn.IdempotencyKey, PaymentRef: p.PSPReference, Amount: txn.Amount, Currency: p.Currency})
	}
	return provider.Void(ctx, psp.VoidRequest{IdempotencyKey: txn.IdempotencyKey, PaymentRef: p.PSPReference})
}

// errOutcomeUnknown answers a merchant whose operation got no answer from the PSP.
func errOutcomeUnknown(op domain.TransactionType) error {
	return &apperr.Error{Kind: apperr.KindUnavailable, Code: "psp_unavailable",
		Message: "The payment provider did not answer. The " + string(op) + " is recorded as pending and will be settled automatically; check the payment again shortly."}
}

// authorizationHolds is the status an authorised, uncaptured payment keeps its invoice in until it
// is captured or voided: the store's guard when either is recorded.
const authorizationHolds = domain.InvoiceAuthorized

// recordOperation records the PSP's answer to a capture or void.
func (s *Service) recordOperation(ctx context.Context, p Payment, txn Transaction, res psp.Result, perr error) (Payment, error) {
	now := s.now()
	inv, err := s.Store.GetInvoice(ctx, p.MerchantID, p.InvoiceID)
	if err != nil {
		return Payment{}, err
	}
	set := OpSettlement{MerchantID: p.MerchantID, PaymentID: p.ID, InvoiceID: p.InvoiceID, Op: txn.Type, Txn: txn, At: now}
	var refusal error
	switch {
	case perr != nil && !psp.IsRequestError(perr):
		slog.WarnContext(ctx, "payment operation outcome unknown; reconciliation will settle it", "payment", p.ID, "op", txn.Type, "err", perr)
		return Payment{}, errOutcomeUnknown(txn.Type)
	case perr != nil:
		var re *psp.RequestError
		errors.As(perr, &re)
		set.Txn.ErrorCode, set.Txn.ErrorMessage = re.Code, re.Message
		refusal = apperr.Conflict("psp_refused", "The payment provider refused the %s: %s", txn.Type, re.Message)
	case res.Outcome == psp.OutcomeDeclined:
		set.Txn.ErrorCode, set.Txn.ErrorMessage = string(res.DeclineCode), res.DeclineMessage
		refusal = &apperr.Error{Kind: apperr.KindCard, Code: string(res.DeclineCode), Message: "The " + string(txn.Type) + " was declined: " + res.DeclineMessage}
	case res.Outcome == psp.OutcomeSucceeded:
		set.Succeeded = true
		set.Txn.PSPReference = res.OperationRef
		p.UpdatedAt = now
		next, invNext := domain.PaymentVoided, domain.InvoiceCancelled
		if txn.Type == domain.TxnCapture {
			next, invNext = domain.PaymentCaptured, domain.InvoicePaid
		}
		var terr error
		set.From = p.Status
		if p.Status, terr = p.Status.To(next); terr != nil {
			return Payment{}, apperr.Internal(terr)
		}
		set.InvoiceFrom = authorizationHolds
		if inv.Status, terr = authorizationHolds.To(invNext); terr != nil {
			return Payment{}, apperr.Internal(terr)
		}
		set.Status, set.InvoiceTo = p.Status, inv.Status
		if txn.Type == domain.TxnCapture {
			p.AmountCaptured = res.AmountCaptured
			if p.AmountCaptured <= 0 || p.AmountCaptured > p.AmountAuthorized {
				p.AmountCaptured = txn.Amount
			}
			p.CapturedAt = &now
			inv.AmountPaid, inv.PaidAt = inv.AmountPaid+p.AmountCaptured, &now
			set.AmountCaptured, set.AmountPaid = p.AmountCaptured, inv.AmountPaid
			set.Events = []domain.Event{paymentEvent(domain.EventPaymentCaptured, p, inv), paidEvent(inv, domain.MethodCard)}
		} else {
			p.VoidedAt = &now
			inv.CancelledAt = &now
			if set.LinkTo, terr = domain.LinkActive.To(domain.LinkDeactivated); terr != nil {
				return Payment{}, apperr.Internal(terr)
			}
			set.Events = []domain.Event{paymentEvent(domain.EventPaymentVoided, p, inv), invoiceEvent(domain.EventInvoiceCancelled, inv)}
		}
	default:
		// Accepted, outcome later: left pending for reconciliation.
		return Payment{}, errOutcomeUnknown(txn.Type)
	}
	result := domain.TxnFailed
	if set.Succeeded {
		result = domain.TxnSucceeded
	}
	if set.Txn.Result, err = set.Txn.Result.To(result); err != nil {
		return Payment{}, apperr.Internal(err)
	}
	if err := s.Store.SettleOperation(ctx, set); err != nil {
		if errors.Is(err, apperr.ErrConflict) {
			return s.Store.GetPayment(ctx, p.MerchantID, p.ID)
		}
		return Payment{}, err
	}
	if refusal != nil {
		return Payment{}, refusal
	}
	p.PendingOp = ""
	return p, nil
}

// Refund returns captured money, all that is left (amount nil) or a part; several may follow.
// The amount is reserved before the PSP is called, so refunds never exceed the captured amount.
func (s *Service) Refund(ctx context.Context, actor domain.Actor, paymentID string, amount *int64, reason string) (Refund, error) {
	p, err := s.Get(ctx, actor.MerchantID, paymentID)
	if err != nil {
		return Refund{}, err
	}
	if !p.Status.Refundable() {
		return Refund{}, apperr.InvalidState("Only a captured payment can be refunded; this one is %s.", p.Status)
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > maxReasonLen || strings.ContainsAny(reason, "\x00") {
		return Refund{}, apperr.Invalid("reason", "invalid_reason", "reason may have at most %d characters.", maxReasonLen)
	}
	left := p.Refundable()
	if left <= 0 {
		return Refund{}, apperr.InvalidState("Nothing is left to refund on this payment.")
	}
	amt := left
	if amount != nil {
		if *amount < domain.MinAmount || *amount > p.AmountCaptured {
			return Refund{}, apperr.Invalid("amount", "amount_out_of_range", "amount must be between 1 and %d, the captured amount.", p.AmountCaptured)
		}
		if *amount > left {
			return Refund{}, apperr.Invalid("amount", "amount_too_large", "amount exceeds what is left to refund (%d).", left)
		}
		amt = *amount
	}
	now := s.now()
	r := Refund{ID: domain.NewID(domain.PrefixRefund), MerchantID: p.MerchantID, Livemode: p.Livemode, PaymentID: p.ID, InvoiceID: p.InvoiceID,
		Amount: amt, Currency: p.Currency, Reason: reason, Status: domain.RefundPending, Actor: actor.Label(),
		CreatedAt: now, UpdatedAt: now}
	txn := Transaction{ID: domain.NewID(domain.PrefixTransaction), MerchantID: p.MerchantID, Livemode: p.Livemode, PaymentID: p.ID, RefundID: r.ID,
		Type: domain.TxnRefund, Amount: amt, Currency: p.Currency, Result: domain.TxnPending, Actor: actor.Label(),
		IdempotencyKey: r.ID, CreatedAt: now, UpdatedAt: now, NextAttemptAt: now.Add(s.staleAfter())}
	if err := s.Store.ReserveRefund(ctx, r, txn); err != nil {
		if !errors.Is(err, apperr.ErrConflict) {
			return Refund{}, err
		}
		cur, gerr := s.Get(ctx, actor.MerchantID, p.ID)
		if gerr != nil {
			return Refund{}, gerr
		}
		if !cur.Status.Refundable() {
			return Refund{}, apperr.InvalidState("The payment is %s now; it can no longer be refunded.", cur.Status)
		}
		return Refund{}, apperr.Invalid("amount", "amount_too_large", "amount exceeds what is left to refund (%d).", max(cur.Refundable(), 0))
	}
	pctx := context.WithoutCancel(ctx)
	res, perr := s.callRefund(pctx, p, r)
	var out Refund
	terr := s.Tx.Run(pctx, func(ctx context.Context) error {
		if out, err = s.recordRefund(ctx, r, txn, res, perr); err != nil {
			return nil
		}
		return s.Audit.Record(ctx, actor, "payment.refunded", p.ID, map[string]any{"refund": r.ID, "amount": amt, "currency": p.Currency})
	})
	if terr != nil {
		return Refund{}, terr
	}
	return out, err
}

// callRefund sends a refund to the PSP. A bank transfer's refund is money the merchant sends back
// from its own bank: SecureLink records it and executes nothing.
func (s *Service) callRefund(ctx context.Context, p Payment, r Refund) (psp.Result, error) {
	if p.method() == domain.MethodBankTransfer {
		return psp.Result{Outcome: psp.OutcomeSucceeded, OperationRef: "recorded:" + r.ID}, nil
	}
	provider, err := s.providerOf(ctx, p)
	if err != nil {
		return psp.Result{}, err
	}
	return provider.Refund(ctx, s.refundRequest(p, r))
}

func (s *Service) refundRequest(p Payment, r Refund) psp.RefundRequest {
	return psp.RefundRequest{IdempotencyKey: r.ID, PaymentRef: p.PSPReference, Amount: r.Amount, Currency: r.Currency, Reason: r.Reason}
}

// recordRefund records the PSP's answer to a refund; an unknown or pending outcome keeps the amount
// reserved for reconciliation. A failed refund is a result (status failed), not an error.
func (s *Service) recordRefund(ctx context.Context, r Refund, txn Transaction, res psp.Result, perr error) (Refund, error) {
	now := s.now()
	set := RefundSettlement{Txn: txn, At: now}
	switch {
	case perr != nil && !psp.IsRequestError(perr):
		slog.WarnContext(ctx, "refund outcome unknown; reconciliation will settle it", "refund", r.ID, "err", perr)
		return r, nil
	case perr != nil:
		var re *psp.RequestError
		errors.As(perr, &re)
		r.FailureCode, r.FailureMessage = re.Code, re.Message
	case res.Outcome == psp.OutcomeSucceeded:
		set.Succeeded = true
		r.PSPReference = res.OperationRef
	case res.Outcome == psp.OutcomeDeclined:
		code := string(res.DeclineCode)
		if code == "" {
			code = string(psp.DeclineRefundFailed)
		}
		r.FailureCode, r.FailureMessage, r.PSPReference = code, res.DeclineMessage, res.OperationRef
	default:
		return r, nil
	}
	status, result, evType := domain.RefundFailed, domain.TxnFailed, domain.EventRefundFailed
	if set.Succeeded {
		status, result, evType = domain.RefundSucceeded, domain.TxnSucceeded, domain.EventRefundSucceeded
		set.PaymentAfter, set.InvoiceAfter = domain.PaymentRefundRule, domain.InvoiceRefundRule
	}
	var terr error
	if r.Status, terr = r.Status.To(status); terr != nil {
		return r, apperr.Internal(terr)
	}
	if set.Txn.Result, terr = set.Txn.Result.To(result); terr != nil {
		return r, apperr.Internal(terr)
	}
	r.UpdatedAt = now
	set.Refund = r
	set.Txn.PSPReference, set.Txn.ErrorCode, set.Txn.ErrorMessage = r.PSPReference, r.FailureCode, r.FailureMessage
	inv, err := s.Store.GetInvoice(ctx, r.MerchantID, r.InvoiceID)
	if err != nil {
		return r, err
	}
	set.Events = []domain.Event{refundEvent(evType, r, inv)}
	if err := s.Store.SettleRefund(ctx, set); err != nil {
		if errors.Is(err, apperr.ErrConflict) {
			return s.Store.GetRefund(ctx, r.MerchantID, r.ID)
		}
		return r, err
	}
	return r, nil
}

// ReceiptRefunds are the refunds of a receipt's payment that went through or are on their way,
// oldest first, for telling the payer what came back and when.
func (s *Service) ReceiptRefunds(ctx context.Context, paymentID string) ([]Refund, error) {
	all, err := s.Store.ListRefunds(ctx, []string{paymentID})
	if err != nil {
		return nil, err
	}
	out := make([]Refund, 0, len(all))
	for _, r := range all {
		switch r.Status {
		case domain.RefundSucceeded, domain.RefundPending:
			out = append(out, r)
		case domain.RefundFailed:
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	return out, nil
}
