package api_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"securelink"
	"securelink/api/apitest"
	"securelink/internal/domain"
	"securelink/internal/domain/serbia"
	"securelink/internal/statements"
)

func init() {
	extraBOLARoutes["GET /api/v1/invoices/:id/pdf"] = invoiceOf
	extraBOLARoutes["POST /api/v1/invoices/:id/bank-transfers"] = invoiceOf
	publicIDRoutes["GET /api/v1/checkout/:token/ips-qr.svg"] = true
	publicIDRoutes["GET /api/v1/checkout/:token/pdf"] = true
}

// enableIPS turns IPS QR payments on for a merchant, with its PIB and matični broj.
func enableIPS(t *testing.T, e *apitest.Env, m apitest.Merchant) {
	t.Helper()
	r := e.Do(t, "PATCH", "/api/v1/merchant", map[string]any{"ips_enabled": true, "ips_account": "160-123456-54",
		"ips_payee": "Ђорђе Ђурић пр, Нови Сад", "pib": "100002887", "mb": "07014638", "legal_name": "Pekara Đurić"}, m.Auth())
	if r.Status != http.StatusOK {
		t.Fatalf("enable IPS: %d %s", r.Status, r.Body)
	}
}

func TestMerchantSerbianSettings(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pekara")
		got := e.Do(t, "GET", "/api/v1/merchant", nil, m.Auth()).Map(t)
		if got["ips_payment_code"] != "221" || got["ips_enabled"] != false {
			t.Errorf("defaults: %v %v", got["ips_payment_code"], got["ips_enabled"])
		}
		refused := []struct {
			body        map[string]any
			param, code string
		}{
			{map[string]any{"ips_account": "160-0000000123456-55"}, "ips_account", "invalid_account"},
			{map[string]any{"ips_account": "16000000001234565"}, "ips_account", "invalid_account"},
			{map[string]any{"pib": "100002888"}, "pib", "invalid_pib"},
			{map[string]any{"mb": "07014630"}, "mb", "invalid_mb"},
			{map[string]any{"ips_payment_code": "189"}, "ips_payment_code", "invalid_payment_code"},
			{map[string]any{"ips_payee": strings.Repeat("Ж", 71)}, "ips_payee", "invalid_payee"},
			{map[string]any{"ips_payee": "A|B"}, "ips_payee", "invalid_payee"},
			{map[string]any{"ips_enabled": true}, "ips_account", "ips_incomplete"},
			{map[string]any{"ips_enabled": true, "ips_account": "160000000012345654"}, "ips_payee", "ips_incomplete"},
		}
		for _, tt := range refused {
			r := e.Do(t, "PATCH", "/api/v1/merchant", tt.body, m.Auth())
			if r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != tt.param || r.ErrorObject(t)["code"] != tt.code {
				t.Errorf("PATCH %v: %d %s; want 400 %s %s", tt.body, r.Status, r.Body, tt.param, tt.code)
			}
		}
		r := e.Do(t, "PATCH", "/api/v1/merchant", map[string]any{"ips_enabled": true, "ips_account": "160-0000000123456-54",
			"ips_payee": "Pekara Mika, Beograd", "ips_payment_code": "289", "pib": "100002887", "mb": "07014638", "email_attach_pdf": true}, m.Auth())
		got = r.Map(t)
		if r.Status != http.StatusOK || got["ips_account"] != "160000000012345654" || got["ips_payment_code"] != "289" ||
			got["pib"] != "100002887" || got["mb"] != "07014638" || got["email_attach_pdf"] != true {
			t.Errorf("valid settings: %d %s", r.Status, r.Body)
		}
		// A company customer's PIB and matični broj are checked too.
		body := apitest.Invoice(1000)
		body["customer"].(map[string]any)["pib"] = "101134703"
		if r := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth()); r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != "customer.pib" {
			t.Errorf("bad customer PIB: %d %s", r.Status, r.Body)
		}
		body["customer"].(map[string]any)["pib"], body["customer"].(map[string]any)["mb"] = "101134702", "1234567"
		if r := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth()); r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != "customer.mb" {
			t.Errorf("bad customer MB: %d %s", r.Status, r.Body)
		}
	})
}

