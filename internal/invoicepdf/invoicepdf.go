// Package invoicepdf renders an invoice as an A4 PDF: the merchant's identity with PIB and matični
// broj, the customer (with PIB for a company), the lines, VAT per rate, the total and due date,
// the payment link with its QR code and the IPS QR code with the payment-slip data. DejaVu Sans is
// embedded (its licence is in fonts/LICENSE): it carries Serbian Latin and Cyrillic.
package invoicepdf

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"

	"securelink/internal/domain"
	"securelink/internal/domain/serbia"
	"securelink/internal/invoices"
	"securelink/internal/notify/mail"
	"securelink/internal/qr"
)

//go:embed fonts/DejaVuSans.ttf
var fontRegular []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var fontBold []byte

// Document is what one invoice PDF shows.
type Document struct {
	Invoice  domain.Invoice
	Merchant invoices.CheckoutMerchant
	// LinkURL is the payment link, shown with its QR code while the invoice is open; empty for none.
	LinkURL string
	// IPS is the invoice's IPS QR payment; nil when it has none.
	IPS *invoices.IPSQR
	// Logo is the merchant's PNG, JPEG or SVG logo, drawn at the top right; nil for none.
	Logo *Image
}

const (
	font     = "dejavu"
	pageW    = 210.0
	margin   = 15.0
	contentW = pageW - 2*margin
)

