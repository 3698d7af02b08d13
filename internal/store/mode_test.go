package store_test

import (
	"context"
	"errors"
	"slices"
	"sort"
	"testing"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/invoices"
	"securelink/internal/merchants"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// modeTablesOfBothModes have a livemode column that the mode scope leaves alone, and why.
var modeTablesOfBothModes = map[string]string{
	"audit_log":         "the audit log lists both modes: logins, team and settings belong to the whole account",
	"sessions":          "the portal's Test mode switch itself",
	"provider_accounts": "the route names the mode: the owner manages the test and the live account side by side, and payments of either mode are routed by their own account",
}

// TestEveryLivemodeTableIsScoped: a table that gains a livemode column is limited to the request's
// mode, or says here why it is not.
func TestEveryLivemodeTableIsScoped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var tables []string
		q := `SELECT table_name FROM information_schema.columns WHERE column_name = 'livemode' AND table_schema = current_schema()`
		if db.Dialect == store.DialectSQLite {
			q = `SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'livemode'`
		}
		if err := db.Gorm.Raw(q).Scan(&tables).Error; err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, tb := range tables {
			if modeTablesOfBothModes[tb] == "" {
				want = append(want, tb)
			}
		}
		got := store.ModeScopedTables()
		sort.Strings(want)
		sort.Strings(got)
		if !slices.Equal(want, got) {
			t.Errorf("tables with livemode %v; limited to the mode %v", want, got)
		}
	})
}

// TestStoreReadsOneMode: with a mode in the context, reads, counts and changes see only that mode's
// objects (the other mode's id is not found); without one (the checkout, background jobs) both.
func TestStoreReadsOneMode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		m := newMerchant(t, db)
		s := &store.Invoices{DB: db}
		ids := map[bool]string{}
		tokens := map[bool]string{}
		for _, live := range []bool{false, true} {
			inv, link := newInvoice(m.ID)
			inv.Livemode, link.Livemode = live, live
			num, err := s.CreateInvoice(bg, inv, link, func(string) []domain.Event {
				return []domain.Event{domain.NewEvent(m.ID, live, domain.EventInvoiceCreated, inv.ID, map[string]string{}, true)}
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if num != "INV-000001" {
				t.Errorf("the first %s invoice is %s", domain.ModeName(live), num)
			}
			ids[live], tokens[live] = inv.ID, link.Token
		}
		for _, live := range []bool{false, true} {
			ctx := domain.WithMode(bg, live)
			if got, err := s.GetInvoice(ctx, m.ID, ids[live]); err != nil || got.Livemode != live || got.Link == nil || got.Link.Livemode != live {
				t.Errorf("%s: own invoice %+v %v", domain.ModeName(live), got, err)
			}
			if _, err := s.GetInvoice(ctx, m.ID, ids[!live]); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s context reads the other mode's invoice: %v", domain.ModeName(live), err)
			}
			list, _, err := s.ListInvoices(ctx, m.ID, invoices.Filter{Page: domain.Page{Limit: 10}})
			if err != nil || len(list) != 1 || list[0].ID != ids[live] {
				t.Errorf("%s list: %v %v", domain.ModeName(live), list, err)
			}
			sum, err := s.Summarise(ctx, m.ID, time.Now().Add(-time.Hour), time.Now())
			if err != nil || sum.Counts[domain.InvoiceOpen] != 1 {
				t.Errorf("%s summary: %+v %v", domain.ModeName(live), sum, err)
			}
			// A change through the other mode's id finds nothing to change.
			err = s.SetInvoiceStatus(ctx, m.ID, ids[!live], []domain.InvoiceStatus{domain.InvoiceOpen}, domain.InvoiceCancelled, "", time.Now(), nil)
			if !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s context cancels the other mode's invoice: %v", domain.ModeName(live), err)
			}
		}
		// Work without a mode sees both: the checkout by its token, and a list.
		for _, live := range []bool{false, true} {
			co, err := s.GetCheckout(bg, tokens[live])
			if err != nil || co.Invoice.Livemode != live {
				t.Errorf("checkout of the %s invoice: %v %v", domain.ModeName(live), co.Invoice.Livemode, err)
			}
		}
		if list, _, err := s.ListInvoices(bg, m.ID, invoices.Filter{Page: domain.Page{Limit: 10}}); err != nil || len(list) != 2 {
			t.Errorf("without a mode: %d invoices, %v", len(list), err)
		}

		// API keys: listed and revoked in their mode only.
		ms := &store.Merchants{DB: db}
		keys := map[bool]string{}
		for _, live := range []bool{false, true} {
			k := merchants.APIKey{ID: domain.NewID(domain.PrefixAPIKey), MerchantID: m.ID, Livemode: live, Name: "k", Prefix: "sk_",
				SecretHash: domain.NewToken(16), CreatedAt: time.Now().UTC(), APIVersion: domain.APIVersionLatest}
			if err := ms.CreateAPIKey(bg, k); err != nil {
				t.Fatal(err)
			}
			keys[live] = k.ID
		}
		for _, live := range []bool{false, true} {
			ctx := domain.WithMode(bg, live)
			ks, err := ms.ListAPIKeys(ctx, m.ID)
			if err != nil || len(ks) != 1 || ks[0].ID != keys[live] || ks[0].Livemode != live {
				t.Errorf("%s keys: %+v %v", domain.ModeName(live), ks, err)
			}
			if _, err := ms.RevokeAPIKey(ctx, m.ID, keys[!live], time.Now()); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s context revokes the other mode's key: %v", domain.ModeName(live), err)
			}
		}
	})
}
