package store

import "context"

// RefundRuleSQL exposes the rendered refund rule to the black-box tests.
var RefundRuleSQL = refundRuleSQL

// ModeScopedTables lists the tables every read, update and delete is limited to the context's mode in.
func ModeScopedTables() []string {
	out := make([]string, len(modeScopedRows))
	for i, r := range modeScopedRows {
		out[i] = r.TableName()
	}
	return out
}

// TakeEveryTransactionTurn holds every turn of PostgreSQL's transaction gate until release is called
// (ok is false on SQLite, which has no gate).
func (db *DB) TakeEveryTransactionTurn(ctx context.Context) (release func(), ok bool, err error) {
	gate := db.txGate
	if gate == nil {
		return nil, false, nil
	}
	if err := gate.Acquire(ctx, gate.size); err != nil {
		return nil, true, err
	}
	return func() { gate.Release(gate.size) }, true, nil
}

// MigrateTo applies the migrations up to and including version, for tests of one migration.
func (db *DB) MigrateTo(ctx context.Context, version int64) error {
	p, err := db.migrations()
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// MigrateDownTo undoes the migrations above version.
func (db *DB) MigrateDownTo(ctx context.Context, version int64) error {
	p, err := db.migrations()
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, version)
	return err
}
