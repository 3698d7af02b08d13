package store

import (
	"context"
	"fmt"
	"time"

	"securelink/internal/requestlog"
)

var _ requestlog.Store = (*RequestLogs)(nil)

// RequestLogs stores the merchants' request logs.
type RequestLogs struct{ DB *DB }

type requestLogRow struct {
	ID         string
	MerchantID string
	Livemode   bool
	APIKeyID   string
	Method     string
	Path       string
	Status     int
	RequestID  string
	APIVersion string
	DurationMS int64
	CreatedAt  time.Time
}

func (requestLogRow) TableName() string { return "request_logs" }

// InsertRequestLogs writes entries in one statement.
func (s *RequestLogs) InsertRequestLogs(ctx context.Context, es []requestlog.Entry) error {
	rows := make([]requestLogRow, len(es))
	for i, e := range es {
		rows[i] = requestLogRow{ID: e.ID, MerchantID: e.MerchantID, Livemode: e.Livemode, APIKeyID: e.APIKeyID, Method: e.Method, Path: e.Path,
			Status: e.Status, RequestID: e.RequestID, APIVersion: e.APIVersion, DurationMS: e.Duration.Milliseconds(),
			CreatedAt: e.CreatedAt}
	}
	if err := s.DB.Gorm.WithContext(ctx).Create(&rows).Error; err != nil {
		return fmt.Errorf("store: insert request logs: %w", err)
	}
	return nil
}

// ListRequestLogs returns a page of a merchant's request log, newest first.
func (s *RequestLogs) ListRequestLogs(ctx context.Context, merchantID string, f requestlog.Filter) ([]requestlog.Entry, bool, error) {
	q := s.DB.Gorm.WithContext(ctx).Where("merchant_id = ?", merchantID)
	if f.Failed {
		q = q.Where("status >= 400")
	}
	var rows []requestLogRow
	if err := keysetPage(q, f.Page).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("store: list request logs: %w", err)
	}
	rows, more := trimPage(rows, f.Page)
	out := make([]requestlog.Entry, len(rows))
	for i, r := range rows {
		out[i] = requestlog.Entry{ID: r.ID, MerchantID: r.MerchantID, Livemode: r.Livemode, APIKeyID: r.APIKeyID, Method: r.Method, Path: r.Path,
			Status: r.Status, RequestID: r.RequestID, APIVersion: r.APIVersion,
			Duration: time.Duration(r.DurationMS) * time.Millisecond, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, more, nil
}

// PurgeRequestLogs deletes entries created before the time.
func (s *RequestLogs) PurgeRequestLogs(ctx context.Context, before time.Time) (int, error) {
	n, err := s.DB.purge(ctx, requestLogRow{}.TableName(), "created_at < ?", before.UTC())
	return int(n), err
}
