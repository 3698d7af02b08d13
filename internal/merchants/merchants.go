// Package merchants holds the business rules of merchant accounts: the merchant and its settings,
// its users and their invitations, portal logins and the API keys integrators use.
package merchants

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"securelink/internal/apperr"
	"securelink/internal/audit"
	"securelink/internal/auth"
	"securelink/internal/domain"
	"securelink/internal/domain/serbia"
	"securelink/internal/validate"
)

// Roles of a user.
const (
	RoleOwner = "owner"
	RoleStaff = "staff"
)

// InvitationTTL is how long an invitation link stays valid.
const InvitationTTL = 7 * 24 * time.Hour

// Merchant is a business that takes payments through SecureLink.
type Merchant struct {
	ID                 string
	Name               string
	LegalName          string
	Address            string
	TaxID              string
	SupportEmail       string
	NotificationEmail  string
	DefaultCurrency    string
	DefaultLocale      string
	DefaultCaptureMode domain.CaptureMode
	Terms              string
	// PIB and MB are the merchant's Serbian tax number and matični broj, printed on invoices.
	PIB, MB string
	IPS     IPSSettings
	// EmailAttachPDF attaches the invoice PDF to the e-mail with the payment link.
	EmailAttachPDF bool
	// LogoFile names the merchant's logo ("<sha-256>.<ext>"); empty when it has none.
	LogoFile string
	// StatementColumns is the bank-statement column mapping last used, as JSON (see statements).
	StatementColumns string
	// AutoReturn sends the payer back to the invoice's success_url a few seconds after paying.
	AutoReturn bool
	// HasReturnSecret says which modes have a secret for signing return URLs (never the secret).
	HasReturnSecret ReturnSecrets
	// Reminders are the automatic reminder rules (zero: off).
	Reminders ReminderSettings
	// BrandColor is "#RRGGBB" for the checkout and e-mails; empty: the product's own colour.
	BrandColor string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// ReturnSecrets tells, per mode, whether a return secret exists.
type ReturnSecrets struct{ Test, Live bool }

// ReminderSettings are a merchant's automatic reminders: AfterSentDays after the link was first
// e-mailed while the invoice is unpaid, and BeforeExpiryDays before the link expires; 0 turns a rule off.
type ReminderSettings struct {
	AfterSentDays    int
	BeforeExpiryDays int
}

// IPSSettings are what an NBS IPS QR code needs from the merchant: the account that receives the
// transfer, the payee's name and place, and the payment code (šifra plaćanja).
type IPSSettings struct {
	Enabled     bool
	Account     string // 18 digits
	Payee       string
	PaymentCode string
}

// User is a person who logs in to the portal for one merchant.
type User struct {
	ID           string
	MerchantID   string
	Email        string
	Name         string
	Role         string
	PasswordHash string
	CreatedAt    time.Time
}

// Invitation is a one-time way for a user to set a password.
type Invitation struct {
	ID         string
	MerchantID string
	UserID     string
	TokenHash  string
	ExpiresAt  time.Time
	AcceptedAt *time.Time
	CreatedAt  time.Time
}

// APIKey is an integrator's credential; only its hash is stored.
type APIKey struct {
	ID         string
	MerchantID string
	Livemode   bool
	Name       string
	Prefix     string
	SecretHash string
	CreatedBy  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
	// APIVersion is the dated API version the key was pinned to when it was created.
	APIVersion string
}

// Store is the storage this package needs.
type Store interface {
	CreateMerchant(ctx context.Context, m Merchant, owner User, inv Invitation) error
	GetMerchant(ctx context.Context, id string) (Merchant, error)
	UpdateMerchant(ctx context.Context, m Merchant) error
	// SetReturnSecret replaces the merchant's return secret of a mode.
	SetReturnSecret(ctx context.Context, merchantID string, livemode bool, secret string) error
	CountMerchants(ctx context.Context) (int64, error)

	CreateUserWithInvitation(ctx context.Context, u User, inv Invitation) error
	GetUser(ctx context.Context, id string) (User, error)
	GetUserByEmail(ctx context.Context, email string) (User, error)
	ListUsers(ctx context.Context, merchantID string) ([]User, error)
	GetInvitationByHash(ctx context.Context, tokenHash string) (Invitation, error)
	// AcceptInvitation sets the user's password and marks the invitation used, only if it is unused;
	// a second acceptance answers apperr.ErrConflict.
	AcceptInvitation(ctx context.Context, invitationID, userID, passwordHash string, name string, at time.Time) error

	CreateAPIKey(ctx context.Context, k APIKey) error
	ListAPIKeys(ctx context.Context, merchantID string) ([]APIKey, error)
	GetAPIKeyByHash(ctx context.Context, secretHash string) (APIKey, error)
	RevokeAPIKey(ctx context.Context, merchantID, id string, at time.Time) (APIKey, error)
	TouchAPIKey(ctx context.Context, id string, at time.Time) error

	// RecordAuthFailure and CountAuthFailures back login rate limiting in the database, so every
	// replica sees the same counts.
	RecordAuthFailure(ctx context.Context, key string, at time.Time) error
	CountAuthFailures(ctx context.Context, key string, since time.Time) (int64, error)
	ClearAuthFailures(ctx context.Context, key string) error
	PurgeAuthFailures(ctx context.Context, before time.Time) (int64, error)

	SessionStore
	ResetStore
}

// Auditor records who did what.
type Auditor interface {
	Record(ctx context.Context, actor domain.Actor, action, target string, details map[string]any) error
}

// Service is the merchant-account use cases.
type Service struct {
	Store Store
	// Logos stores merchants' logos.
	Logos   LogoStore
	Audit   Auditor
	BaseURL string
	Now     func() time.Time
	// LoginLimits bound failed logins (zero fields: DefaultLoginLimits).
	LoginLimits LoginLimits
	// Sleep waits out a login delay; nil waits for real (tests record the delay instead).
	Sleep func(ctx context.Context, d time.Duration) error
	// Tx runs an action and its audit row in one transaction.
	Tx audit.Tx
	// ResetMail queues password-reset e-mails.
	ResetMail ResetMailer
	// ResetLimits bound password-reset requests (zero fields: DefaultResetLimits).
	ResetLimits ResetLimits
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}

// InvitationURL is the portal address of an invitation token.
func (s *Service) InvitationURL(token string) string {
	return strings.TrimRight(s.BaseURL, "/") + "/portal/invite/" + token
}

// NewMerchant is the input of CreateMerchant.
type NewMerchant struct {
	Name  string
	Email string
}

// Created is a new merchant with its owner and the one-time invitation that reaches the portal.
type Created struct {
	Merchant        Merchant
	Owner           User
	InvitationToken string
	InvitationURL   string
	ExpiresAt       time.Time
}

// CreateMerchant creates a merchant with its owner and an invitation for the owner.
func (s *Service) CreateMerchant(ctx context.Context, in NewMerchant) (Created, error) {
	name := strings.TrimSpace(in.Name)
	if err := validate.Text("name", name, 1, 200); err != nil {
		return Created{}, err
	}
	email, err := validate.Email("email", in.Email)
	if err != nil {
		return Created{}, err
	}
	now := s.now()
	m := Merchant{ID: domain.NewID(domain.PrefixMerchant), Name: name, SupportEmail: email, NotificationEmail: email,
		DefaultCurrency: domain.DefaultCurrency, DefaultLocale: domain.LocaleSrLatn, DefaultCaptureMode: domain.CaptureAutomatic,
		IPS:   IPSSettings{PaymentCode: serbia.DefaultPaymentCode},
		Terms: DefaultTerms, CreatedAt: now, UpdatedAt: now}
	owner := User{ID: domain.NewID(domain.PrefixUser), MerchantID: m.ID, Email: email, Role: RoleOwner, CreatedAt: now}
	token, inv := s.newInvitation(m.ID, owner.ID, now)
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateMerchant(ctx, m, owner, inv); err != nil {
			return err
		}
		return s.Audit.Record(ctx, domain.Actor{Type: domain.ActorSystem, MerchantID: m.ID}, "merchant.created", m.ID, map[string]any{"owner": owner.ID})
	})
	if errors.Is(err, apperr.ErrConflict) {
		return Created{}, apperr.Conflict("email_taken", "A user with this e-mail already exists.")
	}
	if err != nil {
		return Created{}, err
	}
	return Created{Merchant: m, Owner: owner, InvitationToken: token, InvitationURL: s.InvitationURL(token), ExpiresAt: inv.ExpiresAt}, nil
}

