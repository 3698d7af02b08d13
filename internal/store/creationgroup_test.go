package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"securelink/internal/audit"
	"securelink/internal/domain"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// A merchant's invoice creations that arrive together share a commit on PostgreSQL. Each mode
// still counts on its own, gap-free, in one transaction with each invoice's audit entry; a
// creation that fails in a group fails alone, takes no number and leaves no audit entry, while
// the ones grouped with it are kept.
func TestGroupedInvoiceCreations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m := newMerchant(t, db)
		s := &store.Invoices{DB: db}
		type creation struct {
			inv    domain.Invoice
			link   domain.Link
			record audit.Entry
			number string
		}
		newCreation := func(live bool) *creation {
			inv, link := newInvoice(m.ID)
			inv.Livemode, link.Livemode = live, live
			actor := domain.Actor{Type: domain.ActorUser, ID: "usr_test", MerchantID: m.ID, Livemode: live}
			return &creation{inv: inv, link: link, record: audit.NewEntry(actor, "invoice.created", inv.ID, map[string]any{"amount_total": inv.AmountTotal})}
		}
		createTogether := func(cs []*creation) ([]error, store.GroupCommitStats) {
			t.Helper()
			calls := make([]func() error, len(cs))
			for i, c := range cs {
				calls[i] = func() (err error) {
					c.number, err = s.CreateInvoice(ctx, c.inv, c.link, func(number string) []domain.Event {
						return []domain.Event{domain.NewEvent(m.ID, c.inv.Livemode, domain.EventInvoiceCreated, c.inv.ID, map[string]string{"number": number}, true)}
					}, &c.record)
					return err
				}
			}
			return togetherBehind(t, func() (func(), func() int, bool) { return db.HoldCreationLane(m.ID) }, db.CreationGroupStats, calls)
		}
		stored := func(c *creation) (number string, audits, events int64) {
			t.Helper()
			if err := db.Gorm.Raw("SELECT number FROM invoices WHERE id = ?", c.inv.ID).Scan(&number).Error; err != nil {
				t.Fatal(err)
			}
			if err := db.Gorm.Raw("SELECT count(*) FROM audit_log WHERE id = ? AND target = ? AND action = 'invoice.created'", c.record.ID, c.inv.ID).Scan(&audits).Error; err != nil {
				t.Fatal(err)
			}
			if err := db.Gorm.Raw("SELECT count(*) FROM events WHERE object_id = ?", c.inv.ID).Scan(&events).Error; err != nil {
				t.Fatal(err)
			}
			return number, audits, events
		}
		// numbersOf are the numbers the creations of a mode were given, in order.
		numbersOf := func(cs []*creation, live bool) []string {
			var out []string
			for _, c := range cs {
				if c.inv.Livemode == live && c.number != "" {
					out = append(out, c.number)
				}
			}
			slices.Sort(out)
			return out
		}
		want := func(from, to int) []string {
			var out []string
			for i := from; i <= to; i++ {
				out = append(out, fmt.Sprintf("INV-%06d", i))
			}
			return out
		}

		const n = 12
		first := make([]*creation, n)
		for i := range first {
			first[i] = newCreation(i%3 == 0) // a third of them live
		}
		errs, stats := createTogether(first)
		for i, err := range errs {
			if err != nil {
				t.Errorf("creation %d of a group: %v", i, err)
			}
		}
		if got := numbersOf(first, false); !slices.Equal(got, want(1, 8)) {
			t.Errorf("test-mode numbers of grouped creations: %v", got)
		}
		if got := numbersOf(first, true); !slices.Equal(got, want(1, 4)) {
			t.Errorf("live numbers of grouped creations: %v", got)
		}
		for _, c := range first {
			if number, audits, events := stored(c); number != c.number || audits != 1 || events != 1 {
				t.Errorf("invoice %s stored as %q with %d audit entries and %d events; want %s, 1 and 1", c.inv.ID, number, audits, events, c.number)
			}
		}
		if db.Dialect == store.DialectPostgres {
			if stats.Transactions != n || 2*stats.Commits > n {
				t.Errorf("%d creations arriving together took %d commits for %d of them, want at most one for two", n, stats.Commits, stats.Transactions)
			}
			// A group's numberings go in one round trip, its inserts with the COMMIT.
			if stats.RoundTrips != 2*stats.Commits {
				t.Errorf("%d creations in %d groups took %d round trips, want two for each group", n, stats.Commits, stats.RoundTrips)
			}
		}

		// One whose link token is taken, grouped with fresh ones, fails alone.
		second := make([]*creation, n)
		for i := range second {
			second[i] = newCreation(false)
		}
		clash := second[5]
		clash.link.Token = first[1].link.Token
		errs, _ = createTogether(second)
		for i, err := range errs {
			if (err != nil) != (second[i] == clash) {
				t.Errorf("creation %d of a group with a clashing one: %v", i, err)
			}
		}
		if got := numbersOf(second, false); !slices.Equal(got, want(9, 8+n-1)) {
			t.Errorf("test-mode numbers after a failed creation in a group: %v, want %v", got, want(9, 8+n-1))
		}
		for _, c := range second {
			number, audits, events := stored(c)
			switch {
			case c == clash && (number != "" || audits != 0 || events != 0):
				t.Errorf("the failed creation left its invoice %q, %d audit entries and %d events", number, audits, events)
			case c != clash && (number != c.number || audits != 1 || events != 1):
				t.Errorf("invoice %s stored as %q with %d audit entries and %d events; want %s, 1 and 1", c.inv.ID, number, audits, events, c.number)
			}
		}
		if q := db.CreationQueues(); q != 0 {
			t.Errorf("%d queues of creations are left once none waits", q)
		}
	})
}
