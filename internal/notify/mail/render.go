// Package mail renders SecureLink's e-mails (HTML and plain text, per locale) and sends them over SMTP.
package mail

import (
	"strconv"
	"strings"
	"time"

	"securelink/internal/domain"
)

// Kind says what an e-mail is about. This is the one list of e-mail kinds: the outbox stores it, the
// API publishes it (openapi.yaml's Email.kind) and the portal names each one; a test checks they agree.
type Kind string

// The kinds of e-mail Render knows.
const (
	KindPaymentLink   Kind = "payment_link"
	KindReceipt       Kind = "receipt"
	KindReceiptCopy   Kind = "receipt_copy" // the merchant's copy of a receipt
	KindRefund        Kind = "refund"
	KindCaptureNotice Kind = "capture_notice"
	KindVoidNotice    Kind = "void_notice"
	// KindAuthorization tells the payer of a pre-authorisation that the amount is reserved, not charged.
	KindAuthorization Kind = "authorization"
	// KindPasswordReset carries a portal user's single-use link to set a new password.
	KindPasswordReset Kind = "password_reset"
	// KindReminder reminds the customer of an unpaid invoice, with the payment link.
	KindReminder Kind = "reminder"
)

// Kinds lists every kind, in the order the API documents them.
var Kinds = []Kind{KindPaymentLink, KindReceipt, KindReceiptCopy, KindRefund, KindCaptureNotice, KindVoidNotice,
	KindAuthorization, KindPasswordReset, KindReminder}

// Message is everything an e-mail may show. Only the card's brand and last four digits ever reach it.
// The outbox stores an e-mail as its Message in JSON and renders it when it is sent or shown, so a
// field is added with omitempty (an older row reads as the zero value) and never renamed.
type Message struct {
	Kind   Kind   `json:"kind"`
	Locale string `json:"locale"`
	// BrandColor is the merchant's "#rrggbb" for the e-mail's accents; empty: the product's blue.
	BrandColor string `json:"brand_color,omitempty"`

	MerchantName      string `json:"merchant_name,omitempty"`
	MerchantLegalName string `json:"merchant_legal_name,omitempty"`
	MerchantAddress   string `json:"merchant_address,omitempty"`
	MerchantTaxID     string `json:"merchant_tax_id,omitempty"`
	SupportEmail      string `json:"support_email,omitempty"`

	CustomerName  string               `json:"customer_name,omitempty"`
	InvoiceNumber string               `json:"invoice_number,omitempty"`
	Reference     string               `json:"reference,omitempty"`
	Description   string               `json:"description,omitempty"`
	Currency      string               `json:"currency,omitempty"`
	Lines         []domain.InvoiceLine `json:"lines,omitempty"`
	Total         int64                `json:"total,omitempty"`
	// Amount is what this e-mail is about: the amount asked, paid, refunded, captured or released.
	Amount    int64  `json:"amount,omitempty"`
	CardBrand string `json:"card_brand,omitempty"`
	CardLast4 string `json:"card_last4,omitempty"`
	// BankTransfer says the invoice was paid by a bank transfer the merchant recorded.
	BankTransfer bool      `json:"bank_transfer,omitempty"`
	LinkURL      string    `json:"link_url,omitempty"`
	ExpiresAt    time.Time `json:"expires_at,omitzero"`
	// LogoURL is the merchant's logo at an absolute address (HTML e-mails load it); empty for none.
	LogoURL string `json:"logo_url,omitempty"`
	// ReceiptURL is the receipt as a PDF, linked from a receipt e-mail; empty for none.
	ReceiptURL string `json:"receipt_url,omitempty"`
	// Test marks an e-mail about test data: its subject starts with "[TEST]" and it says that no
	// real money moves.
	Test bool `json:"test,omitempty"`
}

// Rendered is a finished e-mail.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
}

// row is a labelled value of the summary table.
type row struct{ Label, Value string }

// line is an invoice line as shown.
type line struct{ Description, Quantity, UnitPrice, Total string }

