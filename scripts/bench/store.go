package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite" // database/sql driver "sqlite", the one the product uses
)

// Databases the bench runs the product on.
const (
	dbSQLite   = "sqlite"
	dbPostgres = "postgres"
)

// benchStore is the bench's own access to the database the product under test uses: bulk loads,
// the scratch tables of (f) and (g), counts, and the processes whose CPU a scenario costs.
// Statements use $1-style placeholders on both databases (the SQLite driver binds $N to the N-th
// argument).
type benchStore interface {
	Kind() string
	// ProductURL is the DATABASE_URL the product gets.
	ProductURL() string
	Version(ctx context.Context) string
	Exec(ctx context.Context, query string, args ...any) error
	QueryRow(ctx context.Context, query string, args ...any) scanner
	// ExecTx runs one statement in its own transaction: BEGIN, the statement, COMMIT.
	ExecTx(ctx context.Context, query string, args ...any) error
	// Load inserts rows into tables in one transaction, then runs inTx in it before the commit.
	Load(ctx context.Context, tables []tableRows, inTx func(tx txExec) error) error
	// BackendPIDs are the database server processes serving the bench database (none for SQLite,
	// which runs inside the product).
	BackendPIDs(ctx context.Context) []int
	// Serial is the DDL of an auto-numbered primary key.
	Serial() string
	// Scratch is where the scratch tables of (f) and (g) go: the product's database on PostgreSQL,
	// a file of its own beside the product's on SQLite, whose lock is per file: there the bench's
	// back-to-back commits left the product's background jobs, which wait for the lock in SQLite's
	// busy handler, next to no moment to take it, until their busy timeout ran out.
	Scratch() (benchStore, error)
	Close(ctx context.Context) error
}

// scanner is a row to scan.
type scanner interface{ Scan(dest ...any) error }

// txExec runs statements inside Load's transaction.
type txExec interface {
	Exec(ctx context.Context, query string, args ...any) error
	QueryRow(ctx context.Context, query string, args ...any) scanner
}

// tableRows is rows for one table.
type tableRows struct {
	table   string
	columns []string
	rows    [][]any
}

// ---- PostgreSQL ----

type pgStore struct {
	db   *benchDatabase
	pool *pgxpool.Pool
}

func openPostgresStore(ctx context.Context, adminURL string, conns int) (*pgStore, error) {
	db, err := createDatabase(ctx, adminURL)
	if err != nil {
		return nil, err
	}
	pool, err := openPool(ctx, db.URL, conns)
	if err != nil {
		_ = db.drop(context.Background())
		return nil, err
	}
	logf("database %s created", db.Name)
	return &pgStore{db: db, pool: pool}, nil
}

func (s *pgStore) Kind() string       { return dbPostgres }
func (s *pgStore) ProductURL() string { return s.db.URL }
func (s *pgStore) Serial() string     { return "BIGSERIAL PRIMARY KEY" }
func (s *pgStore) Version(ctx context.Context) string {
	return "PostgreSQL " + postgresVersion(ctx, s.pool)
}

func (s *pgStore) Exec(ctx context.Context, query string, args ...any) error {
	_, err := s.pool.Exec(ctx, query, args...)
	return err
}

func (s *pgStore) QueryRow(ctx context.Context, query string, args ...any) scanner {
	return s.pool.QueryRow(ctx, query, args...)
}

func (s *pgStore) ExecTx(ctx context.Context, query string, args ...any) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if _, err := tx.Exec(ctx, query, args...); err != nil {
		_ = tx.Rollback(ctx)
		return err
	}
	return tx.Commit(ctx)
}

type pgTx struct{ tx pgx.Tx }

func (t pgTx) Exec(ctx context.Context, query string, args ...any) error {
	_, err := t.tx.Exec(ctx, query, args...)
	return err
}
func (t pgTx) QueryRow(ctx context.Context, query string, args ...any) scanner {
	return t.tx.QueryRow(ctx, query, args...)
}

