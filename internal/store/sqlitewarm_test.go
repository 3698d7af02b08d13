package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"securelink/internal/domain"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// seedLinks stores one merchant's invoice with n links, each with a token of its own.
func seedLinks(t *testing.T, db *store.DB, n int) {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	mer, inv := domain.NewID("mer"), domain.NewID("inv")
	linksSQL := `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO links (id, invoice_id, merchant_id, token, status, expires_at, created_at)
		SELECT 'lnk_' || i, ?, ?, lower(hex(randomblob(16))), 'active', ?, ? FROM n`
	linksArgs := []any{n, inv, mer, now.Add(time.Hour), now}
	if db.Dialect == store.DialectPostgres {
		linksSQL = `INSERT INTO links (id, invoice_id, merchant_id, token, status, expires_at, created_at)
			SELECT 'lnk_' || i, ?, ?, md5(random()::text), 'active', ?, ? FROM generate_series(1, ?) AS i`
		linksArgs = []any{inv, mer, now.Add(time.Hour), now, n}
	}
	stmts := []struct {
		q    string
		args []any
	}{
		{"INSERT INTO merchants (id, name, created_at, updated_at) VALUES (?, 'M', ?, ?)", []any{mer, now, now}},
		{`INSERT INTO invoices (id, merchant_id, number, status, customer_name, customer_email, currency, amount_total, amount_vat,
			capture_mode, locale, expires_at, created_at, updated_at) VALUES (?, ?, 'INV-1', 'open', 'A', 'a@example.com', 'RSD', 100, 0,
			'automatic', 'en', ?, ?, ?)`, []any{inv, mer, now.Add(time.Hour), now, now}},
		{linksSQL, linksArgs},
	}
	for _, s := range stmts {
		if err := db.Gorm.Exec(s.q, s.args...).Error; err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
}

// The background walk of the link-token index reads every entry, in steps that each read the index
// alone, on the read pool: it never takes the writer.
func TestTokenIndexWalk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const links = 10_000 // three steps of 4,096 entries, and the one that finds the end
		seedLinks(t, db, links)
		before, isSQLite := db.SQLiteStats()
		steps, ok, err := db.WalkTokenIndex(ctx)
		if !isSQLite {
			if ok || err != nil {
				t.Fatalf("PostgreSQL walked its token index: ok %v, err %v", ok, err)
			}
			return
		}
		if err != nil || !ok {
			t.Fatalf("walk: ok %v, err %v", ok, err)
		}
		if want := links/4096 + 2; steps != want {
			t.Errorf("the walk took %d steps, want %d", steps, want)
		}
		after, _ := db.SQLiteStats()
		if after.TokenIndexWalks != before.TokenIndexWalks+1 {
			t.Errorf("walks counted %d → %d, want one more", before.TokenIndexWalks, after.TokenIndexWalks)
		}
		if after.Granted != before.Granted {
			t.Errorf("the walk took the writer %d times", after.Granted-before.Granted)
		}

		var plan []string
		rows, err := db.Gorm.Raw("EXPLAIN QUERY PLAN "+store.WarmTokenStep, "", 4096).Rows()
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		got := strings.Join(plan, "; ")
		// The token's unique index, alone: no read of the links table itself.
		if !strings.Contains(got, "SEARCH links USING COVERING INDEX sqlite_autoindex_links_2 (token>?)") {
			t.Errorf("a step's plan is %q, want a covering search of the token index", got)
		}
	})
}
