package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/payments"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// seedCaptured inserts a merchant, an invoice in processing and a captured payment of amount.
func seedCaptured(t *testing.T, db *store.DB, amount int64) payments.Payment {
	t.Helper()
	ctx := context.Background()
	st := &store.Payments{DB: db}
	set := seedClaimed(t, db, amount)
	if err := st.SettleAuthorization(ctx, set); err != nil {
		t.Fatalf("settle: %v", err)
	}
	if err := st.SettleAuthorization(ctx, set); !errors.Is(err, apperr.ErrConflict) {
		t.Fatalf("settling twice: %v, want conflict", err)
	}
	return set.Payment
}

// seedClaimed stores an invoice, its link and a payment claimed through it, and returns the
// settlement that would capture it in full.
func seedClaimed(t *testing.T, db *store.DB, amount int64) payments.AuthSettlement {
	t.Helper()
	ctx := context.Background()
	st := &store.Payments{DB: db}
	o := seedOpen(t, db, amount)
	claim, newAttempt, now := o.claim, o.newAttempt, o.claim.At
	a, err := st.BeginPayment(ctx, claim, newAttempt)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	p, txn := a.Payment, a.Txn
	if a.Invoice.ID != o.invoiceID || a.Invoice.Status != domain.InvoiceProcessing || a.Invoice.AmountTotal != amount || p.LinkID != o.linkID {
		t.Fatalf("claimed invoice %+v through link %q", a.Invoice, p.LinkID)
	}
	// A second attempt on the same invoice loses: the invoice is no longer open. So does an unknown link.
	for _, c := range []payments.Claim{claim, {Token: "no-such-link", At: now, Limits: noLimits, InvoiceFrom: claim.InvoiceFrom, InvoiceTo: claim.InvoiceTo}} {
		if _, err := st.BeginPayment(ctx, c, newAttempt); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("begin through %q: %v, want conflict", c.Token, err)
		}
	}
	p.Status, p.AmountAuthorized, p.AmountCaptured, p.CapturedAt, p.AuthorizedAt = domain.PaymentCaptured, amount, amount, &now, &now
	txn.Result = domain.TxnSucceeded
	return payments.AuthSettlement{Payment: p, Txn: txn, InvoiceFrom: domain.InvoiceProcessing, InvoiceTo: domain.InvoicePaid, AmountPaid: amount, PaidAt: &now, LinkTo: domain.LinkCompleted, At: now}
}

// openInvoice is an open invoice with its link, the claim that pays it and the attempt it makes.
type openInvoice struct {
	invoiceID, linkID string
	claim             payments.Claim
	newAttempt        func(context.Context, domain.Invoice, string) (payments.Payment, payments.Transaction, error)
}

