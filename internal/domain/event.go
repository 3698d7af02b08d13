package domain

import (
	"encoding/json"
	"slices"
	"time"
)

// Event is something that happened to a merchant's objects. It is written in the same database
// transaction as the change it describes (a transactional outbox); a worker turns it into webhook
// deliveries and e-mails afterwards.
type Event struct {
	ID         string
	MerchantID string
	// Livemode is the mode of the object the event is about; webhook endpoints of that mode get it.
	Livemode bool
	Type     string
	ObjectID string
	Payload  json.RawMessage // the object as it was when the event happened
	// Webhook is false for internal events that only trigger e-mails (e.g. a link to send).
	Webhook   bool
	CreatedAt time.Time
}

// Webhook event types.
const (
	EventInvoiceCreated = "invoice.created"
	EventInvoicePaid    = "invoice.paid"
	// EventInvoicePartiallyPaid is a part of an invoice paid, with more still due.
	EventInvoicePartiallyPaid = "invoice.partially_paid"
	EventInvoiceCancelled     = "invoice.cancelled"
	EventInvoiceExpired       = "invoice.expired"
	EventPaymentAuthorized    = "payment.authorized"
	EventPaymentCaptured      = "payment.captured"
	EventPaymentVoided        = "payment.voided"
	EventPaymentFailed        = "payment.failed"
	EventRefundSucceeded      = "refund.succeeded"
	EventRefundFailed         = "refund.failed"
)

// Internal event types: never sent to webhook endpoints.
const (
	// EventInvoiceLinkRequested asks for the payment link to be e-mailed to the customer.
	EventInvoiceLinkRequested = "invoice.link_requested"
	// EventInvoiceReminderRequested asks for a reminder with the payment link to be e-mailed to the
	// customer; the e-mail is not made once the invoice is no longer open.
	EventInvoiceReminderRequested = "invoice.reminder_requested"
)

// WebhookEventTypes lists the types an endpoint may subscribe to.
var WebhookEventTypes = []string{EventInvoiceCreated, EventInvoicePaid, EventInvoicePartiallyPaid, EventInvoiceCancelled, EventInvoiceExpired,
	EventPaymentAuthorized, EventPaymentCaptured, EventPaymentVoided, EventPaymentFailed, EventRefundSucceeded,
	EventRefundFailed}

// EventTypes lists every event type, the internal ones too.
var EventTypes = append(slices.Clone(WebhookEventTypes), EventInvoiceLinkRequested, EventInvoiceReminderRequested)

// NewEvent builds an event of the given mode whose payload is data encoded as JSON.
func NewEvent(merchantID string, livemode bool, typ, objectID string, data any, webhook bool) Event {
	b, err := json.Marshal(data)
	if err != nil {
		// data is always one of our own plain structs; failing to encode it is a programming error.
		panic("domain: encode event payload: " + err.Error())
	}
	return Event{ID: NewID(PrefixEvent), MerchantID: merchantID, Livemode: livemode, Type: typ, ObjectID: objectID, Payload: b,
		Webhook: webhook, CreatedAt: time.Now().UTC().Truncate(time.Microsecond)}
}
