package payments

import (
	"context"
	"errors"
	"strings"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/validate"
)

// ErrStatementLineRecorded answers a transfer whose statement line was recorded before.
var ErrStatementLineRecorded = errors.New("payments: statement line already recorded")

// BankTransfer is money that arrived at the merchant's bank for an invoice (an IPS instant transfer
// or a payment slip). SecureLink never holds this money: the merchant records what its bank shows.
type BankTransfer struct {
	Amount     int64
	ReceivedAt time.Time // zero: now
	Reference  string    // as the bank shows it, e.g. 97 + check digits + number
	PayerName  string
	// StatementLine is the fingerprint of the statement line it came from, unique per merchant.
	StatementLine string
}

// Limits of a recorded transfer's texts.
const (
	maxBankReferenceLen = 35
	maxPayerNameLen     = 200
)

// RecordBankTransfer records a bank transfer as a captured payment of the invoice. The invoice is
// paid when the transfers cover its total (invoice.paid then says method bank_transfer, and the
// receipts go out); a smaller amount leaves the rest due, payable by card or another transfer.
func (s *Service) RecordBankTransfer(ctx context.Context, actor domain.Actor, invoiceID string, in BankTransfer) (Payment, error) {
	now := s.now()
	in.Reference = strings.TrimSpace(in.Reference)
	in.PayerName = strings.TrimSpace(in.PayerName)
	if err := validate.Text("reference", in.Reference, 0, maxBankReferenceLen); err != nil {
		return Payment{}, err
	}
	if err := validate.Text("payer_name", in.PayerName, 0, maxPayerNameLen); err != nil {
		return Payment{}, err
	}
	if in.ReceivedAt.IsZero() {
		in.ReceivedAt = now
	}
	in.ReceivedAt = in.ReceivedAt.UTC().Truncate(time.Microsecond)
	if in.ReceivedAt.After(now.Add(24 * time.Hour)) {
		return Payment{}, apperr.Invalid("received_at", "invalid_time", "received_at cannot be in the future.")
	}
	inv, err := s.Store.GetInvoice(ctx, actor.MerchantID, invoiceID)
	if errors.Is(err, apperr.ErrNotFound) {
		return Payment{}, apperr.NotFound("invoice")
	}
	if err != nil {
		return Payment{}, err
	}
	if err := transferable(inv.EffectiveStatus(now)); err != nil {
		return Payment{}, err
	}
	due := inv.AmountDue()
	if in.Amount < domain.MinAmount || in.Amount > due {
		return Payment{}, apperr.Invalid("amount", "amount_out_of_range", "amount must be between 1 and %d, what is left to pay on the invoice.", due)
	}
	p, txn := s.newTransfer(actor, inv, in, now)
	paidBefore := inv.AmountPaid
	inv.AmountPaid += in.Amount
	set := TransferSettlement{Payment: p, Txn: txn, InvoiceFrom: inv.Status, AmountPaidBefore: paidBefore,
		AmountPaid: inv.AmountPaid, At: now}
	if set.InvoiceTo, err = inv.Status.AfterPayment(inv.AmountPaid, inv.AmountTotal); err != nil {
		return Payment{}, apperr.InvalidState("This invoice cannot be paid in status %s.", inv.Status)
	}
	paid := set.InvoiceTo == domain.InvoicePaid
	inv.Status = set.InvoiceTo
	if paid {
		inv.PaidAt = &now
		if set.LinkTo, err = domain.LinkActive.To(domain.LinkCompleted); err != nil {
			return Payment{}, apperr.Internal(err)
		}
	}
	set.Events = []domain.Event{paymentEvent(domain.EventPaymentCaptured, p, inv)}
	// Paid in full, or a part of it: every other status announces nothing more.
	if set.InvoiceTo == domain.InvoicePaid {
		set.Events = append(set.Events, paidEvent(inv, domain.MethodBankTransfer))
	} else if set.InvoiceTo == domain.InvoicePartiallyPaid {
		set.Events = append(set.Events, partiallyPaidEvent(inv, p))
	}
	// The transfer and its audit row commit together.
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Store.RecordTransfer(ctx, set); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "invoice.bank_transfer_recorded", inv.ID, map[string]any{"payment": p.ID, "amount": in.Amount, "currency": inv.Currency})
	})
	if errors.Is(err, apperr.ErrConflict) {
		return Payment{}, apperr.Conflict("invoice_changed", "The invoice changed meanwhile (another payment or transfer was recorded); check it and try again.")
	}
	if err != nil {
		return Payment{}, err
	}
	return p, nil
}

// transferable explains, as a 409, why no transfer can be recorded on an invoice in status st.
func transferable(st domain.InvoiceStatus) error {
	if st.TakesTransfer() {
		return nil
	}
	switch st {
	case domain.InvoiceOpen, domain.InvoiceExpired, domain.InvoicePartiallyPaid:
		// Taken above.
	case domain.InvoiceProcessing:
		return errInProgress()
	case domain.InvoiceAuthorized, domain.InvoicePaid, domain.InvoicePartiallyRefunded, domain.InvoiceRefunded:
		return apperr.InvalidState("This invoice has already been paid.")
	case domain.InvoiceCancelled:
		return apperr.InvalidState("This invoice was cancelled; a transfer for it should be returned to the payer.")
	}
	return apperr.InvalidState("No transfer can be recorded on an invoice in status %s.", st)
}

// newTransfer is the captured payment and succeeded transaction that record a transfer.
func (s *Service) newTransfer(actor domain.Actor, inv domain.Invoice, in BankTransfer, now time.Time) (Payment, Transaction) {
	p := Payment{ID: domain.NewID(domain.PrefixPayment), MerchantID: inv.MerchantID, Livemode: inv.Livemode, InvoiceID: inv.ID,
		Status: domain.PaymentCaptured, Amount: in.Amount, Currency: inv.Currency, CaptureMode: domain.CaptureAutomatic,
		AmountAuthorized: in.Amount, AmountCaptured: in.Amount, Method: domain.MethodBankTransfer,
		BankReference: in.Reference, PayerName: in.PayerName, ReceivedAt: &in.ReceivedAt, StatementLine: in.StatementLine,
		Description: "Bank transfer for invoice " + inv.Number, TermsAcceptedAt: now, CreatedAt: now, UpdatedAt: now,
		AuthorizedAt: &now, CapturedAt: &now}
	if inv.Link != nil {
		p.LinkID = inv.Link.ID
	}
	p.IdempotencyKey = p.ID + ":transfer"
	txn := Transaction{ID: domain.NewID(domain.PrefixTransaction), MerchantID: p.MerchantID, Livemode: p.Livemode, PaymentID: p.ID, Type: domain.TxnSale,
		Amount: in.Amount, Currency: p.Currency, Result: domain.TxnSucceeded, Actor: actor.Label(), IdempotencyKey: p.IdempotencyKey,
		PSPReference: in.Reference, CreatedAt: now, UpdatedAt: now, NextAttemptAt: now}
	return p, txn
}

// RecordedStatementLines returns which of the statement-line fingerprints are recorded already.
func (s *Service) RecordedStatementLines(ctx context.Context, merchantID string, lines []string) (map[string]string, error) {
	if len(lines) == 0 {
		return map[string]string{}, nil
	}
	return s.Store.RecordedStatementLines(ctx, merchantID, lines)
}
