package invoicepdf_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"securelink/internal/domain"
	"securelink/internal/invoicepdf"
)

// TestPDFsCallTheRecordAnInvoice reads back an invoice and the receipts that carry most words (a held
// card amount, a recorded bank transfer) per locale: the record is a "račun"/"invoice", never an order,
// and the invoice's section for paying through the bank and a recorded bank transfer are both
// "Uplata preko banke", so the bank account is not mistaken for the invoice.
func TestPDFsCallTheRecordAnInvoice(t *testing.T) {
	t.Parallel()
	order := map[string]*regexp.Regexp{
		domain.LocaleSrLatn: regexp.MustCompile(`(?i)porudžbin|porudzbin`),
		domain.LocaleSrCyrl: regexp.MustCompile(`(?i)поруџбин`),
		domain.LocaleEn:     regexp.MustCompile(`(?i)\border`),
	}
	cases := []struct {
		locale, invoice, transfer string
	}{
		{domain.LocaleSrLatn, "Račun INV-000123", "Uplata preko banke"},
		{domain.LocaleSrCyrl, "Рачун INV-000123", "Уплата преко банке"},
		{domain.LocaleEn, "Invoice INV-000123", "Bank transfer"},
	}
	paid := time.Date(2026, 12, 2, 10, 5, 0, 0, time.UTC)
	for _, tc := range cases {
		t.Run(tc.locale, func(t *testing.T) {
			t.Parallel()
			doc := sample(tc.locale)
			inv, err := invoicepdf.Render(doc)
			if err != nil {
				t.Fatal(err)
			}
			held, err := invoicepdf.RenderReceipt(invoicepdf.Receipt{Invoice: doc.Invoice, Merchant: doc.Merchant,
				Status: domain.PaymentAuthorized, Method: domain.MethodCard, CardBrand: "visa", CardLast4: "4242", PaidAt: paid,
				AmountReserved: doc.Invoice.AmountTotal})
			if err != nil {
				t.Fatal(err)
			}
			transfer, err := invoicepdf.RenderReceipt(invoicepdf.Receipt{Invoice: doc.Invoice, Merchant: doc.Merchant,
				Status: domain.PaymentCaptured, Method: domain.MethodBankTransfer, PaidAt: paid,
				AmountReserved: doc.Invoice.AmountTotal, AmountCaptured: doc.Invoice.AmountTotal})
			if err != nil {
				t.Fatal(err)
			}
			texts := map[string]string{"invoice": text(t, inv), "held receipt": text(t, held), "transfer receipt": text(t, transfer)}
			for name, got := range texts {
				if m := order[tc.locale].FindString(got); m != "" {
					t.Errorf("the %s calls the invoice %q:\n%s", name, m, got)
				}
			}
			if !strings.Contains(texts["invoice"], tc.invoice) {
				t.Errorf("the invoice lacks %q:\n%s", tc.invoice, texts["invoice"])
			}
			if !strings.Contains(texts["invoice"], tc.transfer) {
				t.Errorf("the invoice's bank section is not headed %q:\n%s", tc.transfer, texts["invoice"])
			}
			if !strings.Contains(texts["transfer receipt"], tc.transfer) {
				t.Errorf("the transfer receipt lacks %q:\n%s", tc.transfer, texts["transfer receipt"])
			}
		})
	}
}
