package store

import (
	"context"
	"fmt"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/invoices"
)

var _ invoices.ReminderStore = (*Invoices)(nil)

// reminderRow is one reminder e-mailed about an invoice, by an automatic rule or by hand.
type reminderRow struct {
	ID         string
	MerchantID string
	Livemode   bool
	InvoiceID  string
	Rule       string
	EmailID    string
	CreatedAt  time.Time
}

func (reminderRow) TableName() string { return "reminders" }

func toBusReminder(r reminderRow) domain.Reminder {
	return domain.Reminder{ID: r.ID, MerchantID: r.MerchantID, Livemode: r.Livemode, InvoiceID: r.InvoiceID,
		Rule: domain.ReminderRule(r.Rule), EmailID: r.EmailID, CreatedAt: r.CreatedAt.UTC()}
}

// remindableStatusSQL is the status of an invoice a payer may be reminded of (domain.Invoice.Remindable).
var remindableStatusSQL = sqlList([]domain.InvoiceStatus{domain.InvoiceOpen})

// ReminderSettings lists the merchants with an automatic reminder rule on.
func (s *Invoices) ReminderSettings(ctx context.Context) ([]invoices.ReminderSettings, error) {
	var rows []merchantRow
	if err := s.DB.conn(ctx).Select("id", "remind_after_days", "remind_before_expiry_days").
		Where("remind_after_days > 0 OR remind_before_expiry_days > 0").Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: reminder settings: %w", err)
	}
	out := make([]invoices.ReminderSettings, len(rows))
	for i, r := range rows {
		out[i] = invoices.ReminderSettings{MerchantID: r.ID, AfterSentDays: r.RemindAfterDays, BeforeExpiryDays: r.RemindBeforeExpiryDays}
	}
	return out, nil
}

// DueForReminder finds a merchant's open invoices that a reminder rule applies to and that it has not
// reminded of yet.
func (s *Invoices) DueForReminder(ctx context.Context, merchantID string, rule domain.ReminderRule, cutoff, now time.Time, limit int) ([]domain.Invoice, error) {
	q := s.DB.conn(ctx).Where("merchant_id = ? AND status IN ("+remindableStatusSQL+") AND expires_at > ?", merchantID, now).
		Where("NOT EXISTS (SELECT 1 FROM reminders r WHERE r.invoice_id = invoices.id AND r.rule = ?)", string(rule))
	switch rule {
	case domain.ReminderAfterSent:
		q = q.Where("sent_at IS NOT NULL AND sent_at <= ?", cutoff)
	case domain.ReminderBeforeExpiry:
		q = q.Where("expires_at <= ?", cutoff)
	case domain.ReminderManual:
		return nil, nil
	}
	var rows []invoiceRow
	if err := q.Order("id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: invoices due for a reminder: %w", err)
	}
	out := make([]domain.Invoice, len(rows))
	for i, r := range rows {
		out[i] = toBusInvoice(r)
	}
	return out, nil
}

// RecordReminder inserts a reminder and its event together.
func (s *Invoices) RecordReminder(ctx context.Context, r domain.Reminder, ev domain.Event) error {
	row := reminderRow{ID: r.ID, MerchantID: r.MerchantID, Livemode: r.Livemode, InvoiceID: r.InvoiceID, Rule: string(r.Rule),
		EmailID: r.EmailID, CreatedAt: r.CreatedAt}
	err := s.DB.InTx(ctx, func(ctx context.Context) error {
		tx := s.DB.conn(ctx)
		if err := tx.Create(&row).Error; err != nil {
			if IsUniqueViolation(err) {
				return fmt.Errorf("store: record reminder: %w", apperr.ErrConflict)
			}
			return fmt.Errorf("store: record reminder: %w", err)
		}
		return InsertEventsTx(tx, []domain.Event{ev})
	})
	return err
}

// ListReminders lists an invoice's reminders, oldest first.
func (s *Invoices) ListReminders(ctx context.Context, merchantID, invoiceID string) ([]domain.Reminder, error) {
	var rows []reminderRow
	if err := s.DB.conn(ctx).Where("merchant_id = ? AND invoice_id = ?", merchantID, invoiceID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: list reminders: %w", err)
	}
	out := make([]domain.Reminder, len(rows))
	for i, r := range rows {
		out[i] = toBusReminder(r)
	}
	return out, nil
}

// MarkSent keeps the first time an invoice's link was e-mailed.
func (s *Invoices) MarkSent(ctx context.Context, merchantID, invoiceID string, at time.Time) error {
	if err := s.DB.conn(ctx).Model(&invoiceRow{}).Where("id = ? AND merchant_id = ? AND sent_at IS NULL", invoiceID, merchantID).
		Update("sent_at", at).Error; err != nil {
		return fmt.Errorf("store: mark invoice sent: %w", err)
	}
	return nil
}
