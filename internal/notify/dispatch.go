package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/notify/mail"
)

// Dispatcher turns undispatched events into webhook deliveries and e-mails.
type Dispatcher struct {
	Store Store
	// HoldEmails keeps new e-mails in the mailbox (status held) instead of queueing them for SMTP.
	HoldEmails bool
	Now        func() time.Time
	// Batch is how many events one RunOnce takes; 200 when zero.
	Batch int
}

// RunOnce dispatches one batch of events and returns how many it dispatched.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	batch := d.Batch
	if batch <= 0 {
		batch = 200
	}
	now := clock(d.Now)
	return d.Store.DispatchEvents(ctx, batch, now, func(ctx context.Context, events []domain.Event, r Reader) ([]Outbox, error) {
		refs := make([]InvoiceRef, 0, len(events))
		for _, ev := range events {
			if id := emailInvoiceID(ev); id != "" {
				refs = append(refs, InvoiceRef{MerchantID: ev.MerchantID, InvoiceID: id})
			}
		}
		if err := r.Preload(ctx, refs); err != nil {
			return nil, err
		}
		out := make([]Outbox, len(events))
		for i, ev := range events {
			o, err := d.plan(ctx, ev, r, now)
			if err != nil {
				return nil, fmt.Errorf("plan event %s: %w", ev.ID, err)
			}
			out[i] = o
		}
		return out, nil
	})
}

// emailInvoiceID is the invoice an event's e-mails are about, or "" for an event that sends none
// (or whose payload is unusable: planning it says so).
func emailInvoiceID(ev domain.Event) string {
	var ids struct {
		ID        string `json:"id"`
		InvoiceID string `json:"invoice_id"`
	}
	switch ev.Type {
	case domain.EventInvoiceLinkRequested, domain.EventInvoicePaid:
		if json.Unmarshal(ev.Payload, &ids) == nil {
			return ids.ID
		}
	case domain.EventPaymentCaptured, domain.EventPaymentVoided, domain.EventPaymentAuthorized, domain.EventRefundSucceeded:
		if json.Unmarshal(ev.Payload, &ids) == nil {
			return ids.InvoiceID
		}
	}
	return ""
}

