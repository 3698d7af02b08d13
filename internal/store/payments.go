package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/payments"
	"securelink/internal/psp"
)

var _ payments.Store = (*Payments)(nil)

// Payments stores payments, their transactions and refunds.
type Payments struct{ DB *DB }

type paymentRow struct {
	ID                     string
	MerchantID             string
	Livemode               bool
	InvoiceID              string
	LinkID                 string
	Status                 string
	Amount                 int64
	Currency               string
	CaptureMode            string
	AmountAuthorized       int64
	AmountCaptured         int64
	AmountRefunded         int64
	AmountRefundPending    int64
	CardBrand              string
	CardLast4              string `gorm:"column:card_last4"`
	CardExpMonth           int
	CardExpYear            int
	PSP                    string `gorm:"column:psp"`
	ProviderAccountID      string
	PSPReference           string `gorm:"column:psp_reference"`
	PSPToken               string `gorm:"column:psp_token"`
	IdempotencyKey         string
	RequestKey             string
	RequestHash            string
	ReturnURL              string `gorm:"column:return_url"`
	Description            string
	RedirectURL            string `gorm:"column:redirect_url"`
	DeclineCode            string
	DeclineMessage         string
	PendingOp              string
	TermsAcceptedAt        time.Time
	TermsIP                string `gorm:"column:terms_ip"`
	ClientIP               string `gorm:"column:client_ip"`
	CreatedAt              time.Time
	UpdatedAt              time.Time
	AuthorizedAt           *time.Time
	AuthorizationExpiresAt *time.Time
	CapturedAt             *time.Time
	VoidedAt               *time.Time
	Method                 string
	BankReference          string
	PayerName              string
	ReceivedAt             *time.Time
	StatementLine          string
}

func (paymentRow) TableName() string { return "payments" }

type transactionRow struct {
	ID             string
	MerchantID     string
	Livemode       bool
	PaymentID      string
	RefundID       string
	Type           string
	Amount         int64
	Currency       string
	Result         string
	PSPReference   string `gorm:"column:psp_reference"`
	ErrorCode      string
	ErrorMessage   string
	Actor          string
	IdempotencyKey string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	NextAttemptAt  time.Time
}

func (transactionRow) TableName() string { return "transactions" }

