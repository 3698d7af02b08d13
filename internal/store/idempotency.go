package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

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
}

func (idempotencyRow) TableName() string { return "idempotency_keys" }

const (
	idemRunning = "running"
	idemDone    = "done"
)

// Begin claims a key or returns its record.
func (s *Idempotency) Begin(ctx context.Context, scope, key, hash string, now time.Time) (idempotency.Record, bool, error) {
	db := s.DB.Gorm.WithContext(ctx)
	for range 2 {
		row := idempotencyRow{Scope: scope, Key: key, RequestHash: hash, Status: idemRunning, CreatedAt: now}
		res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return idempotency.Record{}, false, fmt.Errorf("store: begin idempotent request: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			return idempotency.Record{Scope: scope, Key: key, RequestHash: hash, Running: true, CreatedAt: now}, true, nil
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
		return idempotency.Record{Scope: ex.Scope, Key: ex.Key, RequestHash: ex.RequestHash, Running: ex.Status == idemRunning,
			ResponseStatus: ex.ResponseStatus, ResponseBody: []byte(ex.ResponseBody), CreatedAt: ex.CreatedAt.UTC()}, false, nil
	}
	return idempotency.Record{}, false, fmt.Errorf("store: idempotency key %q keeps changing", key)
}

// Finish stores the response of a request.
func (s *Idempotency) Finish(ctx context.Context, scope, key string, status int, body []byte) error {
	err := s.DB.Gorm.WithContext(ctx).Model(&idempotencyRow{}).Where("scope = ? AND key = ?", scope, key).
		Updates(map[string]any{"status": idemDone, "response_status": status, "response_body": string(body)}).Error
	if err != nil {
		return fmt.Errorf("store: finish idempotent request: %w", err)
	}
	return nil
}

// Abort forgets a key.
func (s *Idempotency) Abort(ctx context.Context, scope, key string) error {
	if err := s.DB.Gorm.WithContext(ctx).Where("scope = ? AND key = ?", scope, key).Delete(&idempotencyRow{}).Error; err != nil {
		return fmt.Errorf("store: abort idempotent request: %w", err)
	}
	return nil
}

// Purge deletes old keys.
func (s *Idempotency) Purge(ctx context.Context, before time.Time) (int64, error) {
	res := s.DB.Gorm.WithContext(ctx).Where("created_at < ?", before).Delete(&idempotencyRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("store: purge idempotency keys: %w", res.Error)
	}
	return res.RowsAffected, nil
}