// view is what the templates see: every sentence already in the message's language.
type view struct {
	Lang string
	// Accent and AccentText are the merchant's brand colour and the text colour that reads on it.
	Accent, AccentText string
	Greeting           string
	Intro              string
	Rows               []row
	Lines              []line
	LinesHead          line
	TotalLabel         string
	Total              string
	Button             string
	LinkURL            string
	LinkHint           string
	ValidUntil         string
	Support            string
	Footer             string
	Merchant           string
	Legal              string
	LogoURL            string
	ReceiptURL         string
	ReceiptPDF         string
	// TestNote is said first in an e-mail about test data.
	TestNote string
}

// Render produces the subject, plain text and HTML of m in m.Locale.
func Render(m Message) (Rendered, error) {
	loc, vars := sentenceVars(m)
	if m.Kind == KindPasswordReset {
		return renderAccount(m, loc, vars)
	}
	t := func(key string) string { return tr(loc, key, vars) }
	v := view{Lang: loc, Intro: t("intro." + string(m.Kind)), Footer: t("footer"), Merchant: m.MerchantName, LogoURL: m.LogoURL}
	v.Accent, v.AccentText = accent(m.BrandColor)
	if m.Kind == KindReceipt && m.ReceiptURL != "" {
		v.ReceiptURL, v.ReceiptPDF = m.ReceiptURL, t("receipt_pdf")
	}
	if m.Kind == KindReceiptCopy {
		v.Greeting = t("greeting.merchant")
	} else {
		v.Greeting = t("greeting")
	}
	v.Rows = append(v.Rows, row{t("label.invoice"), m.InvoiceNumber})
	if m.Reference != "" {
		v.Rows = append(v.Rows, row{t("label.reference"), m.Reference})
	}
	if m.Description != "" {
		v.Rows = append(v.Rows, row{t("label.description"), m.Description})
	}
	if m.Kind == KindReceiptCopy && m.CustomerName != "" {
		v.Rows = append(v.Rows, row{t("label.customer"), m.CustomerName})
	}
	if m.CardLast4 != "" {
		v.Rows = append(v.Rows, row{t("label.card"), CardLabel(m.CardBrand, m.CardLast4)})
	} else if m.BankTransfer {
		v.Rows = append(v.Rows, row{t("label.paid_by"), t("method.bank_transfer")})
	}
	switch m.Kind {
	case KindPaymentLink, KindReminder:
		// The request shows the total below and the amount on its button.
	case KindReceipt, KindReceiptCopy:
		v.Rows = append(v.Rows, row{t("label.paid"), vars["amount"]})
	case KindRefund:
		v.Rows = append(v.Rows, row{t("label.refunded"), vars["amount"]})
	case KindCaptureNotice:
		v.Rows = append(v.Rows, row{t("label.captured"), vars["amount"]})
	case KindVoidNotice:
		v.Rows = append(v.Rows, row{t("label.released"), vars["amount"]})
	case KindAuthorization:
		v.Rows = append(v.Rows, row{t("label.reserved"), vars["amount"]})
	case KindPasswordReset:
		// Rendered by renderAccount above.
	}
	v.LinesHead = line{t("label.item"), t("label.quantity"), t("label.unit_price"), t("label.amount")}
	for _, l := range m.Lines {
		v.Lines = append(v.Lines, line{Description: l.Description, Quantity: strconv.FormatInt(l.Quantity, 10),
			UnitPrice: FormatMoney(l.UnitAmount, m.Currency, loc), Total: FormatMoney(l.Total(), m.Currency, loc)})
	}
	v.TotalLabel, v.Total = t("label.total"), FormatMoney(m.Total, m.Currency, loc)
	if m.Kind == KindPaymentLink || m.Kind == KindReminder {
		v.Button, v.LinkURL, v.LinkHint = t("button.pay"), m.LinkURL, t("link_hint")
		if !m.ExpiresAt.IsZero() {
			v.ValidUntil = domain.EndSentence(t("valid_until"))
		}
	}
	if m.SupportEmail != "" && m.Kind != KindReceiptCopy {
		v.Support = t("support")
	}
	legal := []string{}
	for _, s := range []string{m.MerchantLegalName, m.MerchantAddress, m.MerchantTaxID} {
		if s != "" {
			legal = append(legal, s)
		}
	}
	v.Legal = strings.Join(legal, " · ")
	if m.Test {
		v.TestNote = t("test_note")
	}
	return Rendered{Subject: subject(m, loc, vars), Text: v.text(), HTML: v.html()}, nil
}

