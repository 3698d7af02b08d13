package store_test

import (
	"context"
	"strings"
	"testing"

	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// On the embedded database a payment's claim first reads its link and invoice on a reader, so that
// the writer finds the token index's page in the kernel's cache; the read goes by index, touching
// the pages the claim touches and no more. PostgreSQL reads nothing ahead.
func TestPaymentClaimReadsAheadOnSQLite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		o := seedOpen(t, db, 1500)
		before, onSQLite := db.SQLiteStats()
		a, err := (&store.Payments{DB: db}).BeginPayment(ctx, o.claim, o.newAttempt)
		if err != nil || a.Invoice.ID != o.invoiceID {
			t.Fatalf("begin: claimed %q (%v), want %q", a.Invoice.ID, err, o.invoiceID)
		}
		after, _ := db.SQLiteStats()
		if !onSQLite {
			if after.ReadsAhead != 0 {
				t.Fatalf("PostgreSQL read ahead %d times", after.ReadsAhead)
			}
			return
		}
		if got := after.ReadsAhead - before.ReadsAhead; got != 1 {
			t.Fatalf("the claim read ahead %d times, want once", got)
		}
		plan := explain(t, db, store.WarmClaimSQL, []any{o.claim.Token})
		for _, want := range []string{"SEARCH l USING INDEX", "(token=?)", "SEARCH i USING INDEX", "(id=?)"} {
			if !strings.Contains(plan, want) {
				t.Errorf("the read ahead's plan lacks %q:\n%s", want, plan)
			}
		}
		if strings.Contains(plan, "SCAN") {
			t.Errorf("the read ahead scans a table:\n%s", plan)
		}
	})
}
