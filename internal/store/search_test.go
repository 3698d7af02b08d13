package store_test

import (
	"context"
	"slices"
	"testing"

	"securelink/internal/domain"
	"securelink/internal/invoices"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// A term search answers the same pages, forward and back, whether SQLite finds them among the
// newest invoices it checks first or has to search them all; PostgreSQL answers the same.
func TestTermSearchPagesWithAndWithoutTheWindow(t *testing.T) {
	store.SetSearchWindow(t, 4)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m := newMerchant(t, db)
		s := &store.Invoices{DB: db}
		var ids []string // oldest first
		names := map[string]string{}
		for i := range 14 {
			inv, link := newInvoice(m.ID)
			inv.Customer.Name = "Ana Petrović"
			switch {
			case i == 1:
				inv.Customer.Name = "Mila Rarić"
			case i%3 == 0:
				inv.Customer.Name = "Jovan Jovanović"
			}
			if _, err := s.CreateInvoice(ctx, inv, link, noEvents, nil); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, inv.ID)
			names[inv.ID] = inv.Customer.Name
		}
		slices.Sort(ids)
		want := func(name string) []string { // newest first
			var out []string
			for i := len(ids) - 1; i >= 0; i-- {
				if names[ids[i]] == name {
					out = append(out, ids[i])
				}
			}
			return out
		}
		tests := []struct {
			query string
			want  []string
		}{
			{"petrov", want("Ana Petrović")}, // common: early pages come from the window
			{"rarić", want("Mila Rarić")},    // rare: beyond the window
			{"jovan", want("Jovan Jovanović")},
			{"nobody", nil},
		}
		for _, tc := range tests {
			var got []string
			page := domain.Page{Limit: 2}
			for {
				list, more, err := s.ListInvoices(ctx, m.ID, invoices.Filter{Query: tc.query, Page: page})
				if err != nil {
					t.Fatal(err)
				}
				for _, inv := range list {
					got = append(got, inv.ID)
				}
				if !more {
					break
				}
				page = domain.Page{Limit: 2, StartingAfter: list[len(list)-1].ID}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%q forward: %v, want %v", tc.query, got, tc.want)
			}
			if len(tc.want) < 3 {
				continue
			}
			// Back from the oldest match: the two newer ones, newest first.
			back, more, err := s.ListInvoices(ctx, m.ID, invoices.Filter{Query: tc.query,
				Page: domain.Page{Limit: 2, EndingBefore: tc.want[len(tc.want)-1]}})
			if err != nil {
				t.Fatal(err)
			}
			wantBack := tc.want[len(tc.want)-3 : len(tc.want)-1]
			var gotBack []string
			for _, inv := range back {
				gotBack = append(gotBack, inv.ID)
			}
			if !slices.Equal(gotBack, wantBack) || more != (len(tc.want) > 3) {
				t.Errorf("%q back: %v (more %v), want %v (more %v)", tc.query, gotBack, more, wantBack, len(tc.want) > 3)
			}
		}
	})
}
