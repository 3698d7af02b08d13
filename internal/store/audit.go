package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"securelink/internal/audit"
	"securelink/internal/domain"
)

var _ audit.Store = (*Audit)(nil)

// Audit stores the audit log.
type Audit struct{ DB *DB }

type auditRow struct {
	ID         string
	MerchantID string
	Livemode   bool
	ActorID    string
	ActorType  string
	Action     string
	Target     string
	IP         string
	Details    string
	CreatedAt  time.Time
}

func (auditRow) TableName() string { return "audit_log" }

// InsertAudit appends an entry.
func (s *Audit) InsertAudit(ctx context.Context, e audit.Entry) error {
	r := toAuditRow(e)
	if err := s.DB.conn(ctx).Create(&r).Error; err != nil {
		return fmt.Errorf("store: insert audit: %w", err)
	}
	return nil
}

func toAuditRow(e audit.Entry) auditRow {
	return auditRow{ID: e.ID, MerchantID: e.MerchantID, Livemode: e.Livemode, ActorID: e.ActorID, ActorType: string(e.ActorType),
		Action: e.Action, Target: e.Target, IP: e.IP, Details: e.Details, CreatedAt: e.CreatedAt}
}

// ListAudit returns a page of a merchant's audit log, newest first.
func (s *Audit) ListAudit(ctx context.Context, merchantID string, p domain.Page) ([]audit.Entry, bool, error) {
	var rows []auditRow
	q := s.DB.conn(ctx).Where("merchant_id = ?", merchantID)
	if err := keysetPage(q, p).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("store: list audit: %w", err)
	}
	rows, more := trimPage(rows, p)
	out := make([]audit.Entry, len(rows))
	for i, r := range rows {
		out[i] = audit.Entry{ID: r.ID, MerchantID: r.MerchantID, Livemode: r.Livemode, ActorID: r.ActorID, ActorType: domain.ActorType(r.ActorType),
			Action: r.Action, Target: r.Target, IP: r.IP, Details: r.Details, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, more, nil
}

// keysetPage orders newest first by id and asks for one row more than the limit, to learn has_more.
// Before a cursor (ending_before) it walks up from the cursor, oldest first: trimPage turns it round.
func keysetPage(q *gorm.DB, p domain.Page) *gorm.DB {
	if p.EndingBefore != "" {
		return q.Where("id > ?", p.EndingBefore).Order("id ASC").Limit(p.Limit + 1)
	}
	if p.StartingAfter != "" {
		q = q.Where("id < ?", p.StartingAfter)
	}
	return q.Order("id DESC").Limit(p.Limit + 1)
}

// trimPage drops the extra row keysetPage asked for, reports whether there was one (with
// ending_before: whether newer rows remain) and puts the page newest first.
func trimPage[T any](rows []T, p domain.Page) ([]T, bool) {
	more := len(rows) > p.Limit
	if more {
		rows = rows[:p.Limit]
	}
	if p.EndingBefore != "" {
		slices.Reverse(rows)
	}
	return rows, more
}