// decodeSVGQR rasterises the product's SVG QR code (unit squares) and decodes it with a QR reader.
func decodeSVGQR(t *testing.T, svg []byte) string {
	t.Helper()
	n, err := strconv.Atoi(regexp.MustCompile(`viewBox="0 0 (\d+) `).FindStringSubmatch(string(svg))[1])
	if err != nil {
		t.Fatal(err)
	}
	const scale = 6
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for _, m := range regexp.MustCompile(`M(\d+) (\d+)h1v1h-1z`).FindAllStringSubmatch(string(svg), -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		for dy := range scale {
			for dx := range scale {
				img.SetGray(x*scale+dx, y*scale+dy, color.Gray{})
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_CHARACTER_SET: "UTF-8"})
	if err != nil {
		t.Fatalf("decode QR: %v", err)
	}
	return res.GetText()
}

func TestCheckoutOffersIPSQR(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pekara")
		_, token := newInvoice(t, e, m, 480000, "automatic")
		if co := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t); co["ips_qr"] != nil {
			t.Errorf("ips_qr without IPS enabled: %v", co["ips_qr"])
		}
		enableIPS(t, e, m)
		id, token := newInvoice(t, e, m, 480000, "automatic")
		co := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)
		q, _ := co["ips_qr"].(map[string]any)
		if q == nil {
			t.Fatalf("no ips_qr on an RSD checkout: %v", co)
		}
		number := e.Do(t, "GET", "/api/v1/invoices/"+id, nil, m.Auth()).Map(t)["number"].(string)
		ref, _ := serbia.Model97(strings.TrimPrefix(number, "INV-"))
		want := "K:PR|V:01|C:1|R:160000000012345654|N:Ђорђе Ђурић пр, Нови Сад|I:RSD4800,00|SF:221|S:Plaćanje računa " + number + "|RO:" + ref
		if q["payload"] != want || q["reference"] != ref || q["model"] != "97" || q["account_formatted"] != "160-0000000123456-54" {
			t.Errorf("ips_qr = %v; want payload %q", q, want)
		}
		if _, err := serbia.ParsePayload(q["payload"].(string)); err != nil {
			t.Errorf("payload breaks the rules: %v", err)
		}
		// The QR code the product draws, read back by a QR decoder, is the payload.
		r := e.Do(t, "GET", q["image_url"].(string), nil)
		if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("QR image: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		if got := decodeSVGQR(t, r.Body); got != want {
			t.Errorf("decoded QR = %q; want %q", got, want)
		}
		// The invoice object carries the same payload; a euro invoice has none.
		if inv := e.Do(t, "GET", "/api/v1/invoices/"+id, nil, m.Auth()).Map(t); inv["ips_qr"].(map[string]any)["payload"] != want {
			t.Errorf("invoice ips_qr = %v", inv["ips_qr"])
		}
		if l := e.Do(t, "GET", "/api/v1/invoices?limit=1", nil, m.Auth()).Map(t)["data"].([]any)[0].(map[string]any); l["ips_qr"].(map[string]any)["payload"] != want {
			t.Errorf("listed invoice ips_qr = %v", l["ips_qr"])
		}
		eur := apitest.Invoice(1000)
		eur["currency"] = "EUR"
		inv := e.Do(t, "POST", "/api/v1/invoices", eur, m.Auth()).Map(t)
		if inv["ips_qr"] != nil {
			t.Errorf("EUR invoice has ips_qr: %v", inv["ips_qr"])
		}
		if r := e.Do(t, "GET", "/api/v1/checkout/"+inv["link"].(map[string]any)["token"].(string)+"/ips-qr.svg", nil); r.Status != http.StatusNotFound {
			t.Errorf("EUR QR image: %d", r.Status)
		}
	})
}

