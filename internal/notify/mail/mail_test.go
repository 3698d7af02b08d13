package mail

import (
	"strings"
	"testing"
	"time"

	"securelink/internal/domain"
)

func TestFormatMoney(t *testing.T) {
	for _, c := range []struct {
		amount   int64
		currency string
		locale   string
		want     string
	}{
		{123456, "RSD", domain.LocaleSrLatn, "1.234,56 RSD"},
		{123456, "RSD", domain.LocaleSrCyrl, "1.234,56 RSD"},
		{123456, "RSD", domain.LocaleEn, "RSD 1,234.56"},
		{5, "EUR", domain.LocaleSrLatn, "0,05 EUR"},
		{100000000000, "EUR", domain.LocaleEn, "EUR 1,000,000,000.00"},
		{1234567, "JPY", domain.LocaleSrLatn, "1.234.567 JPY"},
		{1234567, "JPY", domain.LocaleEn, "JPY 1,234,567"},
		{1234567, "KWD", domain.LocaleEn, "KWD 1,234.567"},
		{-120000, "RSD", domain.LocaleSrLatn, "-1.200,00 RSD"},
		{999, "USD", domain.LocaleEn, "USD 9.99"},
		{0, "RSD", domain.LocaleSrLatn, "0,00 RSD"},
	} {
		if got := FormatMoney(c.amount, c.currency, c.locale); got != c.want {
			t.Errorf("FormatMoney(%d, %s, %s) = %q, want %q", c.amount, c.currency, c.locale, got, c.want)
		}
	}
}

func TestEveryLocaleHasEveryKey(t *testing.T) {
	for loc, msgs := range catalog {
		for key := range catalog[domain.LocaleEn] {
			if msgs[key] == "" {
				t.Errorf("%s lacks %s", loc, key)
			}
		}
	}
}