type refundRow struct {
	ID             string
	MerchantID     string
	Livemode       bool
	PaymentID      string
	InvoiceID      string
	Amount         int64
	Currency       string
	Reason         string
	Status         string
	FailureCode    string
	FailureMessage string
	PSPReference   string `gorm:"column:psp_reference"`
	Actor          string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (refundRow) TableName() string { return "refunds" }

func toDBPayment(p payments.Payment) paymentRow {
	r := paymentRow{ID: p.ID, MerchantID: p.MerchantID, Livemode: p.Livemode, InvoiceID: p.InvoiceID, LinkID: p.LinkID, Status: string(p.Status),
		Amount: p.Amount, Currency: p.Currency, CaptureMode: string(p.CaptureMode), AmountAuthorized: p.AmountAuthorized,
		AmountCaptured: p.AmountCaptured, AmountRefunded: p.AmountRefunded, AmountRefundPending: p.AmountRefundPending,
		PSP: p.PSP, ProviderAccountID: p.ProviderAccountID, PSPReference: p.PSPReference, PSPToken: p.PSPToken, IdempotencyKey: p.IdempotencyKey,
		RequestKey: p.RequestKey, RequestHash: p.RequestHash, ReturnURL: p.ReturnURL, Description: p.Description, RedirectURL: p.RedirectURL, DeclineCode: p.DeclineCode,
		DeclineMessage: p.DeclineMessage, PendingOp: string(p.PendingOp), TermsAcceptedAt: p.TermsAcceptedAt,
		TermsIP: p.TermsIP, ClientIP: p.ClientIP, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
		AuthorizedAt: p.AuthorizedAt, AuthorizationExpiresAt: p.AuthorizationExpiresAt, CapturedAt: p.CapturedAt, VoidedAt: p.VoidedAt,
		Method: string(p.Method), BankReference: p.BankReference, PayerName: p.PayerName, ReceivedAt: p.ReceivedAt,
		StatementLine: p.StatementLine}
	if r.Method == "" {
		r.Method = string(domain.MethodCard)
	}
	if p.Card != nil {
		r.CardBrand, r.CardLast4, r.CardExpMonth, r.CardExpYear = p.Card.Brand, p.Card.Last4, p.Card.ExpMonth, p.Card.ExpYear
	}
	return r
}

func toBusPayment(r paymentRow) payments.Payment {
	p := payments.Payment{ID: r.ID, MerchantID: r.MerchantID, Livemode: r.Livemode, InvoiceID: r.InvoiceID, LinkID: r.LinkID,
		Status: domain.PaymentStatus(r.Status), Amount: r.Amount, Currency: r.Currency, CaptureMode: domain.CaptureMode(r.CaptureMode),
		AmountAuthorized: r.AmountAuthorized, AmountCaptured: r.AmountCaptured, AmountRefunded: r.AmountRefunded,
		AmountRefundPending: r.AmountRefundPending, PSP: r.PSP, ProviderAccountID: r.ProviderAccountID, PSPReference: r.PSPReference, PSPToken: r.PSPToken,
		IdempotencyKey: r.IdempotencyKey, RequestKey: r.RequestKey, RequestHash: r.RequestHash, ReturnURL: r.ReturnURL, Description: r.Description, RedirectURL: r.RedirectURL,
		DeclineCode: r.DeclineCode, DeclineMessage: r.DeclineMessage, PendingOp: domain.TransactionType(r.PendingOp),
		TermsAcceptedAt: r.TermsAcceptedAt.UTC(), TermsIP: r.TermsIP, ClientIP: r.ClientIP, CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC(), AuthorizedAt: utcPtr(r.AuthorizedAt), AuthorizationExpiresAt: utcPtr(r.AuthorizationExpiresAt),
		CapturedAt: utcPtr(r.CapturedAt), VoidedAt: utcPtr(r.VoidedAt), Method: domain.PaymentMethod(r.Method),
		BankReference: r.BankReference, PayerName: r.PayerName, ReceivedAt: utcPtr(r.ReceivedAt), StatementLine: r.StatementLine}
	if r.CardBrand != "" || r.CardLast4 != "" {
		p.Card = &psp.Card{Brand: r.CardBrand, Last4: r.CardLast4, ExpMonth: r.CardExpMonth, ExpYear: r.CardExpYear}
	}
	return p
}

func toDBTransaction(t payments.Transaction) transactionRow {
	return transactionRow{ID: t.ID, MerchantID: t.MerchantID, Livemode: t.Livemode, PaymentID: t.PaymentID, RefundID: t.RefundID, Type: string(t.Type),
		Amount: t.Amount, Currency: t.Currency, Result: string(t.Result), PSPReference: t.PSPReference, ErrorCode: t.ErrorCode,
		ErrorMessage: t.ErrorMessage, Actor: t.Actor, IdempotencyKey: t.IdempotencyKey, CreatedAt: t.CreatedAt,
		UpdatedAt: t.UpdatedAt, NextAttemptAt: t.NextAttemptAt}
}

func toBusTransaction(r transactionRow) payments.Transaction {
	return payments.Transaction{ID: r.ID, MerchantID: r.MerchantID, Livemode: r.Livemode, PaymentID: r.PaymentID, RefundID: r.RefundID,
		Type: domain.TransactionType(r.Type), Amount: r.Amount, Currency: r.Currency, Result: domain.TransactionResult(r.Result),
		PSPReference: r.PSPReference, ErrorCode: r.ErrorCode, ErrorMessage: r.ErrorMessage, Actor: r.Actor,
		IdempotencyKey: r.IdempotencyKey, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), NextAttemptAt: r.NextAttemptAt.UTC()}
}