// DefaultTerms are the payment terms a new merchant starts with.
const DefaultTerms = "Plaćanjem prihvatate uslove prodaje trgovca. Povraćaj sredstava vrši se na karticu kojom je plaćeno. / By paying you accept the merchant's terms of sale. Refunds go back to the card used."

func (s *Service) newInvitation(merchantID, userID string, now time.Time) (string, Invitation) {
	token := domain.NewToken(32)
	return token, Invitation{ID: domain.NewID(domain.PrefixInvitation), MerchantID: merchantID, UserID: userID,
		TokenHash: auth.HashToken(token), ExpiresAt: now.Add(InvitationTTL), CreatedAt: now}
}

// InviteUser adds a staff user to the actor's merchant and returns the invitation.
func (s *Service) InviteUser(ctx context.Context, actor domain.Actor, email, name, role string) (Created, error) {
	email, err := validate.Email("email", email)
	if err != nil {
		return Created{}, err
	}
	name = strings.TrimSpace(name)
	if err := validate.Text("name", name, 0, 200); err != nil {
		return Created{}, err
	}
	if role == "" {
		role = RoleStaff
	}
	if role != RoleStaff && role != RoleOwner {
		return Created{}, apperr.Invalid("role", "invalid_role", "role must be staff or owner.")
	}
	m, err := s.Store.GetMerchant(ctx, actor.MerchantID)
	if err != nil {
		return Created{}, err
	}
	now := s.now()
	u := User{ID: domain.NewID(domain.PrefixUser), MerchantID: actor.MerchantID, Email: email, Name: name, Role: role, CreatedAt: now}
	token, inv := s.newInvitation(actor.MerchantID, u.ID, now)
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateUserWithInvitation(ctx, u, inv); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "user.invited", u.ID, map[string]any{"email": email, "role": role})
	})
	if errors.Is(err, apperr.ErrConflict) {
		return Created{}, apperr.Conflict("email_taken", "A user with this e-mail already exists.")
	}
	if err != nil {
		return Created{}, err
	}
	return Created{Merchant: m, Owner: u, InvitationToken: token, InvitationURL: s.InvitationURL(token), ExpiresAt: inv.ExpiresAt}, nil
}

