package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
)

// FuzzDecode: the strict JSON decoder (amounts, strings, nesting) never panics on any body; it either
// fills the request or answers a client error naming what is wrong, and what it accepts holds no NUL
// and no card number and decodes the same way again.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"customer":{"name":"Ana Anić","email":"ana@example.com"},"lines":[{"description":"Torta","quantity":1,"unit_amount":450000,"vat_rate":20}]}`,
		`{"lines":[{"quantity":1.5}]}`, `{"lines":[{"unit_amount":1e20}]}`, `{"lines":[{"unit_amount":-9223372036854775808}]}`,
		`{"amount":5}`, `{"currency":941}`, `[]`, `{`, ``, `{"lines":[]} {}`, `{"customer":{"name":"a\u0000b"}}`,
		`{"description":"4242 4242 4242 4242"}`, `{"customer":{"vip":true}}`, `{"lines":[{"vat_rate":20.555}]}`,
	} {
		f.Add([]byte(s), "application/json")
	}
	f.Add([]byte(`{}`), "text/plain")
	e := echo.New()
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/invoices", bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		c := e.NewContext(req, httptest.NewRecorder())
		var dst CreateInvoiceRequest
		err := decode(c, &dst, false)
		if err != nil {
			ae, ok := apperr.As(err)
			if !ok || ae.Kind == apperr.KindInternal {
				t.Fatalf("decode(%q) answered a non-client error: %v", body, err)
			}
			return
		}
		again, _ := json.Marshal(dst)
		req = httptest.NewRequest(http.MethodPost, "/api/v1/invoices", bytes.NewReader(again))
		req.Header.Set("Content-Type", "application/json")
		var dst2 CreateInvoiceRequest
		if err := decode(e.NewContext(req, httptest.NewRecorder()), &dst2, false); err != nil {
			t.Fatalf("accepted %q, refused its own encoding %s: %v", body, again, err)
		}
	})
}

// FuzzEdgeGuard: whatever a client puts into a link token, a query parameter or an Idempotency-Key,
// the edge answers it as an ordinary request or a 4xx naming the param, never a 5xx.
func FuzzEdgeGuard(f *testing.F) {
	for _, s := range []string{"6mJ2kq8tY0Wc3nXb5vRz1aPe", "", "%00", "a\x00b", "\xff", "4242424242424242", "../../etc", "order-1042", "ž"} {
		f.Add(s, s, s)
	}
	srv := &Server{e: echo.New()}
	srv.e.HTTPErrorHandler = srv.handleError
	srv.e.Use(withRequestID, guardInput)
	ok := func(c echo.Context) error {
		if _, err := idempotencyKey(c); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
	srv.e.GET("/api/v1/checkout/:token", ok)
	f.Fuzz(func(t *testing.T, token, query, key string) {
		target := "/api/v1/checkout/" + url.PathEscape(token) + "?" + url.Values{"starting_after": {query}}.Encode()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL, _ = url.Parse(target)
		if req.URL == nil {
			return
		}
		if httpHeaderValueOK(key) {
			req.Header.Set("Idempotency-Key", key)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("token %q query %q key %q: %d %s", token, query, key, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && rec.Code != http.StatusNotFound && !bytes.Contains(rec.Body.Bytes(), []byte(`"param"`)) {
			t.Fatalf("token %q query %q key %q: %d without param: %s", token, query, key, rec.Code, rec.Body)
		}
	})
}

// httpHeaderValueOK reports whether net/http would send v as a header value at all.
func httpHeaderValueOK(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
