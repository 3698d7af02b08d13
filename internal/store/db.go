// Package store implements the storage interfaces the use-case packages declare, with GORM over
// PostgreSQL or a pure-Go SQLite file, and owns the versioned SQL migrations of both dialects.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"securelink/internal/apperr"
)

//go:embed migrations
var migrations embed.FS

// Dialects.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// DB is an open database with the dialect it speaks.
type DB struct {
	Gorm *gorm.DB
	// SQL is the connection pool; on SQLite, the one writer connection (migrations use it).
	SQL     *sql.DB
	Dialect string

	// checkouts keeps checkout views read by this process; every write to an invoice, link or
	// merchant through this DB drops what it changed.
	checkouts *checkoutCache
	// accounts keeps the active provider accounts read by this process (accountCache).
	accounts *accountCache
	// sqlite is the embedded database's writer queue, read pool and checkpointer; nil on PostgreSQL.
	sqlite *sqliteServer
	// txGate queues pipelined transactions for their connection in arrival order (pool.go); nil
	// on SQLite. Sized before the DB serves anything (Open, SetMaxConns).
	txGate *turnGate
	// pgGroups lets write-only transactions share a commit (pggroup.go); nil on SQLite.
	pgGroups *pgGroupCommit
	// creationGroups queues a merchant's invoice creations and lets those that waited share a
	// commit (keyedGroups); nil on SQLite.
	creationGroups *keyedGroups
}

// ForgetCachedCheckouts drops every cached checkout view, for writes made around the store (tests
// that edit rows with SQL).
func (db *DB) ForgetCachedCheckouts() { db.checkouts.forgetAll(); db.accounts.forgetAll() }

// DefaultSQLitePath is where the embedded default keeps its data.
const DefaultSQLitePath = "data/securelink.db"

// Embedded tells whether url names the embedded database (SQLite): empty or "sqlite:PATH".
func Embedded(url string) bool { return url == "" || strings.HasPrefix(url, "sqlite:") }

// Open connects to the database named by url: empty → the SQLite file data/securelink.db,
// "sqlite:PATH" → that SQLite file, "postgres://…" → PostgreSQL.
func Open(url string) (*DB, error) {
	cfg := &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		SkipDefaultTransaction: true,
		TranslateError:         true,
	}
	var (
		g       *gorm.DB
		lite    *sqliteServer
		err     error
		dialect string
	)
	switch {
	case Embedded(url):
		path := strings.TrimPrefix(url, "sqlite:")
		if path == "" {
			path = DefaultSQLitePath
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("store: create %s: %w", dir, err)
			}
		}
		// One writer connection that writes queue for, a read-only pool (sqlitewriter.go).
		g, lite, err = openSQLite(path, cfg)
		dialect = DialectSQLite
	case strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://"):
		var pool *retryPool
		if pool, err = openPostgres(url); err == nil {
			g, err = gorm.Open(postgres.New(postgres.Config{Conn: pool}), cfg)
		}
		dialect = DialectPostgres
	default:
		return nil, fmt.Errorf("store: DATABASE_URL must be empty, sqlite:PATH or postgres://…")
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dialect, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := registerModeScope(g); err != nil {
		return nil, err
	}
	db := &DB{Gorm: g, SQL: sqlDB, Dialect: dialect, sqlite: lite, checkouts: newCheckoutCache(CheckoutCacheTTL, checkoutCacheSize, time.Now),
		accounts: &accountCache{now: time.Now}}
	if dialect == DialectPostgres {
		db.sizeTxGate(DefaultMaxConns())
		db.pgGroups = newPaymentGroups()
		db.creationGroups = &keyedGroups{maxMembers: creationGroupMaxMembers}
	}
	return db, nil
}

// Migrate applies every pending migration of the database's dialect.
func (db *DB) Migrate(ctx context.Context) (err error) {
	p, err := db.migrations()
	if err != nil {
		return err
	}
	if db.sqlite != nil {
		// The writer keeps its statement journals and sorts in memory (openSQLite), which suits a
		// payment's few pages; a migration that rewrites or indexes a large table keeps them in
		// files, as SQLite does by default, instead of holding all of it in memory.
		if err := db.setTempStore(ctx, "FILE"); err != nil {
			return err
		}
		defer func() { err = errors.Join(err, db.setTempStore(context.WithoutCancel(ctx), "MEMORY")) }()
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for _, r := range results {
		slog.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path)
	}
	return nil
}

// setTempStore sets where the SQLite writer keeps its temporary data (FILE or MEMORY).
func (db *DB) setTempStore(ctx context.Context, where string) error {
	if _, err := db.sqlite.writer.ExecContext(ctx, "PRAGMA temp_store = "+where); err != nil {
		return fmt.Errorf("store: temp_store %s: %w", where, err)
	}
	return nil
}

// migrations is the migration provider of the database's dialect.
func (db *DB) migrations() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+db.Dialect)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	gd := goose.DialectSQLite3
	if db.Dialect == DialectPostgres {
		gd = goose.DialectPostgres
	}
	p, err := goose.NewProvider(gd, db.SQL, sub)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.SQL.PingContext(ctx) }

// Close closes the connection pool (on SQLite: the writer, the readers and the checkpointer).
func (db *DB) Close() error {
	if db.sqlite != nil {
		return db.sqlite.close()
	}
	return db.SQL.Close()
}

// notFound turns gorm's miss into the shared sentinel.
func notFound(err error, what string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("store: %s: %w", what, apperr.ErrNotFound)
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// IsUniqueViolation reports whether err is a unique-constraint failure on either dialect.
func IsUniqueViolation(err error) bool {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}
