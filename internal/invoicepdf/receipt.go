package invoicepdf

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"securelink/internal/domain"
	"securelink/internal/invoices"
	"securelink/internal/notify/mail"
)

// Receipt is what a payment receipt shows: the same as the checkout's receipt.
type Receipt struct {
	Invoice  domain.Invoice
	Merchant invoices.CheckoutMerchant
	// Logo is the merchant's PNG, JPEG or SVG logo; nil for none.
	Logo *Image
	// Status is the payment's status: authorized, captured, partially_refunded, refunded or voided.
	Status         domain.PaymentStatus
	Method         domain.PaymentMethod
	CardBrand      string
	CardLast4      string
	PaidAt         time.Time
	Reference      string
	AmountReserved int64
	AmountCaptured int64
	AmountRefunded int64
	VoidedAt       *time.Time
	// Refunds are the refunds made, oldest first.
	Refunds []ReceiptRefund
}

// ReceiptRefund is one refund on a receipt.
type ReceiptRefund struct {
	Amount int64
	At     time.Time
}

// Image is the merchant's logo as uploaded: PNG, JPEG or SVG.
type Image struct {
	ContentType string
	Data        []byte
}

// receiptLabels are the receipt's own words per locale.
var receiptLabels = map[string]map[string]string{
	"en": {
		"title": "Payment receipt", "payer": "Payer", "invoice": "Invoice", "paid_at": "Paid on", "card": "Card",
		"method": "Paid by", "bank_transfer": "Bank transfer", "reference": "Reference", "paid": "Amount paid",
		"reserved": "Reserved on the card", "captured": "Charged", "refunded": "Refunded", "released": "Reservation released",
		"refund_on": "Refund of {amount} on {date}", "released_text": "The reserved amount of {amount} was released on {date} and was not charged.",
		"reserved_text": "The amount is reserved on the card and charged when the merchant confirms the purchase.",
	},
	"sr-Latn": {
		"title": "Potvrda o plaćanju", "payer": "Platilac", "invoice": "Račun", "paid_at": "Datum plaćanja", "card": "Kartica",
		"method": "Način plaćanja", "bank_transfer": "Uplata preko banke", "reference": "Referenca", "paid": "Plaćeno",
		"reserved": "Rezervisano na kartici", "captured": "Naplaćeno", "refunded": "Vraćeno", "released": "Rezervacija poništena",
		"refund_on": "Povraćaj od {amount}, {date}", "released_text": "Rezervisani iznos od {amount} oslobođen je {date} i nije naplaćen.",
		"reserved_text": "Iznos je rezervisan na kartici i biće naplaćen kada prodavac potvrdi kupovinu.",
	},
	"sr-Cyrl": {
		"title": "Потврда о плаћању", "payer": "Платилац", "invoice": "Рачун", "paid_at": "Датум плаћања", "card": "Картица",
		"method": "Начин плаћања", "bank_transfer": "Уплата преко банке", "reference": "Референца", "paid": "Плаћено",
		"reserved": "Резервисано на картици", "captured": "Наплаћено", "refunded": "Враћено", "released": "Резервација поништена",
		"refund_on": "Повраћај од {amount}, {date}", "released_text": "Резервисани износ од {amount} ослобођен је {date} и није наплаћен.",
		"reserved_text": "Износ је резервисан на картици и биће наплаћен када продавац потврди куповину.",
	},
}

