package mail

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"securelink/internal/domain"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/render.golden from the current renderer")

// goldenMessages are e-mails whose every part is kept in testdata/render.golden: every kind with
// every field filled (with characters HTML must escape and URLs it must check) and with the fewest,
// and a receipt in each locale.
func goldenMessages() map[string]Message {
	expires := time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)
	full := func(kind Kind, loc string) Message {
		return Message{Kind: kind, Locale: loc, BrandColor: "#FFD400",
			MerchantName: `Ana & "Sinovi" <b>'+'</b>`, MerchantLegalName: "Ana d.o.o.", MerchantAddress: "Knez Mihailova 1, Beograd",
			MerchantTaxID: "PIB 123456789", SupportEmail: "podrska@ana.example",
			CustomerName: "Đorđe <Ćirić>", InvoiceNumber: "INV-000042", Reference: "PO#7 & co", Description: "Usluge za <decembar>",
			Currency: "RSD", Total: 1234550, Amount: 1000000, CardBrand: "visa", CardLast4: "4242",
			Lines: []domain.InvoiceLine{
				{Description: `Konsultacije "premium" & <više>`, Quantity: 3, UnitAmount: 300000},
				{Description: "Putni troškovi +20%", Quantity: 1, UnitAmount: 334550},
			},
			LinkURL:    "https://pay.example/pay/tok_ABC?x=1&y=\"a b\"+č<'>",
			ExpiresAt:  expires,
			LogoURL:    "https://pay.example/api/v1/public/logos/mer_1?v=2&s=48",
			ReceiptURL: "https://pay.example/r/tok_ABC/receipt.pdf?lang=sr-Latn&x=<y>",
			Test:       true,
		}
	}
	few := func(kind Kind) Message {
		return Message{Kind: kind, Locale: domain.LocaleSrLatn, BrandColor: "red;background:url(x)", MerchantName: "Radnja",
			InvoiceNumber: "INV-1", Currency: "EUR", Total: 500, BankTransfer: true, LinkURL: "javascript:alert(1)"}
	}
	out := map[string]Message{}
	for _, kind := range Kinds {
		out[string(kind)+"/full"] = full(kind, domain.LocaleSrLatn)
		out[string(kind)+"/few"] = few(kind)
	}
	out["receipt/full/en"] = full(KindReceipt, domain.LocaleEn)
	out["receipt/full/sr-Cyrl"] = full(KindReceipt, domain.LocaleSrCyrl)
	return out
}

// TestRenderMatchesGolden: every part of every golden e-mail is what testdata/render.golden holds, so
// a change to what payers and merchants receive is seen in review (go test -run Golden -update
// rewrites the file).
func TestRenderMatchesGolden(t *testing.T) {
	msgs := goldenMessages()
	keys := make([]string, 0, len(msgs))
	for k := range msgs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		r, err := Render(msgs[k])
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		fmt.Fprintf(&b, "===== %s: subject\n%s\n===== %s: text\n%s===== %s: html\n%s", k, r.Subject, k, r.Text, k, r.HTML)
	}
	const path = "testdata/render.golden"
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		gotLines, wantLines := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gotLines), len(wantLines)) {
			if gotLines[i] != wantLines[i] {
				t.Fatalf("line %d differs:\n got %q\nwant %q", i+1, gotLines[i], wantLines[i])
			}
		}
		t.Fatalf("%d lines, want %d", len(gotLines), len(wantLines))
	}
}

// BenchmarkRenderReceipt renders the two e-mails every card payment sends.
func BenchmarkRenderReceipt(b *testing.B) {
	msgs := goldenMessages()
	receipt, receiptCopy := msgs["receipt/full"], msgs["receipt_copy/full"]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(receipt); err != nil {
			b.Fatal(err)
		}
		if _, err := Render(receiptCopy); err != nil {
			b.Fatal(err)
		}
	}
}
