package invoices

import (
	"context"
	"errors"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
)

// ReminderSettings are one merchant's automatic reminder rules (0 days: the rule is off).
type ReminderSettings struct {
	MerchantID       string
	AfterSentDays    int
	BeforeExpiryDays int
}

// ReminderStore is the storage reminders need.
type ReminderStore interface {
	// ReminderSettings lists the merchants with at least one automatic rule on.
	ReminderSettings(ctx context.Context) ([]ReminderSettings, error)
	// DueForReminder returns up to limit of the merchant's open invoices, not yet expired at now, that
	// have no reminder of rule and whose link was first e-mailed at or before sentBefore
	// (ReminderAfterSent) or whose expiry is at or before expiresBefore (ReminderBeforeExpiry).
	DueForReminder(ctx context.Context, merchantID string, rule domain.ReminderRule, cutoff, now time.Time, limit int) ([]domain.Invoice, error)
	// RecordReminder inserts the reminder with its event, in one transaction; a second reminder of an
	// automatic rule for the same invoice answers apperr.ErrConflict.
	RecordReminder(ctx context.Context, r domain.Reminder, ev domain.Event) error
	ListReminders(ctx context.Context, merchantID, invoiceID string) ([]domain.Reminder, error)
	// MarkSent notes when an invoice's link was first e-mailed; later sends keep the first time.
	MarkSent(ctx context.Context, merchantID, invoiceID string, at time.Time) error
}

// reminderBatch is how many invoices one merchant's rule reminds of per round.
const reminderBatch = 100

// RemindDue is the background job: for every merchant with reminders on, it reminds the customers
// of open invoices that a rule now applies to, at most once per rule and invoice (the store's unique
// constraint decides between replicas). It returns how many reminders it queued.
func (s *Service) RemindDue(ctx context.Context) (int, error) {
	settings, err := s.Reminders.ReminderSettings(ctx)
	if err != nil {
		return 0, err
	}
	now := s.now()
	sent := 0
	for _, m := range settings {
		for _, r := range []struct {
			rule   domain.ReminderRule
			days   int
			cutoff time.Time
		}{
			{domain.ReminderAfterSent, m.AfterSentDays, now.AddDate(0, 0, -m.AfterSentDays)},
			{domain.ReminderBeforeExpiry, m.BeforeExpiryDays, now.AddDate(0, 0, m.BeforeExpiryDays)},
		} {
			if r.days <= 0 {
				continue
			}
			due, err := s.Reminders.DueForReminder(ctx, m.MerchantID, r.rule, r.cutoff, now, reminderBatch)
			if err != nil {
				return sent, err
			}
			for _, inv := range due {
				ok, err := s.remind(ctx, inv.MerchantID, inv.ID, r.rule, now)
				if err != nil {
					return sent, err
				}
				if ok {
					sent++
				}
			}
		}
	}
	return sent, nil
}

// remind queues a reminder of rule for the invoice; false when it is not remindable any more or an
// automatic rule already reminded of it.
func (s *Service) remind(ctx context.Context, merchantID, invoiceID string, rule domain.ReminderRule, now time.Time) (bool, error) {
	inv, err := s.Store.GetInvoice(ctx, merchantID, invoiceID)
	if errors.Is(err, apperr.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	r, ev, ok := s.newReminder(inv, rule, now)
	if !ok {
		return false, nil
	}
	err = s.Reminders.RecordReminder(ctx, r, ev)
	if errors.Is(err, apperr.ErrConflict) {
		return false, nil
	}
	return err == nil, err
}

// newReminder builds a reminder and the event that e-mails it; ok is false when the invoice cannot
// be paid through an active link at now.
func (s *Service) newReminder(inv domain.Invoice, rule domain.ReminderRule, now time.Time) (domain.Reminder, domain.Event, bool) {
	if !inv.Remindable(now) || inv.Link == nil || inv.Link.EffectiveStatus(now) != domain.LinkActive {
		return domain.Reminder{}, domain.Event{}, false
	}
	data := inv.EventData(s.LinkURL(inv.Link.Token))
	data.EmailID = domain.NewID(domain.PrefixEmail)
	r := domain.Reminder{ID: domain.NewID(domain.PrefixReminder), MerchantID: inv.MerchantID, Livemode: inv.Livemode, InvoiceID: inv.ID,
		Rule: rule, EmailID: data.EmailID, CreatedAt: now}
	return r, domain.NewEvent(inv.MerchantID, inv.Livemode, domain.EventInvoiceReminderRequested, inv.ID, data, false), true
}

// Remind e-mails the customer a reminder with the payment link now (the portal's "Remind now").
func (s *Service) Remind(ctx context.Context, actor domain.Actor, id string) (domain.Reminder, error) {
	inv, err := s.Get(ctx, actor.MerchantID, id)
	if err != nil {
		return domain.Reminder{}, err
	}
	r, ev, ok := s.newReminder(inv, domain.ReminderManual, s.now())
	if !ok {
		return domain.Reminder{}, apperr.InvalidState("Only an open invoice with an active link can be reminded of; this one is %s.", inv.Status)
	}
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Reminders.RecordReminder(ctx, r, ev); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "invoice.reminded", id, map[string]any{"to": inv.Customer.Email})
	})
	if err != nil {
		return domain.Reminder{}, err
	}
	return r, nil
}

// ListReminders lists the reminders sent about one of the merchant's invoices, oldest first.
func (s *Service) ListReminders(ctx context.Context, merchantID, invoiceID string) ([]domain.Reminder, error) {
	return s.Reminders.ListReminders(ctx, merchantID, invoiceID)
}
