// Package payments holds the business rules of taking card payments through a PSP: paying through a
// link (sale or pre-authorisation, 3-D Secure), capturing, voiding and refunding, the reconciliation
// of operations whose outcome was not recorded, and the expiry of old authorisations.
//
// Every money-moving operation follows the same steps: the attempt is stored first (a transaction row
// in result "pending", with the PSP idempotency key derived from our ids) by a conditional update that
// reserves the state or amount it needs; only then is the PSP called; its answer is recorded in one
// database transaction guarded by "the transaction row is still pending". An answer that never came
// leaves the row pending, and Reconcile repeats the same request with the same key until it settles.
package payments

import (
	"context"
	"time"

	"securelink/internal/audit"
	"securelink/internal/domain"
	"securelink/internal/invoices"
	"securelink/internal/psp"
)

// Payment is one attempt to pay an invoice through a PSP.
type Payment struct {
	ID                  string
	MerchantID          string
	Livemode            bool // the invoice's mode
	InvoiceID           string
	LinkID              string
	Status              domain.PaymentStatus
	Amount              int64
	Currency            string
	CaptureMode         domain.CaptureMode
	AmountAuthorized    int64
	AmountCaptured      int64
	AmountRefunded      int64
	AmountRefundPending int64
	Card                *psp.Card // brand, last 4 and expiry only
	PSP                 string
	// ProviderAccountID is the merchant's provider account that took the payment ("" for the
	// deployment's default account): every later call for the payment goes to it.
	ProviderAccountID string
	PSPReference      string
	// PSPToken is the single-use card token the payer's browser obtained from the PSP; it is kept so
	// that reconciliation can repeat the exact Authorize request (the PSP answers it from its store).
	PSPToken       string
	IdempotencyKey string
	// RequestKey is the payer's Idempotency-Key of the pay call that started the attempt, unique per
	// link, and RequestHash what that call asked for: a retry with the key gets this attempt.
	RequestKey      string
	RequestHash     string
	ReturnURL       string
	Description     string
	RedirectURL     string
	DeclineCode     string
	DeclineMessage  string
	PendingOp       domain.TransactionType // capture or void while one runs, else empty
	TermsAcceptedAt time.Time
	TermsIP         string
	ClientIP        string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	AuthorizedAt    *time.Time
	// AuthorizationExpiresAt is when an uncaptured authorisation is voided by the background job.
	AuthorizationExpiresAt *time.Time
	CapturedAt             *time.Time
	VoidedAt               *time.Time
	// Method is card for PSP payments; a bank_transfer was recorded by the merchant, with the
	// transfer's reference, payer and day of arrival, and the statement line it came from if any.
	Method        domain.PaymentMethod
	BankReference string
	PayerName     string
	ReceivedAt    *time.Time
	StatementLine string
}

// method is the payment's method; rows from before methods existed are card payments.
func (p Payment) method() domain.PaymentMethod {
	if p.Method == "" {
		return domain.MethodCard
	}
	return p.Method
}

// Refundable is what may still be refunded: captured minus refunded and reserved.
func (p Payment) Refundable() int64 {
	return p.AmountCaptured - p.AmountRefunded - p.AmountRefundPending
}

// AuthorizationExpiring tells whether an uncaptured authorisation is older than
// domain.AuthorizationExpiringAfter at now: still capturable, but soon released.
func (p Payment) AuthorizationExpiring(now time.Time) bool {
	return p.Status.Capturable() && p.AuthorizedAt != nil && !now.Before(p.AuthorizedAt.Add(domain.AuthorizationExpiringAfter))
}

// PaidAt is when the payer's money was taken or reserved.
func (p Payment) PaidAt() *time.Time {
	if p.CapturedAt != nil {
		return p.CapturedAt
	}
	return p.AuthorizedAt
}

