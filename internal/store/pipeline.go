package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// A pipelined transaction is written once, in SQL with ? placeholders (rawsql.go), and runs on
// both databases. On PostgreSQL the statements that do not need one another's answers travel
// together: the BEGIN goes with the first query, the writes queued with ExecSQL go with the next
// query or with the COMMIT. Each round trip costs a network write and a wake-up on both sides, which
// were a fifth of the server's and of PostgreSQL's CPU per payment. On SQLite, whose writer
// connection is in this process, the statements run one after another in the writer's transaction,
// as elsewhere.
//
// The COMMIT travels with the last writes. If one of them fails, PostgreSQL skips the rest of the
// round trip, the COMMIT included, and the transaction is rolled back. A write whose row count
// decides the outcome (a guard: only the first settlement finds its row pending) is sent wrapped
// so that PostgreSQL itself fails it when it matched no row (guardedSQL); its judge then gets a
// row count of zero, as on SQLite, where the count is read after the write.

// pipeTx is the transaction a pipelined function builds its statements on.
type pipeTx struct {
	ctx context.Context
	// gorm is the transaction on SQLite (and inside InTx); nil on a PostgreSQL pipeline.
	gorm *gorm.DB
	// conn is the PostgreSQL connection, nil on SQLite.
	conn  *pgx.Conn
	begun bool
	// commitSent says a round trip with the COMMIT has gone out.
	commitSent bool
	queued     []pipedWrite
	// roundTrips counts the round trips sent on conn.
	roundTrips int
	// failed is the first failure of a write on SQLite, where writes run when they are queued.
	failed error
	// refused says PostgreSQL answered one of the statements with an error that ends the statement
	// but not the session (see answered): the transaction was rolled back, COMMIT or not (a pipeline
	// skips everything after a failed statement).
	refused bool
}

// pipedWrite is a queued write and the judge of its outcome.
type pipedWrite struct {
	sql  string
	args []any
	// judge gets the write's row count or error and returns what the transaction fails with (nil: go
	// on). A guarded write's count is 0 when it matched no row and 1 otherwise.
	judge   func(rows int64, err error) error
	guarded bool
}

// wrapErr is the judge of a write whose row count does not matter.
func wrapErr(what string) func(int64, error) error {
	return func(_ int64, err error) error {
		if err != nil {
			return fmt.Errorf("store: %s: %w", what, err)
		}
		return nil
	}
}

// pipeKey carries the pipelined transaction to the store reads made with a context from joined.
type pipeKey struct{}

// joined is the transaction's context for callers outside the store: their store reads join it
// (pipeFrom).
func (p *pipeTx) joined() context.Context { return context.WithValue(p.ctx, pipeKey{}, p) }

// pipeFrom is the pipelined transaction ctx joins, or nil.
func pipeFrom(ctx context.Context) *pipeTx {
	p, _ := ctx.Value(pipeKey{}).(*pipeTx)
	return p
}

// ExecSQL queues a write written in SQL (rawsql.go). guard says the write is a guard: its judge
// fails the transaction when it matched no row, and looks at nothing else of the count.
func (p *pipeTx) ExecSQL(t sqlText, args []any, judge func(rows int64, err error) error, guard bool) {
	if p.conn == nil {
		if p.failed != nil {
			return
		}
		// On PostgreSQL: inside a transaction the caller opened (InTx).
		res, err := p.gorm.Statement.ConnPool.ExecContext(p.ctx, t.in(p.gorm.Dialector.Name()), args...)
		var rows int64
		if err == nil {
			rows, err = res.RowsAffected()
		}
		p.failed = judge(rows, err)
		return
	}
	q := t.pg
	if guard {
		q = guardedSQL(q)
	}
	p.queued = append(p.queued, pipedWrite{sql: q, args: args, judge: judge, guarded: guard})
}

// guardedWrites caches guardedSQL's statements.
var guardedWrites sync.Map

