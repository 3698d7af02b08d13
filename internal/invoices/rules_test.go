package invoices

import (
	"strings"
	"testing"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
)

func TestBuildInvoice(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	def := Defaults{Currency: "RSD", Locale: domain.LocaleSrLatn, CaptureMode: domain.CaptureAutomatic}
	valid := func() NewInvoice {
		return NewInvoice{Customer: domain.Customer{Name: " Ana ", Email: "Ana@Example.com"},
			Lines: []NewLine{{Description: "Torta", Quantity: 2, UnitAmount: 120000, VATRate: 20}}}
	}
	soon, far := now.Add(30*time.Second), now.Add(400*24*time.Hour)
	cases := []struct {
		name  string
		edit  func(*NewInvoice)
		param string // the field at fault, or "" for a valid invoice
		check func(domain.Invoice) bool
	}{
		{"the merchant's defaults", func(*NewInvoice) {}, "", func(inv domain.Invoice) bool {
			return inv.Currency == "RSD" && inv.Locale == domain.LocaleSrLatn && inv.CaptureMode == domain.CaptureAutomatic &&
				inv.Status == domain.InvoiceOpen && inv.ExpiresAt.Equal(now.Add(domain.DefaultLinkTTL)) && inv.Customer.Name == "Ana"
		}},
		{"totals and VAT on the server", func(*NewInvoice) {}, "", func(inv domain.Invoice) bool {
			return inv.AmountTotal == 240000 && inv.AmountVAT == 40000 && inv.Lines[0].VATRateBP == 2000
		}},
		{"a currency of three decimals", func(in *NewInvoice) { in.Currency = "kwd" }, "", func(inv domain.Invoice) bool { return inv.Currency == "KWD" }},
		{"unknown currency", func(in *NewInvoice) { in.Currency = "XYZ" }, "currency", nil},
		{"no customer name", func(in *NewInvoice) { in.Customer.Name = " " }, "customer.name", nil},
		{"bad e-mail", func(in *NewInvoice) { in.Customer.Email = "ana" }, "customer.email", nil},
		{"no lines", func(in *NewInvoice) { in.Lines = nil }, "lines", nil},
		{"too many lines", func(in *NewInvoice) { in.Lines = make([]NewLine, domain.MaxInvoiceLines+1) }, "lines", nil},
		{"zero quantity", func(in *NewInvoice) { in.Lines[0].Quantity = 0 }, "lines[0].quantity", nil},
		{"zero price", func(in *NewInvoice) { in.Lines[0].UnitAmount = 0 }, "lines[0].unit_amount", nil},
		{"VAT with three decimals", func(in *NewInvoice) { in.Lines[0].VATRate = 20.125 }, "lines[0].vat_rate", nil},
		{"total above the maximum", func(in *NewInvoice) {
			in.Lines = append(in.Lines, NewLine{Description: "x", Quantity: 1, UnitAmount: domain.MaxAmount})
		}, "lines", nil},
		{"long reference", func(in *NewInvoice) { in.Reference = strings.Repeat("r", 101) }, "reference", nil},
		{"manual capture", func(in *NewInvoice) { in.CaptureMode = "manual" }, "", func(inv domain.Invoice) bool { return inv.CaptureMode == domain.CaptureManual }},
		{"unknown capture mode", func(in *NewInvoice) { in.CaptureMode = "later" }, "capture_mode", nil},
		{"unknown locale", func(in *NewInvoice) { in.Locale = "de" }, "locale", nil},
		{"expiry too soon", func(in *NewInvoice) { in.ExpiresAt = &soon }, "expires_at", nil},
		{"expiry too far", func(in *NewInvoice) { in.ExpiresAt = &far }, "expires_at", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := valid()
			c.edit(&in)
			inv, err := buildInvoice(in, def, now)
			if c.param != "" {
				if ae, ok := apperr.As(err); !ok || ae.Param != c.param {
					t.Fatalf("err %v, want one naming %s", err, c.param)
				}
				return
			}
			if err != nil || !c.check(inv) {
				t.Fatalf("got %+v, %v", inv, err)
			}
		})
	}
}

func TestIsEmailQuery(t *testing.T) {
	for q, want := range map[string]bool{"ana@": true, "ana@example.com": true, "@example": false, "ana": false, "INV-0001": false} {
		if got := IsEmailQuery(q); got != want {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
}
