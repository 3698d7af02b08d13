package store

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"securelink/internal/domain"
)

// Test and live data are kept apart here, in one place: every read, update and delete of a row type
// that is modeScoped, made with a context that works in a mode (domain.WithMode: an API key's, or the
// portal session's switch), gets "AND livemode = <that mode>". A test object read with a live key
// is then simply not found. Work without a mode (the checkout, whose link names its invoice, and
// background jobs) sees both. Inserts carry the object's own Livemode; raw SQL adds modeSQL itself.

// modeScoped is implemented by the row types of merchant-owned objects that belong to one mode.
type modeScoped interface{ modeScoped() }

func (invoiceRow) modeScoped()     {}
func (linkRow) modeScoped()        {}
func (eventRow) modeScoped()       {}
func (paymentRow) modeScoped()     {}
func (refundRow) modeScoped()      {}
func (transactionRow) modeScoped() {}
func (emailRow) modeScoped()       {}
func (endpointRow) modeScoped()    {}
func (deliveryRow) modeScoped()    {}
func (attemptRow) modeScoped()     {}
func (apiKeyRow) modeScoped()      {}
func (requestLogRow) modeScoped()  {}

// scopedTypes remembers which model types are modeScoped.
var scopedTypes sync.Map // reflect.Type → bool

func isModeScoped(t reflect.Type) bool {
	if v, ok := scopedTypes.Load(t); ok {
		return v.(bool)
	}
	_, scoped := reflect.New(t).Interface().(modeScoped)
	scopedTypes.Store(t, scoped)
	return scoped
}

// scopeToMode is the GORM callback that limits a statement on a modeScoped table to its context's mode.
func scopeToMode(db *gorm.DB) {
	st := db.Statement
	if db.Error != nil || st.Schema == nil {
		return
	}
	live, ok := domain.ModeOf(st.Context)
	if !ok || !isModeScoped(st.Schema.ModelType) {
		return
	}
	st.AddClause(clause.Where{Exprs: []clause.Expression{
		clause.Eq{Column: clause.Column{Table: clause.CurrentTable, Name: "livemode"}, Value: live},
	}})
}

// registerModeScope installs scopeToMode before every query, update and delete.
func registerModeScope(g *gorm.DB) error {
	cb := g.Callback()
	if err := cb.Query().Before("gorm:query").Register("securelink:mode", scopeToMode); err != nil {
		return fmt.Errorf("store: register mode scope: %w", err)
	}
	if err := cb.Update().Before("gorm:update").Register("securelink:mode", scopeToMode); err != nil {
		return fmt.Errorf("store: register mode scope: %w", err)
	}
	if err := cb.Delete().Before("gorm:delete").Register("securelink:mode", scopeToMode); err != nil {
		return fmt.Errorf("store: register mode scope: %w", err)
	}
	return nil
}

// modeSQL is the same limit for hand-written SQL: " AND <column> = ?" with its argument when ctx
// works in a mode, nothing otherwise.
func modeSQL(ctx context.Context, column string) (string, []any) {
	live, ok := domain.ModeOf(ctx)
	if !ok {
		return "", nil
	}
	return " AND " + column + " = ?", []any{live}
}