// guardedSQL is a write that fails with guardMissCode when it matches no row: the function
// expect_rows (migration 00023) raises it. The write must not have a RETURNING clause of its own.
func guardedSQL(write string) string {
	if q, ok := guardedWrites.Load(write); ok {
		return q.(string)
	}
	q := "WITH guarded AS (" + write + " RETURNING 1) SELECT expect_rows(count(*)) FROM guarded"
	guardedWrites.Store(write, q)
	return q
}

// guardMissCode is the SQLSTATE expect_rows raises (no_data_found).
const guardMissCode = "P0002"

// guardMissed says err is a guarded write's failure for matching no row.
func guardMissed(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == guardMissCode
}

// QuerySQL runs a query after the queued writes and scans its rows into dest as GORM's Scan
// does: a struct gets the first row by column name (and stays as it is when there is none), a
// slice one element per row, a scalar the first column of the first row.
func (p *pipeTx) QuerySQL(t sqlText, args []any, dest any) error {
	if p.conn == nil {
		if p.failed != nil {
			return p.failed
		}
		if !plainArgs(args) { // GORM spells out a list's placeholders (IN ?)
			return p.gorm.Raw(t.q, args...).Scan(dest).Error
		}
		// Straight to the connection: GORM's Raw built a statement anew on every call, and with its
		// Scan it made a sixth of the server's allocations in a SQLite payment (the invoice's claim).
		rows, err := p.gorm.Statement.ConnPool.QueryContext(p.ctx, t.in(p.gorm.Dialector.Name()), args...)
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		return scanRows(sqlRows{rows}, dest)
	}
	return p.roundTrip(t.pg, args, dest)
}

// plainArgs tells whether every argument goes to the driver as it is: no list for GORM to expand.
func plainArgs(args []any) bool {
	for _, a := range args {
		switch a.(type) {
		case nil, string, bool, int, int32, int64, float64, time.Time, []byte, *string, *int64, *time.Time:
		default:
			return false
		}
	}
	return true
}

// commit sends what is queued and the COMMIT, in one round trip.
func (p *pipeTx) commit() error {
	if p.conn == nil {
		return p.failed
	}
	return p.roundTrip("COMMIT", nil, nil)
}

// pipeQuery is a query of a pipelined transaction and where its rows go (see QuerySQL); a nil
// dest reads no rows.
type pipeQuery struct {
	sql  string
	args []any
	dest any
}

// roundTrip sends the BEGIN if it has not gone yet, the queued writes and then query (if any), and
// reads every answer: the writes' go to their judges, the query's rows into dest.
func (p *pipeTx) roundTrip(query string, args []any, dest any) error {
	if query == "" {
		return p.roundTripAll(nil)
	}
	return p.roundTripAll([]pipeQuery{{sql: query, args: args, dest: dest}})
}

// roundTripAll is roundTrip with any number of queries, which run one after another in the order
// given, each seeing the writes of those before it.
func (p *pipeTx) roundTripAll(queries []pipeQuery) error {
	queued := p.queued
	p.queued = nil
	b := &pgx.Batch{}
	begin := !p.begun
	if begin {
		b.Queue("BEGIN")
		p.begun = true
	}
	for _, w := range queued {
		b.Queue(w.sql, w.args...)
	}
	for _, q := range queries {
		b.Queue(q.sql, q.args...)
		p.commitSent = p.commitSent || q.sql == "COMMIT"
	}
	if b.Len() == 0 {
		return nil
	}
	p.roundTrips++
	br := p.conn.SendBatch(p.ctx, b)
	err := p.readAnswers(br, begin, queued, queries)
	if cerr := br.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("store: %w", cerr)
	}
	return p.answered(err)
}

func (p *pipeTx) readAnswers(br pgx.BatchResults, begin bool, queued []pipedWrite, queries []pipeQuery) error {
	if begin {
		if _, err := br.Exec(); err != nil {
			return fmt.Errorf("store: begin: %w", err)
		}
	}
	for _, w := range queued {
		tag, err := br.Exec()
		p.answered(err) // a guard's miss is not returned as an error, but PostgreSQL refused it
		rows := tag.RowsAffected()
		if w.guarded {
			rows = 1
			if guardMissed(err) {
				rows, err = 0, nil
			}
		}
		if jerr := w.judge(rows, err); jerr != nil {
			return jerr
		}
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
	}
	for _, q := range queries {
		if q.dest == nil {
			if _, err := br.Exec(); err != nil {
				return fmt.Errorf("store: %w", err)
			}
			continue
		}
		rows, err := br.Query()
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		if err := scanRows(pgxRows{rows}, q.dest); err != nil {
			return err
		}
	}
	return nil
}

