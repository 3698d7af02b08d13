package stripe

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"securelink/internal/psp"
)

// The Stripe event types SecureLink acts on.
const (
	EventPaymentSucceeded         = "payment_intent.succeeded"
	EventPaymentCapturableUpdated = "payment_intent.amount_capturable_updated"
	EventPaymentFailed            = "payment_intent.payment_failed"
	EventPaymentCanceled          = "payment_intent.canceled"
	EventChargeRefunded           = "charge.refunded"
)

// ErrBadSignature means a webhook was not signed with the endpoint's secret, or is too old: it is
// ignored. It is a psp.ErrBadSignature.
var ErrBadSignature = fmt.Errorf("stripe webhook: %w", psp.ErrBadSignature)

// WebhookEvent is what SecureLink needs from a verified Stripe event.
//
// Events of other types come back with only ID and Type set (Handled reports false): answer
// them 200 so Stripe stops sending them, and do nothing else.
type WebhookEvent struct {
	ID   string // evt_…, for de-duplication: Stripe may deliver an event more than once
	Type string
	// PaymentRef is the PaymentIntent id, the same as psp.Result.PaymentRef.
	PaymentRef string
	// Reference is SecureLink's payment id from the PaymentIntent metadata, when Stripe has it.
	Reference string
	// ChargeRef is the charge id, set for charge.refunded.
	ChargeRef string
	// AmountRefunded is the charge's refunded total, set for charge.refunded.
	AmountRefunded int64
	Livemode       bool
}

// Handled reports whether the event is one SecureLink acts on.
func (e WebhookEvent) Handled() bool { return e.PaymentRef != "" }

// ParseWebhook implements psp.WebhookReceiver: it verifies the body against the Stripe-Signature
// header and says which payment the event is about.
func (p *Provider) ParseWebhook(header http.Header, body []byte) (psp.WebhookNotice, error) {
	ev, err := p.ParseEvent(body, header.Get("Stripe-Signature"))
	if err != nil {
		return psp.WebhookNotice{}, err
	}
	return psp.WebhookNotice{Handled: ev.Handled(), PaymentRef: ev.PaymentRef, Reference: ev.Reference}, nil
}

// ParseEvent verifies a webhook body against its Stripe-Signature header and reads the event.
// The tolerance for the signature's timestamp is stripe-go's default of 5 minutes; an event
// rendered in another API version than stripe-go's is accepted, since only ids and metadata are read.
func (p *Provider) ParseEvent(payload []byte, signatureHeader string) (WebhookEvent, error) {
	if p.webhookSecret == "" {
		return WebhookEvent{}, fmt.Errorf("%w: no signing secret configured", ErrBadSignature)
	}
	event, err := webhook.ConstructEventWithOptions(payload, signatureHeader, p.webhookSecret,
		webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err != nil {
		if errors.Is(err, webhook.ErrNotSigned) || errors.Is(err, webhook.ErrInvalidHeader) ||
			errors.Is(err, webhook.ErrNoValidSignature) || errors.Is(err, webhook.ErrTooOld) {
			return WebhookEvent{}, fmt.Errorf("%w: %w", ErrBadSignature, err)
		}
		return WebhookEvent{}, fmt.Errorf("stripe webhook: %w", err)
	}

	out := WebhookEvent{ID: event.ID, Type: string(event.Type), Livemode: event.Livemode}
	if event.Data == nil {
		return out, nil
	}
	switch out.Type {
	case EventPaymentSucceeded, EventPaymentCapturableUpdated, EventPaymentFailed, EventPaymentCanceled:
		var pi stripego.PaymentIntent
		if err := json.Unmarshal(event.Data.Raw, &pi); err != nil {
			return WebhookEvent{}, fmt.Errorf("stripe webhook %s: read payment intent: %w", event.ID, err)
		}
		out.PaymentRef = pi.ID
		out.Reference = pi.Metadata[MetadataPaymentKey]
	case EventChargeRefunded:
		var charge stripego.Charge
		if err := json.Unmarshal(event.Data.Raw, &charge); err != nil {
			return WebhookEvent{}, fmt.Errorf("stripe webhook %s: read charge: %w", event.ID, err)
		}
		out.ChargeRef = charge.ID
		out.AmountRefunded = charge.AmountRefunded
		if charge.PaymentIntent != nil {
			out.PaymentRef = charge.PaymentIntent.ID
		}
		// Stripe copies the PaymentIntent's metadata onto the charges it creates.
		out.Reference = charge.Metadata[MetadataPaymentKey]
	}
	return out, nil
}