func toDBRefund(r payments.Refund) refundRow {
	return refundRow{ID: r.ID, MerchantID: r.MerchantID, Livemode: r.Livemode, PaymentID: r.PaymentID, InvoiceID: r.InvoiceID, Amount: r.Amount,
		Currency: r.Currency, Reason: r.Reason, Status: string(r.Status), FailureCode: r.FailureCode,
		FailureMessage: r.FailureMessage, PSPReference: r.PSPReference, Actor: r.Actor, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func toBusRefund(r refundRow) payments.Refund {
	return payments.Refund{ID: r.ID, MerchantID: r.MerchantID, Livemode: r.Livemode, PaymentID: r.PaymentID, InvoiceID: r.InvoiceID, Amount: r.Amount,
		Currency: r.Currency, Reason: r.Reason, Status: domain.RefundStatus(r.Status), FailureCode: r.FailureCode,
		FailureMessage: r.FailureMessage, PSPReference: r.PSPReference, Actor: r.Actor, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// The guards of conditional updates, built from the domain's rules (never copied).
var (
	// inFlightStatuses are the payment statuses whose outcome is not yet recorded.
	inFlightStatuses = statusStrings(domain.PaymentStatusesWhere(domain.PaymentStatus.InFlight))
	// succeededStatuses are the payment statuses that hold or took the payer's money.
	succeededStatuses = statusStrings(domain.PaymentStatusesWhere(domain.PaymentStatus.Succeeded))
	// refundableStatuses are the payment statuses refunds may be reserved on.
	refundableStatuses = statusStrings(domain.PaymentStatusesWhere(domain.PaymentStatus.Refundable))
	// refundableInvoiceStatuses are the invoice statuses a succeeded refund is recorded on.
	refundableInvoiceStatuses = statusStrings(domain.InvoiceStatusesWhere(domain.InvoiceStatus.Refundable))
)

// GetInvoice returns a merchant's invoice (for event payloads).
func (s *Payments) GetInvoice(ctx context.Context, merchantID, id string) (domain.Invoice, error) {
	return (&Invoices{DB: s.DB}).GetInvoice(ctx, merchantID, id)
}

// CountFailedPayments counts failed payments through a link, and from a client address since a time.
func (s *Payments) CountFailedPayments(ctx context.Context, linkID, clientIP string, since time.Time) (int64, int64, error) {
	// One round trip for both counts; each subquery has its own partial index (payments_link_failed,
	// payments_client_ip_failed). Statuses are spelled out in the SQL so that a generic plan can use
	// a partial index: a bound parameter would not prove the index's predicate.
	var counts struct{ PerLink, PerIP int64 }
	err := s.DB.conn(ctx).Raw(`SELECT
		(SELECT count(*) FROM payments WHERE link_id = ? AND status = `+failedPaymentSQL+`) AS per_link,
		(SELECT count(*) FROM payments WHERE ? <> '' AND client_ip = ? AND created_at >= ? AND status = `+failedPaymentSQL+`) AS per_ip`,
		linkID, clientIP, clientIP, since.UTC()).Scan(&counts).Error
	if err != nil {
		return 0, 0, fmt.Errorf("store: count failed payments: %w", err)
	}
	return counts.PerLink, counts.PerIP, nil
}

// claimedInvoice is the invoice row BeginPayment's claim returns, with the id of the link it came through.
type claimedInvoice struct {
	Invoice     invoiceRow `gorm:"embedded"`
	ClaimLinkID string
}

// BeginPayment claims the open invoice behind a link for an attempt, within the failure limits,
// and stores the attempt.
func (s *Payments) BeginPayment(ctx context.Context, c payments.Claim, newAttempt func(context.Context, domain.Invoice, string) (payments.Payment, payments.Transaction, error)) (payments.Attempt, error) {
	// Also when the claim is refused: the caller's next read of the link then comes from the
	// database, which may hold another replica's change the cache does not.
	var a payments.Attempt
	defer func() {
		if a.Invoice.ID != "" {
			s.DB.checkouts.forget(a.Invoice.ID) // the token's view is one of the invoice's
		} else {
			s.DB.checkouts.forgetToken(c.Token)
		}
	}()
	// One conditional update decides between concurrent attempts: only one sees the invoice open.
	// It finds the invoice through the link token itself and returns it, so paying reads nothing
	// first. The failed status is spelled out so that the failure counts use their partial
	// indexes (see CountFailedPayments); the invoice's statuses are the claim's.
	var claimed claimedInvoice
	claim := &firstQuery{what: "begin payment", t: cachedSQL(`UPDATE invoices SET status = ?, updated_at = ?
			WHERE id = (SELECT invoice_id FROM links WHERE token = ? AND status IN (` + linkUsableSQL + `) AND expires_at > ?)
			AND status IN (` + sqlList(c.InvoiceFrom) + `) AND expires_at > ?
			AND (SELECT count(*) FROM payments WHERE link_id = (SELECT id FROM links WHERE token = ?) AND status = ` + failedPaymentSQL + `) < ?
			AND (? = '' OR (SELECT count(*) FROM payments WHERE client_ip = ? AND created_at >= ? AND status = ` + failedPaymentSQL + `) < ?)
			RETURNING *, (SELECT id FROM links WHERE token = ?) AS claim_link_id`),
		args: []any{string(c.InvoiceTo), c.At, c.Token, c.At, c.At, c.Token, c.Limits.PerLink,
			c.ClientIP, c.ClientIP, c.Limits.Since.UTC(), c.Limits.PerIP, c.Token}, dest: &claimed}
	// Payments arriving together share the transaction (grouped), and their claims one round trip:
	// the claim's reads then see other payments' claims and attempts, which change no invoice or
	// link of this one.
	err := s.DB.grouped(ctx, claim, func(tx *pipeTx) error {
		if claimed.Invoice.ID == "" {
			return fmt.Errorf("store: begin payment: %w", apperr.ErrConflict)
		}
		inv := toBusInvoice(claimed.Invoice)
		// An order of a reusable link with a maximum of payments takes one of its slots, or none is left.
		if inv.PaymentLinkID != "" {
			if err := holdLinkSlot(tx, inv.PaymentLinkID); err != nil {
				return err
			}
		}
		// The attempt is judged against the invoice as claimed (what is due now); a refusal undoes the claim.
		p, t, err := newAttempt(tx.joined(), inv, claimed.ClaimLinkID)
		if err != nil {
			return err
		}
		pr := toDBPayment(p)
		q, args := paymentInsert.insertOne(&pr, p.CreatedAt)
		tx.ExecSQL(q, args, func(_ int64, err error) error {
			switch {
			case err == nil:
				return nil
			case IsUniqueViolation(err):
				return fmt.Errorf("store: begin payment: %w", apperr.ErrConflict)
			default:
				return fmt.Errorf("store: insert payment: %w", err)
			}
		}, false)
		tr := toDBTransaction(t)
		q, args = transactionInsert.insertOne(&tr, t.CreatedAt)
		tx.ExecSQL(q, args, wrapErr("insert transaction"), false)
		a = payments.Attempt{Invoice: inv, Payment: p, Txn: t}
		return nil
	})
	if err != nil {
		return payments.Attempt{}, err
	}
	return a, nil
}

// MarkInFlight records a non-final PSP answer of an in-flight payment.
func (s *Payments) MarkInFlight(ctx context.Context, paymentID string, status domain.PaymentStatus, pspRef, redirectURL string, card *psp.Card, at time.Time) error {
	upd := map[string]any{"status": string(status), "psp_reference": pspRef, "redirect_url": redirectURL, "updated_at": at}
	if card != nil {
		upd["card_brand"], upd["card_last4"], upd["card_exp_month"], upd["card_exp_year"] = card.Brand, card.Last4, card.ExpMonth, card.ExpYear
	}
	res := s.DB.conn(ctx).Model(&paymentRow{}).Where("id = ? AND status IN ?", paymentID, inFlightStatuses).Updates(upd)
	if res.Error != nil {
		return fmt.Errorf("store: mark payment in flight: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("store: mark payment in flight: %w", apperr.ErrConflict)
	}
	return nil
}

// settleTxnTx records a pending transaction's result; it is the guard of every settlement: only the
// first recorder finds the row pending.
func settleTxnTx(tx *gorm.DB, t payments.Transaction, at time.Time) error {
	q, args := settleTxnSQL(t, at)
	res := tx.Exec(q.q, args...)
	return judgeTxnSettled(t.ID)(res.RowsAffected, res.Error)
}

// settleTxnSQL is settleTxnTx's statement.
func settleTxnSQL(t payments.Transaction, at time.Time) (sqlText, []any) {
	from := domain.StatusesTo(domain.TransactionResults, domain.TransactionResult.CanTransition, t.Result)
	return cachedSQL(`UPDATE transactions SET result = ?, psp_reference = ?, error_code = ?, error_message = ?, updated_at = ?
			WHERE id = ? AND result IN (` + sqlList(from) + `)`),
		[]any{string(t.Result), t.PSPReference, t.ErrorCode, t.ErrorMessage, at, t.ID}
}

// judgeTxnSettled judges settleTxnSQL's answer.
func judgeTxnSettled(id string) func(int64, error) error {
	return judgeGuard("settle transaction", func() error { return fmt.Errorf("store: settle transaction %s: %w", id, apperr.ErrConflict) })
}

// judgeGuard judges a guarded write: its error wrapped with what it did, or none's error when the
// guard found no row.
func judgeGuard(what string, none func() error) func(int64, error) error {
	return func(rows int64, err error) error {
		switch {
		case err != nil:
			return fmt.Errorf("store: %s: %w", what, err)
		case rows == 0:
			return none()
		}
		return nil
	}
}

// SettleAuthorization records the final outcome of an authorize or sale with the invoice, link and
// events. Its writes read nothing back, so on PostgreSQL they travel in one round trip (pipelined),
// sharing it with other payments' transactions that arrive meanwhile (grouped).
func (s *Payments) SettleAuthorization(ctx context.Context, set payments.AuthSettlement) error {
	defer s.DB.checkouts.forget(set.Payment.InvoiceID)
	return s.DB.grouped(ctx, nil, func(tx *pipeTx) error {
		q, args := settleTxnSQL(set.Txn, set.At)
		tx.ExecSQL(q, args, judgeTxnSettled(set.Txn.ID), true)
		p := toDBPayment(set.Payment)
		tx.ExecSQL(settlePaymentSQL, []any{p.Status, p.AmountAuthorized, p.AmountCaptured, p.CardBrand, p.CardLast4, p.CardExpMonth,
			p.CardExpYear, p.PSPReference, p.RedirectURL, p.DeclineCode, p.DeclineMessage, set.At, p.AuthorizedAt,
			p.AuthorizationExpiresAt, p.CapturedAt, p.ID},
			judgeGuard("settle payment", func() error { return fmt.Errorf("store: settle payment %s: %w", p.ID, apperr.ErrConflict) }), true)
		set1, args := "", []any{string(set.InvoiceTo), set.At}
		if set.PaidAt != nil {
			// The whole invoice or a part of it was paid.
			set1, args = ", amount_paid = ?, paid_at = ?", append(args, set.AmountPaid, set.PaidAt)
		}
		tx.ExecSQL(cachedSQL(`UPDATE invoices SET status = ?, updated_at = ?`+set1+` WHERE id = ? AND status = ?`),
			append(args, p.InvoiceID, string(set.InvoiceFrom)),
			judgeGuard("settle payment invoice", func() error {
				return fmt.Errorf("store: settle payment: invoice %s is not %s", p.InvoiceID, set.InvoiceFrom)
			}), true)
		if set.LinkTo != "" {
			q, args := updateActiveLinksSQL(p.InvoiceID, set.LinkTo, set.At)
			tx.ExecSQL(q, args, wrapErr("close links"), false)
		}
		tx.queueEvents(set.Events)
		return nil
	})
}

// settlePaymentSQL records the final outcome of an in-flight payment (SettleAuthorization).
var settlePaymentSQL = sqlOf(`UPDATE payments SET status = ?, amount_authorized = ?, amount_captured = ?, card_brand = ?,
	card_last4 = ?, card_exp_month = ?, card_exp_year = ?, psp_reference = ?, redirect_url = ?, decline_code = ?,
	decline_message = ?, updated_at = ?, authorized_at = ?, authorization_expires_at = ?, captured_at = ?
	WHERE id = ? AND status IN (` + sqlList(domain.PaymentStatusesWhere(domain.PaymentStatus.InFlight)) + `)`)

// Inserts of a payment's rows, with every column of their types (rawsql.go).
var (
	paymentInsert     = insertOf(paymentRow{})
	transactionInsert = insertOf(transactionRow{})
)

// operableStatuses are the payment statuses an operation of type op may start on: the capturable
// ones for a capture, the voidable ones for a void.
func operableStatuses(op domain.TransactionType) []string {
	rule := domain.PaymentStatus.Voidable
	if op == domain.TxnCapture {
		rule = domain.PaymentStatus.Capturable
	}
	return statusStrings(domain.PaymentStatusesWhere(rule))
}

// BeginOperation takes the operation lock of an authorised payment and stores the pending operation.
func (s *Payments) BeginOperation(ctx context.Context, merchantID, paymentID string, t payments.Transaction) error {
	return s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&paymentRow{}).
			Where("merchant_id = ? AND id = ? AND status IN ? AND pending_op = ''", merchantID, paymentID, operableStatuses(t.Type)).
			Updates(map[string]any{"pending_op": string(t.Type), "updated_at": t.CreatedAt})
		if res.Error != nil {
			return fmt.Errorf("store: begin %s: %w", t.Type, res.Error)
		}
		if res.RowsAffected == 0 {
			return existsOr(tx, "payments", merchantID, paymentID, "begin "+string(t.Type))
		}
		tr := toDBTransaction(t)
		if err := tx.Create(&tr).Error; err != nil {
			return fmt.Errorf("store: insert transaction: %w", err)
		}
		return nil
	})
}

// SettleOperation records a capture or void and releases the operation lock.
func (s *Payments) SettleOperation(ctx context.Context, set payments.OpSettlement) error {
	defer s.DB.checkouts.forget(set.InvoiceID)
	return s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		if err := settleTxnTx(tx, set.Txn, set.At); err != nil {
			return err
		}
		lock := tx.Model(&paymentRow{}).Where("id = ? AND pending_op = ?", set.PaymentID, string(set.Op))
		if !set.Succeeded {
			if err := lock.Updates(map[string]any{"pending_op": "", "updated_at": set.At}).Error; err != nil {
				return fmt.Errorf("store: release %s: %w", set.Op, err)
			}
			return InsertEventsTx(tx, set.Events)
		}
		upd := map[string]any{"pending_op": "", "status": string(set.Status), "updated_at": set.At}
		invUpd := map[string]any{"status": string(set.InvoiceTo), "updated_at": set.At}
		if set.Op == domain.TxnCapture {
			upd["amount_captured"], upd["captured_at"] = set.AmountCaptured, set.At
			invUpd["amount_paid"], invUpd["paid_at"] = set.AmountPaid, set.At
		} else {
			upd["voided_at"] = set.At
			invUpd["cancelled_at"] = set.At
		}
		res := lock.Where("status = ?", string(set.From)).Updates(upd)
		if res.Error != nil {
			return fmt.Errorf("store: settle %s: %w", set.Op, res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("store: settle %s of %s: %w", set.Op, set.PaymentID, apperr.ErrConflict)
		}
		res = tx.Model(&invoiceRow{}).Where("id = ? AND status = ?", set.InvoiceID, string(set.InvoiceFrom)).Updates(invUpd)
		if res.Error != nil {
			return fmt.Errorf("store: settle %s invoice: %w", set.Op, res.Error)
		}
		if set.LinkTo != "" {
			if err := closeActiveLinks(tx, set.InvoiceID, set.LinkTo, set.At); err != nil {
				return err
			}
		}
		return InsertEventsTx(tx, set.Events)
	})
}

// ReserveRefund reserves the refund's amount on the payment and stores the pending refund.
func (s *Payments) ReserveRefund(ctx context.Context, r payments.Refund, t payments.Transaction) error {
	return s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		// refunded + pending never exceeds captured, whatever runs concurrently.
		res := tx.Model(&paymentRow{}).
			Where("merchant_id = ? AND id = ? AND status IN ? AND amount_refunded + amount_refund_pending + ? <= amount_captured",
				r.MerchantID, r.PaymentID, refundableStatuses, r.Amount).
			Updates(map[string]any{"amount_refund_pending": gorm.Expr("amount_refund_pending + ?", r.Amount), "updated_at": r.CreatedAt})
		if res.Error != nil {
			return fmt.Errorf("store: reserve refund: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return existsOr(tx, "payments", r.MerchantID, r.PaymentID, "reserve refund")
		}
		rr := toDBRefund(r)
		if err := tx.Create(&rr).Error; err != nil {
			return fmt.Errorf("store: insert refund: %w", err)
		}
		tr := toDBTransaction(t)
		if err := tx.Create(&tr).Error; err != nil {
			return fmt.Errorf("store: insert transaction: %w", err)
		}
		return nil
	})
}

