package store

import "time"

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