// Render writes the document as a PDF in the invoice's locale.
func Render(d Document) ([]byte, error) {
	inv := d.Invoice
	l, ok := labels[inv.Locale]
	if !ok {
		l = labels[domain.LocaleSrLatn]
	}
	money := func(a int64) string { return formatMoney(a, inv.Currency, inv.Locale) }

	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(l["title"]+" "+inv.Number, true)
	pdf.SetAuthor(d.Merchant.Name, true)
	pdf.SetCreator("SecureLink", true)
	pdf.AddUTF8FontFromBytes(font, "", fontRegular)
	pdf.AddUTF8FontFromBytes(font, "B", fontBold)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.AddPage()
	if d.Logo != nil {
		if err := drawLogo(pdf, *d.Logo); err != nil {
			return nil, err
		}
		// The logo takes the top right; the title starts below it.
		pdf.SetY(pdf.GetY() + 20)
	}

	// Title and number.
	pdf.SetFont(font, "B", 18)
	pdf.CellFormat(contentW*0.6, 10, l["title"]+" "+inv.Number, "", 0, "L", false, 0, "")
	if inv.Status == domain.InvoicePaid || inv.Status == domain.InvoicePartiallyRefunded || inv.Status == domain.InvoiceRefunded {
		pdf.SetTextColor(0, 128, 0)
		pdf.CellFormat(contentW*0.4, 10, l["status_paid"], "", 0, "R", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	}
	pdf.Ln(12)
	if !inv.Livemode {
		testBanner(pdf, l["test_mode"])
	}

	// Seller and buyer side by side.
	top := pdf.GetY()
	colW := contentW/2 - 4
	seller := []string{firstNonEmpty(d.Merchant.LegalName, d.Merchant.Name), d.Merchant.Address}
	if d.Merchant.PIB != "" {
		seller = append(seller, l["pib"]+": "+d.Merchant.PIB)
	}
	if d.Merchant.MB != "" {
		seller = append(seller, l["mb"]+": "+d.Merchant.MB)
	}
	seller = append(seller, d.Merchant.SupportEmail)
	buyer := []string{inv.Customer.Name, inv.Customer.Address, inv.Customer.Email}
	if inv.Customer.PIB != "" {
		buyer = append(buyer, l["pib"]+": "+inv.Customer.PIB)
	}
	if inv.Customer.MB != "" {
		buyer = append(buyer, l["mb"]+": "+inv.Customer.MB)
	}
	block(pdf, margin, top, colW, l["seller"], seller)
	yLeft := pdf.GetY()
	block(pdf, margin+contentW/2+4, top, colW, l["buyer"], buyer)
	pdf.SetY(max(yLeft, pdf.GetY()) + 4)

	// Dates and reference.
	pdf.SetFont(font, "", 10)
	pdf.CellFormat(contentW, 6, l["issued"]+": "+formatDate(inv.CreatedAt, inv.Locale)+"    "+l["due"]+": "+formatDate(inv.ExpiresAt, inv.Locale), "", 1, "L", false, 0, "")
	if inv.Reference != "" {
		pdf.CellFormat(contentW, 6, l["reference"]+": "+inv.Reference, "", 1, "L", false, 0, "")
	}
	// The payer's answers to the custom fields of the reusable link the invoice is an order of,
	// under the merchant's own labels.
	for _, a := range inv.CustomFields {
		pdf.MultiCell(contentW, 5, a.Label+": "+a.Value, "", "L", false)
	}
	if inv.Description != "" {
		pdf.MultiCell(contentW, 5, inv.Description, "", "L", false)
	}
	pdf.Ln(3)

	// Lines.
	widths := []float64{contentW - 100, 14, 30, 16, 40}
	pdf.SetFont(font, "B", 9)
	pdf.SetFillColor(235, 238, 242)
	for i, h := range []string{l["description"], l["qty"], l["unit"], l["vat"], l["amount"]} {
		align := "R"
		if i == 0 {
			align = "L"
		}
		pdf.CellFormat(widths[i], 7, h, "B", 0, align, true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont(font, "", 9)
	for _, ln := range inv.Lines {
		desc := ln.Description
		if pdf.GetStringWidth(desc) > widths[0]-2 {
			for pdf.GetStringWidth(desc+"…") > widths[0]-2 && len([]rune(desc)) > 1 {
				r := []rune(desc)
				desc = string(r[:len(r)-1])
			}
			desc += "…"
		}
		pdf.CellFormat(widths[0], 6, desc, "B", 0, "L", false, 0, "")
		pdf.CellFormat(widths[1], 6, strconv.FormatInt(ln.Quantity, 10), "B", 0, "R", false, 0, "")
		pdf.CellFormat(widths[2], 6, money(ln.UnitAmount), "B", 0, "R", false, 0, "")
		pdf.CellFormat(widths[3], 6, formatRate(ln.VATRateBP, inv.Locale), "B", 0, "R", false, 0, "")
		pdf.CellFormat(widths[4], 6, money(ln.Total()), "B", 1, "R", false, 0, "")
	}
	pdf.Ln(3)

	// VAT per rate and the total.
	right := margin + contentW - 90
	pdf.SetFont(font, "B", 9)
	pdf.SetX(right)
	pdf.CellFormat(90, 6, l["vat_summary"]+" ("+l["prices_incl"]+")", "", 1, "L", false, 0, "")
	pdf.SetFont(font, "", 9)
	for _, v := range vatByRate(inv.Lines) {
		pdf.SetX(right)
		pdf.CellFormat(30, 5, l["vat"]+" "+formatRate(v.rate, inv.Locale), "", 0, "L", false, 0, "")
		pdf.CellFormat(30, 5, l["base"]+" "+money(v.total-v.vat), "", 0, "R", false, 0, "")
		pdf.CellFormat(30, 5, money(v.vat), "", 1, "R", false, 0, "")
	}
	pdf.SetFont(font, "B", 12)
	pdf.SetX(right)
	pdf.CellFormat(45, 8, l["total"], "T", 0, "L", false, 0, "")
	pdf.CellFormat(45, 8, money(inv.AmountTotal), "T", 1, "R", false, 0, "")
	if inv.AmountPaid > 0 && inv.AmountPaid < inv.AmountTotal {
		pdf.SetFont(font, "", 10)
		pdf.SetX(right)
		pdf.CellFormat(45, 6, l["paid"], "", 0, "L", false, 0, "")
		pdf.CellFormat(45, 6, money(inv.AmountPaid), "", 1, "R", false, 0, "")
		pdf.SetX(right)
		pdf.CellFormat(45, 6, l["due_amount"], "", 0, "L", false, 0, "")
		pdf.CellFormat(45, 6, money(inv.AmountDue()), "", 1, "R", false, 0, "")
	}
	pdf.Ln(6)

	// How to pay: the link and the IPS QR code side by side.
	if d.LinkURL != "" || d.IPS != nil {
		if pdf.GetY() > 297-margin-75 {
			pdf.AddPage()
		}
		y := pdf.GetY()
		if d.LinkURL != "" {
			pdf.SetFont(font, "B", 10)
			pdf.SetXY(margin, y)
			pdf.CellFormat(colW, 6, l["pay_online"], "", 1, "L", false, 0, "")
			if err := drawQR(pdf, d.LinkURL, margin, y+8, 36); err != nil {
				return nil, err
			}
			pdf.SetFont(font, "", 7)
			pdf.SetXY(margin, y+46)
			pdf.MultiCell(colW, 3.5, d.LinkURL, "", "L", false)
		}
		if d.IPS != nil {
			x := margin + contentW/2 + 4
			if d.LinkURL == "" {
				x = margin
			}
			pdf.SetFont(font, "B", 10)
			pdf.SetXY(x, y)
			pdf.CellFormat(colW, 6, l["ips"], "", 1, "L", false, 0, "")
			if err := drawQR(pdf, d.IPS.Payload, x, y+8, 36); err != nil {
				return nil, err
			}
			pdf.SetFont(font, "", 7)
			pdf.SetXY(x+38, y+8)
			pdf.MultiCell(colW-38, 3.5, l["ips_hint"], "", "L", false)
			pdf.SetFont(font, "", 8)
			slip := [][2]string{
				{l["payee"], d.IPS.Payee},
				{l["account"], serbia.FormatAccount(d.IPS.Account)},
				{l["amount"], money(d.IPS.Amount)},
				{l["payment_code"], d.IPS.PaymentCode},
				{l["purpose"], d.IPS.Purpose},
				{l["model_ref"], modelAndReference(d.IPS.Reference)},
			}
			pdf.SetXY(x, y+46)
			for _, row := range slip {
				pdf.SetX(x)
				pdf.SetFont(font, "", 7)
				pdf.CellFormat(32, 4, row[0]+":", "", 0, "L", false, 0, "")
				pdf.SetFont(font, "B", 8)
				pdf.CellFormat(colW-32, 4, row[1], "", 1, "L", false, 0, "")
			}
		}
	}

	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("invoicepdf: %w", err)
	}
	return out.Bytes(), nil
}

// block writes a titled block of non-empty lines at x, y in width w.
func block(pdf *fpdf.Fpdf, x, y, w float64, title string, lines []string) {
	pdf.SetXY(x, y)
	pdf.SetFont(font, "B", 9)
	pdf.CellFormat(w, 5, strings.ToUpper(title), "", 2, "L", false, 0, "")
	pdf.SetFont(font, "", 10)
	for _, s := range lines {
		if strings.TrimSpace(s) == "" {
			continue
		}
		pdf.SetX(x)
		pdf.MultiCell(w, 5, s, "", "L", false)
	}
}

// drawQR draws the QR code of text as filled squares (vector, so it prints sharp) in a size×size box.
func drawQR(pdf *fpdf.Fpdf, text string, x, y, size float64) error {
	m, err := qr.Matrix(text)
	if err != nil {
		return err
	}
	cell := size / float64(len(m))
	pdf.SetFillColor(0, 0, 0)
	for r, row := range m {
		for c, dark := range row {
			if dark {
				pdf.Rect(x+float64(c)*cell, y+float64(r)*cell, cell, cell, "F")
			}
		}
	}
	return nil
}

type rateTotal struct{ rate, total, vat int64 }

// vatByRate sums the lines per VAT rate, highest rate first.
func vatByRate(lines []domain.InvoiceLine) []rateTotal {
	by := map[int64]*rateTotal{}
	for _, l := range lines {
		t, ok := by[l.VATRateBP]
		if !ok {
			t = &rateTotal{rate: l.VATRateBP}
			by[l.VATRateBP] = t
		}
		t.total += l.Total()
		t.vat += l.VAT()
	}
	out := make([]rateTotal, 0, len(by))
	for _, t := range by {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rate > out[j].rate })
	return out
}

// modelAndReference shows "9720000123" as a payment slip writes it: "97  20000123".
func modelAndReference(ref string) string {
	if len(ref) < 3 {
		return ref
	}
	return ref[:2] + "  " + ref[2:]
}

func firstNonEmpty(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// Source renders the PDF of a merchant's invoice for e-mails (notify.Attachments).
type Source struct {
	Invoices *invoices.Service
}

// InvoicePDF renders an invoice as the attachment "INV-000123.pdf".
func (s Source) InvoicePDF(ctx context.Context, merchantID, invoiceID string) (mail.Attachment, error) {
	inv, err := s.Invoices.Get(ctx, merchantID, invoiceID)
	if err != nil {
		return mail.Attachment{}, err
	}
	m, err := s.Invoices.MerchantOf(ctx, merchantID)
	if err != nil {
		return mail.Attachment{}, err
	}
	doc := Document{Invoice: inv, Merchant: m}
	if inv.Link != nil && inv.Link.Status == domain.LinkActive {
		doc.LinkURL = s.Invoices.LinkURL(inv.Link.Token)
	}
	if q, ok := invoices.PaymentQR(inv, m); ok {
		doc.IPS = &q
	}
	b, err := Render(doc)
	if err != nil {
		return mail.Attachment{}, err
	}
	return mail.Attachment{Name: inv.Number + ".pdf", ContentType: "application/pdf", Data: b}, nil
}

// testBanner says, under the title, that the document belongs to test mode: no money moved.
func testBanner(pdf *fpdf.Fpdf, text string) {
	pdf.SetFont(font, "B", 11)
	pdf.SetFillColor(255, 236, 179)
	pdf.SetTextColor(122, 74, 0)
	pdf.CellFormat(contentW, 8, text, "", 1, "C", true, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(3)
}
