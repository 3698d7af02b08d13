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
	"securelink/internal/invoices"
	"securelink/internal/merchants"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

func newMerchant(t *testing.T, db *store.DB) merchants.Merchant {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	m := merchants.Merchant{ID: domain.NewID("mer"), Name: "Test", DefaultCurrency: "RSD", DefaultLocale: "sr-Latn",
		DefaultCaptureMode: domain.CaptureAutomatic, CreatedAt: now, UpdatedAt: now}
	u := merchants.User{ID: domain.NewID("usr"), MerchantID: m.ID, Email: m.ID + "@example.com", Role: "owner", CreatedAt: now}
	inv := merchants.Invitation{ID: domain.NewID("inv8"), MerchantID: m.ID, UserID: u.ID, TokenHash: domain.NewToken(16), ExpiresAt: now.Add(time.Hour), CreatedAt: now}
	if err := (&store.Merchants{DB: db}).CreateMerchant(context.Background(), m, u, inv); err != nil {
		t.Fatalf("create merchant: %v", err)
	}
	return m
}

func newInvoice(merchantID string) (domain.Invoice, domain.Link) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	inv := domain.Invoice{ID: domain.NewID("inv"), MerchantID: merchantID, Status: domain.InvoiceOpen,
		Customer: domain.Customer{Name: "Ana", Email: "ana@example.com"}, Currency: "RSD", AmountTotal: 1000,
		CaptureMode: domain.CaptureAutomatic, Locale: "sr-Latn", ExpiresAt: now.Add(time.Hour), CreatedAt: now, UpdatedAt: now,
		Lines: []domain.InvoiceLine{{Description: "x", Quantity: 1, UnitAmount: 1000}}}
	link := domain.Link{ID: domain.NewID("lnk"), InvoiceID: inv.ID, MerchantID: merchantID, Token: domain.NewToken(24),
		Status: domain.LinkActive, ExpiresAt: inv.ExpiresAt, CreatedAt: now}
	return inv, link
}

func noEvents(string) []domain.Event { return nil }

func TestMigrateTwiceIsANoOp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
	})
}

func TestInvoiceNumbersUnderConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		m := newMerchant(t, db)
		s := &store.Invoices{DB: db}
		const n = 30
		numbers := make(chan string, n)
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				inv, link := newInvoice(m.ID)
				num, err := s.CreateInvoice(context.Background(), inv, link, noEvents, nil)
				if err != nil {
					t.Errorf("create: %v", err)
				}
				numbers <- num
			}()
		}
		wg.Wait()
		close(numbers)
		seen := map[string]bool{}
		for num := range numbers {
			if seen[num] {
				t.Errorf("number %s given twice", num)
			}
			seen[num] = true
		}
		for i := 1; i <= n; i++ {
			if !seen[fmt.Sprintf("INV-%06d", i)] {
				t.Errorf("INV-%06d missing: numbers have gaps", i)
			}
		}
	})
}

// A creation that fails at any of its writes keeps none of them and takes no number: the next
// invoice gets the number the failed one would have had.
func TestFailedInvoiceCreationTakesNoNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m := newMerchant(t, db)
		s := &store.Invoices{DB: db}
		first, firstLink := newInvoice(m.ID)
		firstEvent := domain.Event{ID: domain.NewID("evt"), MerchantID: m.ID, Type: "invoice.created", ObjectID: first.ID,
			Payload: []byte(`{}`), Webhook: true, CreatedAt: first.CreatedAt}
		if n, err := s.CreateInvoice(ctx, first, firstLink, func(string) []domain.Event { return []domain.Event{firstEvent} }, nil); err != nil || n != "INV-000001" {
			t.Fatalf("first invoice: %q, %v", n, err)
		}
		for _, tc := range []struct {
			name  string
			clash func(inv *domain.Invoice, link *domain.Link, events *[]domain.Event)
		}{
			{"the invoice's id is taken", func(inv *domain.Invoice, link *domain.Link, _ *[]domain.Event) {
				inv.ID, link.InvoiceID = first.ID, first.ID
			}},
			{"the link's token is taken", func(_ *domain.Invoice, link *domain.Link, _ *[]domain.Event) { link.Token = firstLink.Token }},
			{"an event's id is taken", func(_ *domain.Invoice, _ *domain.Link, events *[]domain.Event) { (*events)[0].ID = firstEvent.ID }},
		} {
			inv, link := newInvoice(m.ID)
			events := []domain.Event{{ID: domain.NewID("evt"), MerchantID: m.ID, Type: "invoice.created", ObjectID: inv.ID,
				Payload: []byte(`{}`), Webhook: true, CreatedAt: inv.CreatedAt}}
			tc.clash(&inv, &link, &events)
			if n, err := s.CreateInvoice(ctx, inv, link, func(string) []domain.Event { return events }, nil); err == nil {
				t.Errorf("%s: created %s", tc.name, n)
			}
			if inv.ID != first.ID {
				if _, err := s.GetInvoice(ctx, m.ID, inv.ID); !errors.Is(err, apperr.ErrNotFound) {
					t.Errorf("%s: the invoice was kept (%v)", tc.name, err)
				}
			}
		}
		inv, link := newInvoice(m.ID)
		if n, err := s.CreateInvoice(ctx, inv, link, noEvents, nil); err != nil || n != "INV-000002" {
			t.Errorf("after the failed creations: %q, %v; want INV-000002", n, err)
		}
		got, err := s.GetInvoice(ctx, m.ID, first.ID)
		if err != nil || got.Number != "INV-000001" || got.Link == nil || got.Link.Token != firstLink.Token || len(got.Lines) != 1 {
			t.Errorf("the first invoice after the failed creations: %+v, %v", got, err)
		}
	})
}

