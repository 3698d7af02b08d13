package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"securelink/internal/domain"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// zeroFields lists the fields of v (a struct, walked into nested structs and pointers) left at
// their zero value, by path.
func zeroFields(prefix string, v reflect.Value) []string {
	var out []string
	for i := range v.NumField() {
		f, name := v.Field(i), prefix+v.Type().Field(i).Name
		if f.Kind() == reflect.Pointer && !f.IsNil() {
			f = f.Elem()
		}
		switch {
		case f.IsZero():
			out = append(out, name)
		case f.Kind() == reflect.Struct && f.Type() != reflect.TypeOf(time.Time{}):
			out = append(out, zeroFields(name+".", f)...)
		}
	}
	return out
}

// TestCheckoutSQLReadsEveryInvoiceField: the checkout's hand-written query returns every field
// GetInvoice returns, for an invoice with every field filled in.
func TestCheckoutSQLReadsEveryInvoiceField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m := newMerchant(t, db)
		s := &store.Invoices{DB: db}
		inv, link := newInvoice(m.ID)
		inv.Reference, inv.Description, inv.CreatedBy = "ORD-1", "Torta i dostava", "usr_1"
		inv.Customer = domain.Customer{Name: "Ana Anić", Email: "ana@example.com", Phone: "+381 64 123 4567", Address: "Knez Mihailova 1, Beograd",
			PIB: "101134702", MB: "07032501"}
		inv.Currency, inv.Locale, inv.CaptureMode = "KWD", domain.LocaleSrCyrl, domain.CaptureManual
		inv.AmountTotal, inv.AmountVAT = 2400, 400
		inv.AllowPartial, inv.MinFirstAmount = true, 1000
		inv.SuccessURL, inv.CancelURL = "https://shop.example/thanks", "https://shop.example/cart"
		inv.Livemode, link.Livemode = true, true
		// An order of a reusable link, with the payer's answers.
		pl := newPaymentLink(m.ID, true, 0)
		if err := store.NewPaymentLinks(db).CreatePaymentLink(ctx, pl); err != nil {
			t.Fatal(err)
		}
		inv.PaymentLinkID = pl.ID
		inv.CustomFields = []domain.CustomFieldAnswer{{Key: "size", Label: "Size", Value: "M"}}
		inv.Lines = []domain.InvoiceLine{{Description: "Torta", Quantity: 2, UnitAmount: 1000, VATRateBP: 2000},
			{Description: "Dostava", Quantity: 1, UnitAmount: 400, VATRateBP: 2000}}
		if _, err := s.CreateInvoice(ctx, inv, link, noEvents, nil); err != nil {
			t.Fatal(err)
		}
		// The fields no creation sets: amounts paid and refunded, the times of payment, cancellation
		// and deactivation, and of the first e-mail. The rows are edited directly; the view is not yet cached.
		now := time.Now().UTC().Truncate(time.Microsecond)
		if err := db.Gorm.Exec(`UPDATE invoices SET status = ?, amount_paid = 2400, amount_refunded = 100, paid_at = ?, cancelled_at = ?, sent_at = ? WHERE id = ?`,
			string(domain.InvoicePartiallyRefunded), now, now, now, inv.ID).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Exec(`UPDATE links SET status = ?, deactivated_at = ? WHERE id = ?`, string(domain.LinkCompleted), now, link.ID).Error; err != nil {
			t.Fatal(err)
		}
		db.ForgetCachedCheckouts()

		want, err := s.GetInvoice(ctx, m.ID, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if zero := zeroFields("Invoice.", reflect.ValueOf(want)); len(zero) > 0 {
			t.Fatalf("the fixture leaves fields empty, so the comparison would miss them: %v", zero)
		}
		co, err := s.GetCheckout(ctx, link.Token)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(co.Invoice, want) {
			t.Errorf("the checkout reads the invoice otherwise than GetInvoice:\ncheckout   %+v\nGetInvoice %+v", co.Invoice, want)
		}
		if !reflect.DeepEqual(co.Link, *want.Link) {
			t.Errorf("the checkout's link %+v, GetInvoice's %+v", co.Link, *want.Link)
		}
	})
}
