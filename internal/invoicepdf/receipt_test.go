package invoicepdf_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"securelink/internal/domain"
	"securelink/internal/invoicepdf"
)

func logoPNG(t *testing.T) *invoicepdf.Image {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 80, 30))
	for x := range 80 {
		img.Set(x, 15, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return &invoicepdf.Image{ContentType: "image/png", Data: b.Bytes()}
}

// TestReceiptInEveryLanguage reads a partly refunded receipt back per locale: title, merchant,
// payer, lines, what was paid and refunded with its day (genitive month in Serbian).
func TestReceiptInEveryLanguage(t *testing.T) {
	t.Parallel()
	doc := sample(domain.LocaleSrLatn)
	paid := time.Date(2026, 12, 2, 10, 5, 0, 0, time.UTC)
	cases := []struct {
		locale string
		want   []string
	}{
		{domain.LocaleSrLatn, []string{"TEST REŽIM: pravi novac se ne prenosi", "Potvrda o plaćanju", "PLATILAC", "Plaćeno", "Vraćeno", "Povraćaj od 500,00 RSD, 3. decembra 2026.", "2. decembra 2026."}},
		{domain.LocaleSrCyrl, []string{"ТЕСТ РЕЖИМ: прави новац се не преноси", "Потврда о плаћању", "ПЛАТИЛАЦ", "Плаћено", "Враћено", "Повраћај од 500,00 RSD, 3. децембра 2026."}},
		{domain.LocaleEn, []string{"TEST MODE: no real money moves", "Payment receipt", "PAYER", "Amount paid", "Refunded", "Refund of 500.00 RSD on 3 December 2026"}},
	}
	for _, tc := range cases {
		inv := doc.Invoice
		inv.Locale = tc.locale
		b, err := invoicepdf.RenderReceipt(invoicepdf.Receipt{Invoice: inv, Merchant: doc.Merchant, Status: domain.PaymentPartiallyRefunded,
			Method: domain.MethodCard, CardBrand: "visa", CardLast4: "4242", PaidAt: paid, Reference: "pay_1",
			AmountReserved: inv.AmountTotal, AmountCaptured: inv.AmountTotal, AmountRefunded: 50000,
			Refunds: []invoicepdf.ReceiptRefund{{Amount: 50000, At: paid.Add(24 * time.Hour)}}})
		if err != nil {
			t.Fatal(err)
		}
		got := text(t, b)
		for _, w := range append(tc.want, "Ђорђе Ђурић д.о.о.", "Visa •••• 4242") {
			if !strings.Contains(got, w) {
				t.Errorf("%s: lacks %q:\n%s", tc.locale, w, got)
			}
		}
		if strings.Contains(got, "..") {
			t.Errorf("%s: two full stops:\n%s", tc.locale, got)
		}
	}
}

// TestLogoIsDrawn: a PNG or SVG logo becomes an image in both the invoice and the receipt; an SVG
// one that cannot be drawn is left out rather than failing the document.
func TestLogoIsDrawn(t *testing.T) {
	t.Parallel()
	doc := sample(domain.LocaleEn)
	hasImage := func(b []byte) bool { return bytes.Contains(b, []byte("/Subtype /Image")) }
	plain, err := invoicepdf.Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	doc.Logo = logoPNG(t)
	withLogo, err := invoicepdf.Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	if hasImage(plain) || !hasImage(withLogo) {
		t.Errorf("invoice: image without logo %v, with logo %v", hasImage(plain), hasImage(withLogo))
	}
	r := invoicepdf.Receipt{Invoice: doc.Invoice, Merchant: doc.Merchant, Status: domain.PaymentCaptured, Logo: logoPNG(t),
		AmountReserved: 100, AmountCaptured: 100}
	b, err := invoicepdf.RenderReceipt(r)
	if err != nil || !hasImage(b) {
		t.Errorf("receipt with logo: image %v, err %v", hasImage(b), err)
	}
	svg := &invoicepdf.Image{ContentType: "image/svg+xml", Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40">` +
		`<rect width="100" height="40" fill="#0a7"/><circle cx="20" cy="20" r="12" fill="#fff"/><text x="40" y="25">Shop</text></svg>`)}
	r.Logo = svg
	if b, err := invoicepdf.RenderReceipt(r); err != nil || !hasImage(b) {
		t.Errorf("receipt with an SVG logo: image %v, err %v", hasImage(b), err)
	}
	doc.Logo = svg
	if b, err := invoicepdf.Render(doc); err != nil || !hasImage(b) {
		t.Errorf("invoice with an SVG logo: image %v, err %v", hasImage(b), err)
	}
	// An SVG the renderer cannot size is left out rather than failing the document.
	r.Logo = &invoicepdf.Image{ContentType: "image/svg+xml", Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)}
	if b, err := invoicepdf.RenderReceipt(r); err != nil || hasImage(b) {
		t.Errorf("receipt with an unsized SVG logo: image %v, err %v", hasImage(b), err)
	}
}
