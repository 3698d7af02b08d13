// Package storetest gives tests a freshly migrated database of each dialect: a SQLite file in a
// temporary folder and, on PostgreSQL, a database created for the test and dropped after it.
//
// SQLite files are copies of one template that each test binary migrates once, so a test does not
// run every migration again; the tests of the migrations themselves start from URL's empty file.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for creating test databases

	"securelink/internal/domain"
	"securelink/internal/store"
)

// PostgresURL is the server tests create their databases on; SECURELINK_TEST_POSTGRES overrides it.
func PostgresURL() string {
	if u := os.Getenv("SECURELINK_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// Dialects is every dialect a store test runs on.
var Dialects = []string{store.DialectSQLite, store.DialectPostgres}

// DialectsFor is the dialects a test runs on: SQLite alone under -short (the fast loop), both
// otherwise.
func DialectsFor(t testing.TB) []string {
	if testing.Short() {
		return []string{store.DialectSQLite}
	}
	return Dialects
}

// Each runs fn as a subtest once per dialect (SQLite only with -short), each with its own fresh,
// migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range DialectsFor(t) {
		t.Run(d, func(t *testing.T) {
			fn(t, New(t, d))
		})
	}
}

// New returns a fresh, migrated database of the dialect, closed (and dropped) when the test ends.
func New(t testing.TB, dialect string) *store.DB {
	t.Helper()
	return Open(t, ReadyURL(t, dialect))
}

// Open opens the database at dsn, migrates it and closes it when the test ends. A test that reaches
// one database by two routes (say, directly and through a proxy) opens each with it.
func Open(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", dsn, err)
	}
	return db
}

// ReadyURL returns a DATABASE_URL for a fresh database of the dialect with every migration applied:
// on SQLite a copy of the test binary's migrated template in the test's temporary folder, on
// PostgreSQL a new database (URL's; the product's startup migrates it).
func ReadyURL(t testing.TB, dialect string) string {
	t.Helper()
	if dialect != store.DialectSQLite {
		return URL(t, dialect)
	}
	image, err := sqliteTemplate()
	if err != nil {
		t.Fatalf("migrate the SQLite template: %v", err)
	}
	path := filepath.Join(t.TempDir(), "test.db")
	if err := os.WriteFile(path, image, 0o600); err != nil {
		t.Fatalf("copy the SQLite template: %v", err)
	}
	return "sqlite:" + path
}

var (
	templateOnce  sync.Once
	templateImage []byte
	templateErr   error
)

// sqliteTemplate migrates a SQLite file once per test binary and returns its bytes: a standalone
// copy written by VACUUM INTO, so nothing of it is left in a write-ahead log.
func sqliteTemplate() ([]byte, error) {
	templateOnce.Do(func() {
		templateImage, templateErr = migratedSQLite()
	})
	return templateImage, templateErr
}

func migratedSQLite() ([]byte, error) {
	dir, err := os.MkdirTemp("", "securelink-storetest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := store.Open("sqlite:" + filepath.Join(dir, "migrating.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := db.Migrate(context.Background()); err != nil {
		return nil, err
	}
	out := filepath.Join(dir, "template.db")
	if _, err := db.SQL.Exec("VACUUM INTO ?", out); err != nil {
		return nil, fmt.Errorf("vacuum into the template: %w", err)
	}
	return os.ReadFile(out)
}

// URL returns a DATABASE_URL for a fresh, empty database of the dialect (not yet migrated).
// Without PostgreSQL the test is skipped, unless CI=true, where that is a failure.
func URL(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == store.DialectSQLite {
		return "sqlite:" + t.TempDir() + "/test.db"
	}
	if testing.Short() {
		t.Skip("PostgreSQL is left out with -short")
	}
	admin, err := sql.Open("pgx", PostgresURL())
	if err == nil {
		err = admin.Ping()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is required in CI (%s): %v", PostgresURL(), err)
		}
		t.Skipf("PostgreSQL not reachable at %s: %v", PostgresURL(), err)
	}
	name := "securelink_test_" + strings.ToLower(strings.TrimPrefix(domain.NewID("t"), "t_"))
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		_ = admin.Close()
	})
	u, err := url.Parse(PostgresURL())
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresURL(), err)
	}
	u.Path = "/" + name
	return fmt.Sprint(u)
}
