package domain

import "time"

// ReminderRule says why a reminder was sent.
type ReminderRule string

// The reminder rules: the two automatic ones a merchant may turn on, and the portal's "Remind now".
const (
	// ReminderAfterSent reminds a number of days after the link was first e-mailed, if unpaid.
	ReminderAfterSent ReminderRule = "after_sent"
	// ReminderBeforeExpiry reminds a number of days before the link expires, if unpaid.
	ReminderBeforeExpiry ReminderRule = "before_expiry"
	// ReminderManual is a reminder the merchant asked for; it may be sent any number of times.
	ReminderManual ReminderRule = "manual"
)

// ReminderRules lists every rule.
var ReminderRules = []ReminderRule{ReminderAfterSent, ReminderBeforeExpiry, ReminderManual}

// Automatic reports whether a rule is applied by the background job, at most once per invoice.
func (r ReminderRule) Automatic() bool {
	switch r {
	case ReminderAfterSent, ReminderBeforeExpiry:
		return true
	case ReminderManual:
		return false
	}
	return false
}

// MaxReminderDays bounds the days of a reminder rule (0 turns it off).
const MaxReminderDays = 365

// Reminder is one reminder e-mailed about an invoice.
type Reminder struct {
	ID         string
	MerchantID string
	Livemode   bool
	InvoiceID  string
	Rule       ReminderRule
	EmailID    string
	CreatedAt  time.Time
}

// Remindable reports whether a payer may still be reminded of an invoice at now: it is open and its
// link has not expired. Paid, cancelled and expired invoices are never reminded of.
func (inv Invoice) Remindable(now time.Time) bool {
	return inv.EffectiveStatus(now) == InvoiceOpen && now.Before(inv.ExpiresAt)
}
