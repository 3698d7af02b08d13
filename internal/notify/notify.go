// Package notify turns the events written in the outbox (the events table) into e-mails and webhook
// deliveries, and delivers both with retries: e-mails over SMTP, webhooks per the Standard Webhooks
// spec. Every worker is a RunOnce function over the database, so replicas share the work through row
// locks and leases, and tests drive it step by step. Dispatching reads straight: the store claims a
// batch of events and saves what they become; this package decides what that is, from one entry
// per event type (emailPlans: what it sends, to whom, built by which function).
package notify

import (
	"context"
	"fmt"
	"time"

	"securelink/internal/domain"
	"securelink/internal/notify/mail"
)

// ID prefixes of the rows this package owns besides e-mails (em_) and endpoints (we_).
const (
	PrefixDelivery = "whd"
	PrefixAttempt  = "wha"
)

// EmailStatus is where an e-mail is.
type EmailStatus string

// The e-mail statuses.
const (
	EmailQueued EmailStatus = "queued" // waiting for (another) SMTP attempt
	EmailSent   EmailStatus = "sent"
	EmailFailed EmailStatus = "failed" // given up: permanent refusal or out of retries
	EmailHeld   EmailStatus = "held"   // no SMTP configured: kept as a mailbox the portal shows
)

// EmailKind says what an e-mail is about; the kinds are mail's (mail.Kinds).
type EmailKind = mail.Kind

// Email is one message of the outbox.
type Email struct {
	ID         string
	MerchantID string
	Livemode   bool
	InvoiceID  string
	EventID    string
	Kind       EmailKind
	To         string
	Subject    string
	// Text and HTML are the bodies. An e-mail an event planned is stored as its Message instead,
	// and Text and HTML are rendered from it when it is read (Rendered): a body is a few kilobytes,
	// its Message a few hundred bytes, and writing the bodies of two e-mails per payment was about a
	// tenth of a payment's CPU on PostgreSQL.
	Text          string
	HTML          string
	Message       *mail.Message
	Locale        string
	Status        EmailStatus
	Attempts      int
	LastError     string
	NextAttemptAt *time.Time
	CreatedAt     time.Time
	SentAt        *time.Time
	// AttachInvoicePDF attaches the invoice's PDF, rendered when the e-mail is sent.
	AttachInvoicePDF bool
}

// Rendered returns e with its Text and HTML rendered from its Message, when it was stored as one
// (an e-mail with a Message is stored without bodies).
func (e Email) Rendered() (Email, error) {
	if e.Message == nil {
		return e, nil
	}
	r, err := mail.Render(*e.Message)
	if err != nil {
		return e, fmt.Errorf("notify: render e-mail %s: %w", e.ID, err)
	}
	e.Text, e.HTML = r.Text, r.HTML
	return e, nil
}

// renderAll renders the bodies of es in place (Rendered).
func renderAll(es []Email) error {
	for i := range es {
		r, err := es[i].Rendered()
		if err != nil {
			return err
		}
		es[i] = r
	}
	return nil
}

// EndpointUpdate is a change to an endpoint; nil fields stay as they are.
type EndpointUpdate struct {
	URL            *string
	Events         []string // nil: unchanged
	Description    *string
	Status         *EndpointStatus
	DisabledReason string // with Status disabled
}

// EndpointStatus says whether an endpoint receives deliveries.
type EndpointStatus string

// The endpoint statuses.
const (
	EndpointEnabled  EndpointStatus = "enabled"
	EndpointDisabled EndpointStatus = "disabled"
)

// Endpoint is a merchant's webhook receiver.
type Endpoint struct {
	ID          string
	MerchantID  string
	Livemode    bool
	URL         string
	Description string
	Events      []string
	Secret      string
	// PreviousSecret still signs deliveries until PreviousSecretExpiresAt, so a receiver can roll over.
	PreviousSecret          string
	PreviousSecretExpiresAt *time.Time
	Status                  EndpointStatus
	DisabledReason          string
	CreatedAt               time.Time
	UpdatedAt               time.Time
}

// Subscribed reports whether the endpoint wants events of type typ.
func (e Endpoint) Subscribed(typ string) bool {
	for _, t := range e.Events {
		if t == typ {
			return true
		}
	}
	return false
}

// DeliveryStatus is where one event's delivery to one endpoint is.
type DeliveryStatus string

// The delivery statuses.
const (
	DeliveryPending   DeliveryStatus = "pending"
	DeliverySucceeded DeliveryStatus = "succeeded"
	DeliveryFailed    DeliveryStatus = "failed"
)

// Delivery is one event on its way to one endpoint.
type Delivery struct {
	ID             string
	MerchantID     string
	Livemode       bool
	EventID        string
	EndpointID     string
	EndpointURL    string
	Status         DeliveryStatus
	Attempts       int
	NextAttemptAt  *time.Time
	LastStatusCode int
	LastError      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	DeliveredAt    *time.Time
	Log            []Attempt
}

// Attempt is one HTTP request of a delivery.
type Attempt struct {
	ID              string
	DeliveryID      string
	MerchantID      string
	Livemode        bool
	EventID         string
	EndpointID      string
	Number          int
	URL             string
	StatusCode      int
	LatencyMS       int64
	ResponseExcerpt string
	Error           string
	CreatedAt       time.Time
}

// EventLog is a webhook event with its deliveries and their attempts.
type EventLog struct {
	domain.Event
	Deliveries []Delivery
}

// Merchant is what e-mails show of the merchant and where its copies go.
type Merchant struct {
	ID                string
	Name              string
	LegalName         string
	Address           string
	TaxID             string
	SupportEmail      string
	NotificationEmail string
	DefaultLocale     string
	// EmailAttachPDF attaches the invoice PDF to the e-mail with the payment link.
	EmailAttachPDF bool
	// LogoFile names the merchant's logo ("<sha-256>.<ext>"); empty when it has none.
	LogoFile string
	// BrandColor is the merchant's "#rrggbb" for the e-mails' accents; empty: the product's own.
	BrandColor string
}

