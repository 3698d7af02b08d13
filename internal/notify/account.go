package notify

import (
	"context"
	"fmt"

	"securelink/internal/domain"
	"securelink/internal/merchants"
	"securelink/internal/notify/mail"
)

var _ merchants.ResetMailer = (*Service)(nil)

// QueuePasswordReset puts the e-mail with a password-reset link in the merchant's outbox: queued for
// SMTP, or held when no SMTP server is configured. The mailbox never shows its text (see Redacted).
func (s *Service) QueuePasswordReset(ctx context.Context, r merchants.ResetEmail) error {
	msg := mail.Message{Kind: mail.KindPasswordReset, Locale: r.Locale, MerchantName: r.MerchantName, CustomerName: r.Name, LinkURL: r.URL, ExpiresAt: r.ExpiresAt}
	out, err := mail.Render(msg)
	if err != nil {
		return fmt.Errorf("notify: render password reset: %w", err)
	}
	now := clock(s.Now)
	e := Email{ID: domain.NewID(domain.PrefixEmail), MerchantID: r.MerchantID, Kind: mail.KindPasswordReset, To: r.To,
		Subject: out.Subject, Text: out.Text, HTML: out.HTML, Locale: r.Locale, Status: EmailHeld, CreatedAt: now}
	if s.CanSend {
		e.Status, e.NextAttemptAt = EmailQueued, &now
	}
	return s.Store.InsertEmail(ctx, e)
}

// Redacted reports whether only its addressee may read an e-mail's text: a password-reset link lets
// whoever holds it into the account, so the merchant's mailbox shows its status, never its text.
func (e Email) Redacted() bool { return e.Kind == mail.KindPasswordReset }