// SettleRefund records a refund's outcome: the reservation becomes refunded money or is released.
func (s *Payments) SettleRefund(ctx context.Context, set payments.RefundSettlement) error {
	r := set.Refund
	if set.Succeeded && (set.PaymentAfter.Full == "" || set.PaymentAfter.Partial == "" || set.InvoiceAfter.Full == "" || set.InvoiceAfter.Partial == "") {
		return fmt.Errorf("store: settle refund %s: succeeded without the rules of the statuses it leaves", r.ID)
	}
	defer s.DB.checkouts.forget(r.InvoiceID)
	return s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		if err := settleTxnTx(tx, set.Txn, set.At); err != nil {
			return err
		}
		from := domain.StatusesTo(domain.RefundStatuses, domain.RefundStatus.CanTransition, r.Status)
		res := tx.Model(&refundRow{}).Where("id = ? AND status IN ?", r.ID, statusStrings(from)).
			Updates(map[string]any{"status": string(r.Status), "failure_code": r.FailureCode, "failure_message": r.FailureMessage,
				"psp_reference": r.PSPReference, "updated_at": set.At})
		if res.Error != nil {
			return fmt.Errorf("store: settle refund: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("store: settle refund %s: %w", r.ID, apperr.ErrConflict)
		}
		upd := map[string]any{"amount_refund_pending": gorm.Expr("amount_refund_pending - ?", r.Amount), "updated_at": set.At}
		if set.Succeeded {
			upd["amount_refunded"] = gorm.Expr("amount_refunded + ?", r.Amount)
			// The caller's rule applied to the row atomically: SET expressions read the row as it was
			// before this UPDATE.
			upd["status"] = refundRuleExpr(set.PaymentAfter, "amount_refunded", "amount_captured", r.Amount)
		}
		if err := tx.Model(&paymentRow{}).Where("id = ?", r.PaymentID).Updates(upd).Error; err != nil {
			return fmt.Errorf("store: settle refund payment: %w", err)
		}
		if set.Succeeded {
			err := tx.Model(&invoiceRow{}).Where("id = ? AND status IN ?", r.InvoiceID, refundableInvoiceStatuses).
				Updates(map[string]any{
					"amount_refunded": gorm.Expr("amount_refunded + ?", r.Amount),
					"status":          refundRuleExpr(set.InvoiceAfter, "amount_refunded", "amount_paid", r.Amount),
					"updated_at":      set.At,
				}).Error
			if err != nil {
				return fmt.Errorf("store: settle refund invoice: %w", err)
			}
		}
		return InsertEventsTx(tx, set.Events)
	})
}