func TestRecordBankTransfers(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pekara")
		other := e.NewMerchant(t, "Other")
		enableIPS(t, e, m)
		if r := e.Do(t, "PATCH", "/api/v1/merchant", map[string]any{"notification_email": "shop@example.com"}, m.Auth()); r.Status != http.StatusOK {
			t.Fatalf("notification e-mail: %d", r.Status)
		}
		id, token := newInvoice(t, e, m, 480000, "automatic")
		path := "/api/v1/invoices/" + id + "/bank-transfers"
		for _, tt := range []struct {
			body  map[string]any
			param string
		}{
			{map[string]any{"amount": 0}, "amount"},
			{map[string]any{"amount": 480001}, "amount"},
			{map[string]any{"amount": 1000, "received_at": "yesterday"}, "received_at"},
			{map[string]any{"amount": 1000, "received_at": "2999-01-01"}, "received_at"},
			{map[string]any{"amount": 1000, "reference": strings.Repeat("9", 36)}, "reference"},
		} {
			if r := e.Do(t, "POST", path, tt.body, m.Auth()); r.Status != http.StatusBadRequest || r.ErrorObject(t)["param"] != tt.param {
				t.Errorf("POST %v: %d %s; want 400 naming %s", tt.body, r.Status, r.Body, tt.param)
			}
		}
		if r := e.Do(t, "POST", path, map[string]any{"amount": 1000}, other.Auth()); r.Status != http.StatusNotFound {
			t.Errorf("another merchant's invoice: %d", r.Status)
		}
		// Less arrived: the rest stays due, on the checkout and in the QR code too.
		r := e.Do(t, "POST", path, map[string]any{"amount": 80000, "received_at": "2026-12-01", "reference": "97 20 000001", "payer_name": "Ana Anić"}, m.Auth())
		p := r.Map(t)
		if r.Status != http.StatusCreated || p["method"] != "bank_transfer" || p["status"] != "captured" || p["amount_captured"] != float64(80000) || p["payer_name"] != "Ana Anić" {
			t.Fatalf("partial transfer: %d %s", r.Status, r.Body)
		}
		inv := e.Do(t, "GET", "/api/v1/invoices/"+id, nil, m.Auth()).Map(t)
		if inv["status"] != "partially_paid" || inv["amount_paid"] != float64(80000) || inv["amount_due"] != float64(400000) ||
			!strings.Contains(inv["ips_qr"].(map[string]any)["payload"].(string), "I:RSD4000,00") {
			t.Fatalf("after a partial transfer: %s", mustJSON(inv))
		}
		co := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)
		if co["invoice"].(map[string]any)["amount_due"] != float64(400000) {
			t.Errorf("checkout amount_due = %v", co["invoice"].(map[string]any)["amount_due"])
		}
		// The rest arrives: the invoice is paid by bank transfer.
		r = e.Do(t, "POST", path, map[string]any{"amount": 400000}, m.Auth())
		if r.Status != http.StatusCreated {
			t.Fatalf("second transfer: %d %s", r.Status, r.Body)
		}
		inv = e.Do(t, "GET", "/api/v1/invoices/"+id, nil, m.Auth()).Map(t)
		if inv["status"] != "paid" || inv["amount_paid"] != float64(480000) || inv["ips_qr"] != nil || inv["link"].(map[string]any)["status"] != "completed" {
			t.Fatalf("after the rest: %s", mustJSON(inv))
		}
		if r := e.Do(t, "POST", path, map[string]any{"amount": 1}, m.Auth()); r.Status != http.StatusConflict {
			t.Errorf("transfer on a paid invoice: %d %s", r.Status, r.Body)
		}
		runWorkers(t, e.App)
		evs := e.Do(t, "GET", "/api/v1/events?limit=100", nil, m.Auth()).Map(t)["data"].([]any)
		var paid map[string]any
		for _, ev := range evs {
			if ev.(map[string]any)["type"] == "invoice.paid" {
				paid = ev.(map[string]any)["data"].(map[string]any)
			}
		}
		if paid == nil || paid["method"] != "bank_transfer" || paid["amount_paid"] != float64(480000) {
			t.Errorf("invoice.paid = %v", paid)
		}
		kinds := map[string]bool{}
		for _, em := range e.Do(t, "GET", "/api/v1/emails?limit=100", nil, m.Auth()).Map(t)["data"].([]any) {
			kinds[em.(map[string]any)["kind"].(string)] = true
		}
		if !kinds["receipt"] || !kinds["receipt_copy"] || kinds["capture_notice"] {
			t.Errorf("e-mails after the transfer: %v", kinds)
		}
		// A refund of a transfer is recorded, not executed: it succeeds at once.
		rf := e.Do(t, "POST", "/api/v1/payments/"+p["id"].(string)+"/refunds", map[string]any{"amount": 30000, "reason": "vraćeno na račun"}, m.Auth())
		if rf.Status != http.StatusCreated || rf.Map(t)["status"] != "succeeded" {
			t.Errorf("refund of a transfer: %d %s", rf.Status, rf.Body)
		}
		if inv := e.Do(t, "GET", "/api/v1/invoices/"+id, nil, m.Auth()).Map(t); inv["status"] != "partially_refunded" || inv["amount_refunded"] != float64(30000) {
			t.Errorf("after the refund: %v %v", inv["status"], inv["amount_refunded"])
		}
	})
}

