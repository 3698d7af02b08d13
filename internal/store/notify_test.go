package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/merchants"
	"securelink/internal/notify"
	"securelink/internal/notify/mail"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

func insertEmails(t *testing.T, db *store.DB, merchantID string, n int) []string {
	t.Helper()
	inv, link := newInvoice(merchantID)
	var ids []string
	_, err := (&store.Invoices{DB: db}).CreateInvoice(context.Background(), inv, link, func(number string) []domain.Event {
		var evs []domain.Event
		for range n {
			data := inv.EventData("http://x/pay/t")
			data.EmailID = domain.NewID(domain.PrefixEmail)
			ids = append(ids, data.EmailID)
			evs = append(evs, domain.NewEvent(merchantID, false, domain.EventInvoiceLinkRequested, inv.ID, data, false))
		}
		return evs
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&notify.Dispatcher{Store: &store.Notify{DB: db}}).RunUntilIdle(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestNotifyIsMerchantScoped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := &store.Notify{DB: db}
		a, b := newMerchant(t, db), newMerchant(t, db)
		ids := insertEmails(t, db, a.ID, 1)
		now := time.Now().UTC().Truncate(time.Microsecond)
		ep := notify.Endpoint{ID: domain.NewID(domain.PrefixEndpoint), MerchantID: a.ID, URL: "https://example.com/h",
			Events: []string{domain.EventInvoiceCreated}, Secret: "whsec_AAAA", Status: notify.EndpointEnabled, CreatedAt: now, UpdatedAt: now}
		if err := s.CreateEndpoint(ctx, ep); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetEmail(ctx, a.ID, ids[0]); err != nil {
			t.Errorf("own e-mail: %v", err)
		}
		for name, err := range map[string]error{
			"e-mail":   func() error { _, err := s.GetEmail(ctx, b.ID, ids[0]); return err }(),
			"endpoint": func() error { _, err := s.GetEndpoint(ctx, b.ID, ep.ID); return err }(),
			"delete":   s.DeleteEndpoint(ctx, b.ID, ep.ID, now),
			"rotate":   func() error { _, err := s.RotateSecret(ctx, b.ID, ep.ID, "whsec_BBBB", now, now); return err }(),
		} {
			if !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("another merchant's %s: %v, want not found", name, err)
			}
		}
		if list, _, _ := s.ListEmails(ctx, b.ID, domain.Page{Limit: 10}); len(list) != 0 {
			t.Errorf("merchant b sees %d e-mails of a", len(list))
		}
		if err := s.DeleteEndpoint(ctx, a.ID, ep.ID, now); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetEndpoint(ctx, a.ID, ep.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("deleted endpoint still found: %v", err)
		}
	})
}

func TestEmailsKeysetPagination(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		m := newMerchant(t, db)
		insertEmails(t, db, m.ID, 5)
		s := &store.Notify{DB: db}
		var seen []string
		p := domain.Page{Limit: 2}
		for {
			page, more, err := s.ListEmails(context.Background(), m.ID, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page {
				seen = append(seen, e.ID)
			}
			if !more {
				break
			}
			p.StartingAfter = page[len(page)-1].ID
		}
		if len(seen) != 5 {
			t.Fatalf("paged through %d e-mails, want 5", len(seen))
		}
		for i := 1; i < len(seen); i++ {
			if seen[i] >= seen[i-1] {
				t.Errorf("not newest first: %v", seen)
			}
		}
	})
}

func TestConcurrentClaimsAreDisjoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		m := newMerchant(t, db)
		insertEmails(t, db, m.ID, 30)
		s := &store.Notify{DB: db}
		now := time.Now().UTC()
		var mu sync.Mutex
		claimed := map[string]int{}
		var wg sync.WaitGroup
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					es, err := s.ClaimEmails(context.Background(), now.Add(time.Second), now.Add(time.Hour), 4)
					if err != nil {
						t.Errorf("claim: %v", err)
						return
					}
					if len(es) == 0 {
						return
					}
					mu.Lock()
					for _, e := range es {
						claimed[e.ID]++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(claimed) != 30 {
			t.Errorf("claimed %d distinct e-mails, want 30", len(claimed))
		}
		for id, n := range claimed {
			if n != 1 {
				t.Errorf("e-mail %s claimed %d times", id, n)
			}
		}
	})
}

func TestEventsAreDispatchedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		m := newMerchant(t, db)
		insertEmails(t, db, m.ID, 3)
		n, err := (&notify.Dispatcher{Store: &store.Notify{DB: db}}).RunOnce(context.Background())
		if err != nil || n != 0 {
			t.Fatalf("second dispatch took %d events (%v), want 0", n, err)
		}
		list, _, _ := (&store.Notify{DB: db}).ListEmails(context.Background(), m.ID, domain.Page{Limit: 10})
		if len(list) != 3 {
			t.Errorf("%d e-mails, want 3", len(list))
		}
	})
}

// The dispatcher reads a batch's invoices in one go; an event can still only reach its own
// merchant's invoice: one naming another merchant's invoice gives no e-mail.
func TestDispatchReadsOnlyTheEventsMerchant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := newMerchant(t, db), newMerchant(t, db)
		inv, link := newInvoice(a.ID)
		if _, err := (&store.Invoices{DB: db}).CreateInvoice(ctx, inv, link, noEvents, nil); err != nil {
			t.Fatal(err)
		}
		own := domain.NewEvent(a.ID, false, domain.EventInvoiceLinkRequested, inv.ID, inv.EventData("http://x/pay/t"), false)
		foreign := domain.NewEvent(b.ID, false, domain.EventInvoiceLinkRequested, inv.ID, inv.EventData("http://x/pay/t"), false)
		if err := (&store.Invoices{DB: db}).InsertEvents(ctx, []domain.Event{foreign, own}); err != nil {
			t.Fatal(err)
		}
		if n, err := (&notify.Dispatcher{Store: &store.Notify{DB: db}}).RunUntilIdle(ctx); err != nil || n != 2 {
			t.Fatalf("dispatched %d events: %v", n, err)
		}
		s := &store.Notify{DB: db}
		if got, _, _ := s.ListEmails(ctx, a.ID, domain.Page{Limit: 10}); len(got) != 1 || got[0].InvoiceID != inv.ID {
			t.Errorf("merchant a's e-mails: %+v, want the one about its invoice", got)
		}
		if got, _, _ := s.ListEmails(ctx, b.ID, domain.Page{Limit: 10}); len(got) != 0 {
			t.Errorf("merchant b got %d e-mails about merchant a's invoice", len(got))
		}
	})
}

// TestSaveDispatchClaimsOnce: an undispatched event is pending until a dispatch is saved for it; of
// two dispatchers that planned the same event, only the first saves what it became.
func TestSaveDispatchClaimsOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		n := &store.Notify{DB: db}
		m, ev := undispatchedEvent(t, db)
		pending, err := n.PendingEvents(ctx, 10)
		if err != nil || len(pending) != 1 || pending[0].ID != ev.ID {
			t.Fatalf("pending %+v, %v; want the one event", pending, err)
		}
		now := time.Now().UTC()
		outbox := func(to string) []notify.Outbox {
			return []notify.Outbox{{Emails: []notify.Email{{ID: domain.NewID("em"), MerchantID: m.ID, EventID: ev.ID, Kind: mail.KindPaymentLink,
				To: to, Subject: "s", Status: notify.EmailHeld, NextAttemptAt: &now, CreatedAt: now}}}}
		}
		for i, tc := range []struct {
			to   string
			want int
		}{{"first@example.com", 1}, {"second@example.com", 0}} {
			got, err := n.SaveDispatch(ctx, []string{ev.ID}, outbox(tc.to), now)
			if err != nil || got != tc.want {
				t.Fatalf("save %d: claimed %d, %v; want %d", i, got, err, tc.want)
			}
		}
		emails, _, err := n.ListEmails(ctx, m.ID, domain.Page{Limit: 10})
		if err != nil || len(emails) != 1 || emails[0].To != "first@example.com" {
			t.Fatalf("e-mails %+v, %v; want only the first dispatcher's", emails, err)
		}
		if pending, err := n.PendingEvents(ctx, 10); err != nil || len(pending) != 0 {
			t.Fatalf("a dispatched event is still pending: %+v, %v", pending, err)
		}
	})
}