// answered notes whether err says PostgreSQL refused a statement (see refused) and returns it. An
// error that ends the session (FATAL or PANIC: a shutdown, a terminated backend) refuses nothing:
// it may come in place of the answer to a COMMIT that was carried out, and a group taken for
// rolled back would run its members again.
func (p *pipeTx) answered(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && !endsSession(pgErr) {
		p.refused = true
	}
	return err
}

// endsSession says whether e is PostgreSQL ending the connection rather than refusing a statement.
func endsSession(e *pgconn.PgError) bool {
	severity := e.SeverityUnlocalized // since PostgreSQL 9.6; Severity may be translated
	if severity == "" {
		severity = e.Severity
	}
	return severity == "FATAL" || severity == "PANIC"
}

// pipelined runs fn in one pipelined transaction (see pipeTx), committed when fn returns nil. Inside
// a transaction the caller already opened (InTx), and on SQLite, the statements run one at a time
// in that transaction or the writer's.
func (db *DB) pipelined(ctx context.Context, fn func(p *pipeTx) error) error {
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); inTx || db.Dialect != DialectPostgres {
		return db.conn(ctx).Transaction(func(tx *gorm.DB) error {
			p := &pipeTx{ctx: ctx, gorm: tx}
			if err := fn(p); err != nil {
				return err
			}
			return p.commit()
		})
	}
	var p *pipeTx
	run := func() error {
		return db.onPgxConn(ctx, func(conn *pgx.Conn) error {
			p = &pipeTx{ctx: ctx, conn: conn}
			err := fn(p)
			if err == nil {
				err = p.commit()
			}
			if err != nil && p.begun && conn.PgConn().TxStatus() != 'I' {
				// A transaction left open must not go back to the pool with its connection.
				if _, rbErr := conn.Exec(context.WithoutCancel(ctx), "ROLLBACK"); rbErr != nil {
					return errors.Join(err, driver.ErrBadConn)
				}
			}
			return err
		})
	}
	err := run()
	// A connection found dead (a restart, a failover) before the COMMIT went out is replaced once,
	// as the pool does for a BEGIN (retryPool): the transaction died with it and kept nothing. Once
	// the COMMIT has gone out it may have been kept, and the error is the caller's.
	if err != nil && ctx.Err() == nil && deadConnection(err) && p != nil && !p.commitSent {
		err = run()
	}
	return err
}

// onPgxConn runs fn on the pgx.Conn of one pooled connection.
func (db *DB) onPgxConn(ctx context.Context, fn func(*pgx.Conn) error) error {
	if gate := db.txGate; gate != nil {
		if err := gate.Acquire(ctx, 1); err != nil {
			return fmt.Errorf("store: connection: %w", err)
		}
		defer gate.Release(1)
	}
	c, err := db.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: connection: %w", err)
	}
	defer c.Close()
	return c.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: connection is %T, not pgx's", dc)
		}
		return fn(sc.Conn())
	})
}

// scannedSchemas caches the GORM schemas of the structs pipelined queries scan into.
var scannedSchemas sync.Map

// resultRows is what scanRows reads: a pipelined query's rows (pgx) or a statement's on a
// database/sql connection.
type resultRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	// columns names the result's columns; close releases the rows.
	columns() ([]string, error)
	close() error
}

type pgxRows struct{ pgx.Rows }

func (r pgxRows) columns() ([]string, error) {
	fields := r.FieldDescriptions()
	names := make([]string, len(fields))
	for i, fd := range fields {
		names[i] = fd.Name
	}
	return names, nil
}

func (r pgxRows) close() error { r.Close(); return nil }

type sqlRows struct{ *sql.Rows }