// Subject is the subject line Render gives m, without rendering its text and HTML (the outbox
// stores the subject and renders the rest when the e-mail is sent or shown).
func Subject(m Message) string {
	loc, vars := sentenceVars(m)
	return subject(m, loc, vars)
}

// sentenceVars gives m's language (English for an unknown one) and the values its sentences fill in.
func sentenceVars(m Message) (string, map[string]string) {
	loc := m.Locale
	if !domain.ValidLocale(loc) {
		loc = domain.LocaleEn
	}
	amount := m.Amount
	if amount == 0 {
		amount = m.Total
	}
	return loc, map[string]string{
		"merchant": m.MerchantName, "customer": m.CustomerName, "number": m.InvoiceNumber,
		"amount": FormatMoney(amount, m.Currency, loc), "email": m.SupportEmail, "date": formatDate(m.ExpiresAt, loc),
	}
}

func subject(m Message, loc string, vars map[string]string) string {
	s := tr(loc, "subject."+string(m.Kind), vars)
	if m.Test && m.Kind != KindPasswordReset {
		s = tr(loc, "subject.test", vars) + " " + s
	}
	return s
}

// CardLabel shows a card as its brand and last four digits, e.g. "Visa •••• 4242".
func CardLabel(brand, last4 string) string {
	names := map[string]string{"visa": "Visa", "mastercard": "Mastercard", "amex": "American Express",
		"dinacard": "DinaCard", "discover": "Discover", "jcb": "JCB", "maestro": "Maestro", "diners": "Diners Club"}
	name, ok := names[strings.ToLower(brand)]
	if !ok {
		name = brand
	}
	return strings.TrimSpace(name + " •••• " + last4)
}

// formatDate shows a day the way the locale writes it: "31. decembra 2026." or "31 December 2026".
func formatDate(t time.Time, locale string) string {
	return domain.LongDate(t, locale)
}

// text is the e-mail's plain-text part.
func (v view) text() string {
	var b strings.Builder
	w := func(parts ...string) {
		for _, p := range parts {
			b.WriteString(p)
		}
	}
	if v.TestNote != "" {
		w(v.TestNote, "\n\n")
	}
	w(v.Greeting, "\n\n", v.Intro, "\n")
	if v.LinkURL != "" {
		w("\n", v.Button, ": ", v.LinkURL, "\n")
		if v.ValidUntil != "" {
			w(v.ValidUntil, "\n")
		}
	}
	w("\n")
	for _, r := range v.Rows {
		w(r.Label, ": ", r.Value, "\n")
	}
	if len(v.Lines) > 0 {
		w("\n")
		for _, l := range v.Lines {
			w("- ", l.Description, ": ", l.Quantity, " × ", l.UnitPrice, " = ", l.Total, "\n")
		}
	}
	w(v.TotalLabel, ": ", v.Total, "\n")
	if v.ReceiptURL != "" {
		w("\n", v.ReceiptPDF, ": ", v.ReceiptURL, "\n")
	}
	if v.Support != "" {
		w("\n", v.Support, "\n")
	}
	w("\n--\n", v.Merchant)
	if v.Legal != "" {
		w("\n", v.Legal)
	}
	w("\n", v.Footer, "\n")
	return b.String()
}

