package api

import (
	"reflect"
	"strings"
	"time"

	"securelink/internal/domain"
	"securelink/internal/payments"
)

// WebhookEventDoc documents one webhook event type: what its data is and an example of it. The
// OpenAPI converter (scripts/openapi) turns this table into the document's webhook section, and a
// test checks every event the product emits against the schema it produces.
type WebhookEventDoc struct {
	Type    string
	Summary string
	// Example is a value of the payload's Go type: the schema comes from its type, the example from
	// its fields.
	Example any
}

// WebhookEnvelope is the body of every webhook delivery: the event type, when it happened and the
// object as it was then.
type WebhookEnvelope struct {
	Type string `json:"type"`
	// Livemode is false for an event about test data, true for live data; an endpoint receives the
	// events of its own mode only.
	Livemode  bool      `json:"livemode"`
	Timestamp time.Time `json:"timestamp" format:"date-time"`
	Data      any       `json:"data"`
}

// WebhookEventDocs lists every webhook event type in the order the reference shows them.
func WebhookEventDocs() []WebhookEventDoc {
	inv := domain.InvoiceEventData{ID: "inv_01jd4w3k5m6n7p8q9r0s1t2v3w", Object: "invoice", Number: "INV-000042",
		Reference: "ORD-1042", Status: domain.InvoiceOpen, Currency: "RSD", AmountTotal: 480000,
		CustomerName: "Ana Anić", CustomerEmail: "ana@example.com"}
	paid, cancelled, expired, part := inv, inv, inv, inv
	paid.Status, paid.AmountPaid = domain.InvoicePaid, 480000
	part.Status, part.AmountPaid, part.Method, part.PaymentAmount = domain.InvoicePartiallyPaid, 200000, domain.MethodCard, 200000
	cancelled.Status, expired.Status = domain.InvoiceCancelled, domain.InvoiceExpired
	pay := payments.PaymentEventData{ID: "pay_01jd4w3k5m6n7p8q9r0s1t2v3w", Object: "payment", InvoiceID: inv.ID,
		InvoiceNumber: inv.Number, Status: domain.PaymentCaptured, Amount: 480000, Currency: "RSD", AmountCaptured: 480000,
		Card: &payments.CardEventData{Brand: "visa", Last4: "4242"}, CustomerEmail: inv.CustomerEmail,
		CustomerName: inv.CustomerName, Locale: "sr-Latn"}
	authorized, voided, failed := pay, pay, pay
	authorized.Status, authorized.AmountCaptured = domain.PaymentAuthorized, 0
	voided.Status, voided.AmountCaptured = domain.PaymentVoided, 0
	failed.Status, failed.AmountCaptured, failed.DeclineCode, failed.DeclineMessage = domain.PaymentFailed, 0,
		"card_declined", "The card was declined."
	ref := payments.RefundEventData{ID: "re_01jd4w3k5m6n7p8q9r0s1t2v3w", Object: "refund", PaymentID: pay.ID,
		InvoiceID: inv.ID, InvoiceNumber: inv.Number, Amount: 100000, Currency: "RSD", Status: domain.RefundSucceeded,
		Reason: "requested_by_customer", CustomerEmail: inv.CustomerEmail, Locale: "sr-Latn"}
	refFailed := ref
	refFailed.Status = domain.RefundFailed
	return []WebhookEventDoc{
		{domain.EventInvoiceCreated, "An invoice was created (its payment link is ready)", inv},
		{domain.EventInvoicePaid, "An invoice was paid in full", paid},
		{domain.EventInvoicePartiallyPaid, "A part of an invoice was paid (payment_amount); the rest is still due", part},
		{domain.EventInvoiceCancelled, "An unpaid invoice was cancelled", cancelled},
		{domain.EventInvoiceExpired, "An unpaid invoice expired", expired},
		{domain.EventPaymentAuthorized, "A payment was authorised and waits for capture (manual capture)", authorized},
		{domain.EventPaymentCaptured, "A payment was captured", pay},
		{domain.EventPaymentVoided, "An authorisation was released", voided},
		{domain.EventPaymentFailed, "A payment attempt was declined or failed", failed},
		{domain.EventRefundSucceeded, "A refund went through", ref},
		{domain.EventRefundFailed, "The provider refused a refund", refFailed},
	}
}

// WebhookEventSchemaName names an event type's envelope schema in the document:
// invoice.created → InvoiceCreatedEvent.
func WebhookEventSchemaName(typ string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(typ, func(r rune) bool { return r == '.' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String() + "Event"
}

// WebhookEnums gives the allowed values of the named string types that event payloads use.
func WebhookEnums() map[reflect.Type][]string {
	return map[reflect.Type][]string{
		reflect.TypeFor[domain.InvoiceStatus](): stringsOf(domain.InvoiceStatuses),
		reflect.TypeFor[domain.PaymentStatus](): stringsOf([]domain.PaymentStatus{domain.PaymentProcessing,
			domain.PaymentRequiresAction, domain.PaymentAuthorized, domain.PaymentCaptured, domain.PaymentPartiallyRefunded,
			domain.PaymentRefunded, domain.PaymentVoided, domain.PaymentFailed}),
		reflect.TypeFor[domain.RefundStatus](): stringsOf([]domain.RefundStatus{domain.RefundPending, domain.RefundSucceeded,
			domain.RefundFailed}),
	}
}

func stringsOf[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
