package invoicepdf_test

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"securelink/internal/domain"
	"securelink/internal/invoicepdf"
	"securelink/internal/invoices"
)

// text extracts the text of a PDF with poppler's pdftotext (Debian's poppler-utils, which
// `make test` installs): a PDF reader used by people, reading the fonts' ToUnicode maps as they do.
func text(t *testing.T, b []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing: run make test, which installs poppler-utils")
		}
		t.Skip("pdftotext is missing (apt-get install poppler-utils, or make test)")
	}
	cmd := exec.Command(bin, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func sample(locale string) invoicepdf.Document {
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	inv := domain.Invoice{ID: "inv_1", Number: "INV-000123", Status: domain.InvoiceOpen, Currency: "RSD", Locale: locale,
		Customer:  domain.Customer{Name: "Ђорђе Ђурић д.о.о.", Email: "djordje@example.rs", Address: "Žička 5, Čačak", PIB: "101134702", MB: "12345676"},
		CreatedAt: at, ExpiresAt: at.Add(30 * 24 * time.Hour), Description: "Šljivovica, džem i ćevapi",
		Lines: []domain.InvoiceLine{
			{Description: "Ćevapčići, porcija", Quantity: 2, UnitAmount: 120000, VATRateBP: 2000},
			{Description: "Хлеб", Quantity: 1, UnitAmount: 10000, VATRateBP: 1000},
		}}
	inv.AmountTotal, inv.AmountVAT, _ = domain.InvoiceTotals(inv.Lines)
	m := invoices.CheckoutMerchant{Name: "Pekara Mika", LegalName: "Pekara Mika d.o.o.", Address: "Kneza Miloša 1, Beograd",
		PIB: "100002887", MB: "07014638", SupportEmail: "mika@pekara.rs",
		IPS: invoices.IPSSettings{Enabled: true, Account: "160000000012345654", Payee: "Pekara Mika, Beograd", PaymentCode: "221"}}
	q, _ := invoices.PaymentQR(inv, m)
	return invoicepdf.Document{Invoice: inv, Merchant: m, LinkURL: "http://localhost:8080/pay/tok", IPS: &q}
}

func TestRenderCarriesSerbianText(t *testing.T) {
	tests := []struct {
		locale string
		want   []string
	}{
		{domain.LocaleSrLatn, []string{"Račun INV-000123", "2.500,00 RSD", "Ćevapčići", "Ђорђе Ђурић", "Žička 5, Čačak", "džem",
			"PIB: 100002887", "Matični broj: 07014638", "PIB: 101134702", "160-0000000123456-54", "97 20000123", "Šifra plaćanja", "221"}},
		{domain.LocaleSrCyrl, []string{"Рачун INV-000123", "2.500,00 RSD", "Хлеб", "ПИБ: 100002887", "Укупно", "Ђорђе"}},
		{domain.LocaleEn, []string{"Invoice INV-000123", "2,500.00 RSD", "Tax ID (PIB): 100002887", "Total"}},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			b, err := invoicepdf.Render(sample(tt.locale))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("/FontFile2")) {
				t.Fatalf("not a PDF with an embedded TrueType font (%d bytes)", len(b))
			}
			got := text(t, b)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("PDF text lacks %q; it reads:\n%s", w, got)
				}
			}
		})
	}
}

// TestTestInvoicesSayTest: a test invoice's PDF says that no real money moves, in its language; a
// live one says nothing of the kind.
func TestTestInvoicesSayTest(t *testing.T) {
	tests := []struct {
		locale, want string
	}{
		{domain.LocaleEn, "TEST MODE: no real money moves"},
		{domain.LocaleSrLatn, "TEST REŽIM: pravi novac se ne prenosi"},
		{domain.LocaleSrCyrl, "ТЕСТ РЕЖИМ: прави новац се не преноси"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			for _, live := range []bool{false, true} {
				d := sample(tt.locale)
				d.Invoice.Livemode = live
				b, err := invoicepdf.Render(d)
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Contains(text(t, b), tt.want); got == live {
					t.Errorf("livemode %v: the PDF says %q: %v", live, tt.want, got)
				}
			}
		})
	}
}