// InvitationInfo is what the invitation page shows before the password is set.
type InvitationInfo struct {
	Email        string
	MerchantName string
	ExpiresAt    time.Time
}

func (s *Service) usableInvitation(ctx context.Context, token string) (Invitation, error) {
	if token == "" || len(token) > 200 {
		return Invitation{}, apperr.NotFound("invitation")
	}
	inv, err := s.Store.GetInvitationByHash(ctx, auth.HashToken(token))
	if errors.Is(err, apperr.ErrNotFound) {
		return Invitation{}, apperr.NotFound("invitation")
	}
	if err != nil {
		return Invitation{}, err
	}
	if inv.AcceptedAt != nil {
		return Invitation{}, &apperr.Error{Kind: apperr.KindConflict, Code: "invitation_used", Message: "This invitation was already used. Log in instead."}
	}
	if !s.now().Before(inv.ExpiresAt) {
		return Invitation{}, &apperr.Error{Kind: apperr.KindConflict, Code: "invitation_expired", Message: "This invitation has expired. Ask for a new one."}
	}
	return inv, nil
}

// GetInvitation describes a usable invitation.
func (s *Service) GetInvitation(ctx context.Context, token string) (InvitationInfo, error) {
	inv, err := s.usableInvitation(ctx, token)
	if err != nil {
		return InvitationInfo{}, err
	}
	u, err := s.Store.GetUser(ctx, inv.UserID)
	if err != nil {
		return InvitationInfo{}, err
	}
	m, err := s.Store.GetMerchant(ctx, inv.MerchantID)
	if err != nil {
		return InvitationInfo{}, err
	}
	return InvitationInfo{Email: u.Email, MerchantName: m.Name, ExpiresAt: inv.ExpiresAt}, nil
}

