package store

import (
	"testing"
	"time"

	"securelink/internal/domain"
	"securelink/internal/invoices"
)

func TestCheckoutCache(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	view := func(invoiceID string) invoices.Checkout {
		return invoices.Checkout{Invoice: domain.Invoice{ID: invoiceID, Status: domain.InvoiceOpen}}
	}

	t.Run("a read that raced a write is not kept", func(t *testing.T) {
		c := newCheckoutCache(time.Second, 10, clock)
		_, epoch, ok := c.get("tok")
		if ok {
			t.Fatal("empty cache hit")
		}
		c.forget("inv_1") // the write lands while the database read is under way
		c.put("tok", view("inv_1"), epoch)
		if _, _, ok := c.get("tok"); ok {
			t.Error("a view read before a write was kept after it")
		}
	})

	t.Run("forget drops every token of the invoice only", func(t *testing.T) {
		c := newCheckoutCache(time.Second, 10, clock)
		_, epoch, _ := c.get("a")
		c.put("a", view("inv_1"), epoch)
		c.put("b", view("inv_1"), epoch)
		c.put("c", view("inv_2"), epoch)
		c.forget("inv_1")
		for tok, want := range map[string]bool{"a": false, "b": false, "c": true} {
			if _, _, ok := c.get(tok); ok != want {
				t.Errorf("token %s cached = %v, want %v", tok, ok, want)
			}
		}
	})

	t.Run("entries end with the TTL", func(t *testing.T) {
		c := newCheckoutCache(time.Second, 10, clock)
		_, epoch, _ := c.get("a")
		c.put("a", view("inv_1"), epoch)
		if _, _, ok := c.get("a"); !ok {
			t.Fatal("not cached")
		}
		later := func() time.Time { return now.Add(time.Second) }
		c.now = later
		if _, _, ok := c.get("a"); ok {
			t.Error("served after its TTL")
		}
	})

	t.Run("the size stays bounded", func(t *testing.T) {
		c := newCheckoutCache(time.Minute, 3, clock)
		_, epoch, _ := c.get("x")
		for i := range 10 {
			c.put(string(rune('a'+i)), view("inv_"+string(rune('a'+i))), epoch)
			if len(c.byToken) > 3 || len(c.byInvoice) > 3 {
				t.Fatalf("%d tokens, %d invoices kept with a cap of 3", len(c.byToken), len(c.byInvoice))
			}
		}
		if _, _, ok := c.get("j"); !ok {
			t.Error("the newest entry is not kept")
		}
	})
}
