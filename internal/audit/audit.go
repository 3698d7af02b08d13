// Package audit records who did what, when and from where, for the merchant's audit log.
package audit

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"securelink/internal/domain"
)

// Entry is one line of the audit log.
type Entry struct {
	ID         string
	MerchantID string
	ActorID    string
	ActorType  domain.ActorType
	Action     string
	Target     string
	IP         string
	Details    string // JSON object
	CreatedAt  time.Time
}

// Store is the storage the audit log needs.
type Store interface {
	InsertAudit(ctx context.Context, e Entry) error
	ListAudit(ctx context.Context, merchantID string, p domain.Page) ([]Entry, bool, error)
}

// Log writes and reads the audit log.
type Log struct {
	Store Store
}

// Record appends an entry; a failure to write is logged, never shown to the caller whose action
// already succeeded.
func (l *Log) Record(ctx context.Context, actor domain.Actor, action, target string, details map[string]any) {
	d := ""
	if len(details) > 0 {
		b, _ := json.Marshal(details)
		d = string(b)
	}
	e := Entry{ID: domain.NewID(domain.PrefixAudit), MerchantID: actor.MerchantID, ActorID: actor.Label(),
		ActorType: actor.Type, Action: action, Target: target, IP: actor.IP, Details: d,
		CreatedAt: time.Now().UTC().Truncate(time.Microsecond)}
	if err := l.Store.InsertAudit(ctx, e); err != nil {
		slog.ErrorContext(ctx, "audit log write failed", "action", action, "target", target, "err", err)
	}
}

// List returns a page of the merchant's audit log, newest first.
func (l *Log) List(ctx context.Context, merchantID string, p domain.Page) ([]Entry, bool, error) {
	return l.Store.ListAudit(ctx, merchantID, p)
}
