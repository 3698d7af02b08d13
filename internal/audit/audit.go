// Package audit records who did what, when and from where, for the merchant's audit log.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"securelink/internal/domain"
)

// Entry is one line of the audit log.
type Entry struct {
	ID         string
	MerchantID string
	Livemode   bool
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

// Record appends an entry. Called inside the action's transaction (Tx), its failure undoes the action:
// no action is left without its audit row.
func (l *Log) Record(ctx context.Context, actor domain.Actor, action, target string, details map[string]any) error {
	e := NewEntry(actor, action, target, details)
	if err := l.Store.InsertAudit(ctx, e); err != nil {
		return fmt.Errorf("audit %s %s: %w", action, target, err)
	}
	return nil
}

// NewEntry is the entry of actor's action on target, now. A store that writes an action in one
// transaction of its own (invoice creation) writes its entry in it, as Record would inside Tx.
func NewEntry(actor domain.Actor, action, target string, details map[string]any) Entry {
	d := ""
	if len(details) > 0 {
		b, _ := json.Marshal(details)
		d = string(b)
	}
	return Entry{ID: domain.NewID(domain.PrefixAudit), MerchantID: actor.MerchantID, Livemode: actor.Livemode, ActorID: actor.Label(),
		ActorType: actor.Type, Action: action, Target: target, IP: actor.IP, Details: d,
		CreatedAt: time.Now().UTC().Truncate(time.Microsecond)}
}

// Tx runs fn in one database transaction (the store's InTx): the store calls of an action and its
// Record join it. A nil Tx runs fn as it is.
type Tx func(ctx context.Context, fn func(ctx context.Context) error) error

// Run runs fn in the transaction.
func (t Tx) Run(ctx context.Context, fn func(ctx context.Context) error) error {
	if t == nil {
		return fn(ctx)
	}
	return t(ctx, fn)
}

// List returns a page of the merchant's audit log, newest first.
func (l *Log) List(ctx context.Context, merchantID string, p domain.Page) ([]Entry, bool, error) {
	return l.Store.ListAudit(ctx, merchantID, p)
}
