package store

import (
	"context"
	"errors"
	"time"
)

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

// MigrateTo moves the schema up or down to version, for tests of one migration.
func (db *DB) MigrateTo(ctx context.Context, version int64) error {
	p, err := db.migrations()
	if err != nil {
		return err
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return err
	}
	if version < current {
		_, err = p.DownTo(ctx, version)
	} else {
		_, err = p.UpTo(ctx, version)
	}
	return err
}

// SetSearchWindow changes how many of the newest invoices SQLite's term search checks first, until
// the test ends.
func SetSearchWindow(t interface{ Cleanup(func()) }, n int) {
	old := searchWindow
	searchWindow = n
	t.Cleanup(func() { searchWindow = old })
}

// HoldGroupLanes takes every free lane of PostgreSQL's group commit, so that grouped writes queue;
// waiting counts them, and release hands the lanes back, so that the queued writes go as groups:
// one lane at a time, each once the leader it woke has taken its group, so that the groups are as
// large as they may be, the same in every run. ok is false on SQLite, which has no such lanes.
func (db *DB) HoldGroupLanes() (release func(), waiting func() int, ok bool) {
	if db.pgGroups == nil {
		return nil, nil, false
	}
	release, waiting = holdLanes(db.pgGroups)
	return release, waiting, true
}

// HoldCreationLane is HoldGroupLanes for the lane of a merchant's invoice creations.
func (db *DB) HoldCreationLane(merchantID string) (release func(), waiting func() int, ok bool) {
	if db.creationGroups == nil {
		return nil, nil, false
	}
	q, done := db.creationGroups.acquire(merchantID)
	handBack, waiting := holdLanes(q)
	return func() { handBack(); done() }, waiting, true
}

// CreationQueues counts the merchants that have a queue of invoice creations.
func (db *DB) CreationQueues() int {
	if db.creationGroups == nil {
		return 0
	}
	db.creationGroups.mu.Lock()
	defer db.creationGroups.mu.Unlock()
	return len(db.creationGroups.queues)
}

func holdLanes(q *pgGroupCommit) (release func(), waiting func() int) {
	q.mu.Lock()
	held := q.maxLanes - q.lanes
	q.lanes = q.maxLanes
	q.mu.Unlock()
	waiting = func() int {
		q.mu.Lock()
		defer q.mu.Unlock()
		return len(q.waiting)
	}
	return func() {
		for range held {
			left := max(0, waiting()-q.maxMembers)
			q.handOff()
			for deadline := time.Now().Add(10 * time.Second); waiting() > left && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
		}
	}, waiting
}

// InvoiceReadThreeWays reads the invoice id and the ids of every invoice as a pipelined
// transaction's QuerySQL does, on its own and inside a transaction the caller opened (InTx), and
// as GORM's Raw and Scan do, for the tests that compare them.
func (db *DB) InvoiceReadThreeWays(ctx context.Context, id string) (pipelined, inTx, viaGORM any, err error) {
	one, all := invoiceByID, sqlOf("SELECT id FROM invoices ORDER BY id")
	type read struct {
		Invoice invoiceRow
		IDs     []string
		None    invoiceRow // a query that finds no row leaves it as it was
	}
	var piped, nested, gormRead read
	piped.None.Number, nested.None.Number, gormRead.None.Number = "untouched", "untouched", "untouched"
	readInto := func(ctx context.Context, r *read) error {
		return db.pipelined(ctx, func(p *pipeTx) error {
			return errors.Join(p.QuerySQL(one, []any{id}, &r.Invoice), p.QuerySQL(all, nil, &r.IDs),
				p.QuerySQL(one, []any{"inv_none"}, &r.None))
		})
	}
	err = errors.Join(readInto(ctx, &piped), db.InTx(ctx, func(ctx context.Context) error { return readInto(ctx, &nested) }))
	if err != nil {
		return nil, nil, nil, err
	}
	tx := db.Gorm.WithContext(ctx)
	err = errors.Join(tx.Raw(one.q, id).Scan(&gormRead.Invoice).Error, tx.Raw(all.q).Scan(&gormRead.IDs).Error,
		tx.Raw(one.q, "inv_none").Scan(&gormRead.None).Error)
	return piped, nested, gormRead, err
}

// invoiceByID is the read of one invoice the comparisons above and below make.
var invoiceByID = sqlOf("SELECT * FROM invoices WHERE id = ?")

// QuerySQLOnce reads the invoice id in a pipelined transaction, through QuerySQL (gorm false) or
// GORM's Raw and Scan (gorm true), for the benchmark that compares them.
func (db *DB) QuerySQLOnce(ctx context.Context, id string, gorm bool) error {
	return db.pipelined(ctx, func(p *pipeTx) error {
		var inv invoiceRow
		if gorm {
			return p.gorm.Raw(invoiceByID.q, id).Scan(&inv).Error
		}
		return p.QuerySQL(invoiceByID, []any{id}, &inv)
	})
}

// KeepMapped runs one pass of the background mapping (sqlitewarm.go) and returns how many pages
// of the token index and memory pages of the WAL it holds mapped, and the database file's path
// (ok is false on PostgreSQL).
func (db *DB) KeepMapped(ctx context.Context) (indexPages, walPages int, path string, ok bool, err error) {
	if db.sqlite == nil {
		return 0, 0, "", false, nil
	}
	if indexPages, err = db.sqlite.mapTokenIndex(ctx); err != nil {
		return indexPages, 0, db.sqlite.path, true, err
	}
	walPages, err = db.sqlite.mapWAL()
	return indexPages, walPages, db.sqlite.path, true, err
}