// Transaction is one PSP operation on a payment.
type Transaction struct {
	ID             string
	MerchantID     string
	Livemode       bool
	PaymentID      string
	RefundID       string
	Type           domain.TransactionType
	Amount         int64
	Currency       string
	Result         domain.TransactionResult
	PSPReference   string
	ErrorCode      string
	ErrorMessage   string
	Actor          string // usr_…, key_…, payer or system
	IdempotencyKey string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	NextAttemptAt  time.Time
}

// Refund is money returned to the payer.
type Refund struct {
	ID             string
	MerchantID     string
	Livemode       bool
	PaymentID      string
	InvoiceID      string
	Amount         int64
	Currency       string
	Reason         string
	Status         domain.RefundStatus
	FailureCode    string
	FailureMessage string
	PSPReference   string
	Actor          string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Filter narrows a list of payments.
type Filter struct {
	Status    domain.PaymentStatus
	InvoiceID string
	Page      domain.Page
}

// AuthSettlement is the final outcome of an authorize or sale, recorded in one transaction.
type AuthSettlement struct {
	// Payment is the payment as it becomes; the store writes its status, amounts, card, PSP reference,
	// decline and times, only while it is still processing or requires_action.
	Payment Payment
	Txn     Transaction // ID, Result, PSPReference, ErrorCode, ErrorMessage
	// InvoiceTo is the invoice's new status (open after a decline, authorized or paid), moved only
	// from InvoiceFrom (processing); AmountPaid and PaidAt go with money taken (paid or partially paid).
	InvoiceFrom domain.InvoiceStatus
	InvoiceTo   domain.InvoiceStatus
	AmountPaid  int64
	PaidAt      *time.Time
	// LinkTo, when set, is what the invoice's active link becomes (completed).
	LinkTo domain.LinkStatus
	Events []domain.Event
	At     time.Time
}

// OpSettlement is the outcome of a capture or void, recorded in one transaction.
type OpSettlement struct {
	MerchantID string
	PaymentID  string
	InvoiceID  string
	Op         domain.TransactionType
	Txn        Transaction
	// Succeeded moves the payment from From to Status (captured or voided), the invoice from
	// InvoiceFrom (authorized) to InvoiceTo and, when LinkTo is set, its active link to LinkTo;
	// otherwise only the operation lock is released.
	Succeeded      bool
	From           domain.PaymentStatus
	Status         domain.PaymentStatus
	AmountCaptured int64
	InvoiceFrom    domain.InvoiceStatus
	InvoiceTo      domain.InvoiceStatus
	AmountPaid     int64
	LinkTo         domain.LinkStatus
	Events         []domain.Event
	At             time.Time
}

// RefundSettlement is the outcome of a refund, recorded in one transaction.
type RefundSettlement struct {
	Refund    Refund // ID, PaymentID, InvoiceID, Amount, Status, FailureCode, FailureMessage, PSPReference
	Txn       Transaction
	Succeeded bool
	// PaymentAfter and InvoiceAfter decide the payment's and the invoice's status after a succeeded
	// refund; the store applies them to the amounts as they are when it adds this refund, since
	// refunds of one payment may settle concurrently.
	PaymentAfter domain.RefundRule[domain.PaymentStatus]
	InvoiceAfter domain.RefundRule[domain.InvoiceStatus]
	Events       []domain.Event
	At           time.Time
}

// TransferSettlement is a recorded bank transfer: the captured payment, its transaction and the
// invoice's new amount paid, written in one transaction only while the invoice is still in status
// InvoiceFrom with AmountPaidBefore paid.
type TransferSettlement struct {
	Payment          Payment
	Txn              Transaction
	InvoiceFrom      domain.InvoiceStatus
	AmountPaidBefore int64
	AmountPaid       int64
	// InvoiceTo is the invoice's status after the transfer (paid once nothing is left due, else
	// InvoiceFrom); LinkTo, when set, is what its active link becomes (completed).
	InvoiceTo domain.InvoiceStatus
	LinkTo    domain.LinkStatus
	Events    []domain.Event
	At        time.Time
}

// FailureLimits bound the failed attempts a new attempt may follow: fewer than PerLink through the
// link ever, and fewer than PerIP from the payment's client address since Since.
type FailureLimits struct {
	PerLink int64
	PerIP   int64
	Since   time.Time
}

// Claim is what BeginPayment needs to claim the invoice behind a link for one attempt.
type Claim struct {
	Token    string
	ClientIP string
	At       time.Time
	Limits   FailureLimits
	// InvoiceFrom are the statuses the invoice may be claimed in (the payable ones); InvoiceTo is
	// the status the claim moves it to (processing).
	InvoiceFrom []domain.InvoiceStatus
	InvoiceTo   domain.InvoiceStatus
}

// Attempt is a payment attempt as BeginPayment stored it, with the invoice it claimed.
type Attempt struct {
	Invoice domain.Invoice
	Payment Payment
	Txn     Transaction
}

// Store is the storage this package needs. Every method that records an outcome answers
// apperr.ErrConflict when the transaction row is no longer pending (someone else recorded it).
type Store interface {
	GetInvoice(ctx context.Context, merchantID, id string) (domain.Invoice, error)
	// CountFailedPayments counts failed payments through a link (ever) and from a client address
	// since a time, so that every replica sees the same counts.
	CountFailedPayments(ctx context.Context, linkID, clientIP string, since time.Time) (perLink, perIP int64, err error)
	// BeginPayment moves the invoice behind the link token from open to processing, only while the
	// link is active and unexpired and the failed attempts stay under the limits, and inserts the
	// payment and pending transaction that newAttempt builds from the claimed invoice and link id,
	// in one transaction. It answers apperr.ErrConflict when any condition does not hold (unknown
	// link, another attempt won, the link closed, too many failures); the caller finds out which.
	// newAttempt may refuse the claimed invoice (an amount it does not allow): the claim is undone
	// and its error returned. The context newAttempt gets joins the transaction: store reads made
	// with it run there (on PostgreSQL, on its connection, which a read from the pool while the
	// transaction holds one could wait for forever).
	BeginPayment(ctx context.Context, c Claim, newAttempt func(ctx context.Context, inv domain.Invoice, linkID string) (Payment, Transaction, error)) (Attempt, error)
	// MarkInFlight records a PSP answer that is not final: requires_action with its redirect URL, or
	// still processing with the PSP's reference. Only from processing or requires_action.
	MarkInFlight(ctx context.Context, paymentID string, status domain.PaymentStatus, pspRef, redirectURL string, card *psp.Card, at time.Time) error
	SettleAuthorization(ctx context.Context, s AuthSettlement) error

	// BeginOperation takes the payment's operation lock for a capture or void (only from authorized
	// with no operation running) and inserts the pending transaction; apperr.ErrConflict otherwise.
	BeginOperation(ctx context.Context, merchantID, paymentID string, t Transaction) error
	SettleOperation(ctx context.Context, s OpSettlement) error
	// ReserveRefund adds the refund's amount to the payment's pending refunds only while refunded +
	// pending + amount stays within captured, and inserts the refund and its pending transaction.
	ReserveRefund(ctx context.Context, r Refund, t Transaction) error
	SettleRefund(ctx context.Context, s RefundSettlement) error

	GetPayment(ctx context.Context, merchantID, id string) (Payment, error)
	ListPayments(ctx context.Context, merchantID string, f Filter) ([]Payment, bool, error)
	ListTransactions(ctx context.Context, paymentIDs []string) ([]Transaction, error)
	ListRefunds(ctx context.Context, paymentIDs []string) ([]Refund, error)
	GetRefund(ctx context.Context, merchantID, id string) (Refund, error)
	GetTransaction(ctx context.Context, id string) (Transaction, error)
	// PaymentByRequestKey finds the attempt a payer started through a link with an Idempotency-Key.
	PaymentByRequestKey(ctx context.Context, linkID, key string) (Payment, error)
	// GetPaymentByPSPReference finds a payment of a provider account ("" for the default account)
	// by the PSP's id of it.
	GetPaymentByPSPReference(ctx context.Context, accountID, pspRef string) (Payment, error)
	// SucceededPayment is the invoice's payment that holds or took money.
	SucceededPayment(ctx context.Context, invoiceID string) (Payment, error)

	// DuePending lists pending transactions whose next attempt is due.
	DuePending(ctx context.Context, now time.Time, limit int) ([]Transaction, error)
	// ClaimTransaction moves a due pending transaction's next attempt to until; false when another
	// worker claimed it first.
	ClaimTransaction(ctx context.Context, id string, now, until time.Time) (bool, error)
	// RecordTransfer stores a bank transfer (see TransferSettlement); apperr.ErrConflict when the
	// invoice changed meanwhile, ErrStatementLineRecorded when its statement line is already recorded.
	RecordTransfer(ctx context.Context, t TransferSettlement) error
	// RecordedStatementLines returns, of the given statement-line fingerprints, those already
	// recorded for the merchant, with the payment each became.
	RecordedStatementLines(ctx context.Context, merchantID string, lines []string) (map[string]string, error)
	// ExpiredAuthorizations lists authorised payments past their authorisation window.
	ExpiredAuthorizations(ctx context.Context, now time.Time, limit int) ([]Payment, error)
}

// LinkResolver finds the link and invoice behind a token (the invoices use case).
type LinkResolver interface {
	ResolveLink(ctx context.Context, token string) (invoices.Checkout, error)
}

// Auditor records who did what.
type Auditor interface {
	Record(ctx context.Context, actor domain.Actor, action, target string, details map[string]any) error
}

// Defaults of the Service's tunables.
const (
	DefaultMaxFailuresPerLink = 10
	DefaultMaxFailuresPerIP   = 20
	DefaultFailureWindow      = time.Hour
	DefaultStaleAfter         = time.Minute
	DefaultAbandonAfter       = time.Hour
	// DefaultAuthorizationWindow is how long an authorisation is held before the background job
	// voids it: past domain.AuthorizationExpiringAfter, so the merchant sees it expiring first.
	DefaultAuthorizationWindow = 10 * 24 * time.Hour
	// claimLease is how long a reconciliation worker owns a pending transaction.
	claimLease = 2 * time.Minute
)

// Service is the payment use cases.
type Service struct {
	Store Store
	Links LinkResolver
	// Providers routes each payment to its merchant's provider account; nil means Provider for all.
	Providers Providers
	Provider  psp.Provider
	Audit     Auditor
	// Tx runs the record of an operation and its audit row in one transaction.
	Tx      audit.Tx
	BaseURL string
	Now     func() time.Time

	// MaxFailuresPerLink failed attempts through one link, or MaxFailuresPerIP from one client address
	// within FailureWindow, refuse further attempts with 429 (card-testing defence).
	MaxFailuresPerLink int64
	MaxFailuresPerIP   int64
	FailureWindow      time.Duration
	// StaleAfter is how long a pending operation is left to its own request before reconciliation
	// asks the PSP; AbandonAfter is how long a payer may take over 3-D Secure.
	StaleAfter   time.Duration
	AbandonAfter time.Duration
	// AuthorizationWindow is how long an authorisation is held before it is voided.
	AuthorizationWindow time.Duration
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}

func orDefault[T int64 | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

func (s *Service) staleAfter() time.Duration { return orDefault(s.StaleAfter, DefaultStaleAfter) }
func (s *Service) authorizationWindow() time.Duration {
	return orDefault(s.AuthorizationWindow, DefaultAuthorizationWindow)
}

// SystemActor is the actor of background work for a merchant.
func SystemActor(merchantID string) domain.Actor {
	return domain.Actor{Type: domain.ActorSystem, MerchantID: merchantID}
}