// RunUntilIdle dispatches batches until none is left (tests and the first run after a start).
func (d *Dispatcher) RunUntilIdle(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := d.RunOnce(ctx)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

func clock(now func() time.Time) time.Time {
	if now != nil {
		return now().UTC().Truncate(time.Microsecond)
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}

// plan decides what one event becomes.
func (d *Dispatcher) plan(ctx context.Context, ev domain.Event, r Reader, now time.Time) (Outbox, error) {
	var out Outbox
	if ev.Webhook {
		eps, err := r.Endpoints(ctx, ev.MerchantID)
		if err != nil {
			return out, err
		}
		for _, ep := range eps {
			if ep.Status != EndpointEnabled || !ep.Subscribed(ev.Type) {
				continue
			}
			due := now
			out.Deliveries = append(out.Deliveries, Delivery{ID: domain.NewID(PrefixDelivery), MerchantID: ev.MerchantID,
				EventID: ev.ID, EndpointID: ep.ID, EndpointURL: ep.URL, Status: DeliveryPending, NextAttemptAt: &due,
				CreatedAt: now, UpdatedAt: now})
		}
	}
	emails, err := d.emails(ctx, ev, r)
	if err != nil {
		return out, err
	}
	for _, e := range emails {
		e.MerchantID, e.EventID, e.CreatedAt = ev.MerchantID, ev.ID, now
		if e.ID == "" {
			e.ID = domain.NewID(domain.PrefixEmail)
		}
		if d.HoldEmails {
			e.Status = EmailHeld
		} else {
			due := now
			e.Status, e.NextAttemptAt = EmailQueued, &due
		}
		out.Emails = append(out.Emails, e)
	}
	return out, nil
}

// paymentData is the part of a payment event's payload e-mails use.
type paymentData struct {
	ID             string `json:"id"`
	InvoiceID      string `json:"invoice_id"`
	Status         string `json:"status"`
	Amount         int64  `json:"amount"`
	AmountCaptured int64  `json:"amount_captured"`
	Currency       string `json:"currency"`
	Card           *struct {
		Brand string `json:"brand"`
		Last4 string `json:"last4"`
	} `json:"card"`
	CustomerEmail string `json:"customer_email"`
	Locale        string `json:"locale"`
}

// refundData is the part of a refund event's payload e-mails use.
type refundData struct {
	ID            string `json:"id"`
	PaymentID     string `json:"payment_id"`
	InvoiceID     string `json:"invoice_id"`
	Amount        int64  `json:"amount"`
	Currency      string `json:"currency"`
	CustomerEmail string `json:"customer_email"`
	Locale        string `json:"locale"`
}

// emails lists the e-mails an event asks for; events that concern no e-mail give none.
func (d *Dispatcher) emails(ctx context.Context, ev domain.Event, r Reader) ([]Email, error) {
	var (
		invoiceID string
		inv       invoiceData
		pay       paymentData
		ref       refundData
	)
	switch ev.Type {
	case domain.EventInvoiceLinkRequested, domain.EventInvoicePaid:
		if err := json.Unmarshal(ev.Payload, &inv); err != nil {
			return nil, d.skip(ev, err)
		}
		invoiceID = inv.ID
	case domain.EventPaymentCaptured, domain.EventPaymentVoided, domain.EventPaymentAuthorized:
		if err := json.Unmarshal(ev.Payload, &pay); err != nil {
			return nil, d.skip(ev, err)
		}
		invoiceID = pay.InvoiceID
	case domain.EventRefundSucceeded:
		if err := json.Unmarshal(ev.Payload, &ref); err != nil {
			return nil, d.skip(ev, err)
		}
		invoiceID = ref.InvoiceID
	default:
		return nil, nil
	}
	invoice, err := r.Invoice(ctx, ev.MerchantID, invoiceID)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil, d.skip(ev, err)
	}
	if err != nil {
		return nil, err
	}
	m, err := r.Merchant(ctx, ev.MerchantID)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil, d.skip(ev, err)
	}
	if err != nil {
		return nil, err
	}
	msg := baseMessage(m, invoice)
	to := invoice.Customer.Email
	switch ev.Type {
	case domain.EventInvoiceLinkRequested:
		msg.Kind, msg.LinkURL, msg.ExpiresAt = mail.KindPaymentLink, inv.LinkURL, invoice.ExpiresAt
		if inv.CustomerEmail != "" {
			to = inv.CustomerEmail
		}
		e, err := build(msg, invoice.ID, to, inv.EmailID)
		return nonEmpty(e), err
	case domain.EventInvoicePaid:
		if err := addCard(ctx, r, ev.MerchantID, invoice.ID, &msg); err != nil {
			return nil, err
		}
		msg.Kind, msg.Amount = mail.KindReceipt, inv.AmountPaid
		receipt, err := build(msg, invoice.ID, to, "")
		if err != nil {
			return nil, err
		}
		out := nonEmpty(receipt)
		if m.NotificationEmail != "" {
			msg.Kind = mail.KindReceiptCopy
			if domain.ValidLocale(m.DefaultLocale) {
				msg.Locale = m.DefaultLocale
			}
			cp, err := build(msg, invoice.ID, m.NotificationEmail, "")
			if err != nil {
				return nil, err
			}
			out = append(out, nonEmpty(cp)...)
		}
		return out, nil
	case domain.EventRefundSucceeded:
		if err := addCard(ctx, r, ev.MerchantID, invoice.ID, &msg); err != nil {
			return nil, err
		}
		msg.Kind, msg.Amount = mail.KindRefund, ref.Amount
		if ref.CustomerEmail != "" {
			to = ref.CustomerEmail
		}
		e, err := build(msg, invoice.ID, to, "")
		return nonEmpty(e), err
	case domain.EventPaymentCaptured, domain.EventPaymentVoided, domain.EventPaymentAuthorized:
		// A sale captures at once and its receipt says so; only a pre-authorisation gets notices:
		// that the amount is reserved, then that it was captured or released.
		if ev.Type != domain.EventPaymentVoided && invoice.CaptureMode != domain.CaptureManual {
			return nil, nil
		}
		if pay.Card != nil {
			msg.CardBrand, msg.CardLast4 = pay.Card.Brand, pay.Card.Last4
		}
		msg.Kind, msg.Amount = mail.KindVoidNotice, pay.Amount
		switch ev.Type {
		case domain.EventPaymentCaptured:
			msg.Kind, msg.Amount = mail.KindCaptureNotice, pay.AmountCaptured
		case domain.EventPaymentAuthorized:
			msg.Kind, msg.Amount = mail.KindAuthorization, pay.Amount
		}
		if pay.CustomerEmail != "" {
			to = pay.CustomerEmail
		}
		e, err := build(msg, invoice.ID, to, "")
		return nonEmpty(e), err
	}
	return nil, nil
}

// invoiceData is the payload of invoice events as e-mails read it.
type invoiceData = domain.InvoiceEventData

// skip logs an event that cannot become an e-mail (its payload or invoice is unusable); the event is
// still dispatched so it does not block the ones behind it.
func (d *Dispatcher) skip(ev domain.Event, err error) error {
	slog.Warn("event gives no e-mail", "event", ev.ID, "type", ev.Type, "err", err)
	return nil
}

func baseMessage(m Merchant, inv domain.Invoice) mail.Message {
	return mail.Message{Locale: inv.Locale, MerchantName: m.Name, MerchantLegalName: m.LegalName,
		MerchantAddress: m.Address, MerchantTaxID: m.TaxID, SupportEmail: m.SupportEmail,
		CustomerName: inv.Customer.Name, InvoiceNumber: inv.Number, Reference: inv.Reference,
		Description: inv.Description, Currency: inv.Currency, Lines: inv.Lines, Total: inv.AmountTotal}
}

// addCard puts the brand and last four digits of the invoice's payment on msg, when one is known.
func addCard(ctx context.Context, r Reader, merchantID, invoiceID string, msg *mail.Message) error {
	brand, last4, err := r.PaymentCard(ctx, merchantID, invoiceID)
	if err != nil {
		return err
	}
	msg.CardBrand, msg.CardLast4 = brand, last4
	return nil
}

// build renders msg into an e-mail about the invoice to to; no address gives no e-mail.
func build(msg mail.Message, invoiceID, to, id string) (*Email, error) {
	to = strings.TrimSpace(to)
	if to == "" {
		return nil, nil
	}
	r, err := mail.Render(msg)
	if err != nil {
		return nil, fmt.Errorf("notify: render %s e-mail: %w", msg.Kind, err)
	}
	return &Email{ID: id, InvoiceID: invoiceID, Kind: msg.Kind, To: to, Subject: r.Subject, Text: r.Text, HTML: r.HTML, Locale: msg.Locale}, nil
}

func nonEmpty(e *Email) []Email {
	if e == nil {
		return nil
	}
	return []Email{*e}
}
