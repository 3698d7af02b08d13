package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/invoices"
	"securelink/internal/paymentlinks"
	"securelink/internal/payments"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

func newPaymentLink(merchantID string, livemode bool, max int64) domain.PaymentLink {
	now := time.Now().UTC().Truncate(time.Microsecond)
	exp := now.Add(48 * time.Hour)
	return domain.PaymentLink{ID: domain.NewID(domain.PrefixPaymentLink), MerchantID: merchantID, Livemode: livemode,
		Token: domain.NewToken(domain.LinkTokenBytes), Title: "Yoga", Description: "90 minutes", Currency: "RSD",
		Pricing: domain.PricingFixed, Lines: []domain.InvoiceLine{{Description: "Class", Quantity: 2, UnitAmount: 1500, VATRateBP: 2000}},
		QuantityMin: 1, QuantityMax: 5, MaxPayments: max, ExpiresAt: &exp, Collect: domain.Collect{Name: true, Address: true},
		CustomFields: []domain.CustomField{{Key: "size", Label: "Size", Required: true}}, Locale: "en",
		CaptureMode: domain.CaptureAutomatic, SuccessURL: "https://shop.example/ok", Status: domain.PaymentLinkActive,
		CreatedBy: "usr_x", CreatedAt: now, UpdatedAt: now}
}

// newOrder stores an open order of a link and returns it with its invoice link's token.
func newOrder(t *testing.T, db *store.DB, l domain.PaymentLink) (domain.Invoice, string) {
	t.Helper()
	inv, link := newInvoice(l.MerchantID)
	inv.Livemode, link.Livemode = l.Livemode, l.Livemode
	inv.PaymentLinkID = l.ID
	inv.CustomFields = []domain.CustomFieldAnswer{{Key: "size", Label: "Size", Value: "M"}}
	if _, err := (&store.Invoices{DB: db}).CreateInvoice(context.Background(), inv, link, noEvents, nil); err != nil {
		t.Fatalf("create order: %v", err)
	}
	return inv, link.Token
}

func TestPaymentLinksStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m := newMerchant(t, db)
		s := store.NewPaymentLinks(db)
		l := newPaymentLink(m.ID, false, 3)
		if err := s.CreatePaymentLink(ctx, l); err != nil {
			t.Fatalf("create: %v", err)
		}
		got, err := s.GetPaymentLink(ctx, m.ID, l.ID)
		if err != nil {
			t.Fatalf("get: %v", err)
		}
		if got.Title != l.Title || got.Token != l.Token || len(got.Lines) != 1 || got.Lines[0] != l.Lines[0] || got.QuantityMax != 5 ||
			got.MaxPayments != 3 || !got.ExpiresAt.Equal(*l.ExpiresAt) || got.Collect != l.Collect || len(got.CustomFields) != 1 ||
			got.CustomFields[0] != l.CustomFields[0] || got.SuccessURL != l.SuccessURL || got.Status != domain.PaymentLinkActive ||
			!got.CreatedAt.Equal(l.CreatedAt) || got.Stats != (domain.PaymentLinkStats{}) {
			t.Fatalf("round trip: %+v", got)
		}
		if byToken, err := s.GetPaymentLinkByToken(ctx, l.Token); err != nil || byToken.ID != l.ID {
			t.Fatalf("by token: %v %v", byToken.ID, err)
		}
		if _, err := s.GetPaymentLinkByToken(ctx, "nope"); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("unknown token: %v", err)
		}
		// Another merchant and the other mode see nothing of it.
		other := newMerchant(t, db)
		if _, err := s.GetPaymentLink(ctx, other.ID, l.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("another merchant reads the link: %v", err)
		}
		live := domain.WithMode(ctx, true)
		if _, err := s.GetPaymentLink(live, m.ID, l.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("live mode reads a test link: %v", err)
		}
		if ls, _, err := s.ListPaymentLinks(live, m.ID, paymentlinks.Filter{Page: domain.Page{Limit: 10}}); err != nil || len(ls) != 0 {
			t.Errorf("live list: %d %v", len(ls), err)
		}

		// Orders: their invoice keeps the link and the answers; the counts follow their statuses.
		inv, _ := newOrder(t, db, l)
		back, err := (&store.Invoices{DB: db}).GetInvoice(ctx, m.ID, inv.ID)
		if err != nil || back.PaymentLinkID != l.ID || len(back.CustomFields) != 1 || back.CustomFields[0].Value != "M" {
			t.Fatalf("order round trip: %+v %v", back, err)
		}
		plain, plainLink := newInvoice(m.ID)
		if _, err := (&store.Invoices{DB: db}).CreateInvoice(ctx, plain, plainLink, noEvents, nil); err != nil {
			t.Fatal(err)
		}
		list, _, err := (&store.Invoices{DB: db}).ListInvoices(ctx, m.ID, invoices.Filter{PaymentLinkID: l.ID, Page: domain.Page{Limit: 10}})
		if err != nil || len(list) != 1 || list[0].ID != inv.ID {
			t.Fatalf("orders of the link: %v %v", list, err)
		}
		if p, err := (&store.Invoices{DB: db}).GetInvoice(ctx, m.ID, plain.ID); err != nil || p.PaymentLinkID != "" || p.CustomFields != nil {
			t.Errorf("an ordinary invoice: %+v %v", p, err)
		}
		for i, st := range []domain.InvoiceStatus{domain.InvoicePaid, domain.InvoiceProcessing, domain.InvoiceCancelled, domain.InvoiceOpen} {
			o, _ := newOrder(t, db, l)
			paid := int64(0)
			if st == domain.InvoicePaid {
				paid = 1000 + int64(i)
			}
			if err := db.Gorm.Exec("UPDATE invoices SET status = ?, amount_paid = ? WHERE id = ?", string(st), paid, o.ID).Error; err != nil {
				t.Fatal(err)
			}
		}
		got, _ = s.GetPaymentLink(ctx, m.ID, l.ID)
		if want := (domain.PaymentLinkStats{Taken: 2, Paid: 1, Collected: 1000}); got.Stats != want {
			t.Errorf("stats %+v, want %+v", got.Stats, want)
		}

		// Updates hold only while the link is as it was read.
		readAt := got.UpdatedAt
		got.Title, got.Status, got.MaxPayments, got.ExpiresAt = "Yoga II", domain.PaymentLinkPaused, 0, nil
		got.UpdatedAt = readAt.Add(time.Second)
		if err := s.UpdatePaymentLink(ctx, got, domain.PaymentLinkActive, readAt); err != nil {
			t.Fatalf("update: %v", err)
		}
		if err := s.UpdatePaymentLink(ctx, got, domain.PaymentLinkActive, readAt); !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("stale update: %v, want conflict", err)
		}
		missing := got
		missing.ID = "plink_missing"
		if err := s.UpdatePaymentLink(ctx, missing, domain.PaymentLinkPaused, got.UpdatedAt); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("update of a missing link: %v, want not found", err)
		}
		after, _ := s.GetPaymentLink(ctx, m.ID, l.ID)
		if after.Title != "Yoga II" || after.Status != domain.PaymentLinkPaused || after.MaxPayments != 0 || after.ExpiresAt != nil {
			t.Errorf("after update: %+v", after)
		}

		// Lists: newest first, by status, in pages.
		for range 4 {
			if err := s.CreatePaymentLink(ctx, newPaymentLink(m.ID, false, 0)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.CreatePaymentLink(ctx, newPaymentLink(m.ID, true, 0)); err != nil {
			t.Fatal(err)
		}
		page, more, err := s.ListPaymentLinks(domain.WithMode(ctx, false), m.ID, paymentlinks.Filter{Page: domain.Page{Limit: 3}})
		if err != nil || len(page) != 3 || !more || page[0].ID < page[1].ID {
			t.Fatalf("first page: %d %v %v", len(page), more, err)
		}
		rest, more, _ := s.ListPaymentLinks(domain.WithMode(ctx, false), m.ID, paymentlinks.Filter{Page: domain.Page{Limit: 3, StartingAfter: page[2].ID}})
		if len(rest) != 2 || more {
			t.Errorf("second page: %d %v", len(rest), more)
		}
		paused, _, _ := s.ListPaymentLinks(ctx, m.ID, paymentlinks.Filter{Status: domain.PaymentLinkPaused, Page: domain.Page{Limit: 10}})
		if len(paused) != 1 || paused[0].ID != l.ID || paused[0].Stats.Paid != 1 {
			t.Errorf("paused links: %+v", paused)
		}
	})
}

