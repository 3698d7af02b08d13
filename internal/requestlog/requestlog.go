// Package requestlog keeps each merchant's log of API requests: method, path, status, request id and
// time, for 30 days. It never holds a body, a query string or a credential. Requests are recorded
// in memory and written in batches by a background job, so logging adds no database write to the
// request itself; a crash loses at most the last batch.
package requestlog

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"securelink/internal/domain"
)

// IDPrefix starts every entry's id.
const IDPrefix = "rl"

// Retention is how long entries are kept.
const Retention = 30 * 24 * time.Hour

// Entry is one API request.
type Entry struct {
	ID         string
	MerchantID string
	Livemode   bool
	APIKeyID   string
	Method     string
	// Path is the URL path without its query string (queries may hold customers' e-mails).
	Path       string
	Status     int
	RequestID  string
	APIVersion string
	Duration   time.Duration
	CreatedAt  time.Time
}

// Filter selects a page of a merchant's log.
type Filter struct {
	// Failed keeps only answers of 400 and above.
	Failed bool
	Page   domain.Page
}

// Store is the storage this package needs.
type Store interface {
	// InsertRequestLogs writes entries in one statement.
	InsertRequestLogs(ctx context.Context, es []Entry) error
	// ListRequestLogs returns a page of a merchant's entries, newest first, and whether there are more.
	ListRequestLogs(ctx context.Context, merchantID string, f Filter) ([]Entry, bool, error)
	// PurgeRequestLogs deletes entries created before the time and says how many.
	PurgeRequestLogs(ctx context.Context, before time.Time) (int, error)
}

// maxPending bounds the entries held in memory between two flushes; beyond it, entries are dropped
// (and counted in the log) rather than slowing requests down.
const maxPending = 10000

// Log records and lists request logs.
type Log struct {
	Store Store
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	mu      sync.Mutex
	pending []Entry
	dropped int
}

func (l *Log) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Record keeps an entry until the next Flush; it never blocks on the database.
func (l *Log) Record(e Entry) {
	e.ID = domain.NewID(IDPrefix)
	if e.CreatedAt.IsZero() {
		e.CreatedAt = l.now()
	}
	e.CreatedAt = e.CreatedAt.UTC().Truncate(time.Microsecond)
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.pending) >= maxPending {
		l.dropped++
		return
	}
	l.pending = append(l.pending, e)
}

// Flush writes the recorded entries and says how many.
func (l *Log) Flush(ctx context.Context) (int, error) {
	l.mu.Lock()
	batch, dropped := l.pending, l.dropped
	l.pending, l.dropped = nil, 0
	l.mu.Unlock()
	if dropped > 0 {
		slog.WarnContext(ctx, "request log entries dropped: more requests than the log writer keeps up with", "dropped", dropped)
	}
	if len(batch) == 0 {
		return 0, nil
	}
	// Several statements of a bounded size keep each insert well under the databases' parameter limits.
	written := 0
	for written < len(batch) {
		n := min(len(batch)-written, 500)
		if err := l.Store.InsertRequestLogs(ctx, batch[written:written+n]); err != nil {
			return written, err
		}
		written += n
	}
	return written, nil
}

// List returns a page of a merchant's log, newest first.
func (l *Log) List(ctx context.Context, merchantID string, f Filter) ([]Entry, bool, error) {
	return l.Store.ListRequestLogs(ctx, merchantID, f)
}

// Purge deletes entries older than the retention.
func (l *Log) Purge(ctx context.Context) (int, error) {
	return l.Store.PurgeRequestLogs(ctx, l.now().Add(-Retention))
}