// pdfText extracts a PDF's text with poppler's pdftotext (installed by make test).
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing: make test installs poppler-utils")
		}
		t.Skip("pdftotext is missing (apt-get install poppler-utils)")
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestInvoicePDF(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pekara")
		enableIPS(t, e, m)
		body := map[string]any{
			"customer": map[string]any{"name": "Ćirić i Žižić d.o.o.", "email": "office@ciric.rs", "pib": "101134702", "mb": "12345676"},
			"lines":    []any{map[string]any{"description": "Ђевреци, туце", "quantity": 3, "unit_amount": 150050, "vat_rate": 20}},
			"locale":   "sr-Latn",
		}
		r := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth())
		inv := r.Map(t)
		r = e.Do(t, "GET", "/api/v1/invoices/"+inv["id"].(string)+"/pdf", nil, m.Auth())
		if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("PDF: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		text := pdfText(t, r.Body)
		for _, want := range []string{inv["number"].(string), "Ćirić i Žižić d.o.o.", "Ђевреци, туце", "4.501,50 RSD", "PIB: 100002887",
			"PIB: 101134702", "Matični broj: 07014638", "Pekara Đurić", "160-0000000123456-54", "Šifra plaćanja"} {
			if !strings.Contains(text, want) {
				t.Errorf("PDF text lacks %q:\n%s", want, text)
			}
		}
		// The payer gets the same document through the link.
		co := e.Do(t, "GET", "/api/v1/checkout/"+inv["link"].(map[string]any)["token"].(string), nil).Map(t)
		r = e.Do(t, "GET", co["pdf_url"].(string), nil)
		if r.Status != http.StatusOK || !strings.Contains(pdfText(t, r.Body), inv["number"].(string)) {
			t.Errorf("checkout PDF: %d", r.Status)
		}
	})
}