func (r sqlRows) columns() ([]string, error) { return r.Columns() }
func (r sqlRows) close() error               { return r.Close() }

// scanRows reads a query's rows into dest (see pipeTx.QuerySQL) and closes them.
func scanRows(rows resultRows, dest any) (err error) {
	defer func() {
		if cerr := rows.close(); err == nil && cerr != nil {
			err = fmt.Errorf("store: %w", cerr)
		}
	}()
	target := reflect.ValueOf(dest)
	if target.Kind() != reflect.Pointer || target.IsNil() {
		return fmt.Errorf("store: scan into %T: not a pointer", dest)
	}
	v := target.Elem()
	var names []string // the columns, asked once
	switch {
	case v.Kind() == reflect.Slice:
		for rows.Next() {
			elem := reflect.New(v.Type().Elem())
			if err := scanRow(rows, &names, elem); err != nil {
				return err
			}
			v.Set(reflect.Append(v, elem.Elem()))
		}
	case rows.Next():
		if err := scanRow(rows, &names, target); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// scanRow reads the current row into ptr: a struct's fields by column name, or a scalar. names
// holds the result's columns once a struct row has asked for them.
func scanRow(rows resultRows, names *[]string, ptr reflect.Value) error {
	v := ptr.Elem()
	if v.Kind() != reflect.Struct || v.Type() == reflect.TypeOf(time.Time{}) {
		if err := rows.Scan(ptr.Interface()); err != nil {
			return fmt.Errorf("store: scan: %w", err)
		}
		return nil
	}
	s, err := schema.Parse(ptr.Interface(), &scannedSchemas, schema.NamingStrategy{})
	if err != nil {
		return fmt.Errorf("store: scan into %s: %w", v.Type(), err)
	}
	if *names == nil {
		if *names, err = rows.columns(); err != nil {
			return fmt.Errorf("store: scan into %s: %w", v.Type(), err)
		}
	}
	targets := make([]any, len(*names))
	for i, name := range *names {
		if f := s.LookUpField(name); f != nil {
			targets[i] = f.ReflectValueOf(context.Background(), v).Addr().Interface()
		} else {
			targets[i] = new(any) // a column the struct does not hold, as GORM ignores it
		}
	}
	if err := rows.Scan(targets...); err != nil {
		return fmt.Errorf("store: scan into %s: %w", v.Type(), err)
	}
	return nil
}

// insertRows inserts rows of one type in the transaction, after its queued writes. On PostgreSQL
// they go with COPY: a multi-row INSERT of a dispatcher's batch was planned anew for each number
// of rows (37 ms for 500 e-mails, as long as inserting them), and its parameters were copied into
// one message that grew with the e-mails' bodies. On SQLite, where the writer is in this process,
// and inside a transaction the caller opened (InTx), they go in multi-row INSERTs of at most
// insertRowsPerStatement rows.
func insertRows[Row any](p *pipeTx, ri *rowInsert, rows []Row, now time.Time) error {
	if len(rows) == 0 {
		return nil
	}
	if p.conn == nil {
		for start := 0; start < len(rows) && p.failed == nil; start += insertRowsPerStatement {
			t, args := statementOf(ri, rows[start:min(start+insertRowsPerStatement, len(rows))], now)
			if _, err := p.gorm.Statement.ConnPool.ExecContext(p.ctx, t.in(p.gorm.Dialector.Name()), args...); err != nil {
				p.failed = fmt.Errorf("store: insert into %s: %w", ri.table, err)
			}
		}
		return p.failed
	}
	if err := p.roundTrip("", nil, nil); err != nil { // the BEGIN and the queued writes
		return err
	}
	values := make([][]any, len(rows))
	for i := range rows {
		values[i] = ri.appendValues(make([]any, 0, len(ri.fields)), reflect.ValueOf(rows[i]), now)
	}
	if _, err := p.conn.CopyFrom(p.ctx, pgx.Identifier{ri.table}, ri.columnNames, pgx.CopyFromRows(values)); err != nil {
		return fmt.Errorf("store: copy into %s: %w", ri.table, err)
	}
	return nil
}