// AcceptInvitation sets the invited user's password; the invitation cannot be used again.
func (s *Service) AcceptInvitation(ctx context.Context, token, password, name, ip string) (User, error) {
	if err := CheckPassword(password); err != nil {
		return User{}, err
	}
	name = strings.TrimSpace(name)
	if err := validate.Text("name", name, 0, 200); err != nil {
		return User{}, err
	}
	inv, err := s.usableInvitation(ctx, token)
	if err != nil {
		return User{}, err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return User{}, err
	}
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Store.AcceptInvitation(ctx, inv.ID, inv.UserID, hash, name, s.now()); err != nil {
			return err
		}
		return s.Audit.Record(ctx, domain.Actor{Type: domain.ActorUser, ID: inv.UserID, MerchantID: inv.MerchantID, IP: ip}, "invitation.accepted", inv.UserID, nil)
	})
	if errors.Is(err, apperr.ErrConflict) {
		return User{}, &apperr.Error{Kind: apperr.KindConflict, Code: "invitation_used", Message: "This invitation was already used. Log in instead."}
	}
	if err != nil {
		return User{}, err
	}
	return s.Store.GetUser(ctx, inv.UserID)
}

// CheckPassword enforces the password rules.
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < auth.MinPasswordLength {
		return apperr.Invalid("password", "password_too_short", "The password must have at least %d characters.", auth.MinPasswordLength)
	}
	if len(pw) > auth.MaxPasswordLength {
		return apperr.Invalid("password", "password_too_long", "The password may have at most %d bytes.", auth.MaxPasswordLength)
	}
	return nil
}

// Login checks an e-mail and password. Failed logins are limited per (account, address) and per
// address, so an attacker's address is stopped without locking the account's owner out or making
// every account answer 429 to a shared address. Failures against one account from many addresses
// slow every login to it down (LoginDelay) instead of locking it.
func (s *Service) Login(ctx context.Context, email, password, ip string) (User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" || len(email) > 254 {
		return User{}, apperr.Invalid("email", "invalid_email", "Enter your e-mail address.")
	}
	if password == "" || len(password) > 1024 {
		return User{}, apperr.Invalid("password", "invalid_password", "Enter your password.")
	}
	lim := s.loginLimits()
	since := s.now().Add(-lim.Window)
	pairKey, ipKey, accountKey := "login:pair:"+ip+"|"+email, "login:ip:"+ip, "login:email:"+email
	for _, l := range []struct {
		key string
		max int64
	}{{pairKey, lim.PerAccountAndAddress}, {ipKey, lim.PerAddress}} {
		n, err := s.Store.CountAuthFailures(ctx, l.key, since)
		if err != nil {
			return User{}, err
		}
		if n >= l.max {
			return User{}, apperr.RateLimited("Too many failed logins. Try again in a few minutes.", lim.Window)
		}
	}
	n, err := s.Store.CountAuthFailures(ctx, accountKey, since)
	if err != nil {
		return User{}, err
	}
	if err := s.sleep(ctx, LoginDelay(n, lim.DelayAfter)); err != nil {
		return User{}, err
	}
	u, err := s.Store.GetUserByEmail(ctx, email)
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return User{}, err
	}
	if !auth.CheckPassword(u.PasswordHash, password) {
		err := s.Tx.Run(ctx, func(ctx context.Context) error {
			for _, k := range []string{pairKey, ipKey, accountKey} {
				if err := s.Store.RecordAuthFailure(ctx, k, s.now()); err != nil {
					return err
				}
			}
			if u.ID == "" {
				return nil
			}
			return s.Audit.Record(ctx, domain.Actor{Type: domain.ActorUser, ID: u.ID, MerchantID: u.MerchantID, IP: ip}, "login.failed", u.ID, nil)
		})
		if err != nil {
			return User{}, err
		}
		return User{}, apperr.Unauthenticated("invalid_credentials", "The e-mail or password is wrong.")
	}
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		for _, k := range []string{pairKey, accountKey} {
			if err := s.Store.ClearAuthFailures(ctx, k); err != nil {
				return err
			}
		}
		return s.Audit.Record(ctx, domain.Actor{Type: domain.ActorUser, ID: u.ID, MerchantID: u.MerchantID, IP: ip}, "login", u.ID, nil)
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// LoginLimits bound failed logins within Window.
type LoginLimits struct {
	Window time.Duration
	// PerAccountAndAddress failures of one account from one address answer 429 to that pair only.
	PerAccountAndAddress int64
	// PerAddress failures from one address, whatever the accounts, answer 429 to that address.
	PerAddress int64
	// DelayAfter failures of one account from anywhere, each further login to it waits LoginDelay.
	DelayAfter int64
}

