package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// TestCommonTermEstimateHoldsAcrossAnalyzes: PostgreSQL's estimate of how many invoices a common
// surname matches stays close to the truth however ANALYZE samples the search texts. The list
// chooses between reading a term's matches through the trigram index and walking the newest
// invoices by that estimate, so an estimate of a few rows for a term in one invoice in twenty made
// the search read and sort all of its matches. The table holds more rows than ANALYZE samples by
// default, so each ANALYZE sees a different sample. SQLite has no planner choice here: its term
// search walks the newest invoices first (TestTermSearchPagesWithAndWithoutTheWindow).
func TestCommonTermEstimateHoldsAcrossAnalyzes(t *testing.T) {
	if testing.Short() {
		t.Skip("PostgreSQL only; -short runs SQLite alone")
	}
	db := storetest.New(t, store.DialectPostgres)
	ctx := context.Background()
	m := newMerchant(t, db)
	template, link := newInvoice(m.ID)
	if _, err := (&store.Invoices{DB: db}).CreateInvoice(ctx, template, link, noEvents, nil); err != nil {
		t.Fatal(err)
	}
	const rows = 60_000 // twice the default sample of 30,000
	// Copies of the invoice, each with its own id and number, and their search texts: every pair of
	// twenty first names and twenty surnames in turn, so each surname is in one invoice in twenty,
	// with unique e-mails and numbers. Sorted, as the statistics' histogram takes them, the texts of
	// one surname lie in 20 short runs, one per first name.
	if _, err := db.SQL.ExecContext(ctx, `INSERT INTO invoices
		SELECT (jsonb_populate_record(i, jsonb_build_object('id', i.id || '_' || g, 'number', 'N-' || g))).*
		FROM invoices i, generate_series(1, $2::int) g WHERE i.id = $1`, template.ID, rows); err != nil {
		t.Fatalf("copy invoices: %v", err)
	}
	if _, err := db.SQL.ExecContext(ctx, `INSERT INTO invoice_search (invoice_id, merchant_id, search_text, email)
		SELECT i.id, i.merchant_id,
			(ARRAY['ana','marko','jelena','nikola','milica','stefan','jovana','luka','ivana','petar','marija',
				'nemanja','teodora','aleksandar','sara','miloš','katarina','dušan','tamara','vuk'])[1 + g % 20] || ' ' ||
			(ARRAY['jovanović','petrović','nikolić','marković','đorđević','stojanović','ilić','stanković','pavlović',
				'milošević','popović','živković','todorović','kostić','ristić','savić','lukić','mitrović','simić',
				'obradović'])[1 + (g / 20) % 20] || ' | c' || g || '@example.com | n-' || g,
			'c' || g || '@example.com'
		FROM generate_series(1, $2::int) g JOIN invoices i ON i.id = $1 || '_' || g`, template.ID, rows); err != nil {
		t.Fatalf("write search texts: %v", err)
	}
	var matches float64
	if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM invoice_search WHERE merchant_id = $1 AND search_text LIKE '%petrović%'`,
		m.ID).Scan(&matches); err != nil {
		t.Fatal(err)
	}
	if matches != rows/20 {
		t.Fatalf("%v invoices match the surname, want %d", matches, rows/20)
	}
	for round := range 5 {
		if _, err := db.SQL.ExecContext(ctx, "ANALYZE invoice_search"); err != nil {
			t.Fatal(err)
		}
		var plan string
		if err := db.SQL.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) SELECT invoice_id FROM invoice_search
			WHERE merchant_id = $1 AND search_text LIKE '%petrović%'`, m.ID).Scan(&plan); err != nil {
			t.Fatal(err)
		}
		var explained []struct {
			Plan struct {
				Rows float64 `json:"Plan Rows"`
			}
		}
		if err := json.Unmarshal([]byte(plan), &explained); err != nil || len(explained) != 1 {
			t.Fatalf("read the plan %s: %v", plan, err)
		}
		if est := explained[0].Plan.Rows; est < matches/2 || est > matches*2 {
			t.Errorf("ANALYZE %d: the planner expects %v matches of a surname in %v invoices, want within 2× of it", round+1, est, matches)
		}
	}
}
