// Package storetest gives tests a freshly migrated database of each dialect: a SQLite file in a
// temporary folder and, on PostgreSQL, a database created for the test and dropped after it.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
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
	dsn := URL(t, dialect)
	db, err := store.Open(dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return db
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
