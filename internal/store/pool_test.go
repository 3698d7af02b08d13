package store_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// TestDeadConnectionsAreRetried: when PostgreSQL ends every pooled connection (a restart, a
// failover, a pooler dropping them), the statements that meet a dead connection run again on a fresh
// one instead of failing. SQLite has no connections to lose.
func TestDeadConnectionsAreRetried(t *testing.T) {
	db := storetest.New(t, store.DialectPostgres)
	ctx := context.Background()
	settings := &store.Settings{DB: db}
	merchants := &store.Merchants{DB: db}
	// Fill the pool with idle connections.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := db.SQL.ExecContext(ctx, "SELECT pg_sleep(0.05)"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if idle := db.SQL.Stats().Idle; idle < 2 {
		t.Fatalf("only %d idle connections to kill", idle)
	}
	admin, err := sql.Open("pgx", storetest.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var name string
	if err := db.SQL.QueryRowContext(ctx, "SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	var killed int
	if err := admin.QueryRow("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1", name).Scan(&killed); err != nil || killed == 0 {
		t.Fatalf("terminate: %d %v", killed, err)
	}
	// Reads, writes and transactions after the kill all succeed.
	for i := range 12 {
		if _, err := merchants.CountMerchants(ctx); err != nil {
			t.Fatalf("read %d after the connections died: %v", i, err)
		}
	}
	if _, err := settings.GetOrCreate(ctx, "after-kill", func() string { return "v" }); err != nil {
		t.Fatalf("write after the connections died: %v", err)
	}
	if err := db.InTx(ctx, func(ctx context.Context) error {
		_, err := merchants.CountMerchants(ctx)
		return err
	}); err != nil {
		t.Fatalf("transaction after the connections died: %v", err)
	}
}

func TestIsUnavailable(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&pgconn.PgError{Code: "53300"}, true},
		{&pgconn.PgError{Code: "57P01"}, true},
		{&pgconn.PgError{Code: "08006"}, true},
		{&pgconn.PgError{Code: "23505"}, false},
		{errors.New("sqlite: database is locked (5) (SQLITE_BUSY)"), true},
		{errors.New("boom"), false},
		{nil, false},
	} {
		if got := store.IsUnavailable(c.err); got != c.want {
			t.Errorf("IsUnavailable(%v) = %v", c.err, got)
		}
	}
}
