package api

import (
	"bytes"
	"encoding/json"
	"html"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"securelink/internal/domain"
	"securelink/internal/notify/mail"
)

// checkoutPageData is what the checkout's HTML carries so the invoice paints after one round trip:
// the checkout as GET /checkout/{token} answers it and the invoice's currency.
type checkoutPageData struct {
	Checkout   CheckoutResponse   `json:"checkout"`
	Currencies []CurrencyResponse `json:"currencies"`
}

// previewWords are the link preview's words per locale (a chat app shows them under the title).
var previewWords = map[string]struct{ invoice, pay string }{
	domain.LocaleEn:     {"Invoice", "Pay securely by card"},
	domain.LocaleSrLatn: {"Račun", "Bezbedno plaćanje karticom"},
	domain.LocaleSrCyrl: {"Рачун", "Безбедно плаћање картицом"},
}

// dictionarySources are the checkout's language chunks in the build manifest.
var dictionarySources = map[string]string{
	domain.LocaleEn:     "src/lib/messages-en.ts",
	domain.LocaleSrLatn: "src/lib/messages-sr-latn.ts",
	domain.LocaleSrCyrl: "src/lib/messages-sr-cyrl.ts",
}

// checkoutPage renders /pay/{token}: the title and Open Graph tags a link preview shows (the
// merchant, the invoice's description and amount; never the customer), the invoice's language on
// <html>, a preload of that language's texts, and the checkout's data. Unknown links get the page
// as built, and the app says why.
func (s *Server) checkoutPage(index []byte, man viteManifest) func(c echo.Context, rel string) []byte {
	return func(c echo.Context, rel string) []byte {
		if token, ok := strings.CutPrefix(rel, "l/"); ok && len(index) > 0 && token != "" && !strings.ContainsAny(token, "/.") && len(token) <= 100 {
			return s.linkPage(c, index, man, token)
		}
		if len(index) == 0 || rel == "" || strings.ContainsAny(rel, "/.") || len(rel) > 100 {
			return nil
		}
		co, err := s.d.Invoices.ResolveLink(c.Request().Context(), rel)
		if err != nil {
			return nil
		}
		out, err := s.checkoutResponse(c, co)
		if err != nil {
			return nil
		}
		inv := co.Invoice
		loc := inv.Locale
		if !domain.ValidLocale(loc) {
			loc = domain.LocaleSrLatn
		}
		words := previewWords[loc]
		amount := mail.FormatMoney(inv.AmountTotal, inv.Currency, loc)
		title := co.Merchant.Name
		if d := shorten(inv.Description, 90); d != "" {
			title += ": " + d
		}
		title += " – " + amount
		desc := words.invoice + " " + inv.Number + " · " + amount + " · " + words.pay

		esc := html.EscapeString
		head := s.previewHead(title, desc, loc, co.Merchant.LogoFile)

		data := checkoutPageData{Checkout: out, Currencies: []CurrencyResponse{}}
		for _, cur := range currencyList {
			if cur.Code == inv.Currency {
				data.Currencies = append(data.Currencies, cur)
			}
		}
		// json.Marshal writes <, > and & as \u003c…, so the data cannot end the script element.
		blob, err := json.Marshal(data)
		if err != nil {
			return nil
		}
		var tail strings.Builder
		for _, f := range man.chunkFiles(dictionarySources[loc]) {
			tail.WriteString(`    <link rel="modulepreload" crossorigin href="/pay/` + esc(f) + "\" />\n")
		}
		tail.WriteString(`    <script type="application/json" id="checkout-data">`)
		tail.Write(blob)
		tail.WriteString("</script>\n  </head>")

		page := bytes.Replace(index, []byte("<title>SecureLink</title>"), []byte(head), 1)
		page = bytes.Replace(page, []byte(`<html lang="en">`), []byte(`<html lang="`+esc(loc)+`">`), 1)
		return bytes.Replace(page, []byte("</head>"), []byte(tail.String()), 1)
	}
}

// shorten cuts s to at most n characters, ending with "…" when cut.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// previewHead is the <title> and the tags a link preview shows.
func (s *Server) previewHead(title, desc, loc, logoFile string) string {
	var head strings.Builder
	esc := html.EscapeString
	head.WriteString("<title>" + esc(title) + "</title>\n")
	head.WriteString(`    <meta name="description" content="` + esc(desc) + "\" />\n")
	head.WriteString(`    <meta property="og:type" content="website" />` + "\n")
	head.WriteString(`    <meta property="og:site_name" content="SecureLink" />` + "\n")
	head.WriteString(`    <meta property="og:title" content="` + esc(title) + "\" />\n")
	head.WriteString(`    <meta property="og:description" content="` + esc(desc) + "\" />\n")
	head.WriteString(`    <meta property="og:locale" content="` + esc(strings.ReplaceAll(loc, "-", "_")) + "\" />\n")
	if u := s.absoluteLogoURL(logoFile); u != "" {
		head.WriteString(`    <meta property="og:image" content="` + esc(u) + "\" />\n")
	}
	head.WriteString(`    <meta name="twitter:card" content="summary" />`)
	return head.String()
}

// linkPage renders /pay/l/{token}, the page of a reusable link: the preview a chat app shows (the
// merchant, the link's title and price), the link's language on <html>, a preload of that
// language's texts, and the link as GET /checkout-links/{token} answers it (id "payment-link-data").
// Unknown links get the page as built, and the app says why.
func (s *Server) linkPage(c echo.Context, index []byte, man viteManifest, token string) []byte {
	co, err := s.d.PaymentLinks.Resolve(c.Request().Context(), token)
	if err != nil {
		return nil
	}
	l := co.Link
	loc := l.Locale
	if !domain.ValidLocale(loc) {
		loc = domain.LocaleSrLatn
	}
	var price string
	switch l.Pricing {
	case domain.PricingFixed:
		total, _, _ := domain.InvoiceTotals(l.Lines)
		price = mail.FormatMoney(total, l.Currency, loc)
	case domain.PricingCustom:
		price = mail.FormatMoney(l.AmountMin, l.Currency, loc) + " – " + mail.FormatMoney(l.AmountMax, l.Currency, loc)
	}
	title := co.Merchant.Name + ": " + shorten(l.Title, 90) + " – " + price
	desc := shorten(l.Description, 120)
	if desc != "" {
		desc += " · "
	}
	desc += previewWords[loc].pay
	blob, err := json.Marshal(toLinkCheckout(co, s.emailDelivery()))
	if err != nil {
		return nil
	}
	esc := html.EscapeString
	var tail strings.Builder
	for _, f := range man.chunkFiles(dictionarySources[loc]) {
		tail.WriteString(`    <link rel="modulepreload" crossorigin href="/pay/` + esc(f) + "\" />\n")
	}
	tail.WriteString(`    <script type="application/json" id="payment-link-data">`)
	tail.Write(blob)
	tail.WriteString("</script>\n  </head>")
	page := bytes.Replace(index, []byte("<title>SecureLink</title>"), []byte(s.previewHead(title, desc, loc, co.Merchant.LogoFile)), 1)
	page = bytes.Replace(page, []byte(`<html lang="en">`), []byte(`<html lang="`+esc(loc)+`">`), 1)
	return bytes.Replace(page, []byte("</head>"), []byte(tail.String()), 1)
}
