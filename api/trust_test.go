package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"securelink/api/apitest"
	"securelink/api/wiring"
)

func pngImage(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegImage(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 40, 20)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const plainSVG = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 40 20">
  <title>Zora</title>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/></linearGradient></defs>
  <rect width="40" height="20" fill="url(#g)"/><use xlink:href="#g"/><text x="2" y="15">Zora</text>
</svg>`

func putLogo(t *testing.T, e *apitest.Env, m apitest.Merchant, contentType string, body []byte) *apitest.Response {
	t.Helper()
	return e.Do(t, "PUT", "/api/v1/merchant/logo", body, m.Auth(), apitest.Header{Name: "Content-Type", Value: contentType})
}

// TestMerchantLogo: PNG, JPEG and plain SVG are taken and served by content hash with a year's
// cache, nosniff and a CSP that runs nothing; anything that could run script or load something,
// anything too large or not an image is refused with the reason.
func TestMerchantLogo(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Radnja Zora")
		_, token := newInvoice(t, e, m, 100000, "automatic")

		accepted := []struct {
			name, contentType, ext string
			body                   []byte
		}{
			{"png", "image/png", ".png", pngImage(t, 64, 32)},
			{"jpeg", "image/jpeg", ".jpg", jpegImage(t)},
			{"svg", "image/svg+xml", ".svg", []byte(plainSVG)},
		}
		for _, a := range accepted {
			r := putLogo(t, e, m, a.contentType, a.body)
			if r.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", a.name, r.Status, r.Body)
			}
			url := r.Map(t)["url"].(string)
			if !regexp.MustCompile(`^/api/v1/logos/[0-9a-f]{64}\` + a.ext + `$`).MatchString(url) {
				t.Errorf("%s: url %q", a.name, url)
			}
			g := e.Do(t, "GET", url, nil)
			h := g.Header
			if g.Status != http.StatusOK || !bytes.Equal(g.Body, a.body) || h.Get("Content-Type") != a.contentType {
				t.Errorf("%s: GET %d %s (%d bytes)", a.name, g.Status, h.Get("Content-Type"), len(g.Body))
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Cache-Control"), "immutable") ||
				!strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
				t.Errorf("%s: headers %v", a.name, h)
			}
			co := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)
			if got := co["merchant"].(map[string]any)["logo_url"]; got != url {
				t.Errorf("%s: checkout logo_url %v, want %s", a.name, got, url)
			}
			if got := e.Do(t, "GET", "/api/v1/merchant", nil, m.Auth()).Map(t)["logo_url"]; got != url {
				t.Errorf("%s: merchant logo_url %v", a.name, got)
			}
		}

		refused := []struct {
			name, contentType string
			body              []byte
			status            int
			code              string
		}{
			{"script", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), 400, "logo_svg_refused"},
			{"foreignObject", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject></svg>`), 400, "logo_svg_refused"},
			{"onload", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>`), 400, "logo_svg_refused"},
			{"external href", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="https://evil.example/x.svg#a"/></svg>`), 400, "logo_svg_refused"},
			{"image element", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/png;base64,AAAA"/></svg>`), 400, "logo_svg_refused"},
			{"style url", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/a)" width="1" height="1"/></svg>`), 400, "logo_svg_refused"},
			{"javascript href", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect width="1" height="1"/></a></svg>`), 400, "logo_svg_refused"},
			{"entity", "image/svg+xml", []byte(`<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>`), 400, "logo_svg_refused"},
			{"html", "image/svg+xml", []byte(`<html><body>hi</body></html>`), 400, "logo_type"},
			{"text", "image/png", []byte(`just words`), 400, "logo_type"},
			{"broken png", "image/png", append([]byte("\x89PNG\r\n\x1a\n"), 1, 2, 3), 400, "logo_unreadable"},
			{"empty", "image/png", nil, 400, "logo_missing"},
			{"too large", "image/png", append(pngImage(t, 8, 8), make([]byte, 300<<10)...), 413, "logo_too_large"},
			{"gif", "image/gif", []byte("GIF89a"), 415, "unsupported_media_type"},
		}
		for _, c := range refused {
			r := putLogo(t, e, m, c.contentType, c.body)
			if r.Status != c.status || r.ErrorObject(t)["code"] != c.code {
				t.Errorf("%s: %d %s, want %d %s", c.name, r.Status, r.Body, c.status, c.code)
			}
		}
		// The last accepted logo (the SVG) is still in place after the refusals.
		last := e.Do(t, "GET", "/api/v1/merchant", nil, m.Auth()).Map(t)["logo_url"].(string)
		if !strings.HasSuffix(last, ".svg") {
			t.Errorf("logo after refusals: %q", last)
		}
		if r := e.Do(t, "DELETE", "/api/v1/merchant/logo", nil, m.Auth()); r.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
		if r := e.Do(t, "GET", last, nil); r.Status != http.StatusNotFound {
			t.Errorf("removed logo still served: %d", r.Status)
		}
		if got := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)["merchant"].(map[string]any)["logo_url"]; got != "" {
			t.Errorf("checkout logo_url after removal: %v", got)
		}
		for _, bad := range []string{"/api/v1/logos/x.png", "/api/v1/logos/" + strings.Repeat("a", 64) + ".gif", "/api/v1/logos/" + strings.Repeat("a", 64) + ".png"} {
			if r := e.Do(t, "GET", bad, nil); r.Status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", bad, r.Status)
			}
		}
	})
}

// TestCheckoutShowsWhoIsPaid: the checkout carries the merchant's legal name, address, PIB and
// contact, and the card brands the provider takes.
func TestCheckoutShowsWhoIsPaid(t *testing.T) {
	t.Parallel()
	e := apitest.New(t, "sqlite")
	m := e.NewMerchant(t, "Zora")
	patch := map[string]any{"legal_name": "Radnja Zora doo", "address": "Knez Mihailova 1, Beograd", "pib": "100002887",
		"mb": "12345676", "support_email": "kontakt@zora.example"}
	if r := e.Do(t, "PATCH", "/api/v1/merchant", patch, m.Auth()); r.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", r.Status, r.Body)
	}
	_, token := newInvoice(t, e, m, 100000, "automatic")
	co := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)
	mer := co["merchant"].(map[string]any)
	for k, want := range map[string]string{"legal_name": "Radnja Zora doo", "address": "Knez Mihailova 1, Beograd", "pib": "100002887",
		"mb": "12345676", "support_email": "kontakt@zora.example", "name": "Zora"} {
		if mer[k] != want {
			t.Errorf("merchant.%s = %v, want %s", k, mer[k], want)
		}
	}
	brands, _ := json.Marshal(co["card_brands"])
	if string(brands) != `["visa","mastercard","maestro","dinacard","amex"]` {
		t.Errorf("card_brands %s", brands)
	}
	if co["provider"].(map[string]any)["name_required"] != false {
		t.Errorf("the test gateway does not need the name on the card: %v", co["provider"])
	}
}

// TestReceiptTellsWhatHappened: a partly refunded payment's receipt says how much came back and
// when, its PDF (read back with pdftotext) carries the merchant, payer, lines and refund; a voided
// hold says it was released; a partial capture says what was charged.
func TestReceiptTellsWhatHappened(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Zora")
		e.Do(t, "PATCH", "/api/v1/merchant", map[string]any{"legal_name": "Radnja Zora doo", "pib": "100002887"}, m.Auth())

		invID, token := newInvoice(t, e, m, 240000, "automatic")
		p := pay(t, e, token, visaCard, http.StatusOK)
		if r := e.Do(t, "POST", "/api/v1/payments/"+p["id"].(string)+"/refunds", map[string]any{"amount": 40000}, m.Auth()); r.Status != http.StatusOK && r.Status != http.StatusCreated {
			t.Fatalf("refund: %d %s", r.Status, r.Body)
		}
		co := e.Do(t, "GET", "/api/v1/checkout/"+token, nil).Map(t)
		rc := co["receipt"].(map[string]any)
		refunds := rc["refunds"].([]any)
		if co["status"] != "partially_refunded" || rc["amount_refunded"].(float64) != 40000 || len(refunds) != 1 ||
			refunds[0].(map[string]any)["amount"].(float64) != 40000 || refunds[0].(map[string]any)["created_at"] == "" {
			t.Errorf("partly refunded receipt: status %v %v", co["status"], rc)
		}
		// No SMTP server here: the receipt is only held, so no copy is promised.
		if rc["emailed_to"] != "" {
			t.Errorf("emailed_to %v without SMTP", rc["emailed_to"])
		}
		pdfURL := rc["pdf_url"].(string)
		r := e.Do(t, "GET", pdfURL, nil)
		if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("receipt pdf: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		text := pdfText(t, r.Body)
		for _, want := range []string{"Potvrda o plaćanju", "Radnja Zora doo", "PIB: 100002887", "Ana Anić", "Plaćeno", "2.400,00 RSD",
			"Vraćeno", "400,00 RSD", "Visa •••• 4242"} {
			if !strings.Contains(text, want) {
				t.Errorf("receipt PDF lacks %q:\n%s", want, text)
			}
		}
		// The portal's download is the same receipt; another merchant gets 404.
		if r := e.Do(t, "GET", "/api/v1/invoices/"+invID+"/receipt.pdf", nil, m.Auth()); r.Status != http.StatusOK || !strings.Contains(pdfText(t, r.Body), "Radnja Zora doo") {
			t.Errorf("portal receipt: %d", r.Status)
		}

		// A hold released by the merchant.
		_, held := newInvoice(t, e, m, 50000, "manual")
		hp := pay(t, e, held, visaCard, http.StatusOK)
		if r := e.Do(t, "POST", "/api/v1/payments/"+hp["id"].(string)+"/void", nil, m.Auth()); r.Status != http.StatusOK {
			t.Fatalf("void: %d %s", r.Status, r.Body)
		}
		co = e.Do(t, "GET", "/api/v1/checkout/"+held, nil).Map(t)
		rc, _ = co["receipt"].(map[string]any)
		if co["status"] != "cancelled" || rc == nil || rc["status"] != "voided" || rc["voided_at"] == nil || rc["amount_authorized"].(float64) != 50000 {
			t.Errorf("voided hold: %v %v", co["status"], rc)
		}
		if text := pdfText(t, e.Do(t, "GET", rc["pdf_url"].(string), nil).Body); !strings.Contains(text, "Rezervacija poništena") || !strings.Contains(text, "nije naplaćen") {
			t.Errorf("voided receipt PDF:\n%s", text)
		}

		// A hold captured in part.
		_, part := newInvoice(t, e, m, 100000, "manual")
		pp := pay(t, e, part, visaCard, http.StatusOK)
		if r := e.Do(t, "POST", "/api/v1/payments/"+pp["id"].(string)+"/capture", map[string]any{"amount": 75000}, m.Auth()); r.Status != http.StatusOK {
			t.Fatalf("capture: %d %s", r.Status, r.Body)
		}
		rc = e.Do(t, "GET", "/api/v1/checkout/"+part, nil).Map(t)["receipt"].(map[string]any)
		if rc["amount_captured"].(float64) != 75000 || rc["amount_authorized"].(float64) != 100000 {
			t.Errorf("partial capture receipt: %v", rc)
		}
		if text := pdfText(t, e.Do(t, "GET", rc["pdf_url"].(string), nil).Body); !strings.Contains(text, "Naplaćeno") || !strings.Contains(text, "750,00 RSD") {
			t.Errorf("partial capture PDF:\n%s", text)
		}

		// No receipt before paying.
		_, open := newInvoice(t, e, m, 1000, "automatic")
		if r := e.Do(t, "GET", "/api/v1/checkout/"+open+"/receipt.pdf", nil); r.Status != http.StatusNotFound {
			t.Errorf("receipt of an open invoice: %d", r.Status)
		}
	})
}

// payIndex stands in for the built checkout: the real index.html's head, a hashed asset with
// precompressed forms and a build manifest naming the language chunks.
var payIndex = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>SecureLink</title>
    <script type="module" crossorigin src="/pay/assets/index-abc.js"></script>
  </head>
  <body><div id="app"></div></body>
</html>
`

func payFS(t *testing.T) fstest.MapFS {
	t.Helper()
	js := []byte(strings.Repeat("console.log('checkout');\n", 200))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(js)
	_ = zw.Close()
	// The server sends the .br file as it is; its bytes only need to be told apart.
	br := bytes.NewBufferString("brotli bytes of index-abc.js")
	return fstest.MapFS{
		"index.html":              {Data: []byte(payIndex)},
		"assets/index-abc.js":     {Data: js},
		"assets/index-abc.js.gz":  {Data: gz.Bytes()},
		"assets/index-abc.js.br":  {Data: br.Bytes()},
		"assets/plain-abc.woff2":  {Data: []byte("font")},
		"assets/messages-sr-1.js": {Data: []byte("export const x=1")},
		"assets/translit-2.js":    {Data: []byte("export const y=1")},
		".vite/manifest.json": {Data: []byte(`{"src/lib/messages-sr-latn.ts":{"file":"assets/messages-sr-1.js","imports":["_translit.js"]},` +
			`"_translit.js":{"file":"assets/translit-2.js"}}`)},
	}
}

// get is a plain GET as a link-preview fetcher or an old client makes it: no JavaScript, and the
// Accept-Encoding given (Go's transport adds none when one is set, and does not decode then).
func get(t *testing.T, e *apitest.Env, path, acceptEncoding string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.URL+path, nil)
	req.Header.Set("User-Agent", "WhatsApp/2.23.20.0")
	req.Header.Set("Accept-Encoding", acceptEncoding)
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// TestCheckoutLinkPreview: /pay/{token} fetched like WhatsApp does (one GET, no JavaScript) has the
// merchant, the invoice's description and amount in <title> and og: tags, HTML-escaped, the logo as
// og:image, never the customer; the page carries the checkout's data and preloads its language.
func TestCheckoutLinkPreview(t *testing.T) {
	t.Parallel()
	e := apitest.New(t, "sqlite", func(c *wiring.Config) { c.PayFS = payFS(t) })
	m := e.NewMerchant(t, `Zora & "Sinovi" <b>`)
	logo := putLogo(t, e, m, "image/png", pngImage(t, 16, 16)).Map(t)["url"].(string)
	body := apitest.Invoice(2850050)
	body["description"] = `Torta <script>alert(1)</script>`
	body["customer"] = map[string]any{"name": "Petar Tajni", "email": "petar.tajni@example.com"}
	body["locale"] = "sr-Latn"
	r := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth())
	if r.Status != http.StatusCreated {
		t.Fatalf("invoice: %d %s", r.Status, r.Body)
	}
	inv := r.Map(t)
	token := inv["link"].(map[string]any)["token"].(string)

	resp, page := get(t, e, "/pay/"+token, "")
	html := string(page)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	head := html[:strings.Index(html, `<script type="application/json"`)]
	title := `Zora &amp; &#34;Sinovi&#34; &lt;b&gt;: Torta &lt;script&gt;alert(1)&lt;/script&gt; – 28.500,50 RSD`
	for _, want := range []string{
		"<title>" + title + "</title>",
		`<meta property="og:title" content="` + title + `" />`,
		`<meta property="og:description" content="Račun ` + inv["number"].(string) + ` · 28.500,50 RSD · Bezbedno plaćanje karticom" />`,
		`<meta property="og:image" content="` + e.URL + logo + `" />`,
		`<html lang="sr-Latn">`,
		`<link rel="modulepreload" crossorigin href="/pay/assets/translit-2.js" />`,
		`<link rel="modulepreload" crossorigin href="/pay/assets/messages-sr-1.js" />`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %s\n%s", want, head)
		}
	}
	if strings.Contains(head, "Petar") || strings.Contains(head, "tajni") || strings.Contains(html, "<script>alert") {
		t.Errorf("the preview shows the customer or unescaped text:\n%s", head)
	}
	if !strings.Contains(resp.Header.Get("Cache-Control"), "private") {
		t.Errorf("Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	m2 := regexp.MustCompile(`<script type="application/json" id="checkout-data">(.*?)</script>`).FindStringSubmatch(html)
	if m2 == nil {
		t.Fatal("no embedded checkout data")
	}
	var data struct {
		Checkout   map[string]any   `json:"checkout"`
		Currencies []map[string]any `json:"currencies"`
	}
	if err := json.Unmarshal([]byte(m2[1]), &data); err != nil {
		t.Fatalf("embedded data: %v", err)
	}
	if data.Checkout["invoice"].(map[string]any)["amount_total"].(float64) != 2850050 || len(data.Currencies) != 1 || data.Currencies[0]["code"] != "RSD" {
		t.Errorf("embedded data: %v", data)
	}

	// An unknown link gets the page as built (the app says it is unknown), with no data in it.
	_, unknown := get(t, e, "/pay/nope", "")
	if !strings.Contains(string(unknown), "<title>SecureLink</title>") || strings.Contains(string(unknown), "checkout-data") {
		t.Errorf("unknown link page:\n%s", unknown)
	}
}

// TestCompressionNegotiation: precompressed assets go to clients that accept them (brotli first),
// the plain file to the rest, always with Vary: Accept-Encoding; the checkout page is gzipped.
func TestCompressionNegotiation(t *testing.T) {
	t.Parallel()
	e := apitest.New(t, "sqlite", func(c *wiring.Config) { c.PayFS = payFS(t) })
	files := payFS(t)
	plain := files["assets/index-abc.js"].Data
	cases := []struct{ accept, want string }{
		{"gzip, deflate, br", "br"},
		{"br;q=0.5, gzip", "br"},
		{"gzip", "gzip"},
		{"br;q=0, gzip", "gzip"},
		{"*", "br"},
		{"identity", ""},
		{"", ""},
		{"deflate", ""},
	}
	for _, c := range cases {
		resp, body := get(t, e, "/pay/assets/index-abc.js", c.accept)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != c.want {
			t.Errorf("%q: %d Content-Encoding %q, want %q", c.accept, resp.StatusCode, resp.Header.Get("Content-Encoding"), c.want)
			continue
		}
		if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
			t.Errorf("%q: Vary %q, Content-Type %q", c.accept, resp.Header.Get("Vary"), resp.Header.Get("Content-Type"))
		}
		var got []byte
		switch c.want {
		case "br":
			if bytes.Equal(body, files["assets/index-abc.js.br"].Data) {
				got = plain
			}
		case "gzip":
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			got, _ = io.ReadAll(zr)
		default:
			got = body
		}
		if !bytes.Equal(got, plain) {
			t.Errorf("%q: body differs from the file (%d bytes)", c.accept, len(got))
		}
	}
	// A file the build did not compress goes as it is, with no Vary.
	resp, body := get(t, e, "/pay/assets/plain-abc.woff2", "br, gzip")
	if resp.Header.Get("Content-Encoding") != "" || string(body) != "font" || resp.Header.Get("Vary") != "" {
		t.Errorf("uncompressed asset: %q %q %q", resp.Header.Get("Content-Encoding"), body, resp.Header.Get("Vary"))
	}
	// The page itself is compressed on the fly.
	resp, body = get(t, e, "/pay/whatever", "gzip")
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if resp.Header.Get("Content-Encoding") != "gzip" || err != nil {
		t.Fatalf("page: %q %v", resp.Header.Get("Content-Encoding"), err)
	}
	if html, _ := io.ReadAll(zr); !strings.Contains(string(html), `<div id="app">`) {
		t.Errorf("gzipped page: %s", html)
	}
	// .br and .gz files are not served as files of their own.
	if resp, _ := get(t, e, "/pay/assets/index-abc.js.br", ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the .br file itself: %d", resp.StatusCode)
	}
}

// TestReceiptEmailShowsLogoAndLinksThePDF: the receipt e-mail loads the logo by its absolute address
// and links the receipt PDF, which downloads.
func TestReceiptEmailShowsLogoAndLinksThePDF(t *testing.T) {
	t.Parallel()
	e := apitest.New(t, "sqlite")
	m := e.NewMerchant(t, "Zora")
	logo := putLogo(t, e, m, "image/png", pngImage(t, 16, 16)).Map(t)["url"].(string)
	_, token := newInvoice(t, e, m, 100000, "automatic")
	pay(t, e, token, visaCard, http.StatusOK)
	if _, err := e.App.Dispatcher.RunUntilIdle(context.Background()); err != nil {
		t.Fatalf("dispatch: %v", err)
	}
	var receipt map[string]any
	for _, em := range e.Do(t, "GET", "/api/v1/emails", nil, m.Auth()).Map(t)["data"].([]any) {
		if em.(map[string]any)["kind"] == "receipt" {
			receipt = e.Do(t, "GET", "/api/v1/emails/"+em.(map[string]any)["id"].(string), nil, m.Auth()).Map(t)
		}
	}
	if receipt == nil {
		t.Fatal("no receipt e-mail")
	}
	html, text := receipt["html"].(string), receipt["text"].(string)
	if !strings.Contains(html, `<img src="`+e.URL+logo+`"`) {
		t.Errorf("the e-mail does not load the logo by its absolute address:\n%s", html)
	}
	pdf := e.URL + "/api/v1/checkout/" + token + "/receipt.pdf"
	if !strings.Contains(html, `href="`+pdf+`"`) || !strings.Contains(text, pdf) {
		t.Errorf("the e-mail does not link %s:\n%s", pdf, text)
	}
	if r := e.Do(t, "GET", strings.TrimPrefix(pdf, e.URL), nil); r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("the linked receipt: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
}
