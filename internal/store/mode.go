package store

import (
	"context"
	"fmt"
	"reflect"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"securelink/internal/domain"
)

// Test and live data are kept apart here, in one place: every read, update and delete of a row type
// in modeScopedRows, made with a context that works in a mode (domain.WithMode: an API key's, or the
// portal session's switch), gets "AND livemode = <that mode>". A test object read with a live key
// is then simply not found. Work without a mode (the checkout, whose link names its invoice, and
// background jobs) sees both. Inserts carry the object's own Livemode; raw SQL adds modeSQL itself.

// modeScopedRows are the row types of merchant-owned objects that belong to one mode. Two tables
// have a livemode column without being limited by it: audit_log (the audit log lists both modes:
// logins, team and settings belong to the whole account) and sessions (the switch itself).
var modeScopedRows = []interface{ TableName() string }{
	invoiceRow{}, linkRow{}, eventRow{}, paymentRow{}, refundRow{}, transactionRow{}, emailRow{}, endpointRow{},
	deliveryRow{}, attemptRow{}, apiKeyRow{}, requestLogRow{}, reminderRow{}, paymentLinkRow{},
}

// scopedTypes holds the model types of modeScopedRows.
var scopedTypes = func() map[reflect.Type]bool {
	m := make(map[reflect.Type]bool, len(modeScopedRows))
	for _, r := range modeScopedRows {
		m[reflect.TypeOf(r)] = true
	}
	return m
}()

func isModeScoped(t reflect.Type) bool { return scopedTypes[t] }

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
