package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/merchants"
)

var _ merchants.Store = (*Merchants)(nil)

// Merchants stores merchants, users, invitations, API keys and login failures.
type Merchants struct{ DB *DB }

type merchantRow struct {
	ID                     string
	Name                   string
	LegalName              string
	Address                string
	TaxID                  string
	SupportEmail           string
	NotificationEmail      string
	DefaultCurrency        string
	DefaultLocale          string
	DefaultCaptureMode     string
	Terms                  string
	PIB                    string `gorm:"column:pib"`
	MB                     string `gorm:"column:mb"`
	IPSEnabled             bool   `gorm:"column:ips_enabled"`
	IPSAccount             string `gorm:"column:ips_account"`
	IPSPayee               string `gorm:"column:ips_payee"`
	IPSPaymentCode         string `gorm:"column:ips_payment_code"`
	EmailAttachPDF         bool   `gorm:"column:email_attach_pdf"`
	StatementColumns       string
	LogoFile               string
	AutoReturn             bool
	ReturnSecretTest       string
	ReturnSecretLive       string
	RemindAfterDays        int
	RemindBeforeExpiryDays int
	BrandColor             string
	InvoiceSeq             int64
	CreatedAt              time.Time
	UpdatedAt              time.Time
}

func (merchantRow) TableName() string { return "merchants" }