// html is the e-mail's HTML part: one table of inline styles, as e-mail clients need.
func (v view) html() string {
	var m markup
	m.open(v.Lang, v.Merchant, ";border-top:6px solid "+v.Accent)
	if v.TestNote != "" {
		m.paragraph("margin:0 0 16px;padding:8px 12px;background:#fef3c7;color:#78350f;border-radius:6px;font-weight:bold", v.TestNote)
	}
	if v.LogoURL != "" {
		m.tag(`<p style="margin:0 0 12px"><img src="`)
		m.url(v.LogoURL)
		m.tag(`" alt="`)
		m.text(v.Merchant)
		m.tag(`" height="48" style="display:block;max-height:48px;max-width:200px;height:auto;width:auto;border:0"></p>`)
	}
	m.wrap("\n"+`<h1 style="font-size:20px;margin:0 0 16px">`, v.Merchant, "</h1>\n")
	m.paragraph("margin:0 0 12px", v.Greeting)
	m.paragraph("margin:0 0 20px", v.Intro)
	if v.LinkURL != "" {
		m.button(v.LinkURL, v.Accent, v.AccentText, v.Button)
		m.linkHint(v.LinkHint, v.LinkURL)
		if v.ValidUntil != "" {
			m.wrap(`<p style="margin:0 0 20px;font-size:13px;color:#52606d">`, v.ValidUntil, "</p>")
		}
	}
	m.tag("\n" + `<table role="presentation" width="100%" cellpadding="4" cellspacing="0" style="margin:0 0 16px;font-size:14px">` + "\n")
	for _, r := range v.Rows {
		m.wrap(`<tr><td style="color:#52606d">`, r.Label, `</td>`)
		m.wrap(`<td style="text-align:right">`, r.Value, "</td></tr>\n")
	}
	m.tag("</table>\n")
	if len(v.Lines) > 0 {
		m.tag(`<table width="100%" cellpadding="6" cellspacing="0" style="border-collapse:collapse;font-size:14px">` + "\n")
		m.wrap(`<thead><tr style="border-bottom:1px solid #d9e2ec"><th style="text-align:left">`, v.LinesHead.Description, "</th>")
		m.wrap(`<th style="text-align:right">`, v.LinesHead.Quantity, "</th>")
		m.wrap(`<th style="text-align:right">`, v.LinesHead.UnitPrice, "</th>")
		m.wrap(`<th style="text-align:right">`, v.LinesHead.Total, "</th></tr></thead>\n<tbody>")
		for _, l := range v.Lines {
			m.wrap(`<tr style="border-bottom:1px solid #f0f4f8"><td>`, l.Description, "</td>")
			m.wrap(`<td style="text-align:right">`, l.Quantity, "</td>")
			m.wrap(`<td style="text-align:right;white-space:nowrap">`, l.UnitPrice, "</td>")
			m.wrap(`<td style="text-align:right;white-space:nowrap">`, l.Total, "</td></tr>\n")
		}
		m.tag("</tbody>\n</table>")
	}
	m.wrap("\n"+`<p style="margin:12px 0 20px;font-size:16px;text-align:right"><strong>`, v.TotalLabel, ": ")
	m.wrap("", v.Total, "</strong></p>\n")
	if v.ReceiptURL != "" {
		m.tag(`<p style="margin:0 0 16px"><a href="`)
		m.url(v.ReceiptURL)
		m.wrap(`" style="color:#1a56db">`, v.ReceiptPDF, "</a></p>")
	}
	m.tag("\n")
	if v.Support != "" {
		m.wrap(`<p style="margin:0 0 12px;font-size:13px">`, v.Support, "</p>")
	}
	m.wrap("\n"+`<p style="margin:16px 0 0;font-size:12px;color:#7b8794">`, v.Merchant, "")
	if v.Legal != "" {
		m.wrap("<br>", v.Legal, "")
	}
	m.wrap("<br>", v.Footer, "</p>\n")
	m.close()
	return m.String()
}

// productAccent is the e-mails' accent when the merchant chose no brand colour.
const productAccent = "#1a56db"

// accent is the e-mail's accent colour and the text colour on it (WCAG AA, domain.BrandTextColor);
// anything but a valid "#rrggbb" gives the product's blue.
func accent(brand string) (string, string) {
	c, ok := domain.NormalizeBrandColor(brand)
	if !ok || c == "" {
		return productAccent, "#ffffff"
	}
	return c, domain.BrandTextColor(c)
}