// GetPayment returns a payment; an empty merchantID finds any merchant's (background work).
func (s *Payments) GetPayment(ctx context.Context, merchantID, id string) (payments.Payment, error) {
	q := s.DB.conn(ctx).Where("id = ?", id)
	if merchantID != "" {
		q = q.Where("merchant_id = ?", merchantID)
	}
	var r paymentRow
	if err := q.Take(&r).Error; err != nil {
		return payments.Payment{}, notFound(err, "get payment")
	}
	return toBusPayment(r), nil
}

// ListPayments returns a page of a merchant's payments, newest first.
func (s *Payments) ListPayments(ctx context.Context, merchantID string, f payments.Filter) ([]payments.Payment, bool, error) {
	q := s.DB.conn(ctx).Where("merchant_id = ?", merchantID)
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.InvoiceID != "" {
		q = q.Where("invoice_id = ?", f.InvoiceID)
	}
	var rows []paymentRow
	if err := keysetPage(q, f.Page).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("store: list payments: %w", err)
	}
	rows, more := trimPage(rows, f.Page)
	out := make([]payments.Payment, len(rows))
	for i, r := range rows {
		out[i] = toBusPayment(r)
	}
	return out, more, nil
}

// ListTransactions returns the transactions of payments, oldest first.
func (s *Payments) ListTransactions(ctx context.Context, paymentIDs []string) ([]payments.Transaction, error) {
	if len(paymentIDs) == 0 {
		return nil, nil
	}
	var rows []transactionRow
	if err := s.DB.conn(ctx).Where("payment_id IN ?", paymentIDs).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: list transactions: %w", err)
	}
	out := make([]payments.Transaction, len(rows))
	for i, r := range rows {
		out[i] = toBusTransaction(r)
	}
	return out, nil
}