func TestImportBankStatement(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Pekara")
		enableIPS(t, e, m)
		ids := make([]string, 3)
		refs := make([]string, 3)
		for i := range ids {
			ids[i], _ = newInvoice(t, e, m, 480000, "automatic")
			q := e.Do(t, "GET", "/api/v1/invoices/"+ids[i], nil, m.Auth()).Map(t)["ips_qr"].(map[string]any)
			refs[i] = q["model"].(string) + " " + q["reference_number"].(string)
		}
		csv := "Datum valute;Iznos u dinarima;Poziv na broj odobrenja;Uplatilac\n" +
			"01.12.2026;4.800,00;" + refs[0] + ";Ana Anić\n" + // matched
			"01.12.2026;4.800,00;" + refs[0] + ";Ana Anić\n" + // the same transfer listed twice
			"01.12.2026;4.000,00;" + refs[1] + ";Petar Petrović\n" + // less than due
			"02.12.2026;4.800,00;97 11 999999;Neko Nepoznat\n" + // no such reference
			"02.12.2026;-1.200,00;;Zakup\n" // money going out
		cols := map[string]any{"date": "Datum valute", "amount": "Iznos u dinarima", "reference": "Poziv na broj odobrenja", "payer": "Uplatilac"}
		if r := e.Do(t, "POST", "/api/v1/bank-statements/import", map[string]any{"csv": csv}, m.Auth()); r.Status != http.StatusBadRequest ||
			r.ErrorObject(t)["param"] != "columns.amount" {
			t.Fatalf("unmapped columns: %d %s", r.Status, r.Body)
		}
		statuses := func(res map[string]any) []string {
			var out []string
			for _, l := range res["lines"].([]any) {
				out = append(out, l.(map[string]any)["status"].(string))
			}
			return out
		}
		r := e.Do(t, "POST", "/api/v1/bank-statements/import", map[string]any{"csv": csv, "columns": cols}, m.Auth())
		preview := r.Map(t)
		want := "matched duplicate amount_mismatch unknown_reference outgoing"
		if r.Status != http.StatusOK || strings.Join(statuses(preview), " ") != want || preview["recorded"] != float64(0) {
			t.Fatalf("preview: %d %v; want %s", r.Status, statuses(preview), want)
		}
		if inv := e.Do(t, "GET", "/api/v1/invoices/"+ids[0], nil, m.Auth()).Map(t); inv["status"] != "open" {
			t.Fatalf("the preview recorded something: %v", inv["status"])
		}
		// The mapping is remembered: the confirmation sends no columns.
		r = e.Do(t, "POST", "/api/v1/bank-statements/import", map[string]any{"csv": csv, "confirm": true}, m.Auth())
		done := r.Map(t)
		if r.Status != http.StatusOK || strings.Join(statuses(done), " ") != "recorded duplicate amount_mismatch unknown_reference outgoing" || done["recorded"] != float64(1) {
			t.Fatalf("confirm: %d %v", r.Status, statuses(done))
		}
		inv := e.Do(t, "GET", "/api/v1/invoices/"+ids[0], nil, m.Auth()).Map(t)
		if inv["status"] != "paid" || len(inv["payments"].([]any)) != 1 || inv["payments"].([]any)[0].(map[string]any)["payer_name"] != "Ana Anić" {
			t.Fatalf("matched invoice: %v %v", inv["status"], inv["payments"])
		}
		if inv := e.Do(t, "GET", "/api/v1/invoices/"+ids[1], nil, m.Auth()).Map(t); inv["status"] != "open" || inv["amount_paid"] != float64(0) {
			t.Errorf("mismatched invoice changed: %v %v", inv["status"], inv["amount_paid"])
		}
		// Importing the same statement again records nothing twice.
		r = e.Do(t, "POST", "/api/v1/bank-statements/import", map[string]any{"csv": csv, "confirm": true}, m.Auth())
		again := r.Map(t)
		if r.Status != http.StatusOK || statuses(again)[0] != "already_recorded" || again["recorded"] != float64(0) {
			t.Fatalf("second import: %d %v", r.Status, statuses(again))
		}
		if n := len(e.Do(t, "GET", "/api/v1/invoices/"+ids[0], nil, m.Auth()).Map(t)["payments"].([]any)); n != 1 {
			t.Errorf("payments after a second import: %d", n)
		}
		if got := e.Do(t, "GET", "/api/v1/merchant", nil, m.Auth()).Map(t)["statement_columns"]; got.(map[string]any)["reference"] != "Poziv na broj odobrenja" {
			t.Errorf("statement_columns = %v", got)
		}
	})
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestSerbianEnumsMatchGo: the statement-line statuses and payment methods openapi.yaml lists are
// the Go lists, so neither can drift from the other.
func TestSerbianEnumsMatchGo(t *testing.T) {
	t.Parallel()
	doc, err := openapi3.NewLoader().LoadFromData(securelink.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	enum := func(schema, prop string) []string {
		var out []string
		for _, v := range doc.Components.Schemas[schema].Value.Properties[prop].Value.Enum {
			out = append(out, v.(string))
		}
		return out
	}
	var statuses, methods []string
	for _, s := range statements.Statuses {
		statuses = append(statuses, string(s))
	}
	for _, m := range domain.PaymentMethods {
		methods = append(methods, string(m))
	}
	for _, c := range []struct {
		schema, prop string
		want         []string
	}{
		{"StatementLine", "status", statuses},
		{"Payment", "method", methods},
		{"Receipt", "method", methods},
	} {
		if got := enum(c.schema, c.prop); strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("openapi.yaml %s.%s = %v; Go has %v", c.schema, c.prop, got, c.want)
		}
	}
}