func TestRenderEscapesAndShowsOnlyLast4(t *testing.T) {
	for _, kind := range Kinds {
		for _, loc := range []string{domain.LocaleSrLatn, domain.LocaleSrCyrl, domain.LocaleEn} {
			r, err := Render(Message{Kind: kind, Locale: loc, MerchantName: `Ana <script>alert(1)</script>`, InvoiceNumber: "INV-000007",
				CustomerName: "Pera", Currency: "RSD", Total: 240000, Amount: 240000, CardBrand: "mastercard", CardLast4: "4444",
				Lines:   []domain.InvoiceLine{{Description: `<b>Usluga</b>`, Quantity: 2, UnitAmount: 120000}},
				LinkURL: "http://localhost:8080/pay/abc", ExpiresAt: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatalf("%s/%s: %v", kind, loc, err)
			}
			if strings.Contains(r.HTML, "<script>") || strings.Contains(r.HTML, "<b>Usluga") {
				t.Errorf("%s/%s: HTML not escaped", kind, loc)
			}
			if r.Subject == "" || strings.Contains(r.Subject, "subject.") || strings.Contains(r.Text, "intro.") {
				t.Errorf("%s/%s: missing translation: %q", kind, loc, r.Subject)
			}
			if kind != KindPaymentLink && kind != KindPasswordReset && !strings.Contains(r.Text, "Mastercard •••• 4444") {
				t.Errorf("%s/%s: card not shown as brand and last 4:\n%s", kind, loc, r.Text)
			}
			if !strings.Contains(r.HTML, `lang="`+loc+`"`) {
				t.Errorf("%s/%s: html lang missing", kind, loc)
			}
		}
	}
}

func TestNewSMTPReadsTheURL(t *testing.T) {
	for _, c := range []struct {
		url, from string
		ok        bool
		describe  string
	}{
		{"smtp://u:p@mail.example.com:587", "a@b.example", true, "smtp://mail.example.com:587"},
		{"smtp://mail.example.com", "a@b.example", true, "smtp://mail.example.com:587"},
		{"smtps://u:p@mail.example.com", "SecureLink <a@b.example>", true, "smtps://mail.example.com:465"},
		{"smtp://mail.example.com:2525?starttls=required", "a@b.example", true, "smtp://mail.example.com:2525"},
		{"smtp://relay:25?starttls=never", "a@b.example", true, "smtp://relay:25"},
		{"smtps://relay?starttls=never", "a@b.example", false, ""},
		{"smtp://relay?starttls=maybe", "a@b.example", false, ""},
		{"http://mail.example.com", "a@b.example", false, ""},
		{"smtp://", "a@b.example", false, ""},
		{"smtp://mail.example.com", "not an address", false, ""},
	} {
		s, err := NewSMTP(c.url, c.from)
		if (err == nil) != c.ok {
			t.Errorf("NewSMTP(%q, %q): err %v, want ok=%v", c.url, c.from, err, c.ok)
			continue
		}
		if c.ok && s.Describe() != c.describe {
			t.Errorf("Describe() = %q, want %q", s.Describe(), c.describe)
		}
		if c.ok && s.MessageID("em_1") != "em_1@b.example" {
			t.Errorf("MessageID = %q", s.MessageID("em_1"))
		}
	}
}

// TestCatalogueCoversEveryKind: every kind has its subject and introduction in every locale, so a
// new kind cannot reach a payer as a raw key.
func TestCatalogueCoversEveryKind(t *testing.T) {
	for _, loc := range []string{domain.LocaleSrLatn, domain.LocaleSrCyrl, domain.LocaleEn} {
		for _, kind := range Kinds {
			for _, key := range []string{"subject." + string(kind), "intro." + string(kind)} {
				if catalog[loc][key] == "" {
					t.Errorf("%s lacks %s", loc, key)
				}
			}
		}
	}
}

// TestPasswordResetMailCarriesOnlyTheLink: the password-reset e-mail names the user, carries the link
// in both parts and says how long it works, in every locale, with nothing about invoices or cards.
func TestPasswordResetMailCarriesOnlyTheLink(t *testing.T) {
	for _, c := range []struct{ loc, subject, valid string }{
		{domain.LocaleEn, "Set a new password", "for one hour"},
		{domain.LocaleSrLatn, "Nova lozinka", "sat vremena"},
		{domain.LocaleSrCyrl, "Нова лозинка", "сат времена"},
	} {
		r, err := Render(Message{Kind: KindPasswordReset, Locale: c.loc, MerchantName: "Pekara <Mika>", CustomerName: "Mika",
			LinkURL: "http://localhost:8080/portal/reset-password/tok_abc"})
		if err != nil {
			t.Fatalf("%s: %v", c.loc, err)
		}
		if !strings.Contains(r.Subject, c.subject) {
			t.Errorf("%s: subject %q", c.loc, r.Subject)
		}
		for _, part := range []string{r.Text, r.HTML} {
			if !strings.Contains(part, "/portal/reset-password/tok_abc") || !strings.Contains(part, c.valid) || !strings.Contains(part, "Mika") {
				t.Errorf("%s: part lacks the link, its validity or the name:\n%s", c.loc, part)
			}
			if strings.Contains(part, "{") || strings.Contains(part, "/pay/") {
				t.Errorf("%s: unfilled placeholder or a pay link:\n%s", c.loc, part)
			}
		}
		if strings.Contains(r.HTML, "<Mika>") {
			t.Errorf("%s: HTML not escaped", c.loc)
		}
	}
}

// TestBrandColourAccents: the merchant's brand colour paints the e-mail's top border and its pay
// button, with the text colour chosen for contrast; no colour or a bad one keeps the product's blue.
func TestBrandColourAccents(t *testing.T) {
	for _, tc := range []struct {
		brand, border, button string
	}{
		{"#ffd400", "border-top:6px solid #ffd400", "background:#ffd400;color:#000000"},
		{"#0B3D2E", "border-top:6px solid #0b3d2e", "background:#0b3d2e;color:#ffffff"},
		{"", "border-top:6px solid #1a56db", "background:#1a56db;color:#ffffff"},
		{"red;background:url(x)", "border-top:6px solid #1a56db", "background:#1a56db;color:#ffffff"},
	} {
		for _, kind := range []Kind{KindPaymentLink, KindReminder} {
			r, err := Render(Message{Kind: kind, Locale: "sr-Latn", BrandColor: tc.brand, MerchantName: "Radnja", InvoiceNumber: "INV-1",
				Currency: "RSD", Total: 1000, LinkURL: "https://pay.example/pay/t"})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(r.HTML, tc.border) || !strings.Contains(r.HTML, tc.button) {
				t.Errorf("%s %q: want %q and %q in\n%s", kind, tc.brand, tc.border, tc.button, r.HTML)
			}
		}
	}
}

// TestFillPutsEachNameOnce: sentences take their values by name; a brace that names nothing known
// stays, and a value is never filled again.
func TestFillPutsEachNameOnce(t *testing.T) {
	vars := map[string]string{"merchant": "Ana {customer}", "customer": "Pera", "amount": "1.000,00 RSD"}
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"no names", "no names"},
		{"{merchant}", "Ana {customer}"},
		{"Hello {customer}, pay {amount}.", "Hello Pera, pay 1.000,00 RSD."},
		{"{unknown} {customer}", "{unknown} Pera"},
		{"{{customer}}", "{Pera}"},
		{"open { only", "open { only"},
		{"tail {customer", "tail {customer"},
		{"{customer}{customer}", "PeraPera"},
	} {
		if got := fill(c.in, vars); got != c.want {
			t.Errorf("fill(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