// ListRefunds returns the refunds of payments, oldest first.
func (s *Payments) ListRefunds(ctx context.Context, paymentIDs []string) ([]payments.Refund, error) {
	if len(paymentIDs) == 0 {
		return nil, nil
	}
	var rows []refundRow
	if err := s.DB.conn(ctx).Where("payment_id IN ?", paymentIDs).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: list refunds: %w", err)
	}
	out := make([]payments.Refund, len(rows))
	for i, r := range rows {
		out[i] = toBusRefund(r)
	}
	return out, nil
}

// GetRefund returns one refund; an empty merchantID finds any merchant's.
func (s *Payments) GetRefund(ctx context.Context, merchantID, id string) (payments.Refund, error) {
	q := s.DB.conn(ctx).Where("id = ?", id)
	if merchantID != "" {
		q = q.Where("merchant_id = ?", merchantID)
	}
	var r refundRow
	if err := q.Take(&r).Error; err != nil {
		return payments.Refund{}, notFound(err, "get refund")
	}
	return toBusRefund(r), nil
}

// GetTransaction returns one transaction.
func (s *Payments) GetTransaction(ctx context.Context, id string) (payments.Transaction, error) {
	var r transactionRow
	if err := s.DB.conn(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return payments.Transaction{}, notFound(err, "get transaction")
	}
	return toBusTransaction(r), nil
}