func TestInvoiceStatusIsConditional(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m := newMerchant(t, db)
		s := &store.Invoices{DB: db}
		inv, link := newInvoice(m.ID)
		if _, err := s.CreateInvoice(ctx, inv, link, noEvents, nil); err != nil {
			t.Fatal(err)
		}
		open := []domain.InvoiceStatus{domain.InvoiceOpen}
		// Many concurrent cancels: exactly one wins, each writing its event only when it wins.
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ev := domain.NewEvent(m.ID, false, domain.EventInvoiceCancelled, inv.ID, map[string]string{}, true)
				err := s.SetInvoiceStatus(ctx, m.ID, inv.ID, open, domain.InvoiceCancelled, domain.LinkDeactivated, time.Now().UTC(), []domain.Event{ev})
				switch {
				case err == nil:
					mu.Lock()
					wins++
					mu.Unlock()
				case !errors.Is(err, apperr.ErrConflict):
					t.Errorf("cancel: %v", err)
				}
			}()
		}
		wg.Wait()
		var events int64
		db.Gorm.Raw("SELECT COUNT(*) FROM events WHERE object_id = ?", inv.ID).Scan(&events)
		if wins != 1 || events != 1 {
			t.Errorf("%d cancels won, %d events", wins, events)
		}
		got, err := s.GetInvoice(ctx, m.ID, inv.ID)
		if err != nil || got.Status != domain.InvoiceCancelled || got.CancelledAt == nil || got.Link.Status != domain.LinkDeactivated {
			t.Errorf("after cancel: %+v %v", got, err)
		}
		other := newMerchant(t, db)
		if _, err := s.GetInvoice(ctx, other.ID, inv.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("another merchant's invoice: %v", err)
		}
		if err := s.SetInvoiceStatus(ctx, other.ID, inv.ID, []domain.InvoiceStatus{domain.InvoiceCancelled}, domain.InvoiceOpen, "", time.Now(), nil); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("status change through another merchant: %v", err)
		}
	})
}

func TestListInvoicesKeyset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m := newMerchant(t, db)
		s := &store.Invoices{DB: db}
		for range 25 {
			inv, link := newInvoice(m.ID)
			if _, err := s.CreateInvoice(ctx, inv, link, noEvents, nil); err != nil {
				t.Fatal(err)
			}
		}
		seen := map[string]bool{}
		page := domain.Page{Limit: 10}
		for {
			list, more, err := s.ListInvoices(ctx, m.ID, invoices.Filter{Page: page})
			if err != nil {
				t.Fatal(err)
			}
			for _, inv := range list {
				if seen[inv.ID] || inv.Link == nil {
					t.Fatalf("repeated or linkless %s", inv.ID)
				}
				seen[inv.ID] = true
			}
			if !more {
				break
			}
			page.StartingAfter = list[len(list)-1].ID
		}
		if len(seen) != 25 {
			t.Errorf("saw %d of 25", len(seen))
		}
	})
}

func TestIdempotencyStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := &store.Idempotency{DB: db}
		now := time.Now().UTC().Truncate(time.Microsecond)
		first, started, err := s.Begin(ctx, "scope", "k", "h1", now, time.Minute)
		if err != nil || !started || first.Claim == "" {
			t.Fatalf("begin: %v %v", started, err)
		}
		rec, started, err := s.Begin(ctx, "scope", "k", "h2", now, time.Minute)
		if err != nil || started || !rec.Running || rec.RequestHash != "h1" {
			t.Fatalf("second begin: %+v %v %v", rec, started, err)
		}
		if err := s.Finish(ctx, "scope", "k", "someone-else", 500, nil); err != nil {
			t.Fatal(err)
		}
		if rec, _, _ = s.Begin(ctx, "scope", "k", "h1", now, time.Minute); !rec.Running {
			t.Fatal("a request that does not hold the claim finished the record")
		}
		if err := s.Finish(ctx, "scope", "k", first.Claim, 201, []byte(`{"ok":true}`)); err != nil {
			t.Fatal(err)
		}
		rec, _, _ = s.Begin(ctx, "scope", "k", "h1", now, time.Minute)
		if rec.Running || rec.ResponseStatus != 201 || string(rec.ResponseBody) != `{"ok":true}` {
			t.Errorf("finished record: %+v", rec)
		}
		// After 24 hours the key is forgotten and can start a new request.
		if _, started, err := s.Begin(ctx, "scope", "k", "h3", now.Add(25*time.Hour), time.Minute); err != nil || !started {
			t.Errorf("expired key not reclaimed: %v %v", started, err)
		}
		if n, err := s.Purge(ctx, now.Add(26*time.Hour)); err != nil || n != 1 {
			t.Errorf("purge: %d %v", n, err)
		}
	})
}

