package notify

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"securelink/internal/notify/mail"
)

// Sender delivers one e-mail (mail.SMTP in production).
type Sender interface {
	Send(ctx context.Context, e mail.Envelope) error
}

// Attachments renders the files an e-mail carries (the invoice PDF).
type Attachments interface {
	InvoicePDF(ctx context.Context, merchantID, invoiceID string) (mail.Attachment, error)
}

// EmailBackoff is the wait after each failed attempt; after the last one the e-mail fails for good
// (nine attempts over about 16 hours).
var EmailBackoff = []time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour}

// Mailer sends queued e-mails.
type Mailer struct {
	Store  Store
	Sender Sender
	// Files renders attachments; e-mails that ask for one are sent without it when nil.
	Files Attachments
	Now   func() time.Time
	// Batch is how many e-mails one RunOnce takes; 10 when zero.
	Batch int
	// Lease keeps claimed e-mails from other workers while they are sent; 10 minutes when zero.
	Lease time.Duration
	// Backoff overrides EmailBackoff.
	Backoff []time.Duration
}

// permanent is implemented by errors that retrying will not fix.
type permanent interface{ Permanent() bool }

// RunOnce sends one batch of due e-mails and returns how many were sent.
func (m *Mailer) RunOnce(ctx context.Context) (int, error) {
	batch, lease, backoff := m.Batch, m.Lease, m.Backoff
	if batch <= 0 {
		batch = 10
	}
	if lease <= 0 {
		lease = 10 * time.Minute
	}
	if backoff == nil {
		backoff = EmailBackoff
	}
	now := clock(m.Now)
	claimed, err := m.Store.ClaimEmails(ctx, now, now.Add(lease), batch)
	if err != nil {
		return 0, err
	}
	sent := 0
	if err := renderAll(claimed); err != nil {
		return 0, err
	}
	for _, e := range claimed {
		env := mail.Envelope{ID: e.ID, To: e.To, Subject: e.Subject, Text: e.Text, HTML: e.HTML, Date: e.CreatedAt}
		if e.AttachInvoicePDF && m.Files != nil && e.InvoiceID != "" {
			// Rendered now, not stored: the PDF shows the invoice as it is when the e-mail leaves.
			a, aerr := m.Files.InvoicePDF(ctx, e.MerchantID, e.InvoiceID)
			if aerr != nil {
				slog.WarnContext(ctx, "invoice PDF not attached", "email", e.ID, "err", aerr)
			} else {
				env.Attachments = []mail.Attachment{a}
			}
		}
		err := m.Sender.Send(ctx, env)
		at := clock(m.Now)
		var p permanent
		switch {
		case err == nil:
			sent++
			err = m.Store.FinishEmail(ctx, e.ID, EmailSent, "", nil, at)
		case errors.As(err, &p) && p.Permanent(), e.Attempts > len(backoff):
			slog.WarnContext(ctx, "e-mail failed for good", "email", e.ID, "attempts", e.Attempts, "err", err)
			err = m.Store.FinishEmail(ctx, e.ID, EmailFailed, errText(err), nil, at)
		default:
			next := at.Add(backoff[max(e.Attempts, 1)-1])
			err = m.Store.FinishEmail(ctx, e.ID, EmailQueued, errText(err), &next, at)
		}
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// errText bounds an error message kept on a row.
func errText(err error) string {
	s := err.Error()
	if len(s) > 500 {
		s = s[:500]
	}
	return s
}