// SucceededPayment returns the invoice's payment that holds or took money.
func (s *Payments) SucceededPayment(ctx context.Context, invoiceID string) (payments.Payment, error) {
	var r paymentRow
	if err := s.DB.conn(ctx).Where("invoice_id = ? AND status IN ?", invoiceID, succeededStatuses).
		Order("id DESC").Take(&r).Error; err != nil {
		return payments.Payment{}, notFound(err, "succeeded payment")
	}
	return toBusPayment(r), nil
}

// DuePending lists pending transactions whose next attempt is due, oldest first.
func (s *Payments) DuePending(ctx context.Context, now time.Time, limit int) ([]payments.Transaction, error) {
	var rows []transactionRow
	if err := s.DB.conn(ctx).Where(pendingResultSQL+" AND next_attempt_at <= ?", now).
		Order("next_attempt_at").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: due pending transactions: %w", err)
	}
	out := make([]payments.Transaction, len(rows))
	for i, r := range rows {
		out[i] = toBusTransaction(r)
	}
	return out, nil
}

// ClaimTransaction moves a due transaction's next attempt forward; only one worker's update matches.
func (s *Payments) ClaimTransaction(ctx context.Context, id string, now, until time.Time) (bool, error) {
	res := s.DB.conn(ctx).Model(&transactionRow{}).
		Where("id = ? AND "+pendingResultSQL+" AND next_attempt_at <= ?", id, now).
		Update("next_attempt_at", until)
	if res.Error != nil {
		return false, fmt.Errorf("store: claim transaction: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ExpiredAuthorizations lists authorised payments past their window with no operation running.
func (s *Payments) ExpiredAuthorizations(ctx context.Context, now time.Time, limit int) ([]payments.Payment, error) {
	var rows []paymentRow
	if err := s.DB.conn(ctx).
		Where(capturablePaymentSQL+" AND authorization_expires_at <= ? AND pending_op = ''", now).
		Order("authorization_expires_at").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: expired authorizations: %w", err)
	}
	out := make([]payments.Payment, len(rows))
	for i, r := range rows {
		out[i] = toBusPayment(r)
	}
	return out, nil
}

// PaymentByRequestKey finds the attempt a payer started through a link with an Idempotency-Key.
func (s *Payments) PaymentByRequestKey(ctx context.Context, linkID, key string) (payments.Payment, error) {
	var r paymentRow
	if err := s.DB.conn(ctx).Where("link_id = ? AND request_key = ?", linkID, key).Take(&r).Error; err != nil {
		return payments.Payment{}, notFound(err, "payment by request key")
	}
	return toBusPayment(r), nil
}

// GetPaymentByPSPReference finds a payment of a provider account by the PSP's id of it.
func (s *Payments) GetPaymentByPSPReference(ctx context.Context, accountID, pspRef string) (payments.Payment, error) {
	var r paymentRow
	// "<> ''" lets the partial index payments_psp_reference (named payments only) serve the lookup.
	if err := s.DB.conn(ctx).Where("provider_account_id = ? AND psp_reference = ? AND psp_reference <> ''", accountID, pspRef).Order("id DESC").Take(&r).Error; err != nil {
		return payments.Payment{}, notFound(err, "get payment by psp reference")
	}
	return toBusPayment(r), nil
}