// TestSaveDispatchOfAFullBatch: a batch's e-mails may be more than one INSERT can carry on
// PostgreSQL (65,535 parameters); every one of them is saved.
func TestSaveDispatchOfAFullBatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		n := &store.Notify{DB: db}
		m, ev := undispatchedEvent(t, db)
		now := time.Now().UTC()
		const many = 3500 // × 19 columns: over 65,535 parameters in one statement
		out := notify.Outbox{}
		for range many {
			out.Emails = append(out.Emails, notify.Email{ID: domain.NewID("em"), MerchantID: m.ID, EventID: ev.ID, Kind: mail.KindPaymentLink,
				To: "a@example.com", Subject: "s", Status: notify.EmailHeld, CreatedAt: now})
		}
		if got, err := n.SaveDispatch(ctx, []string{ev.ID}, []notify.Outbox{out}, now); err != nil || got != 1 {
			t.Fatalf("save: claimed %d, %v", got, err)
		}
		var saved int64
		if err := db.Gorm.Raw("SELECT count(*) FROM emails WHERE event_id = ?", ev.ID).Scan(&saved).Error; err != nil || saved != many {
			t.Fatalf("saved %d e-mails (%v), want %d", saved, err, many)
		}
	})
}

// TestSaveDispatchOfManyEvents: a batch of many events is saved whole, every event with its own
// e-mail, and an event another dispatcher saved meanwhile is skipped with its e-mail. On SQLite the
// batch goes in several short write transactions, so that payers never wait for all of it.
func TestSaveDispatchOfManyEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		n := &store.Notify{DB: db}
		m := newMerchant(t, db)
		const many = 100
		events := make([]domain.Event, many)
		for i := range events {
			events[i] = domain.NewEvent(m.ID, false, domain.EventInvoiceCreated, "inv_x", map[string]string{"id": "inv_x"}, true)
		}
		if err := (&store.Invoices{DB: db}).InsertEvents(ctx, events); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		ids := make([]string, many)
		out := make([]notify.Outbox, many)
		for i, ev := range events {
			ids[i] = ev.ID
			out[i] = notify.Outbox{Emails: []notify.Email{{ID: domain.NewID("em"), MerchantID: m.ID, EventID: ev.ID, Kind: mail.KindPaymentLink,
				To: "payer@example.com", Subject: "s", Status: notify.EmailHeld, CreatedAt: now}}}
		}
		// Another dispatcher saved one event in the middle of the batch first.
		taken := many / 2
		other := notify.Outbox{Emails: []notify.Email{{ID: domain.NewID("em"), MerchantID: m.ID, EventID: ids[taken], Kind: mail.KindPaymentLink,
			To: "other@example.com", Subject: "s", Status: notify.EmailHeld, CreatedAt: now}}}
		if got, err := n.SaveDispatch(ctx, ids[taken:taken+1], []notify.Outbox{other}, now); err != nil || got != 1 {
			t.Fatalf("the other dispatcher claimed %d, %v", got, err)
		}
		before, _ := db.SQLiteStats()
		if got, err := n.SaveDispatch(ctx, ids, out, now); err != nil || got != many-1 {
			t.Fatalf("claimed %d, %v; want %d", got, err, many-1)
		}
		if after, ok := db.SQLiteStats(); ok && after.CommittedWrites-before.CommittedWrites < 2 {
			t.Errorf("a batch of %d events went in %d write transaction(s), want several short ones", many, after.CommittedWrites-before.CommittedWrites)
		}
		var rows []struct{ EventID, ToAddr string }
		if err := db.Gorm.Raw("SELECT event_id, to_addr FROM emails WHERE merchant_id = ?", m.ID).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		to := map[string][]string{}
		for _, r := range rows {
			to[r.EventID] = append(to[r.EventID], r.ToAddr)
		}
		for i, id := range ids {
			want := "payer@example.com"
			if i == taken {
				want = "other@example.com"
			}
			if got := to[id]; len(got) != 1 || got[0] != want {
				t.Errorf("event %d: e-mails to %v, want one to %s", i, got, want)
			}
		}
		if pending, err := n.PendingEvents(ctx, 10); err != nil || len(pending) != 0 {
			t.Fatalf("%d events still pending (%v)", len(pending), err)
		}
	})
}

// undispatchedEvent stores a new merchant's invoice.created event, not yet dispatched.
func undispatchedEvent(t *testing.T, db *store.DB) (merchants.Merchant, domain.Event) {
	t.Helper()
	m := newMerchant(t, db)
	ev := domain.NewEvent(m.ID, false, domain.EventInvoiceCreated, "inv_x", map[string]string{"id": "inv_x"}, true)
	if err := (&store.Invoices{DB: db}).InsertEvents(context.Background(), []domain.Event{ev}); err != nil {
		t.Fatal(err)
	}
	return m, ev
}