// DefaultLoginLimits are the limits of a Service that sets none.
var DefaultLoginLimits = LoginLimits{Window: 15 * time.Minute, PerAccountAndAddress: 10, PerAddress: 50, DelayAfter: 10}

func (s *Service) loginLimits() LoginLimits {
	l := s.LoginLimits
	d := DefaultLoginLimits
	if l.Window <= 0 {
		l.Window = d.Window
	}
	if l.PerAccountAndAddress <= 0 {
		l.PerAccountAndAddress = d.PerAccountAndAddress
	}
	if l.PerAddress <= 0 {
		l.PerAddress = d.PerAddress
	}
	if l.DelayAfter <= 0 {
		l.DelayAfter = d.DelayAfter
	}
	return l
}

// MaxLoginDelay caps the wait of a login to an account under attack: the owner waits, never is locked out.
const MaxLoginDelay = 8 * time.Second

// LoginDelay is how long a login to an account waits after failures of it from anywhere: nothing up
// to after, then 250 ms doubling with every further failure, at most MaxLoginDelay. A guesser spread
// over many addresses gets a few guesses a minute per connection, the owner a short wait.
func LoginDelay(failures, after int64) time.Duration {
	if failures < after {
		return 0
	}
	d := 250 * time.Millisecond
	for i := after; i < failures && d < MaxLoginDelay; i++ {
		d *= 2
	}
	return min(d, MaxLoginDelay)
}

func (s *Service) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	if s.Sleep != nil {
		return s.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// PurgeAuthFailures forgets failed logins older than the rate-limit window.
func (s *Service) PurgeAuthFailures(ctx context.Context) error {
	_, err := s.Store.PurgeAuthFailures(ctx, s.now().Add(-s.loginLimits().Window))
	return err
}

// CreatedKey is a new API key with its secret, which is never shown again.
type CreatedKey struct {
	Key    APIKey
	Secret string
}

// CreateAPIKey issues a new API key for the actor's merchant, pinned to the latest API version.
func (s *Service) CreateAPIKey(ctx context.Context, actor domain.Actor, name string, expiresAt *time.Time) (CreatedKey, error) {
	return s.CreateAPIKeyPinned(ctx, actor, name, expiresAt, domain.APIVersionLatest)
}

// CreateAPIKeyPinned issues a new API key pinned to the given API version.
func (s *Service) CreateAPIKeyPinned(ctx context.Context, actor domain.Actor, name string, expiresAt *time.Time, version string) (CreatedKey, error) {
	if !domain.ValidAPIVersion(version) {
		return CreatedKey{}, apperr.Invalid("API-Version", "invalid_api_version", "API-Version must be one of the dated versions.")
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "API key"
	}
	if err := validate.Text("name", name, 1, 100); err != nil {
		return CreatedKey{}, err
	}
	now := s.now()
	if expiresAt != nil && !expiresAt.After(now) {
		return CreatedKey{}, apperr.Invalid("expires_at", "invalid_expiry", "expires_at must be in the future.")
	}
	secret, prefix := auth.NewAPIKeySecret(actor.Livemode)
	k := APIKey{ID: domain.NewID(domain.PrefixAPIKey), MerchantID: actor.MerchantID, Livemode: actor.Livemode, Name: name, Prefix: prefix,
		SecretHash: auth.HashToken(secret), CreatedBy: actor.Label(), CreatedAt: now, ExpiresAt: expiresAt, APIVersion: version}
	err := s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateAPIKey(ctx, k); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "api_key.created", k.ID, map[string]any{"name": name, "mode": domain.ModeName(k.Livemode)})
	})
	if err != nil {
		return CreatedKey{}, err
	}
	return CreatedKey{Key: k, Secret: secret}, nil
}

// ListAPIKeys lists the merchant's keys.
func (s *Service) ListAPIKeys(ctx context.Context, actor domain.Actor) ([]APIKey, error) {
	return s.Store.ListAPIKeys(ctx, actor.MerchantID)
}

// RevokeAPIKey revokes one of the merchant's keys.
func (s *Service) RevokeAPIKey(ctx context.Context, actor domain.Actor, id string) (APIKey, error) {
	var k APIKey
	err := s.Tx.Run(ctx, func(ctx context.Context) error {
		var err error
		if k, err = s.Store.RevokeAPIKey(ctx, actor.MerchantID, id, s.now()); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "api_key.revoked", k.ID, nil)
	})
	if errors.Is(err, apperr.ErrNotFound) {
		return APIKey{}, apperr.NotFound("API key")
	}
	if err != nil {
		return APIKey{}, err
	}
	return k, nil
}

