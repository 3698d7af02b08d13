package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"securelink/internal/apperr"
	"securelink/internal/merchants"
)

type sessionRow struct {
	ID         string
	UserID     string
	MerchantID string
	Livemode   bool
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
}

func (sessionRow) TableName() string { return "sessions" }

// CreateSession records a portal session.
func (s *Merchants) CreateSession(ctx context.Context, ses merchants.Session) error {
	r := sessionRow{ID: ses.ID, UserID: ses.UserID, MerchantID: ses.MerchantID, Livemode: ses.Livemode, CreatedAt: ses.CreatedAt, ExpiresAt: ses.ExpiresAt}
	if err := s.DB.conn(ctx).Create(&r).Error; err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// ActiveSession returns a session that is neither revoked nor expired and whose user still belongs to
// the session's merchant; anything else is apperr.ErrNotFound.
func (s *Merchants) ActiveSession(ctx context.Context, id string, now time.Time) (merchants.Session, error) {
	var r sessionRow
	err := s.DB.conn(ctx).Table("sessions").Select("sessions.*").
		Joins("JOIN users ON users.id = sessions.user_id AND users.merchant_id = sessions.merchant_id").
		Where("sessions.id = ? AND sessions.revoked_at IS NULL AND sessions.expires_at > ?", id, now).Take(&r).Error
	if err != nil {
		return merchants.Session{}, notFound(err, "active session")
	}
	return merchants.Session{ID: r.ID, UserID: r.UserID, MerchantID: r.MerchantID, Livemode: r.Livemode, CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC()}, nil
}

// SetSessionMode sets the mode of a session that has not ended.
func (s *Merchants) SetSessionMode(ctx context.Context, id string, livemode bool) error {
	res := s.DB.conn(ctx).Model(&sessionRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("livemode", livemode)
	if res.Error != nil {
		return fmt.Errorf("store: set session mode: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return notFound(gorm.ErrRecordNotFound, "set session mode")
	}
	return nil
}

// RevokeSession ends one session.
func (s *Merchants) RevokeSession(ctx context.Context, id string, at time.Time) error {
	if err := s.DB.conn(ctx).Model(&sessionRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", at).Error; err != nil {
		return fmt.Errorf("store: revoke session: %w", err)
	}
	return nil
}

// RevokeUserSessions ends every session of a user and tells how many were live.
func (s *Merchants) RevokeUserSessions(ctx context.Context, userID string, at time.Time) (int64, error) {
	res := s.DB.conn(ctx).Model(&sessionRow{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", at)
	if res.Error != nil {
		return 0, fmt.Errorf("store: revoke sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// PurgeSessions deletes sessions that ended before the time.
func (s *Merchants) PurgeSessions(ctx context.Context, before time.Time) (int64, error) {
	return s.DB.purge(ctx, sessionRow{}.TableName(), "expires_at < ? OR revoked_at < ?", before, before)
}

// SetPassword changes a user's password hash.
func (s *Merchants) SetPassword(ctx context.Context, userID, passwordHash string, at time.Time) error {
	err := s.DB.conn(ctx).Model(&userRow{}).Where("id = ?", userID).Updates(map[string]any{"password_hash": passwordHash, "updated_at": at}).Error
	if err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	return nil
}

// DeleteUser removes a user from a merchant with the user's invitations and sessions; a user of
// another merchant is apperr.ErrNotFound.
func (s *Merchants) DeleteUser(ctx context.Context, merchantID, userID string) error {
	return s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("user_id = ? AND merchant_id = ?", userID, merchantID).Delete(&invitationRow{}).Error; err != nil {
			return fmt.Errorf("store: delete user's invitations: %w", err)
		}
		if err := tx.Where("user_id = ? AND merchant_id = ?", userID, merchantID).Delete(&passwordResetRow{}).Error; err != nil {
			return fmt.Errorf("store: delete user's password resets: %w", err)
		}
		if err := tx.Where("user_id = ? AND merchant_id = ?", userID, merchantID).Delete(&sessionRow{}).Error; err != nil {
			return fmt.Errorf("store: delete user's sessions: %w", err)
		}
		res := tx.Where("id = ? AND merchant_id = ?", userID, merchantID).Delete(&userRow{})
		if res.Error != nil {
			return fmt.Errorf("store: delete user: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return notFound(gorm.ErrRecordNotFound, "delete user")
		}
		return nil
	})
}

type passwordResetRow struct {
	ID         string
	UserID     string
	MerchantID string
	TokenHash  string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	UsedAt     *time.Time
}

func (passwordResetRow) TableName() string { return "password_resets" }

// CreatePasswordReset stores a password-reset request and ends the user's earlier unused ones, so only
// the newest link works.
func (s *Merchants) CreatePasswordReset(ctx context.Context, r merchants.PasswordReset) error {
	return s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&passwordResetRow{}).Where("user_id = ? AND used_at IS NULL", r.UserID).Update("used_at", r.CreatedAt).Error; err != nil {
			return fmt.Errorf("store: end earlier password resets: %w", err)
		}
		row := passwordResetRow{ID: r.ID, UserID: r.UserID, MerchantID: r.MerchantID, TokenHash: r.TokenHash, CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt}
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("store: create password reset: %w", err)
		}
		return nil
	})
}

// GetPasswordResetByHash finds a password-reset request by the hash of its token.
func (s *Merchants) GetPasswordResetByHash(ctx context.Context, tokenHash string) (merchants.PasswordReset, error) {
	var r passwordResetRow
	if err := s.DB.conn(ctx).Where("token_hash = ?", tokenHash).Take(&r).Error; err != nil {
		return merchants.PasswordReset{}, notFound(err, "get password reset")
	}
	return merchants.PasswordReset{ID: r.ID, UserID: r.UserID, MerchantID: r.MerchantID, TokenHash: r.TokenHash,
		CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), UsedAt: utcPtr(r.UsedAt)}, nil
}

// UsePasswordReset marks the request used (only if unused: apperr.ErrConflict otherwise), sets the
// password and ends the user's other unused requests, atomically.
func (s *Merchants) UsePasswordReset(ctx context.Context, id, userID, passwordHash string, at time.Time) error {
	return s.DB.conn(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&passwordResetRow{}).Where("id = ? AND user_id = ? AND used_at IS NULL", id, userID).Update("used_at", at)
		if res.Error != nil {
			return fmt.Errorf("store: use password reset: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("store: use password reset: %w", apperr.ErrConflict)
		}
		if err := tx.Model(&passwordResetRow{}).Where("user_id = ? AND used_at IS NULL", userID).Update("used_at", at).Error; err != nil {
			return fmt.Errorf("store: end other password resets: %w", err)
		}
		upd := tx.Model(&userRow{}).Where("id = ?", userID).Updates(map[string]any{"password_hash": passwordHash, "updated_at": at})
		if upd.Error != nil {
			return fmt.Errorf("store: set password: %w", upd.Error)
		}
		if upd.RowsAffected == 0 {
			return notFound(gorm.ErrRecordNotFound, "set password")
		}
		return nil
	})
}
