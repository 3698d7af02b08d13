package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"securelink/internal/domain"
	"securelink/internal/invoices"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// TestCheckoutViewFollowsWrites reads a checkout view (filling the cache) and then changes what it
// shows through every kind of write the store makes: each change is visible on the next read.
func TestCheckoutViewFollowsWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m := newMerchant(t, db)
		s := &store.Invoices{DB: db}
		inv, link := newInvoice(m.ID)
		inv.Lines = []domain.InvoiceLine{{Description: "x", Quantity: 1, UnitAmount: 1000},
			{Description: "Торта \"са\" шлагом", Quantity: 3, UnitAmount: 99_950, VATRateBP: 2000},
			{Description: "Hleb", Quantity: 2, UnitAmount: 12_000, VATRateBP: 1000}}
		if _, err := s.CreateInvoice(ctx, inv, link, noEvents, nil); err != nil {
			t.Fatal(err)
		}
		// The lines come back whole and in their order from the one-query read.
		db.ForgetCachedCheckouts()
		if co, err := s.GetCheckout(ctx, link.Token); err != nil || !reflect.DeepEqual(co.Invoice.Lines, inv.Lines) {
			t.Fatalf("lines: %+v %v, want %+v", co.Invoice.Lines, err, inv.Lines)
		}
		read := func(token string) (domain.InvoiceStatus, domain.LinkStatus, string) {
			t.Helper()
			co, err := s.GetCheckout(ctx, token)
			if err != nil {
				t.Fatalf("get checkout: %v", err)
			}
			return co.Invoice.Status, co.Link.Status, co.Merchant.Name
		}
		if st, ls, name := read(link.Token); st != domain.InvoiceOpen || ls != domain.LinkActive || name != "Test" {
			t.Fatalf("first read: %s %s %q", st, ls, name)
		}

		// A caller changing its copy does not change what the next caller gets.
		co, _ := s.GetCheckout(ctx, link.Token)
		co.Invoice.Lines[0].Description = "changed"
		co.Invoice.Link.Status = domain.LinkCompleted
		if again, _ := s.GetCheckout(ctx, link.Token); again.Invoice.Lines[0].Description != "x" || again.Invoice.Link.Status != domain.LinkActive {
			t.Errorf("a caller's change leaked into the cache: %+v", again.Invoice)
		}

		ms := &store.Merchants{DB: db}
		mm, err := ms.GetMerchant(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		mm.Name = "Renamed"
		if err := ms.UpdateMerchant(ctx, mm); err != nil {
			t.Fatal(err)
		}
		if _, _, name := read(link.Token); name != "Renamed" {
			t.Errorf("after the merchant was renamed the checkout shows %q", name)
		}

		fresh := link
		fresh.ID, fresh.Token = domain.NewID("lnk"), domain.NewToken(24)
		relink := invoices.Relink{From: []domain.InvoiceStatus{domain.InvoiceOpen}, To: domain.InvoiceOpen,
			OldLinksTo: domain.LinkDeactivated, Link: fresh, At: time.Now().UTC()}
		if err := s.ReplaceLink(ctx, m.ID, inv.ID, relink); err != nil {
			t.Fatal(err)
		}
		if _, ls, _ := read(link.Token); ls != domain.LinkDeactivated {
			t.Errorf("after a fresh link the old one shows %s", ls)
		}
		read(fresh.Token)
		if _, err := s.DeactivateLink(ctx, m.ID, fresh.ID, domain.LinkDeactivated, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if _, ls, _ := read(fresh.Token); ls != domain.LinkDeactivated {
			t.Errorf("after deactivation the link shows %s", ls)
		}

		if err := s.SetInvoiceStatus(ctx, m.ID, inv.ID, []domain.InvoiceStatus{domain.InvoiceOpen}, domain.InvoiceCancelled, "", time.Now().UTC(), nil); err != nil {
			t.Fatal(err)
		}
		if st, _, _ := read(link.Token); st != domain.InvoiceCancelled {
			t.Errorf("after cancel the checkout shows %s", st)
		}

		// A write made around the store shows once the cache is told, and after the TTL at the latest.
		if err := db.Gorm.Exec("UPDATE invoices SET description = 'edited' WHERE id = ?", inv.ID).Error; err != nil {
			t.Fatal(err)
		}
		db.ForgetCachedCheckouts()
		if co, _ := s.GetCheckout(ctx, link.Token); co.Invoice.Description != "edited" {
			t.Errorf("after ForgetCachedCheckouts the description is %q", co.Invoice.Description)
		}
	})
}