// AuthenticateAPIKey resolves a secret key to its key; revoked, expired or unknown keys fail.
func (s *Service) AuthenticateAPIKey(ctx context.Context, secret string) (APIKey, error) {
	live, ok := auth.APIKeyMode(secret)
	if !ok || len(secret) > 200 {
		return APIKey{}, apperr.Unauthenticated("invalid_api_key", "Invalid API key.")
	}
	k, err := s.Store.GetAPIKeyByHash(ctx, auth.HashToken(secret))
	if errors.Is(err, apperr.ErrNotFound) || (err == nil && k.Livemode != live) {
		return APIKey{}, apperr.Unauthenticated("invalid_api_key", "Invalid API key.")
	}
	if err != nil {
		return APIKey{}, err
	}
	now := s.now()
	if k.RevokedAt != nil {
		return APIKey{}, apperr.Unauthenticated("api_key_revoked", "This API key was revoked.")
	}
	if k.ExpiresAt != nil && !now.Before(*k.ExpiresAt) {
		return APIKey{}, apperr.Unauthenticated("api_key_expired", "This API key has expired.")
	}
	// last_used_at is kept to the minute, so a busy integration does not write on every request.
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) > time.Minute {
		if err := s.Store.TouchAPIKey(ctx, k.ID, now); err != nil {
			return APIKey{}, err
		}
	}
	return k, nil
}

// GetUser returns a user of the merchant.
func (s *Service) GetUser(ctx context.Context, id string) (User, error) {
	u, err := s.Store.GetUser(ctx, id)
	if errors.Is(err, apperr.ErrNotFound) {
		return User{}, apperr.Unauthenticated("session_invalid", "Your session has ended. Log in again.")
	}
	return u, err
}

// ListUsers lists the team of the actor's merchant.
func (s *Service) ListUsers(ctx context.Context, actor domain.Actor) ([]User, error) {
	return s.Store.ListUsers(ctx, actor.MerchantID)
}

// GetMerchant returns the actor's merchant.
func (s *Service) GetMerchant(ctx context.Context, merchantID string) (Merchant, error) {
	m, err := s.Store.GetMerchant(ctx, merchantID)
	if errors.Is(err, apperr.ErrNotFound) {
		return Merchant{}, apperr.NotFound("merchant")
	}
	return m, err
}

// MerchantPatch is a partial update of merchant settings; nil fields stay as they are.
type MerchantPatch struct {
	Name, LegalName, Address, TaxID, SupportEmail, NotificationEmail *string
	DefaultCurrency, DefaultLocale, DefaultCaptureMode, Terms        *string
	PIB, MB, IPSAccount, IPSPayee, IPSPaymentCode                    *string
	IPSEnabled, EmailAttachPDF, AutoReturn                           *bool
	// RemindAfterDays and RemindBeforeExpiryDays set the automatic reminders (0 turns one off).
	RemindAfterDays, RemindBeforeExpiryDays *int
	// BrandColor is "#RRGGBB", or empty for the product's own colours.
	BrandColor *string
}

// UpdateMerchant applies a patch to the actor's merchant settings.
func (s *Service) UpdateMerchant(ctx context.Context, actor domain.Actor, p MerchantPatch) (Merchant, error) {
	m, err := s.GetMerchant(ctx, actor.MerchantID)
	if err != nil {
		return Merchant{}, err
	}
	if m, err = applyPatch(m, p); err != nil {
		return Merchant{}, err
	}
	if err := applySerbia(&m, p); err != nil {
		return Merchant{}, err
	}
	m.UpdatedAt = s.now()
	err = s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Store.UpdateMerchant(ctx, m); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "merchant.updated", m.ID, nil)
	})
	if err != nil {
		return Merchant{}, err
	}
	return m, nil
}

