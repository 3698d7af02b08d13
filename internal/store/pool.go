package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/sync/semaphore"
)

// DefaultMaxConns is the PostgreSQL pool size of one process when DATABASE_MAX_CONNS is unset: four
// connections per CPU, at least eight. Requests hold a connection only while their statements run
// (never across a PSP call), so a few per CPU keep the database busy; more only add backends that
// wait for one another. On two CPUs, 8 connections instead of 40 halved PostgreSQL's CPU time per
// payment in the bench (3.9–5.8 ms instead of 7.9–8.8 ms, 32 concurrent payers), most of which was
// spent switching between backends queued for the WAL lock.
func DefaultMaxConns() int { return max(8, 4*runtime.GOMAXPROCS(0)) }

// SetMaxConns sizes the PostgreSQL pool (DATABASE_MAX_CONNS); zero keeps DefaultMaxConns. SQLite
// keeps its own pool.
func (db *DB) SetMaxConns(n int) {
	if db.Dialect != DialectPostgres || n <= 0 {
		return
	}
	db.SQL.SetMaxOpenConns(n)
	db.SQL.SetMaxIdleConns(n)
	db.sizeTxGate(n)
}

// sizeTxGate lets as many pipelined transactions hold a connection at once as a pool of n leaves
// after a reserve for everything else (reads, portal requests, background jobs).
//
// Why: database/sql hands a freed connection to a random one of the requests waiting for it. Under
// load a payment waited for a connection about twice, 24 ms each on average (bench, 32 payers on
// two CPUs), and the unlucky ones waited many times longer: that lottery was most of the pay p99.
// Transactions that queue here instead are served first come, first served, and the pool itself
// rarely has anyone waiting.
func (db *DB) sizeTxGate(n int) {
	size := int64(max(1, n-txGateReserve))
	db.txGate = &turnGate{Weighted: semaphore.NewWeighted(size), size: size}
}

// turnGate is the transactions' queue and how many turns it has.
type turnGate struct {
	*semaphore.Weighted
	size int64
}

// txGateReserve is how many pooled connections pipelined transactions leave to other work.
const txGateReserve = 2

// retryPool is the connection pool GORM talks to on PostgreSQL. A statement outside a transaction, or
// the BEGIN of one, that fails because its connection was already dead (deadConnection) is run once
// more on a fresh connection; the idle connections, likely dead too after a restart or failover, are
// dropped first. Statements inside a transaction are never retried: their transaction is gone.
type retryPool struct{ *sql.DB }

// openPostgres opens the PostgreSQL pool through pgx.
func openPostgres(url string) (*retryPool, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: DATABASE_URL: %w", err)
	}
	sqlDB := stdlib.OpenDB(*cfg)
	sqlDB.SetMaxOpenConns(DefaultMaxConns())
	sqlDB.SetMaxIdleConns(DefaultMaxConns())
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	return &retryPool{DB: sqlDB}, nil
}

// GetDBConn lets GORM's DB() find the *sql.DB.
func (p *retryPool) GetDBConn() (*sql.DB, error) { return p.DB, nil }

// again reports whether to run a failed statement again, dropping the idle connections first.
func (p *retryPool) again(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil || !deadConnection(err) {
		return false
	}
	// Closing the idle connections makes the retry dial a fresh one.
	n := p.Stats().MaxOpenConnections
	p.SetMaxIdleConns(0)
	p.SetMaxIdleConns(n)
	return true
}

// ExecContext runs a statement, once more on a fresh connection if its connection was dead.
func (p *retryPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := p.DB.ExecContext(ctx, query, args...)
	if p.again(ctx, err) {
		return p.DB.ExecContext(ctx, query, args...)
	}
	return res, err
}

// QueryContext runs a query, once more on a fresh connection if its connection was dead.
func (p *retryPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := p.DB.QueryContext(ctx, query, args...)
	if p.again(ctx, err) {
		return p.DB.QueryContext(ctx, query, args...)
	}
	return rows, err
}

// BeginTx begins a transaction, once more on a fresh connection if its connection was dead.
func (p *retryPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	tx, err := p.DB.BeginTx(ctx, opts)
	if p.again(ctx, err) {
		return p.DB.BeginTx(ctx, opts)
	}
	return tx, err
}