// RenderReceipt writes a payment receipt as an A4 PDF in the invoice's locale: the merchant's logo
// and identity, the payer, the lines with VAT, what was paid, charged, refunded or released.
func RenderReceipt(r Receipt) ([]byte, error) {
	inv := r.Invoice
	loc := inv.Locale
	l, ok := labels[loc]
	if !ok {
		loc = domain.LocaleSrLatn
		l = labels[loc]
	}
	rl := receiptLabels[loc]
	money := func(a int64) string { return formatMoney(a, inv.Currency, loc) }
	fill := func(s string, vars map[string]string) string {
		for k, v := range vars {
			s = strings.ReplaceAll(s, "{"+k+"}", v)
		}
		return s
	}

	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(rl["title"]+" "+inv.Number, true)
	pdf.SetAuthor(r.Merchant.Name, true)
	pdf.SetCreator("SecureLink", true)
	pdf.AddUTF8FontFromBytes(font, "", fontRegular)
	pdf.AddUTF8FontFromBytes(font, "B", fontBold)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.AddPage()

	if r.Logo != nil {
		if err := drawLogo(pdf, *r.Logo); err != nil {
			return nil, err
		}
	}
	pdf.SetFont(font, "B", 18)
	pdf.CellFormat(contentW, 10, rl["title"], "", 1, "L", false, 0, "")
	pdf.SetFont(font, "", 11)
	pdf.CellFormat(contentW, 6, rl["invoice"]+" "+inv.Number, "", 1, "L", false, 0, "")
	pdf.Ln(4)
	if !inv.Livemode {
		testBanner(pdf, l["test_mode"])
	}

	top := pdf.GetY()
	colW := contentW/2 - 4
	seller := []string{firstNonEmpty(r.Merchant.LegalName, r.Merchant.Name), r.Merchant.Address}
	if r.Merchant.PIB != "" {
		seller = append(seller, l["pib"]+": "+r.Merchant.PIB)
	}
	if r.Merchant.MB != "" {
		seller = append(seller, l["mb"]+": "+r.Merchant.MB)
	}
	seller = append(seller, r.Merchant.SupportEmail)
	block(pdf, margin, top, colW, l["seller"], seller)
	yLeft := pdf.GetY()
	block(pdf, margin+contentW/2+4, top, colW, rl["payer"], []string{inv.Customer.Name, inv.Customer.Email})
	pdf.SetY(max(yLeft, pdf.GetY()) + 4)

	// The payment.
	rows := [][2]string{}
	if !r.PaidAt.IsZero() {
		rows = append(rows, [2]string{rl["paid_at"], domain.LongDate(r.PaidAt, loc) + " " + r.PaidAt.UTC().Format("15:04") + " UTC"})
	}
	if r.Method == domain.MethodBankTransfer {
		rows = append(rows, [2]string{rl["method"], rl["bank_transfer"]})
	} else if r.CardLast4 != "" {
		rows = append(rows, [2]string{rl["card"], mail.CardLabel(r.CardBrand, r.CardLast4)})
	}
	if r.Reference != "" {
		rows = append(rows, [2]string{rl["reference"], r.Reference})
	}
	if inv.Description != "" {
		rows = append(rows, [2]string{l["description"], inv.Description})
	}
	for _, row := range rows {
		pdf.SetFont(font, "", 10)
		pdf.CellFormat(50, 6, row[0], "", 0, "L", false, 0, "")
		pdf.SetFont(font, "B", 10)
		pdf.MultiCell(contentW-50, 6, row[1], "", "L", false)
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
		pdf.CellFormat(widths[0], 6, clip(pdf, ln.Description, widths[0]-2), "B", 0, "L", false, 0, "")
		pdf.CellFormat(widths[1], 6, strconv.FormatInt(ln.Quantity, 10), "B", 0, "R", false, 0, "")
		pdf.CellFormat(widths[2], 6, money(ln.UnitAmount), "B", 0, "R", false, 0, "")
		pdf.CellFormat(widths[3], 6, formatRate(ln.VATRateBP, loc), "B", 0, "R", false, 0, "")
		pdf.CellFormat(widths[4], 6, money(ln.Total()), "B", 1, "R", false, 0, "")
	}
	pdf.Ln(3)
	right := margin + contentW - 90
	pdf.SetFont(font, "", 9)
	for _, v := range vatByRate(inv.Lines) {
		pdf.SetX(right)
		pdf.CellFormat(30, 5, l["vat"]+" "+formatRate(v.rate, loc), "", 0, "L", false, 0, "")
		pdf.CellFormat(30, 5, l["base"]+" "+money(v.total-v.vat), "", 0, "R", false, 0, "")
		pdf.CellFormat(30, 5, money(v.vat), "", 1, "R", false, 0, "")
	}
	pdf.SetFont(font, "B", 11)
	pdf.SetX(right)
	pdf.CellFormat(45, 7, l["total"], "T", 0, "L", false, 0, "")
	pdf.CellFormat(45, 7, money(inv.AmountTotal), "T", 1, "R", false, 0, "")

	// What happened to the money.
	amounts := [][2]string{}
	switch r.Status {
	case domain.PaymentAuthorized:
		amounts = append(amounts, [2]string{rl["reserved"], money(r.AmountReserved)})
	case domain.PaymentVoided:
		amounts = append(amounts, [2]string{rl["released"], money(r.AmountReserved)})
	case domain.PaymentCaptured, domain.PaymentPartiallyRefunded, domain.PaymentRefunded:
		if r.AmountCaptured < r.AmountReserved && r.Method != domain.MethodBankTransfer {
			amounts = append(amounts, [2]string{rl["reserved"], money(r.AmountReserved)}, [2]string{rl["captured"], money(r.AmountCaptured)})
		} else {
			amounts = append(amounts, [2]string{rl["paid"], money(r.AmountCaptured)})
		}
		if r.AmountRefunded > 0 {
			amounts = append(amounts, [2]string{rl["refunded"], money(r.AmountRefunded)})
		}
	case domain.PaymentProcessing, domain.PaymentRequiresAction, domain.PaymentFailed:
	}
	pdf.SetFont(font, "B", 11)
	for _, a := range amounts {
		pdf.SetX(right)
		pdf.CellFormat(45, 7, a[0], "", 0, "L", false, 0, "")
		pdf.CellFormat(45, 7, a[1], "", 1, "R", false, 0, "")
	}
	pdf.Ln(4)
	pdf.SetFont(font, "", 10)
	for _, f := range r.Refunds {
		pdf.MultiCell(contentW, 5, fill(rl["refund_on"], map[string]string{"amount": money(f.Amount), "date": domain.LongDate(f.At, loc)}), "", "L", false)
	}
	switch {
	case r.Status == domain.PaymentVoided && r.VoidedAt != nil:
		pdf.MultiCell(contentW, 5, fill(rl["released_text"], map[string]string{"amount": money(r.AmountReserved), "date": domain.LongDate(*r.VoidedAt, loc)}), "", "L", false)
	case r.Status == domain.PaymentAuthorized:
		pdf.MultiCell(contentW, 5, rl["reserved_text"], "", "L", false)
	}

	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("invoicepdf: receipt: %w", err)
	}
	return out.Bytes(), nil
}

