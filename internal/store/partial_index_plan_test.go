package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"securelink/internal/domain"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// TestDueQueriesUseTheirPartialIndexes: the background jobs' queries for due work can be served by
// their partial indexes, whatever the table's size. Each runs as the store runs it; its statement is then explained, on PostgreSQL
// with sequential scans priced out, so that the plan shows whether the index can serve it at all.
// SQLite serves a partial index only to a WHERE that repeats its terms: with status IN ('open')
// for the index's status = 'open' it read every invoice, a million of them on each run of the
// expiry job.
func TestDueQueriesUseTheirPartialIndexes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		for _, tt := range []struct {
			index string
			run   func() error
		}{
			{"invoices_open_expiry", func() error {
				_, err := (&store.Invoices{DB: db}).DueInvoices(ctx, now, 10)
				return err
			}},
			{"payments_authorized_expiry", func() error {
				_, err := (&store.Payments{DB: db}).ExpiredAuthorizations(ctx, now, 10)
				return err
			}},
			{"transactions_pending", func() error {
				_, err := (&store.Payments{DB: db}).DuePending(ctx, now, 10)
				return err
			}},
			{"links_active_expiry", func() error {
				_, err := (&store.Invoices{DB: db}).ExpireLinks(ctx, now, domain.LinkStatusesWhere(domain.LinkStatus.Closable), domain.LinkExpired)
				return err
			}},
		} {
			t.Run(tt.index, func(t *testing.T) {
				query, vars := lastStatement(t, db, tt.run)
				if plan := explain(t, db, query, vars); !strings.Contains(plan, tt.index) {
					t.Errorf("%s\nis planned without %s:\n%s", query, tt.index, plan)
				}
			})
		}
	})
}

// lastStatement runs fn and returns the last statement it read rows with or updated rows with, and
// its arguments.
func lastStatement(t *testing.T, db *store.DB, fn func() error) (string, []any) {
	t.Helper()
	var mu sync.Mutex
	var query string
	var vars []any
	capture := func(tx *gorm.DB) {
		mu.Lock()
		defer mu.Unlock()
		query, vars = tx.Statement.SQL.String(), append([]any(nil), tx.Statement.Vars...)
	}
	name := "test:capture:" + t.Name()
	// Find runs the Query callbacks; Raw(…).Scan runs the Row ones.
	if err := db.Gorm.Callback().Query().After("gorm:query").Register(name, capture); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Gorm.Callback().Query().Remove(name) }()
	if err := db.Gorm.Callback().Row().After("gorm:row").Register(name, capture); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Gorm.Callback().Row().Remove(name) }()
	if err := db.Gorm.Callback().Update().After("gorm:update").Register(name, capture); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Gorm.Callback().Update().Remove(name) }()
	if err := fn(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if query == "" {
		t.Fatal("no statement read rows")
	}
	return query, vars
}

// explain returns the plan of query with vars, sequential scans priced out on PostgreSQL.
func explain(t *testing.T, db *store.DB, query string, vars []any) string {
	t.Helper()
	var lines []string
	err := db.Gorm.Transaction(func(tx *gorm.DB) error {
		prefix := "EXPLAIN QUERY PLAN "
		if db.Dialect == store.DialectPostgres {
			prefix = "EXPLAIN "
			if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
				return err
			}
		}
		rows, err := tx.Raw(prefix+query, vars...).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		for rows.Next() {
			cells := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range cells {
				ptrs[i] = &cells[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			var parts []string
			for _, c := range cells {
				switch v := c.(type) {
				case string:
					parts = append(parts, v)
				case []byte:
					parts = append(parts, string(v))
				}
			}
			lines = append(lines, strings.Join(parts, " "))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	return strings.Join(lines, "\n")
}
