package statements

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/domain/serbia"
	"securelink/internal/invoices"
	"securelink/internal/payments"
)

// Status is what became of a statement line.
type Status string

// The line statuses. Matched lines are recorded on confirmation (then recorded); the others are
// listed and left alone.
const (
	StatusMatched          Status = "matched"
	StatusRecorded         Status = "recorded"
	StatusAlreadyRecorded  Status = "already_recorded"
	StatusAmountMismatch   Status = "amount_mismatch"
	StatusUnknownReference Status = "unknown_reference"
	StatusNotPayable       Status = "not_payable"
	StatusDuplicate        Status = "duplicate"
	StatusOutgoing         Status = "outgoing"
	StatusInvalid          Status = "invalid"
	StatusFailed           Status = "failed"
)

// Statuses lists every line status (for the API's enum).
var Statuses = []Status{StatusMatched, StatusRecorded, StatusAlreadyRecorded, StatusAmountMismatch, StatusUnknownReference,
	StatusNotPayable, StatusDuplicate, StatusOutgoing, StatusInvalid, StatusFailed}

// InvoiceFinder finds an invoice by its number.
type InvoiceFinder interface {
	InvoiceByNumber(ctx context.Context, merchantID, number string) (domain.Invoice, error)
}

// Recorder records bank transfers (the payments use case).
type Recorder interface {
	RecordBankTransfer(ctx context.Context, actor domain.Actor, invoiceID string, in payments.BankTransfer) (payments.Payment, error)
	RecordedStatementLines(ctx context.Context, merchantID string, lines []string) (map[string]string, error)
}

// ColumnStore remembers a merchant's column mapping.
type ColumnStore interface {
	StatementColumns(ctx context.Context, merchantID string) (string, error)
	SaveStatementColumns(ctx context.Context, merchantID, columns string) error
}

// Service is the statement import use case.
type Service struct {
	Invoices InvoiceFinder
	Payments Recorder
	Columns  ColumnStore
	Now      func() time.Time
}

// LineResult is a statement line with what became of it.
type LineResult struct {
	Line
	Status        Status
	InvoiceID     string
	InvoiceNumber string
	AmountDue     int64
	PaymentID     string
}

// Result is an import: the columns used, every line, and how many were matched and recorded.
type Result struct {
	Columns  Columns
	Header   []string
	Lines    []LineResult
	Matched  int
	Recorded int
}

// Import reads a CSV statement and matches its lines. Without confirm nothing is written but the
// column mapping; with confirm every matched line is recorded as a bank transfer. Columns left
// empty come from the mapping remembered from the last import, then from common header names.
func (s *Service) Import(ctx context.Context, actor domain.Actor, text string, cols Columns, confirm bool) (Result, error) {
	t, err := ParseCSV(text)
	if err != nil {
		return Result{}, err
	}
	if cols == (Columns{}) {
		cols = s.remembered(ctx, actor.MerchantID, t)
	}
	cols, err = t.Resolve(cols)
	if err != nil {
		return Result{}, err
	}
	b, _ := json.Marshal(cols)
	if err := s.Columns.SaveStatementColumns(ctx, actor.MerchantID, string(b)); err != nil {
		return Result{}, err
	}
	res := Result{Columns: cols, Header: t.Header}
	lines := t.Lines(cols)
	keys := make([]string, len(lines))
	for i, l := range lines {
		keys[i] = l.Key
	}
	recorded, err := s.Payments.RecordedStatementLines(ctx, actor.MerchantID, keys)
	if err != nil {
		return Result{}, err
	}
	// Every line is matched before any is recorded, so a statement reads the same in the preview
	// and on confirmation.
	matchedInvoices := map[string]bool{}
	for _, l := range lines {
		r, err := s.match(ctx, actor.MerchantID, l, recorded, matchedInvoices)
		if err != nil {
			return Result{}, err
		}
		res.Lines = append(res.Lines, r)
	}
	for i, r := range res.Lines {
		if r.Status == StatusMatched && confirm {
			res.Lines[i] = s.record(ctx, actor, r)
		}
		switch res.Lines[i].Status {
		case StatusMatched:
			res.Matched++
		case StatusRecorded:
			res.Matched++
			res.Recorded++
		default:
			// Every other status is a line not matched: the result lists it with its reason.
		}
	}
	return res, nil
}

// remembered is the merchant's last mapping when this statement has those columns.
func (s *Service) remembered(ctx context.Context, merchantID string, t Table) Columns {
	var c Columns
	raw, err := s.Columns.StatementColumns(ctx, merchantID)
	if err != nil || raw == "" || json.Unmarshal([]byte(raw), &c) != nil {
		return Columns{}
	}
	if _, err := t.Resolve(c); err != nil {
		return Columns{}
	}
	return c
}

// match decides what a line is: matched to an open invoice by its model 97 reference and exact
// amount due, or why not.
func (s *Service) match(ctx context.Context, merchantID string, l Line, recorded map[string]string, matched map[string]bool) (LineResult, error) {
	r := LineResult{Line: l}
	switch {
	case l.Err != "":
		r.Status = StatusInvalid
		return r, nil
	case l.Amount <= 0:
		r.Status = StatusOutgoing
		return r, nil
	}
	if id, ok := recorded[l.Key]; ok {
		r.Status, r.PaymentID = StatusAlreadyRecorded, id
		return r, nil
	}
	_, digits, ok := serbia.ParseModel97(l.Reference)
	if !ok {
		r.Status = StatusUnknownReference
		return r, nil
	}
	inv, err := s.Invoices.InvoiceByNumber(ctx, merchantID, invoices.NumberForReference(digits))
	if errors.Is(err, apperr.ErrNotFound) {
		r.Status = StatusUnknownReference
		return r, nil
	}
	if err != nil {
		return r, err
	}
	r.InvoiceID, r.InvoiceNumber, r.AmountDue = inv.ID, inv.Number, inv.AmountDue()
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	switch st := inv.EffectiveStatus(now); {
	case !st.TakesTransfer():
		r.Status = StatusNotPayable
	case matched[inv.ID]:
		r.Status = StatusDuplicate
	case l.Amount != r.AmountDue:
		r.Status = StatusAmountMismatch
	default:
		r.Status = StatusMatched
		matched[inv.ID] = true
	}
	return r, nil
}

// record records a matched line as a bank transfer.
func (s *Service) record(ctx context.Context, actor domain.Actor, r LineResult) LineResult {
	p, err := s.Payments.RecordBankTransfer(ctx, actor, r.InvoiceID, payments.BankTransfer{Amount: r.Amount,
		ReceivedAt: r.Date, Reference: r.Reference, PayerName: r.Payer, StatementLine: r.Key})
	switch {
	case errors.Is(err, payments.ErrStatementLineRecorded):
		r.Status = StatusAlreadyRecorded
	case err != nil:
		r.Status, r.Err = StatusFailed, "The transfer could not be recorded; import the statement again."
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Kind != apperr.KindInternal {
			r.Err = ae.Message
		} else {
			slog.ErrorContext(ctx, "statement line not recorded", "invoice", r.InvoiceID, "err", err)
		}
	default:
		r.Status, r.PaymentID = StatusRecorded, p.ID
	}
	return r
}
