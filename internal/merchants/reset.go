package merchants

import (
	"context"
	"errors"
	"strings"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/auth"
	"securelink/internal/domain"
	"securelink/internal/validate"
)

// PasswordResetTTL is how long a password-reset link works.
const PasswordResetTTL = time.Hour

// PrefixPasswordReset starts the id of a password-reset request.
const PrefixPasswordReset = "pwr"

// PasswordReset is a request to set a new password through a link sent by e-mail. Only the hash of
// its single-use token is stored.
type PasswordReset struct {
	ID         string
	UserID     string
	MerchantID string
	TokenHash  string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	UsedAt     *time.Time
}

// ResetStore keeps password-reset requests.
type ResetStore interface {
	// CreatePasswordReset stores a new request and ends the user's earlier unused ones.
	CreatePasswordReset(ctx context.Context, r PasswordReset) error
	// GetPasswordResetByHash finds a request by its token's hash; apperr.ErrNotFound when unknown.
	GetPasswordResetByHash(ctx context.Context, tokenHash string) (PasswordReset, error)
	// UsePasswordReset marks the request used, only if it is unused (else apperr.ErrConflict), sets
	// the user's password and ends the user's other unused requests.
	UsePasswordReset(ctx context.Context, id, userID, passwordHash string, at time.Time) error
}

// ResetMailer queues the e-mail that carries a password-reset link; it runs inside the transaction
// that stores the request, so both commit or neither.
type ResetMailer interface {
	QueuePasswordReset(ctx context.Context, r ResetEmail) error
}

// ResetEmail is what the password-reset e-mail says.
type ResetEmail struct {
	MerchantID   string
	MerchantName string
	UserID       string
	To           string
	Name         string
	Locale       string
	URL          string
	ExpiresAt    time.Time
}

// ResetLimits bound password-reset requests within Window: per address and per e-mail address
// asked for, whether or not it has an account (so the limit tells nothing about accounts).
type ResetLimits struct {
	Window     time.Duration
	PerAddress int64
	PerEmail   int64
}

// DefaultResetLimits are the limits of a Service that sets none.
var DefaultResetLimits = ResetLimits{Window: 15 * time.Minute, PerAddress: 20, PerEmail: 3}

func (s *Service) resetLimits() ResetLimits {
	l, d := s.ResetLimits, DefaultResetLimits
	if l.Window <= 0 {
		l.Window = d.Window
	}
	if l.PerAddress <= 0 {
		l.PerAddress = d.PerAddress
	}
	if l.PerEmail <= 0 {
		l.PerEmail = d.PerEmail
	}
	return l
}

// PasswordResetURL is the portal address of a password-reset token.
func (s *Service) PasswordResetURL(token string) string {
	return strings.TrimRight(s.BaseURL, "/") + "/portal/reset-password/" + token
}

// RequestPasswordReset e-mails a single-use link to set a new password when the address belongs to a
// user who has set a password. The answer is the same whether or not it does, so nobody learns which
// addresses have accounts; requests are limited per client address and per e-mail address.
func (s *Service) RequestPasswordReset(ctx context.Context, email, locale, ip string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if _, err := validate.Email("email", email); err != nil {
		return err
	}
	if locale != "" && !domain.ValidLocale(locale) {
		return apperr.Invalid("locale", "invalid_locale", "locale must be sr-Latn, sr-Cyrl or en.")
	}
	lim := s.resetLimits()
	since := s.now().Add(-lim.Window)
	ipKey, emailKey := "reset:ip:"+ip, "reset:email:"+email
	for _, l := range []struct {
		key string
		max int64
	}{{ipKey, lim.PerAddress}, {emailKey, lim.PerEmail}} {
		n, err := s.Store.CountAuthFailures(ctx, l.key, since)
		if err != nil {
			return err
		}
		if n >= l.max {
			return apperr.RateLimited("Too many password-reset requests. Try again in a few minutes.", lim.Window)
		}
	}
	u, err := s.Store.GetUserByEmail(ctx, email)
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return err
	}
	now := s.now()
	return s.Tx.Run(ctx, func(ctx context.Context) error {
		for _, k := range []string{ipKey, emailKey} {
			if err := s.Store.RecordAuthFailure(ctx, k, now); err != nil {
				return err
			}
		}
		// Nobody to reset: an unknown address, or an invited user who has not set a password yet
		// (the invitation link does that).
		if u.ID == "" || u.PasswordHash == "" {
			return nil
		}
		m, err := s.Store.GetMerchant(ctx, u.MerchantID)
		if err != nil {
			return err
		}
		token := domain.NewToken(32)
		r := PasswordReset{ID: domain.NewID(PrefixPasswordReset), UserID: u.ID, MerchantID: u.MerchantID,
			TokenHash: auth.HashToken(token), CreatedAt: now, ExpiresAt: now.Add(PasswordResetTTL)}
		if err := s.Store.CreatePasswordReset(ctx, r); err != nil {
			return err
		}
		if locale == "" {
			locale = m.DefaultLocale
		}
		if err := s.ResetMail.QueuePasswordReset(ctx, ResetEmail{MerchantID: m.ID, MerchantName: m.Name, UserID: u.ID, To: u.Email,
			Name: u.Name, Locale: locale, URL: s.PasswordResetURL(token), ExpiresAt: r.ExpiresAt}); err != nil {
			return err
		}
		return s.Audit.Record(ctx, domain.Actor{Type: domain.ActorUser, ID: u.ID, MerchantID: u.MerchantID, IP: ip}, "password.reset_requested", u.ID, nil)
	})
}

// errResetInvalid is the one answer for an unknown, used or expired reset link.
func errResetInvalid() error {
	return apperr.Invalid("token", "reset_token_invalid", "This password-reset link is not valid any more. Ask for a new one.")
}

// ResetPassword sets a new password with a reset link's token, once, before it expires, and ends
// every session of the user; the caller starts a new one.
func (s *Service) ResetPassword(ctx context.Context, token, password, ip string) (User, error) {
	if token == "" || len(token) > 200 {
		return User{}, errResetInvalid()
	}
	if err := CheckPassword(password); err != nil {
		return User{}, err
	}
	r, err := s.Store.GetPasswordResetByHash(ctx, auth.HashToken(token))
	if errors.Is(err, apperr.ErrNotFound) {
		return User{}, errResetInvalid()
	}
	if err != nil {
		return User{}, err
	}
	now := s.now()
	if r.UsedAt != nil || !now.Before(r.ExpiresAt) {
		return User{}, errResetInvalid()
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return User{}, err
	}
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Store.UsePasswordReset(ctx, r.ID, r.UserID, hash, now); err != nil {
			return err
		}
		if _, err := s.Store.RevokeUserSessions(ctx, r.UserID, now); err != nil {
			return err
		}
		return s.Audit.Record(ctx, domain.Actor{Type: domain.ActorUser, ID: r.UserID, MerchantID: r.MerchantID, IP: ip}, "password.reset", r.UserID, nil)
	})
	if errors.Is(err, apperr.ErrConflict) || errors.Is(err, apperr.ErrNotFound) {
		return User{}, errResetInvalid()
	}
	if err != nil {
		return User{}, err
	}
	return s.Store.GetUser(ctx, r.UserID)
}
