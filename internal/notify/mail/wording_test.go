package mail

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"securelink/internal/domain"
)

// TestCatalogReadsTheSameForEveryone: no sentence depends on the gender of the shop or the payer
// ("je primio", "vratio/la", "Poštovani/a"), and an invoice is never a "faktura".
func TestCatalogReadsTheSameForEveryone(t *testing.T) {
	t.Parallel()
	gendered := regexp.MustCompile(`(?i)(/la\b|/ла|/a |/а |primio|примио|vratio|вратио|naplatio|наплатио|poništio|поништио|platio|платио|poštovani|поштовани)`)
	faktura := regexp.MustCompile(`(?i)(faktur|фактур)`)
	for locale, msgs := range catalog {
		for key, s := range msgs {
			if m := gendered.FindString(s); m != "" {
				t.Errorf("%s %s: %q depends on gender (%q)", locale, key, s, m)
			}
			if m := faktura.FindString(s); m != "" {
				t.Errorf("%s %s: %q calls the invoice %q", locale, key, s, m)
			}
		}
	}
}

// TestDatesUseTheGenitiveAndOneFullStop renders a link e-mail per locale and reads its date.
func TestDatesUseTheGenitiveAndOneFullStop(t *testing.T) {
	t.Parallel()
	cases := []struct{ locale, want string }{
		{domain.LocaleSrLatn, "Link važi do 1. januara 2027."},
		{domain.LocaleSrCyrl, "Линк важи до 1. јануара 2027."},
		{domain.LocaleEn, "The link is valid until 1 January 2027."},
	}
	for _, tc := range cases {
		r, err := Render(Message{Kind: KindPaymentLink, Locale: tc.locale, MerchantName: "Radnja Zora", CustomerName: "Ana",
			InvoiceNumber: "INV-000001", Currency: "RSD", Total: 2850050, LinkURL: "https://pay.example/pay/abc",
			ExpiresAt: time.Date(2027, 1, 1, 10, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		for _, body := range []string{r.Text, r.HTML} {
			if !strings.Contains(body, tc.want) {
				t.Errorf("%s: %q missing in\n%s", tc.locale, tc.want, body)
			}
			if strings.Contains(body, "..") {
				t.Errorf("%s: two full stops in\n%s", tc.locale, body)
			}
		}
	}
}

// TestReceiptShowsLogoAndPDFLink: an HTML receipt loads the logo by its absolute address and links
// the receipt PDF; the plain text carries the link too.
func TestReceiptShowsLogoAndPDFLink(t *testing.T) {
	t.Parallel()
	const logo = "https://pay.example/api/v1/logos/" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.png"
	const pdf = "https://pay.example/api/v1/checkout/tok/receipt.pdf"
	for _, loc := range []string{domain.LocaleSrLatn, domain.LocaleSrCyrl, domain.LocaleEn} {
		r, err := Render(Message{Kind: KindReceipt, Locale: loc, MerchantName: "Radnja Zora", CustomerName: "Ana",
			InvoiceNumber: "INV-000001", Currency: "RSD", Total: 100000, Amount: 100000, LogoURL: logo, ReceiptURL: pdf})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.HTML, `<img src="`+logo+`"`) {
			t.Errorf("%s: the HTML does not load the logo:\n%s", loc, r.HTML)
		}
		if !strings.Contains(r.HTML, `href="`+pdf+`"`) || !strings.Contains(r.Text, pdf) {
			t.Errorf("%s: the receipt PDF is not linked", loc)
		}
		if !strings.Contains(r.Text, tr(loc, "receipt_pdf", nil)) {
			t.Errorf("%s: no words for the PDF link", loc)
		}
	}
}

// TestCatalogCallsTheRecordAnInvoice: every e-mail sentence calls the merchant's record a "račun" /
// "рачун" / "invoice", never an order, and names a bank transfer "Uplata preko banke" in both Serbian
// scripts alike, so the payer's bank account is not mistaken for the invoice.
func TestCatalogCallsTheRecordAnInvoice(t *testing.T) {
	t.Parallel()
	order := map[string]*regexp.Regexp{
		domain.LocaleSrLatn: regexp.MustCompile(`(?i)porudžbin|porudzbin`),
		domain.LocaleSrCyrl: regexp.MustCompile(`(?i)поруџбин`),
		domain.LocaleEn:     regexp.MustCompile(`(?i)\border`),
	}
	for locale, re := range order {
		msgs, ok := catalog[locale]
		if !ok {
			t.Fatalf("no catalogue for %s", locale)
		}
		for key, s := range msgs {
			if m := re.FindString(s); m != "" {
				t.Errorf("%s %s: %q calls the invoice %q", locale, key, s, m)
			}
		}
	}
	want := map[string]map[string]string{
		"label.invoice":        {domain.LocaleSrLatn: "Račun", domain.LocaleSrCyrl: "Рачун", domain.LocaleEn: "Invoice"},
		"method.bank_transfer": {domain.LocaleSrLatn: "Uplata preko banke", domain.LocaleSrCyrl: "Уплата преко банке", domain.LocaleEn: "Bank transfer"},
	}
	for key, byLocale := range want {
		for locale, w := range byLocale {
			if got := tr(locale, key, nil); got != w {
				t.Errorf("%s %s = %q, want %q", locale, key, got, w)
			}
		}
	}
	// Both scripts say the same: a sentence that speaks of the invoice in one speaks of it in the other.
	for key, latin := range catalog[domain.LocaleSrLatn] {
		cyr := catalog[domain.LocaleSrCyrl][key]
		if strings.Contains(strings.ToLower(latin), "račun") != strings.Contains(strings.ToLower(cyr), "рачун") {
			t.Errorf("%s: the scripts disagree about the invoice: %q / %q", key, latin, cyr)
		}
	}
}