func toDBMerchant(m merchants.Merchant) merchantRow {
	return merchantRow{ID: m.ID, Name: m.Name, LegalName: m.LegalName, Address: m.Address, TaxID: m.TaxID,
		SupportEmail: m.SupportEmail, NotificationEmail: m.NotificationEmail, DefaultCurrency: m.DefaultCurrency,
		DefaultLocale: m.DefaultLocale, DefaultCaptureMode: string(m.DefaultCaptureMode), Terms: m.Terms,
		PIB: m.PIB, MB: m.MB, IPSEnabled: m.IPS.Enabled, IPSAccount: m.IPS.Account, IPSPayee: m.IPS.Payee,
		IPSPaymentCode: m.IPS.PaymentCode, EmailAttachPDF: m.EmailAttachPDF, StatementColumns: m.StatementColumns,
		AutoReturn: m.AutoReturn, RemindAfterDays: m.Reminders.AfterSentDays, RemindBeforeExpiryDays: m.Reminders.BeforeExpiryDays,
		BrandColor: m.BrandColor, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

func toBusMerchant(r merchantRow) merchants.Merchant {
	return merchants.Merchant{ID: r.ID, Name: r.Name, LegalName: r.LegalName, Address: r.Address, TaxID: r.TaxID,
		SupportEmail: r.SupportEmail, NotificationEmail: r.NotificationEmail, DefaultCurrency: r.DefaultCurrency,
		DefaultLocale: r.DefaultLocale, DefaultCaptureMode: domain.CaptureMode(r.DefaultCaptureMode), Terms: r.Terms,
		PIB: r.PIB, MB: r.MB, IPS: merchants.IPSSettings{Enabled: r.IPSEnabled, Account: r.IPSAccount, Payee: r.IPSPayee,
			PaymentCode: r.IPSPaymentCode}, EmailAttachPDF: r.EmailAttachPDF, StatementColumns: r.StatementColumns,
		LogoFile: r.LogoFile, AutoReturn: r.AutoReturn, HasReturnSecret: merchants.ReturnSecrets{Test: r.ReturnSecretTest != "", Live: r.ReturnSecretLive != ""},
		Reminders:  merchants.ReminderSettings{AfterSentDays: r.RemindAfterDays, BeforeExpiryDays: r.RemindBeforeExpiryDays},
		BrandColor: r.BrandColor, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// returnSecret is the merchant's return secret of a mode.
func (r merchantRow) returnSecret(live bool) string {
	if live {
		return r.ReturnSecretLive
	}
	return r.ReturnSecretTest
}

type userRow struct {
	ID           string
	MerchantID   string
	Email        string
	Name         string
	Role         string
	PasswordHash string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (userRow) TableName() string { return "users" }

func toBusUser(r userRow) merchants.User {
	return merchants.User{ID: r.ID, MerchantID: r.MerchantID, Email: r.Email, Name: r.Name, Role: r.Role,
		PasswordHash: r.PasswordHash, CreatedAt: r.CreatedAt.UTC()}
}

func toDBUser(u merchants.User) userRow {
	return userRow{ID: u.ID, MerchantID: u.MerchantID, Email: u.Email, Name: u.Name, Role: u.Role,
		PasswordHash: u.PasswordHash, CreatedAt: u.CreatedAt, UpdatedAt: u.CreatedAt}
}

type invitationRow struct {
	ID         string
	MerchantID string
	UserID     string
	TokenHash  string
	ExpiresAt  time.Time
	AcceptedAt *time.Time
	CreatedAt  time.Time
}

func (invitationRow) TableName() string { return "invitations" }

type apiKeyRow struct {
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
	APIVersion string
}

func (apiKeyRow) TableName() string { return "api_keys" }

func toBusAPIKey(r apiKeyRow) merchants.APIKey {
	return merchants.APIKey{ID: r.ID, MerchantID: r.MerchantID, Livemode: r.Livemode, Name: r.Name, Prefix: r.Prefix, SecretHash: r.SecretHash,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), LastUsedAt: utcPtr(r.LastUsedAt), ExpiresAt: utcPtr(r.ExpiresAt),
		RevokedAt: utcPtr(r.RevokedAt), APIVersion: r.APIVersion}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func toDBInvitation(i merchants.Invitation) invitationRow {
	return invitationRow{ID: i.ID, MerchantID: i.MerchantID, UserID: i.UserID, TokenHash: i.TokenHash,
		ExpiresAt: i.ExpiresAt, AcceptedAt: i.AcceptedAt, CreatedAt: i.CreatedAt}
}

// uniqueAsConflict turns a unique violation into the shared conflict sentinel.
func uniqueAsConflict(err error, what string) error {
	if err == nil {
		return nil
	}
	if IsUniqueViolation(err) {
		return fmt.Errorf("store: %s: %w", what, apperr.ErrConflict)
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// CreateMerchant inserts a merchant, its owner and the owner's invitation in one transaction.
func (s *Merchants) CreateMerchant(ctx context.Context, m merchants.Merchant, owner merchants.User, inv merchants.Invitation) error {
	err := s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		row := toDBMerchant(m)
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		u := toDBUser(owner)
		if err := tx.Create(&u).Error; err != nil {
			return err
		}
		i := toDBInvitation(inv)
		return tx.Create(&i).Error
	})
	return uniqueAsConflict(err, "create merchant")
}

// GetMerchant returns a merchant by id.
func (s *Merchants) GetMerchant(ctx context.Context, id string) (merchants.Merchant, error) {
	var r merchantRow
	if err := s.DB.conn(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return merchants.Merchant{}, notFound(err, "get merchant")
	}
	return toBusMerchant(r), nil
}

// UpdateMerchant saves a merchant's settings.
func (s *Merchants) UpdateMerchant(ctx context.Context, m merchants.Merchant) error {
	// Name, support e-mail and terms show on the checkout.
	defer s.DB.checkouts.forgetAll()
	r := toDBMerchant(m)
	res := s.DB.conn(ctx).Model(&merchantRow{}).Where("id = ?", m.ID).Updates(map[string]any{
		"name": r.Name, "legal_name": r.LegalName, "address": r.Address, "tax_id": r.TaxID,
		"support_email": r.SupportEmail, "notification_email": r.NotificationEmail,
		"default_currency": r.DefaultCurrency, "default_locale": r.DefaultLocale,
		"default_capture_mode": r.DefaultCaptureMode, "terms": r.Terms, "updated_at": r.UpdatedAt,
		"pib": r.PIB, "mb": r.MB, "ips_enabled": r.IPSEnabled, "ips_account": r.IPSAccount, "ips_payee": r.IPSPayee,
		"ips_payment_code": r.IPSPaymentCode, "email_attach_pdf": r.EmailAttachPDF,
		"auto_return": r.AutoReturn, "remind_after_days": r.RemindAfterDays, "remind_before_expiry_days": r.RemindBeforeExpiryDays,
		"brand_color": r.BrandColor,
	})
	if res.Error != nil {
		return fmt.Errorf("store: update merchant: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("store: update merchant: %w", apperr.ErrNotFound)
	}
	return nil
}

// CountMerchants counts every merchant (used to seed an empty database).
func (s *Merchants) CountMerchants(ctx context.Context) (int64, error) {
	var n int64
	if err := s.DB.conn(ctx).Model(&merchantRow{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: count merchants: %w", err)
	}
	return n, nil
}

// CreateUserWithInvitation inserts a user and the invitation that lets them set a password.
func (s *Merchants) CreateUserWithInvitation(ctx context.Context, u merchants.User, inv merchants.Invitation) error {
	err := s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		row := toDBUser(u)
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		i := toDBInvitation(inv)
		return tx.Create(&i).Error
	})
	return uniqueAsConflict(err, "create user")
}

// GetUser returns a user by id.
func (s *Merchants) GetUser(ctx context.Context, id string) (merchants.User, error) {
	var r userRow
	if err := s.DB.conn(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return merchants.User{}, notFound(err, "get user")
	}
	return toBusUser(r), nil
}

// GetUserByEmail returns a user by e-mail address (stored lower-case).
func (s *Merchants) GetUserByEmail(ctx context.Context, email string) (merchants.User, error) {
	var r userRow
	if err := s.DB.conn(ctx).Where("email = ?", email).Take(&r).Error; err != nil {
		return merchants.User{}, notFound(err, "get user by email")
	}
	return toBusUser(r), nil
}

// ListUsers lists a merchant's users, oldest first.
func (s *Merchants) ListUsers(ctx context.Context, merchantID string) ([]merchants.User, error) {
	var rows []userRow
	if err := s.DB.conn(ctx).Where("merchant_id = ?", merchantID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	out := make([]merchants.User, len(rows))
	for i, r := range rows {
		out[i] = toBusUser(r)
	}
	return out, nil
}

// GetInvitationByHash finds an invitation by the hash of its token.
func (s *Merchants) GetInvitationByHash(ctx context.Context, tokenHash string) (merchants.Invitation, error) {
	var r invitationRow
	if err := s.DB.conn(ctx).Where("token_hash = ?", tokenHash).Take(&r).Error; err != nil {
		return merchants.Invitation{}, notFound(err, "get invitation")
	}
	return merchants.Invitation{ID: r.ID, MerchantID: r.MerchantID, UserID: r.UserID, TokenHash: r.TokenHash,
		ExpiresAt: r.ExpiresAt.UTC(), AcceptedAt: utcPtr(r.AcceptedAt), CreatedAt: r.CreatedAt.UTC()}, nil
}

// AcceptInvitation marks the invitation used (only if unused) and sets the password, atomically.
func (s *Merchants) AcceptInvitation(ctx context.Context, invitationID, userID, passwordHash, name string, at time.Time) error {
	return s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&invitationRow{}).Where("id = ? AND accepted_at IS NULL", invitationID).Update("accepted_at", at)
		if res.Error != nil {
			return fmt.Errorf("store: accept invitation: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("store: accept invitation: %w", apperr.ErrConflict)
		}
		upd := map[string]any{"password_hash": passwordHash, "updated_at": at}
		if name != "" {
			upd["name"] = name
		}
		if err := tx.Model(&userRow{}).Where("id = ?", userID).Updates(upd).Error; err != nil {
			return fmt.Errorf("store: set password: %w", err)
		}
		return nil
	})
}

// CreateAPIKey inserts an API key.
func (s *Merchants) CreateAPIKey(ctx context.Context, k merchants.APIKey) error {
	r := apiKeyRow{ID: k.ID, MerchantID: k.MerchantID, Livemode: k.Livemode, Name: k.Name, Prefix: k.Prefix, SecretHash: k.SecretHash,
		CreatedBy: k.CreatedBy, CreatedAt: k.CreatedAt, ExpiresAt: k.ExpiresAt, APIVersion: k.APIVersion}
	if err := s.DB.conn(ctx).Create(&r).Error; err != nil {
		return fmt.Errorf("store: create api key: %w", err)
	}
	return nil
}

// ListAPIKeys lists a merchant's keys, newest first.
func (s *Merchants) ListAPIKeys(ctx context.Context, merchantID string) ([]merchants.APIKey, error) {
	var rows []apiKeyRow
	if err := s.DB.conn(ctx).Where("merchant_id = ?", merchantID).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: list api keys: %w", err)
	}
	out := make([]merchants.APIKey, len(rows))
	for i, r := range rows {
		out[i] = toBusAPIKey(r)
	}
	return out, nil
}

// GetAPIKeyByHash finds a key by the hash of its secret.
func (s *Merchants) GetAPIKeyByHash(ctx context.Context, secretHash string) (merchants.APIKey, error) {
	var r apiKeyRow
	if err := s.DB.conn(ctx).Where("secret_hash = ?", secretHash).Take(&r).Error; err != nil {
		return merchants.APIKey{}, notFound(err, "get api key")
	}
	return toBusAPIKey(r), nil
}

// RevokeAPIKey revokes a merchant's key; revoking twice keeps the first time.
func (s *Merchants) RevokeAPIKey(ctx context.Context, merchantID, id string, at time.Time) (merchants.APIKey, error) {
	db := s.DB.conn(ctx)
	if err := db.Model(&apiKeyRow{}).Where("merchant_id = ? AND id = ? AND revoked_at IS NULL", merchantID, id).
		Update("revoked_at", at).Error; err != nil {
		return merchants.APIKey{}, fmt.Errorf("store: revoke api key: %w", err)
	}
	var r apiKeyRow
	if err := db.Where("merchant_id = ? AND id = ?", merchantID, id).Take(&r).Error; err != nil {
		return merchants.APIKey{}, notFound(err, "revoke api key")
	}
	return toBusAPIKey(r), nil
}

// TouchAPIKey records when a key was last used.
func (s *Merchants) TouchAPIKey(ctx context.Context, id string, at time.Time) error {
	if err := s.DB.conn(ctx).Model(&apiKeyRow{}).Where("id = ?", id).Update("last_used_at", at).Error; err != nil {
		return fmt.Errorf("store: touch api key: %w", err)
	}
	return nil
}

type authFailureRow struct {
	ID        int64 `gorm:"primaryKey"`
	Key       string
	CreatedAt time.Time
}

func (authFailureRow) TableName() string { return "auth_failures" }

// RecordAuthFailure notes one failed attempt under key.
func (s *Merchants) RecordAuthFailure(ctx context.Context, key string, at time.Time) error {
	if err := s.DB.conn(ctx).Create(&authFailureRow{Key: key, CreatedAt: at}).Error; err != nil {
		return fmt.Errorf("store: record auth failure: %w", err)
	}
	return nil
}

// CountAuthFailures counts failures under key since a time.
func (s *Merchants) CountAuthFailures(ctx context.Context, key string, since time.Time) (int64, error) {
	var n int64
	if err := s.DB.conn(ctx).Model(&authFailureRow{}).Where("key = ? AND created_at >= ?", key, since).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: count auth failures: %w", err)
	}
	return n, nil
}

// ClearAuthFailures forgets the failures under key (after a successful login).
func (s *Merchants) ClearAuthFailures(ctx context.Context, key string) error {
	if err := s.DB.conn(ctx).Where("key = ?", key).Delete(&authFailureRow{}).Error; err != nil {
		return fmt.Errorf("store: clear auth failures: %w", err)
	}
	return nil
}

// PurgeAuthFailures deletes failures older than before.
func (s *Merchants) PurgeAuthFailures(ctx context.Context, before time.Time) (int64, error) {
	return s.DB.purge(ctx, authFailureRow{}.TableName(), "created_at < ?", before)
}

// SetReturnSecret replaces the merchant's return secret of a mode.
func (s *Merchants) SetReturnSecret(ctx context.Context, merchantID string, livemode bool, secret string) error {
	// The checkout signs with the secret it read with the merchant.
	defer s.DB.checkouts.forgetAll()
	col := "return_secret_test"
	if livemode {
		col = "return_secret_live"
	}
	res := s.DB.conn(ctx).Model(&merchantRow{}).Where("id = ?", merchantID).Update(col, secret)
	if res.Error != nil {
		return fmt.Errorf("store: set return secret: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("store: set return secret: %w", apperr.ErrNotFound)
	}
	return nil
}
