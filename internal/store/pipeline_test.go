package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/payments"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// A settlement's writes go to PostgreSQL in one round trip with its COMMIT; a guard
// that finds its row already settled must still undo every one of them, the event included.
func TestSettlementLosingItsGuardWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := &store.Payments{DB: db}
		p := seedCaptured(t, db, 500)
		txns, err := st.ListTransactions(ctx, []string{p.ID})
		if err != nil || len(txns) != 1 {
			t.Fatalf("transactions %v, %v", txns, err)
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		ev := domain.Event{ID: domain.NewID("evt"), MerchantID: p.MerchantID, Type: "payment.succeeded", ObjectID: p.ID,
			Payload: []byte(`{}`), CreatedAt: now}
		late := payments.AuthSettlement{Payment: p, Txn: txns[0], InvoiceFrom: domain.InvoiceProcessing, InvoiceTo: domain.InvoicePaid,
			LinkTo: domain.LinkCompleted, Events: []domain.Event{ev}, At: now}
		late.Txn.Result = domain.TxnSucceeded
		if err := st.SettleAuthorization(ctx, late); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("a second settlement: %v, want conflict", err)
		}
		var n int64
		if err := db.Gorm.Raw("SELECT count(*) FROM events WHERE id = ?", ev.ID).Scan(&n).Error; err != nil || n != 0 {
			t.Fatalf("the losing settlement left %d events (%v)", n, err)
		}
		// The connection it used is back in the pool with no transaction open: the next payment works.
		p2 := seedCaptured(t, db, 700)
		if got, err := st.GetPayment(ctx, p2.MerchantID, p2.ID); err != nil || got.Status != domain.PaymentCaptured {
			t.Fatalf("next payment %+v, %v", got, err)
		}
	})
}

// On PostgreSQL a payment's transactions wait their turn for a connection first come, first served.
// One whose request ends while it waits gives up having written nothing; once turns are free again
// the same payment goes through, and reads that do not queue for a turn were never held up.
func TestPaymentWaitingForItsTurnGivesUpWithItsRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		release, gated, err := db.TakeEveryTransactionTurn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !gated {
			t.Skip("SQLite queues writes for its one writer instead (writequeue_internal_test.go)")
		}
		defer func() {
			if release != nil {
				release()
			}
		}()
		st := &store.Payments{DB: db}
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		if _, err := st.ListTransactions(short, []string{"pay_none"}); err != nil {
			t.Fatalf("a read waited for a transaction turn: %v", err)
		}
		err = st.SettleAuthorization(short, payments.AuthSettlement{Payment: payments.Payment{ID: "pay_none"},
			Txn: payments.Transaction{ID: "txn_none", Result: domain.TxnSucceeded}, InvoiceFrom: domain.InvoiceProcessing, InvoiceTo: domain.InvoicePaid, At: time.Now()})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("settling while every turn is taken: %v, want the request's deadline", err)
		}
		release()
		release = nil
		p := seedCaptured(t, db, 900)
		if got, err := st.GetPayment(ctx, p.MerchantID, p.ID); err != nil || got.Status != domain.PaymentCaptured {
			t.Fatalf("payment after the turns were freed: %+v, %v", got, err)
		}
	})
}

// A pipelined query reads its rows without GORM's Raw and Scan, but into the same values: a
// struct by column name (times, NULLs and booleans included), a slice row by row, and a struct
// left as it was when no row matches; on its own and inside a transaction the caller opened.
func TestPipelinedQueryReadsAsGORMDoes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		p := seedCaptured(t, db, 500)
		pipelined, inTx, viaGORM, err := db.InvoiceReadThreeWays(context.Background(), p.InvoiceID)
		if err != nil {
			t.Fatal(err)
		}
		for name, got := range map[string]any{"the pipeline": pipelined, "the pipeline inside InTx": inTx} {
			if !reflect.DeepEqual(got, viaGORM) {
				t.Errorf("read by %s:\n%+v\nread by GORM:\n%+v", name, got, viaGORM)
			}
		}
		if s := fmt.Sprintf("%+v", pipelined); !strings.Contains(s, p.InvoiceID) || !strings.Contains(s, "untouched") {
			t.Errorf("the reads found neither the invoice nor left the missing one alone: %s", s)
		}
	})
}

// BenchmarkPipelinedQuery reads one invoice in a SQLite write transaction as a payment's claim
// does: through QuerySQL, and through GORM's Raw and Scan as it did before (go test -bench
// PipelinedQuery -benchmem ./internal/store).
func BenchmarkPipelinedQuery(b *testing.B) {
	db := storetest.New(b, store.DialectSQLite)
	id := seedOpen(b, db, 500).invoiceID
	for _, viaGORM := range []bool{false, true} {
		b.Run(map[bool]string{false: "QuerySQL", true: "GORM"}[viaGORM], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := db.QuerySQLOnce(context.Background(), id, viaGORM); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
