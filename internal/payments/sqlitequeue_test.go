package payments_test

import (
	"context"
	"sync"
	"testing"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/invoices"
	"securelink/internal/payments"
	"securelink/internal/psp/testgateway"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// The concurrent-pay invariants on SQLite's writer queue, meant for the race detector:
//
//	go test -race ./internal/payments -run TestSQLiteWriterQueueConcurrentPays
//
// Many invoices are each paid by several payers at once while background jobs write in their own
// lane; every invoice is charged exactly once, no write fails or gives up, and nothing but the
// expected 409 reaches a payer (SQLITE_BUSY would be an error here).
func TestSQLiteWriterQueueConcurrentPays(t *testing.T) {
	t.Parallel()
	db := storetest.New(t, store.DialectSQLite)
	e := newEnv(t, db)
	const invoicesN, payersPerInvoice = 12, 6
	type target struct {
		inv    domain.Invoice
		token  string
		tokens []string
	}
	targets := make([]target, invoicesN)
	for i := range targets {
		inv, token := e.invoice(int64(1000+i), domain.CaptureAutomatic)
		targets[i] = target{inv: inv, token: token, tokens: make([]string, payersPerInvoice)}
		for j := range targets[i].tokens {
			targets[i].tokens[j] = e.token(visa)
		}
	}

	// Background writes meanwhile: the expiry job and the reconciler, in the jobs' lane.
	bg, stopBackground := context.WithCancel(store.InBackground(context.Background()))
	var jobs sync.WaitGroup
	jobs.Go(func() {
		exp := &invoices.Service{Store: &store.Invoices{DB: db}}
		for bg.Err() == nil {
			if _, err := exp.ExpireDue(bg); err != nil && bg.Err() == nil {
				t.Errorf("expiry job: %v", err)
			}
			if _, err := e.svc.Reconcile(bg); err != nil && bg.Err() == nil {
				t.Errorf("reconciliation: %v", err)
			}
		}
	})

	start := make(chan struct{})
	var payers sync.WaitGroup
	won := make([]int, invoicesN)
	var mu sync.Mutex
	for i := range targets {
		for j := range payersPerInvoice {
			payers.Go(func() {
				<-start
				p, err := e.svc.Pay(context.Background(), targets[i].token, payments.PayInput{TermsAccepted: true,
					PaymentToken: targets[i].tokens[j], ClientIP: "198.51.100.9"})
				switch {
				case err == nil && p.Status == domain.PaymentCaptured:
					mu.Lock()
					won[i]++
					mu.Unlock()
				case err != nil:
					if code, kind := codeOf(err); kind != apperr.KindConflict {
						t.Errorf("invoice %d payer %d: %v (code %q)", i, j, err, code)
					}
				default:
					t.Errorf("invoice %d payer %d: status %s", i, j, p.Status)
				}
			})
		}
	}
	close(start)
	payers.Wait()
	stopBackground()
	jobs.Wait()

	for i, n := range won {
		if n != 1 {
			t.Errorf("invoice %d: %d payments succeeded, want exactly 1", i, n)
		}
		if got := e.getInvoice(targets[i].inv.ID); got.Status != domain.InvoicePaid || got.AmountPaid != targets[i].inv.AmountTotal {
			t.Errorf("invoice %d: %s, paid %d", i, got.Status, got.AmountPaid)
		}
	}
	charges := 0
	for _, entry := range e.gw.Ledger() {
		if entry.Op == testgateway.OpAuthorize {
			charges++
		}
	}
	if charges != invoicesN {
		t.Errorf("gateway ledger shows %d charges, want %d", charges, invoicesN)
	}
	stats, ok := db.SQLiteStats()
	if !ok || stats.Granted == 0 {
		t.Fatalf("writer queue stats %+v (ok %v): the writes did not go through the queue", stats, ok)
	}
	if stats.Requests != 0 || stats.Jobs != 0 {
		t.Errorf("writes still waiting after every payer returned: %+v", stats)
	}
}