// Outbox is what one event turns into.
type Outbox struct {
	Emails     []Email
	Deliveries []Delivery
}

// PaidCard is the card of the payment that took (or holds) an invoice's money.
type PaidCard struct{ InvoiceID, MerchantID, Brand, Last4 string }

// InvoiceLink is a payment link of an invoice: its token is what an e-mail links the payer to.
type InvoiceLink struct{ InvoiceID, MerchantID, Token string }

// DeliveryJob is a claimed delivery with what sending it needs.
type DeliveryJob struct {
	Delivery Delivery
	Endpoint Endpoint
	// EndpointActive is false when the endpoint was disabled or deleted after the delivery was planned.
	EndpointActive bool
	Event          domain.Event
}

// DeliveryResult is the outcome of one attempt to record.
type DeliveryResult struct {
	Attempt       Attempt
	Status        DeliveryStatus
	NextAttemptAt *time.Time
	// DisableEndpoint turns the endpoint off (the receiver answered 410 Gone).
	DisableEndpoint bool
	DisabledReason  string
}

// Store is the storage this package needs.
type Store interface {
	// PendingEvents returns up to limit undispatched events, oldest first. It claims nothing: the
	// dispatcher plans them outside any transaction, and SaveDispatch claims them.
	PendingEvents(ctx context.Context, limit int) ([]domain.Event, error)
	// SaveDispatch marks the events dispatched at at, those of them still undispatched, and in the
	// same transaction as each event's mark inserts what it became (out[i] is what eventIDs[i]
	// became); a large batch may go in several transactions. It returns how many it marked: an
	// event another replica dispatched meanwhile is skipped with its outbox. With an error, the
	// events it did not mark stay undispatched.
	SaveDispatch(ctx context.Context, eventIDs []string, out []Outbox, at time.Time) (int, error)
	// InvoicesWithLines returns the invoices with these ids, of any merchant, with their lines;
	// ids not found are left out.
	InvoicesWithLines(ctx context.Context, ids []string) ([]domain.Invoice, error)
	// PaymentCards returns the cards that paid (or pre-authorised) these invoices, where one did.
	PaymentCards(ctx context.Context, invoiceIDs []string) ([]PaidCard, error)
	// NotifyMerchant returns what e-mails show of a merchant; apperr.ErrNotFound when missing.
	NotifyMerchant(ctx context.Context, id string) (Merchant, error)
	// LinkTokens returns the payment links of these invoices, of any merchant, oldest first.
	LinkTokens(ctx context.Context, invoiceIDs []string) ([]InvoiceLink, error)
	// EnabledEndpoints returns the merchant's enabled endpoints of one mode.
	EnabledEndpoints(ctx context.Context, merchantID string, livemode bool) ([]Endpoint, error)

	// ClaimEmails takes up to limit queued e-mails that are due, counts an attempt on each and leases
	// them until leaseUntil, so no other worker sends them meanwhile.
	ClaimEmails(ctx context.Context, now, leaseUntil time.Time, limit int) ([]Email, error)
	// FinishEmail records the outcome of an attempt: sent, queued again at next, or failed.
	FinishEmail(ctx context.Context, id string, status EmailStatus, lastError string, next *time.Time, at time.Time) error
	ListEmails(ctx context.Context, merchantID string, p domain.Page) ([]Email, bool, error)
	// InsertEmail adds an e-mail that no event planned (a password reset) to the outbox.
	InsertEmail(ctx context.Context, e Email) error
	GetEmail(ctx context.Context, merchantID, id string) (Email, error)

	CreateEndpoint(ctx context.Context, e Endpoint) error
	ListEndpoints(ctx context.Context, merchantID string, p domain.Page) ([]Endpoint, bool, error)
	GetEndpoint(ctx context.Context, merchantID, id string) (Endpoint, error)
	// DeleteEndpoint removes the endpoint from lists and stops its pending deliveries.
	DeleteEndpoint(ctx context.Context, merchantID, id string, at time.Time) error
	// RotateSecret sets a new secret; the old one keeps signing until previousUntil.
	RotateSecret(ctx context.Context, merchantID, id, secret string, previousUntil, at time.Time) (Endpoint, error)
	// RequeueEmail puts a held or failed e-mail back in the queue, due at once with no attempts
	// counted; apperr.ErrConflict when it is neither (any more).
	RequeueEmail(ctx context.Context, merchantID, id string, at time.Time) error
	// UpdateEndpoint changes the fields set in u; disabling stops the endpoint's pending deliveries.
	UpdateEndpoint(ctx context.Context, merchantID, id string, u EndpointUpdate, at time.Time) (Endpoint, error)

	// ClaimDeliveries takes up to limit pending deliveries that are due, counts an attempt on each
	// and leases them until leaseUntil.
	ClaimDeliveries(ctx context.Context, now, leaseUntil time.Time, limit int) ([]DeliveryJob, error)
	// RecordAttempt stores the attempt and moves the delivery (and maybe its endpoint) on.
	RecordAttempt(ctx context.Context, r DeliveryResult, at time.Time) error
	ListEvents(ctx context.Context, merchantID string, p domain.Page) ([]EventLog, bool, error)
	GetEvent(ctx context.Context, merchantID, id string) (EventLog, error)
	// Redeliver queues the webhook event again, now, for every enabled endpoint subscribed to it
	// (endpointID narrows it to one), and returns how many deliveries it queued.
	Redeliver(ctx context.Context, merchantID, eventID, endpointID string, at time.Time) (int, error)
}