// drawLogo draws a PNG, JPEG or SVG logo at the top right, at most 45 × 18 mm; an SVG one is
// rasterised first. Other types, and a logo that cannot be read, are left out.
func drawLogo(pdf *fpdf.Fpdf, img Image) error {
	var typ string
	data := img.Data
	switch img.ContentType {
	case "image/png":
		typ = "PNG"
	case "image/jpeg":
		typ = "JPG"
	case "image/svg+xml":
		raster, err := rasterizeSVG(img.Data)
		if err != nil {
			// A logo that cannot be drawn is left out rather than failing the document.
			return nil
		}
		typ, data = "PNG", raster
	default:
		return nil
	}
	info := pdf.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: typ}, bytes.NewReader(data))
	if err := pdf.Error(); err != nil || info == nil {
		// A logo the PDF library cannot read is left out rather than failing the receipt.
		pdf.ClearError()
		return nil
	}
	w, h := info.Extent()
	scale := min(45/w, 18/h)
	w, h = w*scale, h*scale
	y := pdf.GetY()
	pdf.ImageOptions("logo", margin+contentW-w, y, w, h, false, fpdf.ImageOptions{ImageType: typ}, 0, "")
	pdf.SetY(y)
	return nil
}

// clip shortens s with "…" to fit width w.
func clip(pdf *fpdf.Fpdf, s string, w float64) string {
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && pdf.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
