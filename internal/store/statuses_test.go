package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"securelink/internal/domain"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// TestRefundRuleSQLAgreesWithDomain: the SQL a succeeded refund sets the status with gives what
// domain.RefundRule.After gives, for every relation of what was refunded before, the refund and
// the total (nothing left, some left, more than the total), for payments and invoices.
func TestRefundRuleSQLAgreesWithDomain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		q := `SELECT ` + store.RefundRuleSQL("refunded", "total") +
			` AS status FROM (SELECT CAST(? AS BIGINT) AS refunded, CAST(? AS BIGINT) AS total) AS r`
		checked := 0
		for before := int64(0); before <= 5; before++ {
			for amount := int64(1); amount <= 5; amount++ {
				for total := int64(1); total <= 8; total++ {
					for _, c := range []struct {
						name          string
						full, partial string
						want          string
					}{
						{"payment", string(domain.PaymentRefundRule.Full), string(domain.PaymentRefundRule.Partial),
							string(domain.PaymentRefundRule.After(before+amount, total))},
						{"invoice", string(domain.InvoiceRefundRule.Full), string(domain.InvoiceRefundRule.Partial),
							string(domain.InvoiceRefundRule.After(before+amount, total))},
					} {
						var got string
						if err := db.Gorm.Raw(q, amount, c.full, c.partial, before, total).Scan(&got).Error; err != nil {
							t.Fatal(err)
						}
						if got != c.want {
							t.Errorf("%s: %d refunded, then %d of %d: SQL says %q, domain %q", c.name, before, amount, total, got, c.want)
						}
						checked++
					}
				}
			}
		}
		if checked == 0 {
			t.Fatal("no case checked")
		}
	})
}

// TestSummaryCountsEffectiveStatuses: the summary's counts by status (a CASE in SQL) are the
// invoices' domain.Invoice.EffectiveStatus, for every status with its expiry passed and not.
func TestSummaryCountsEffectiveStatuses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m := newMerchant(t, db)
		s := &store.Invoices{DB: db}
		now := time.Now().UTC().Truncate(time.Microsecond)
		want := map[domain.InvoiceStatus]int64{}
		for _, st := range domain.InvoiceStatuses {
			for _, expires := range []time.Time{now.Add(-time.Minute), now, now.Add(time.Hour)} {
				inv, link := newInvoice(m.ID)
				if _, err := s.CreateInvoice(ctx, inv, link, noEvents, nil); err != nil {
					t.Fatal(err)
				}
				if err := db.Gorm.Exec(`UPDATE invoices SET status = ?, expires_at = ? WHERE id = ?`, string(st), expires, inv.ID).Error; err != nil {
					t.Fatal(err)
				}
				inv.Status, inv.ExpiresAt = st, expires
				want[inv.EffectiveStatus(now)]++
			}
		}
		sum, err := s.Summarise(ctx, m.ID, now.Add(-time.Hour), now)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(sum.Counts) != fmt.Sprint(want) {
			t.Errorf("summary counts %v, domain's effective statuses %v", sum.Counts, want)
		}
	})
}