// TestPaymentLinkSlotsUnderConcurrency: attempts on the orders of a link with a maximum of N take at
// most N slots however many run at once; the others are refused with link_sold_out and leave their
// order open, with no payment stored. A failed attempt that reopens its order frees its slot.
func TestPaymentLinkSlotsUnderConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m := newMerchant(t, db)
		const n, payers = 3, 12
		l := newPaymentLink(m.ID, false, n)
		if err := store.NewPaymentLinks(db).CreatePaymentLink(ctx, l); err != nil {
			t.Fatal(err)
		}
		tokens := make([]string, payers)
		for i := range tokens {
			_, tokens[i] = newOrder(t, db, l)
		}
		st := &store.Payments{DB: db}
		now := time.Now().UTC().Truncate(time.Microsecond)
		newAttempt := func(_ context.Context, claimed domain.Invoice, linkID string) (payments.Payment, payments.Transaction, error) {
			p := payments.Payment{ID: domain.NewID("pay"), MerchantID: claimed.MerchantID, InvoiceID: claimed.ID, LinkID: linkID,
				Status: domain.PaymentProcessing, Amount: claimed.AmountTotal, Currency: claimed.Currency, CaptureMode: claimed.CaptureMode,
				PSP: "testgateway", IdempotencyKey: domain.NewID("k"), TermsAcceptedAt: now, CreatedAt: now, UpdatedAt: now}
			txn := payments.Transaction{ID: domain.NewID("txn"), MerchantID: claimed.MerchantID, PaymentID: p.ID, Type: domain.TxnSale,
				Amount: p.Amount, Currency: "RSD", Result: domain.TxnPending, Actor: "payer", IdempotencyKey: p.IdempotencyKey,
				CreatedAt: now, UpdatedAt: now, NextAttemptAt: now}
			return p, txn, nil
		}
		claim := func(token string) payments.Claim {
			return payments.Claim{Token: token, At: now, Limits: noLimits,
				InvoiceFrom: []domain.InvoiceStatus{domain.InvoiceOpen}, InvoiceTo: domain.InvoiceProcessing}
		}
		attempts := make([]payments.Attempt, payers)
		errs := make([]error, payers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, tok := range tokens {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				attempts[i], errs[i] = st.BeginPayment(ctx, claim(tok), newAttempt)
			}()
		}
		close(start)
		wg.Wait()
		won, refused := -1, 0
		taken := 0
		for i, err := range errs {
			ae, ok := apperr.As(err)
			switch {
			case err == nil:
				taken++
				won = i
			case ok && ae.Code == paymentlinks.CodeSoldOut:
				refused++
			default:
				t.Errorf("attempt %d: %v", i, err)
			}
		}
		if taken != n || refused != payers-n {
			t.Fatalf("%d attempts took a slot, %d were refused; want %d and %d", taken, refused, n, payers-n)
		}
		var stored int64
		db.Gorm.Raw("SELECT count(*) FROM payments").Scan(&stored)
		var open int64
		db.Gorm.Raw("SELECT count(*) FROM invoices WHERE payment_link_id = ? AND status = 'open'", l.ID).Scan(&open)
		if stored != n || open != payers-n {
			t.Errorf("%d payments stored and %d orders open; want %d and %d", stored, open, n, payers-n)
		}
		// One attempt fails: its order reopens and its slot goes to the next payer.
		a := attempts[won]
		p, txn := a.Payment, a.Txn
		p.Status, p.DeclineCode = domain.PaymentFailed, "card_declined"
		txn.Result = domain.TxnFailed
		if err := st.SettleAuthorization(ctx, payments.AuthSettlement{Payment: p, Txn: txn, InvoiceFrom: domain.InvoiceProcessing,
			InvoiceTo: domain.InvoiceOpen, At: now}); err != nil {
			t.Fatalf("settle the decline: %v", err)
		}
		var next string
		for i, err := range errs {
			if err != nil {
				next = tokens[i]
				break
			}
		}
		if _, err := st.BeginPayment(ctx, claim(next), newAttempt); err != nil {
			t.Errorf("the freed slot: %v", err)
		}
		_, err := st.BeginPayment(ctx, claim(tokens[won]), newAttempt)
		if ae, ok := apperr.As(err); !ok || ae.Code != paymentlinks.CodeSoldOut {
			t.Errorf("a slot beyond the maximum: %v", err)
		}
	})
}