// seedOpen stores a merchant, an open invoice and its link.
func seedOpen(t testing.TB, db *store.DB, amount int64) openInvoice {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	mer, inv, lnk, token := domain.NewID("mer"), domain.NewID("inv"), domain.NewID("lnk"), domain.NewToken(24)
	stmts := []struct {
		q    string
		args []any
	}{
		{"INSERT INTO merchants (id, name, created_at, updated_at) VALUES (?, 'M', ?, ?)", []any{mer, now, now}},
		{`INSERT INTO invoices (id, merchant_id, number, status, customer_name, customer_email, currency, amount_total, amount_vat,
			capture_mode, locale, expires_at, created_at, updated_at) VALUES (?, ?, 'INV-1', 'open', 'A', 'a@example.com', 'RSD', ?, 0,
			'automatic', 'en', ?, ?, ?)`, []any{inv, mer, amount, now.Add(time.Hour), now, now}},
		{"INSERT INTO links (id, invoice_id, merchant_id, token, status, expires_at, created_at) VALUES (?, ?, ?, ?, 'active', ?, ?)",
			[]any{lnk, inv, mer, token, now.Add(time.Hour), now}},
	}
	for _, s := range stmts {
		if err := db.Gorm.Exec(s.q, s.args...).Error; err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	newAttempt := func(_ context.Context, claimed domain.Invoice, linkID string) (payments.Payment, payments.Transaction, error) {
		p := payments.Payment{ID: domain.NewID("pay"), MerchantID: claimed.MerchantID, InvoiceID: claimed.ID, LinkID: linkID,
			Status: domain.PaymentProcessing, Amount: claimed.AmountTotal, Currency: claimed.Currency, CaptureMode: claimed.CaptureMode,
			PSP: "testgateway", IdempotencyKey: "k", TermsAcceptedAt: now, CreatedAt: now, UpdatedAt: now}
		txn := payments.Transaction{ID: domain.NewID("txn"), MerchantID: mer, PaymentID: p.ID, Type: domain.TxnSale, Amount: amount,
			Currency: "RSD", Result: domain.TxnPending, Actor: "payer", IdempotencyKey: "k", CreatedAt: now, UpdatedAt: now, NextAttemptAt: now}
		return p, txn, nil
	}
	claim := payments.Claim{Token: token, At: now, Limits: noLimits,
		InvoiceFrom: []domain.InvoiceStatus{domain.InvoiceOpen}, InvoiceTo: domain.InvoiceProcessing}
	return openInvoice{invoiceID: inv, linkID: lnk, claim: claim, newAttempt: newAttempt}
}

func TestPaymentsStoreReservesRefundsAtomically(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// A small pool still runs reservations concurrently and spares the shared PostgreSQL.
		if db.Dialect == store.DialectPostgres {
			db.SQL.SetMaxOpenConns(8) // on SQLite db.SQL is the one writer connection
		}
		st := &store.Payments{DB: db}
		p := seedCaptured(t, db, 1000)
		const n = 40
		var wg sync.WaitGroup
		var mu sync.Mutex
		reserved := int64(0)
		for i := range n {
			wg.Go(func() {
				now := time.Now().UTC()
				r := payments.Refund{ID: domain.NewID("re"), MerchantID: p.MerchantID, PaymentID: p.ID, InvoiceID: p.InvoiceID,
					Amount: 70, Currency: "RSD", Status: domain.RefundPending, Actor: "key_x", CreatedAt: now, UpdatedAt: now}
				txn := payments.Transaction{ID: domain.NewID("txn"), MerchantID: p.MerchantID, PaymentID: p.ID, RefundID: r.ID,
					Type: domain.TxnRefund, Amount: 70, Currency: "RSD", Result: domain.TxnPending, Actor: "key_x",
					IdempotencyKey: fmt.Sprint(i), CreatedAt: now, UpdatedAt: now, NextAttemptAt: now}
				err := st.ReserveRefund(ctx, r, txn)
				switch {
				case err == nil:
					mu.Lock()
					reserved += 70
					mu.Unlock()
				case !errors.Is(err, apperr.ErrConflict):
					t.Errorf("reserve: %v", err)
				}
			})
		}
		wg.Wait()
		got, err := st.GetPayment(ctx, p.MerchantID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if reserved != 1000/70*70 || got.AmountRefundPending != reserved {
			t.Fatalf("reserved %d, stored pending %d; want %d", reserved, got.AmountRefundPending, 1000/70*70)
		}
		// The database itself refuses refunded + pending above captured, whatever the code does.
		err = db.Gorm.Exec("UPDATE payments SET amount_refund_pending = amount_captured + 1 WHERE id = ?", p.ID).Error
		if err == nil {
			t.Fatal("the CHECK constraint let refunds exceed the captured amount")
		}
		// Only one worker claims a due pending transaction.
		due, err := st.DuePending(ctx, time.Now().UTC().Add(time.Second), 100)
		if err != nil || int64(len(due)) != reserved/70 {
			t.Fatalf("due: %d %v", len(due), err)
		}
		now := time.Now().UTC()
		claimed := 0
		for range 3 {
			ok, err := st.ClaimTransaction(ctx, due[0].ID, now, now.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				claimed++
			}
		}
		if claimed != 1 {
			t.Fatalf("claimed %d times, want once", claimed)
		}
		// Another merchant's id is not found.
		if _, err := st.GetPayment(ctx, "mer_other", p.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("other merchant: %v", err)
		}
	})
}

// noLimits lets any attempt through the failure limits.
var noLimits = payments.FailureLimits{PerLink: 1 << 40, PerIP: 1 << 40}
