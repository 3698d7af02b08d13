package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"securelink/internal/domain"
	"securelink/internal/idempotency"
)

var _ idempotency.Store = (*Idempotency)(nil)

// Idempotency stores idempotency keys with the responses they answered.
type Idempotency struct{ DB *DB }

type idempotencyRow struct {
	Scope          string `gorm:"primaryKey"`
	Key            string `gorm:"primaryKey"`
	RequestHash    string
	Status         string
	ResponseStatus int
	ResponseBody   string
	CreatedAt      time.Time
	LeaseUntil     *time.Time
	Claim          string
}

func (idempotencyRow) TableName() string { return "idempotency_keys" }

const (
	idemRunning = "running"
	idemDone    = "done"
)

// leaseEnd is when a running record's lease runs out; records written before leases existed count
// from their creation.
func (r idempotencyRow) leaseEnd(lease time.Duration) time.Time {
	if r.LeaseUntil != nil {
		return *r.LeaseUntil
	}
	return r.CreatedAt.Add(lease)
}

// Begin claims a key, takes over one whose lease ran out, or returns its record.
func (s *Idempotency) Begin(ctx context.Context, scope, key, hash string, now time.Time, lease time.Duration) (idempotency.Record, bool, error) {
	db := s.DB.Gorm.WithContext(ctx)
	claim := domain.NewToken(12)
	until := now.Add(lease)
	started := idempotency.Record{Scope: scope, Key: key, RequestHash: hash, Running: true, Claim: claim, LeaseUntil: until, CreatedAt: now}
	for range 3 {
		row := idempotencyRow{Scope: scope, Key: key, RequestHash: hash, Status: idemRunning, CreatedAt: now, LeaseUntil: &until, Claim: claim}
		res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return idempotency.Record{}, false, fmt.Errorf("store: begin idempotent request: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			return started, true, nil
		}
		var ex idempotencyRow
		err := db.Where("scope = ? AND key = ?", scope, key).Take(&ex).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			continue // finished and aborted meanwhile: claim it again
		}
		if err != nil {
			return idempotency.Record{}, false, fmt.Errorf("store: read idempotency key: %w", err)
		}
		if ex.CreatedAt.Before(now.Add(-idempotency.TTL)) {
			// Expired: forget it (only if still the same old row) and claim it again.
			if err := db.Where("scope = ? AND key = ? AND created_at = ?", scope, key, ex.CreatedAt).Delete(&idempotencyRow{}).Error; err != nil {
				return idempotency.Record{}, false, fmt.Errorf("store: expire idempotency key: %w", err)
			}
			continue
		}
		rec := idempotency.Record{Scope: ex.Scope, Key: ex.Key, RequestHash: ex.RequestHash, Running: ex.Status == idemRunning,
			ResponseStatus: ex.ResponseStatus, ResponseBody: []byte(ex.ResponseBody), CreatedAt: ex.CreatedAt.UTC()}
		if !rec.Running || now.Before(ex.leaseEnd(lease)) {
			return rec, false, nil
		}
		// The request that held the key died: the same request takes it over, only if no one else
		// did in the meantime (the old claim is still there).
		rec.Running = false
		if ex.RequestHash != hash {
			return rec, false, nil
		}
		res = db.Model(&idempotencyRow{}).Where("scope = ? AND key = ? AND status = ? AND claim = ?", scope, key, idemRunning, ex.Claim).
			Updates(map[string]any{"claim": claim, "lease_until": until})
		if res.Error != nil {
			return idempotency.Record{}, false, fmt.Errorf("store: take over idempotency key: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			started.CreatedAt = ex.CreatedAt.UTC()
			return started, true, nil
		}
	}
	return idempotency.Record{}, false, fmt.Errorf("store: idempotency key %q keeps changing", key)
}

// Renew extends the lease of a running request that still holds its claim.
func (s *Idempotency) Renew(ctx context.Context, scope, key, claim string, until time.Time) (bool, error) {
	res := s.DB.Gorm.WithContext(ctx).Model(&idempotencyRow{}).
		Where("scope = ? AND key = ? AND status = ? AND claim = ?", scope, key, idemRunning, claim).Update("lease_until", until)
	if res.Error != nil {
		return false, fmt.Errorf("store: renew idempotency lease: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Finish stores the response of the request holding the claim.
func (s *Idempotency) Finish(ctx context.Context, scope, key, claim string, status int, body []byte) error {
	err := s.DB.Gorm.WithContext(ctx).Model(&idempotencyRow{}).Where("scope = ? AND key = ? AND claim = ?", scope, key, claim).
		Updates(map[string]any{"status": idemDone, "response_status": status, "response_body": string(body), "lease_until": nil}).Error
	if err != nil {
		return fmt.Errorf("store: finish idempotent request: %w", err)
	}
	return nil
}

// Abort forgets a key held by the claim.
func (s *Idempotency) Abort(ctx context.Context, scope, key, claim string) error {
	if err := s.DB.Gorm.WithContext(ctx).Where("scope = ? AND key = ? AND claim = ?", scope, key, claim).Delete(&idempotencyRow{}).Error; err != nil {
		return fmt.Errorf("store: abort idempotent request: %w", err)
	}
	return nil
}

// Purge deletes old keys.
func (s *Idempotency) Purge(ctx context.Context, before time.Time) (int64, error) {
	return s.DB.purge(ctx, idempotencyRow{}.TableName(), "created_at < ?", before)
}