// TestPaymentLinkSlotWaitsForAnAttemptNotYetCommitted: an attempt that took the last slot but has
// not committed yet keeps a second attempt waiting on the link, which then finds the link sold out
// (read committed alone would let it count without the first attempt and take a slot too).
func TestPaymentLinkSlotWaitsForAnAttemptNotYetCommitted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m := newMerchant(t, db)
		l := newPaymentLink(m.ID, false, 1)
		if err := store.NewPaymentLinks(db).CreatePaymentLink(ctx, l); err != nil {
			t.Fatal(err)
		}
		_, first := newOrder(t, db, l)
		_, second := newOrder(t, db, l)
		st := &store.Payments{DB: db}
		now := time.Now().UTC().Truncate(time.Microsecond)
		newAttempt := func(_ context.Context, claimed domain.Invoice, linkID string) (payments.Payment, payments.Transaction, error) {
			p := payments.Payment{ID: domain.NewID("pay"), MerchantID: claimed.MerchantID, InvoiceID: claimed.ID, LinkID: linkID,
				Status: domain.PaymentProcessing, Amount: claimed.AmountTotal, Currency: claimed.Currency, CaptureMode: claimed.CaptureMode,
				PSP: "testgateway", IdempotencyKey: domain.NewID("k"), TermsAcceptedAt: now, CreatedAt: now, UpdatedAt: now}
			txn := payments.Transaction{ID: domain.NewID("txn"), MerchantID: claimed.MerchantID, PaymentID: p.ID, Type: domain.TxnSale,
				Amount: p.Amount, Currency: "RSD", Result: domain.TxnPending, Actor: "payer", IdempotencyKey: p.IdempotencyKey,
				CreatedAt: now, UpdatedAt: now, NextAttemptAt: now}
			return p, txn, nil
		}
		claim := func(token string) payments.Claim {
			return payments.Claim{Token: token, At: now, Limits: noLimits,
				InvoiceFrom: []domain.InvoiceStatus{domain.InvoiceOpen}, InvoiceTo: domain.InvoiceProcessing}
		}
		secondErr := make(chan error, 1)
		err := db.InTx(ctx, func(ctx context.Context) error {
			if _, err := st.BeginPayment(ctx, claim(first), newAttempt); err != nil {
				return err
			}
			go func() {
				_, err := st.BeginPayment(context.Background(), claim(second), newAttempt)
				secondErr <- err
			}()
			// Until the second attempt waits behind this one (or, wrongly, has finished).
			waitForBlockedWriter(t, db, secondErr)
			return nil
		})
		if err != nil {
			t.Fatalf("first attempt: %v", err)
		}
		err = <-secondErr
		if ae, ok := apperr.As(err); !ok || ae.Code != paymentlinks.CodeSoldOut {
			t.Errorf("second attempt: %v, want link_sold_out", err)
		}
	})
}

// waitForBlockedWriter returns once another write waits behind the open transaction: on SQLite in
// the writer queue, on PostgreSQL on a row lock. It also returns when that write has ended
// already (done has its result), so the test's assertion on the result then tells what went wrong.
func waitForBlockedWriter(t *testing.T, db *store.DB, done chan error) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if len(done) > 0 {
			return
		}
		if db.Dialect == store.DialectSQLite {
			if st, _ := db.SQLiteStats(); st.Requests > 0 {
				return
			}
			continue
		}
		var n int
		if err := db.SQL.QueryRow(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
	}
	t.Fatal("the second attempt neither waited behind the first nor finished")
}