// Load copies the rows with COPY; as a superuser it skips the per-row foreign-key triggers (the
// rows are consistent by construction, and the triggers are most of a COPY's time).
func (s *pgStore) Load(ctx context.Context, tables []tableRows, inTx func(tx txExec) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after commit
	var superuser bool
	if err := tx.QueryRow(ctx, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").Scan(&superuser); err != nil {
		return fmt.Errorf("read the role: %w", err)
	}
	if superuser {
		if _, err := tx.Exec(ctx, "SET LOCAL session_replication_role = replica"); err != nil {
			return fmt.Errorf("skip foreign-key triggers: %w", err)
		}
	}
	for _, t := range tables {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.table}, t.columns, pgx.CopyFromRows(t.rows)); err != nil {
			return fmt.Errorf("copy %d rows into %s: %w", len(t.rows), t.table, err)
		}
	}
	if err := inTx(pgTx{tx}); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func (s *pgStore) BackendPIDs(ctx context.Context) []int {
	rows, err := s.pool.Query(ctx, "SELECT pid FROM pg_stat_activity WHERE datname = $1", s.db.Name)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var pids []int
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// Scratch is the product's database itself: PostgreSQL locks rows, not the database.
func (s *pgStore) Scratch() (benchStore, error) { return s, nil }

func (s *pgStore) Close(ctx context.Context) error {
	s.pool.Close()
	if err := s.db.drop(ctx); err != nil {
		return err
	}
	logf("database %s dropped", s.db.Name)
	return nil
}

// ---- SQLite ----

// sqliteStore is a fresh SQLite file in a temporary folder. The bench opens it with one connection,
// as the product opens its writer: the product and the bench are two processes on one file, and
// the bench only writes it while the product is idle (bulk loads); (f) and (g) write a file of their
// own (Scratch).
type sqliteStore struct {
	dir, path string
	db        *sql.DB
	// scratch is the file of (f) and (g), opened by Scratch; nil on the scratch store itself.
	scratch *sqliteStore
}

func openSQLiteStore(dir string) (*sqliteStore, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(dir, "bench-sqlite-")
	if err != nil {
		return nil, fmt.Errorf("create the SQLite folder: %w", err)
	}
	path := filepath.Join(tmp, "securelink.db")
	db, err := openSQLiteFile(path)
	if err != nil {
		return nil, err
	}
	logf("SQLite database %s", path)
	return &sqliteStore{dir: tmp, path: path, db: db}, nil
}

// openSQLiteFile opens the SQLite file at path with one connection, with the product's settings.
func openSQLiteFile(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(30000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(0)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// Scratch opens scratch.db in the product's folder, once.
func (s *sqliteStore) Scratch() (benchStore, error) {
	if s.scratch == nil {
		path := filepath.Join(s.dir, "scratch.db")
		db, err := openSQLiteFile(path)
		if err != nil {
			return nil, err
		}
		s.scratch = &sqliteStore{dir: s.dir, path: path, db: db}
	}
	return s.scratch, nil
}

func (s *sqliteStore) Kind() string       { return dbSQLite }
func (s *sqliteStore) ProductURL() string { return "sqlite:" + s.path }
func (s *sqliteStore) Serial() string     { return "INTEGER PRIMARY KEY AUTOINCREMENT" }
func (s *sqliteStore) Version(ctx context.Context) string {
	var v string
	if err := s.db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v); err != nil {
		return "SQLite (version unknown)"
	}
	return "SQLite " + v
}

func (s *sqliteStore) Exec(ctx context.Context, query string, args ...any) error {
	_, err := s.db.ExecContext(ctx, query, args...)
	return err
}

func (s *sqliteStore) QueryRow(ctx context.Context, query string, args ...any) scanner {
	return s.db.QueryRowContext(ctx, query, args...)
}

func (s *sqliteStore) ExecTx(ctx context.Context, query string, args ...any) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

type liteTx struct{ tx *sql.Tx }

func (t liteTx) Exec(ctx context.Context, query string, args ...any) error {
	_, err := t.tx.ExecContext(ctx, query, args...)
	return err
}
func (t liteTx) QueryRow(ctx context.Context, query string, args ...any) scanner {
	return t.tx.QueryRowContext(ctx, query, args...)
}

// Load inserts the rows with multi-row INSERTs of one prepared statement per table.
func (s *sqliteStore) Load(ctx context.Context, tables []tableRows, inTx func(tx txExec) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after commit
	for _, t := range tables {
		if err := insertRows(ctx, tx, t); err != nil {
			return err
		}
	}
	if err := inTx(liteTx{tx}); err != nil {
		return err
	}
	return tx.Commit()
}

// insertRows inserts t's rows, as many per statement as SQLite's parameter limit allows.
func insertRows(ctx context.Context, tx *sql.Tx, t tableRows) error {
	const maxParams = 32766
	per := max(1, min(500, maxParams/len(t.columns)))
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(t.columns)), ",") + ")"
	prefix := "INSERT INTO " + t.table + " (" + strings.Join(t.columns, ", ") + ") VALUES "
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, per*len(t.columns))
	for start := 0; start < len(t.rows); start += per {
		batch := t.rows[start:min(start+per, len(t.rows))]
		args = args[:0]
		for _, r := range batch {
			args = append(args, r...)
		}
		query := prefix + strings.TrimSuffix(strings.Repeat(one+",", len(batch)), ",")
		var err error
		if len(batch) == per {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, query); err != nil {
					return fmt.Errorf("prepare the insert into %s: %w", t.table, err)
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, query, args...)
		}
		if err != nil {
			return fmt.Errorf("insert into %s: %w", t.table, err)
		}
	}
	return nil
}

func (s *sqliteStore) BackendPIDs(context.Context) []int { return nil }

func (s *sqliteStore) Close(context.Context) error {
	err := s.db.Close()
	if s.scratch != nil {
		err = errors.Join(err, s.scratch.db.Close())
	}
	if rmErr := os.RemoveAll(s.dir); rmErr != nil {
		err = errors.Join(err, rmErr)
	}
	return err
}

// walSize is the size of the SQLite database's WAL file now (0 when there is none).
func (s *sqliteStore) walSize() int64 {
	fi, err := os.Stat(s.path + "-wal")
	if err != nil {
		return 0
	}
	return fi.Size()
}