// applyPatch is the merchant after the patch's fields are checked and applied; the first bad field
// fails it, naming the param.
func applyPatch(m Merchant, p MerchantPatch) (Merchant, error) {
	texts := []struct {
		param    string
		in       *string
		out      *string
		min, max int
	}{
		{"name", p.Name, &m.Name, 1, 200},
		{"legal_name", p.LegalName, &m.LegalName, 0, 200},
		{"address", p.Address, &m.Address, 0, 500},
		{"tax_id", p.TaxID, &m.TaxID, 0, 50},
		{"terms", p.Terms, &m.Terms, 0, 10000},
	}
	for _, t := range texts {
		if t.in == nil {
			continue
		}
		v := strings.TrimSpace(*t.in)
		if err := validate.Text(t.param, v, t.min, t.max); err != nil {
			return Merchant{}, err
		}
		*t.out = v
	}
	for _, e := range []struct {
		param string
		in    *string
		out   *string
	}{{"support_email", p.SupportEmail, &m.SupportEmail}, {"notification_email", p.NotificationEmail, &m.NotificationEmail}} {
		if e.in == nil {
			continue
		}
		v, err := validate.Email(e.param, *e.in)
		if err != nil {
			return Merchant{}, err
		}
		*e.out = v
	}
	if p.DefaultCurrency != nil {
		c, ok := domain.NormalizeCurrency(*p.DefaultCurrency)
		if !ok {
			return Merchant{}, apperr.Invalid("default_currency", "invalid_currency", "default_currency must be a supported ISO 4217 code such as RSD or EUR.")
		}
		m.DefaultCurrency = c
	}
	if p.DefaultLocale != nil {
		if !domain.ValidLocale(*p.DefaultLocale) {
			return Merchant{}, apperr.Invalid("default_locale", "invalid_locale", "default_locale must be sr-Latn, sr-Cyrl or en.")
		}
		m.DefaultLocale = *p.DefaultLocale
	}
	if p.AutoReturn != nil {
		m.AutoReturn = *p.AutoReturn
	}
	if p.BrandColor != nil {
		c, ok := domain.NormalizeBrandColor(*p.BrandColor)
		if !ok {
			return Merchant{}, apperr.Invalid("brand_color", "invalid_color", "brand_color must be a colour such as #1F4FD1 (# and six hexadecimal digits), or empty.")
		}
		m.BrandColor = c
	}
	for _, d := range []struct {
		param string
		in    *int
		out   *int
	}{{"remind_after_days", p.RemindAfterDays, &m.Reminders.AfterSentDays}, {"remind_before_expiry_days", p.RemindBeforeExpiryDays, &m.Reminders.BeforeExpiryDays}} {
		if d.in == nil {
			continue
		}
		if *d.in < 0 || *d.in > domain.MaxReminderDays {
			return Merchant{}, apperr.Invalid(d.param, "invalid_days", "%s must be a whole number of days from 0 (off) to %d.", d.param, domain.MaxReminderDays)
		}
		*d.out = *d.in
	}
	if p.DefaultCaptureMode != nil {
		cm := domain.CaptureMode(*p.DefaultCaptureMode)
		if !cm.Valid() {
			return Merchant{}, apperr.Invalid("default_capture_mode", "invalid_capture_mode", "default_capture_mode must be automatic or manual.")
		}
		m.DefaultCaptureMode = cm
	}
	return m, nil
}

// ReturnSecret is a merchant's new secret for verifying return URLs, shown once.
type ReturnSecret struct {
	Secret    string
	Livemode  bool
	CreatedAt time.Time
}

// RotateReturnSecret gives the actor's merchant a new return secret for the actor's mode and shows it
// once; return URLs signed with the old one no longer verify.
func (s *Service) RotateReturnSecret(ctx context.Context, actor domain.Actor) (ReturnSecret, error) {
	rs := ReturnSecret{Secret: domain.NewReturnSecret(), Livemode: actor.Livemode, CreatedAt: s.now()}
	err := s.Tx.Run(ctx, func(ctx context.Context) error {
		if err := s.Store.SetReturnSecret(ctx, actor.MerchantID, actor.Livemode, rs.Secret); err != nil {
			return err
		}
		return s.Audit.Record(ctx, actor, "return_secret.rotated", actor.MerchantID, map[string]any{"mode": domain.ModeName(actor.Livemode)})
	})
	if errors.Is(err, apperr.ErrNotFound) {
		return ReturnSecret{}, apperr.NotFound("merchant")
	}
	if err != nil {
		return ReturnSecret{}, err
	}
	return rs, nil
}