// TestIdempotencyLease: a record whose request died keeps its key only until its lease runs out;
// then the same request takes it over (once, even when two retries race), another body gets the
// record (not running), and a renewed lease keeps the key of a request that still runs.
func TestIdempotencyLease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := &store.Idempotency{DB: db}
		now := time.Now().UTC().Truncate(time.Microsecond)
		const lease = 10 * time.Second
		dead, _, err := s.Begin(ctx, "scope", "k", "h", now, lease)
		if err != nil {
			t.Fatal(err)
		}
		if rec, started, _ := s.Begin(ctx, "scope", "k", "h", now.Add(lease-time.Second), lease); started || !rec.Running {
			t.Fatalf("taken over within the lease: %+v %v", rec, started)
		}
		if rec, started, _ := s.Begin(ctx, "scope", "k", "other", now.Add(lease+time.Second), lease); started || rec.Running {
			t.Fatalf("another body after the lease: %+v %v", rec, started)
		}
		var wg sync.WaitGroup
		wins := make(chan string, 4)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rec, started, err := s.Begin(ctx, "scope", "k", "h", now.Add(lease+time.Second), lease)
				if err != nil {
					t.Error(err)
				}
				if started {
					wins <- rec.Claim
				}
			}()
		}
		wg.Wait()
		close(wins)
		var claims []string
		for c := range wins {
			claims = append(claims, c)
		}
		if len(claims) != 1 || claims[0] == dead.Claim {
			t.Fatalf("after the lease %d retries took the key over, want 1", len(claims))
		}
		// The dead request can neither renew nor finish the record any more.
		if held, err := s.Renew(ctx, "scope", "k", dead.Claim, now.Add(time.Hour)); err != nil || held {
			t.Errorf("the dead claim renewed: %v %v", held, err)
		}
		// The new holder renews, and then keeps its key past the first lease.
		if held, err := s.Renew(ctx, "scope", "k", claims[0], now.Add(lease+time.Minute)); err != nil || !held {
			t.Fatalf("renew: %v %v", held, err)
		}
		if _, started, _ := s.Begin(ctx, "scope", "k", "h", now.Add(lease+30*time.Second), lease); started {
			t.Error("a renewed lease was taken over")
		}
	})
}

func TestSettingsGetOrCreateAgrees(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := &store.Settings{DB: db}
		var wg sync.WaitGroup
		vals := make(chan string, 8)
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, err := s.GetOrCreate(context.Background(), "secret", func() string { return fmt.Sprint("v", i) })
				if err != nil {
					t.Error(err)
				}
				vals <- v
			}()
		}
		wg.Wait()
		close(vals)
		first := ""
		for v := range vals {
			if first == "" {
				first = v
			}
			if v != first {
				t.Errorf("replicas disagree: %s vs %s", v, first)
			}
		}
	})
}

func TestMerchantsStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := &store.Merchants{DB: db}
		m := newMerchant(t, db)
		now := time.Now().UTC().Truncate(time.Microsecond)
		dup := merchants.User{ID: domain.NewID("usr"), MerchantID: m.ID, Email: m.ID + "@example.com", Role: "staff", CreatedAt: now}
		err := s.CreateUserWithInvitation(ctx, dup, merchants.Invitation{ID: domain.NewID("inv8"), MerchantID: m.ID, UserID: dup.ID, TokenHash: "h", ExpiresAt: now, CreatedAt: now})
		if !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("duplicate e-mail: %v", err)
		}
		for range 3 {
			if err := s.RecordAuthFailure(ctx, "login:ip:1.2.3.4", now); err != nil {
				t.Fatal(err)
			}
		}
		if n, _ := s.CountAuthFailures(ctx, "login:ip:1.2.3.4", now.Add(-time.Minute)); n != 3 {
			t.Errorf("failures = %d", n)
		}
		if n, _ := s.CountAuthFailures(ctx, "login:ip:1.2.3.4", now.Add(time.Minute)); n != 0 {
			t.Errorf("old failures counted: %d", n)
		}
		if _, err := s.RevokeAPIKey(ctx, m.ID, "key_nope", now); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("revoke unknown key: %v", err)
		}
	})
}

// TestMigrationsKeepTheirTemporaryDataInFiles: migrations run with SQLite's temporary data in
// files (a large table's rewrite or index would otherwise be held in memory), and leave the writer
// keeping it in memory again for the payments' savepoints.
func TestMigrationsKeepTheirTemporaryDataInFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect != store.DialectSQLite {
			return
		}
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		var where int
		if err := db.SQL.QueryRow("PRAGMA temp_store").Scan(&where); err != nil || where != 2 {
			t.Errorf("the writer's temp_store after migrating = %d (%v), want 2 (memory)", where, err)
		}
	})
}
