package exchange_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"securelink/internal/psp/exchange"
)

// TestSignatureReproducesPublishedExample checks the signing against the gateway's documented example.
func TestSignatureReproducesPublishedExample(t *testing.T) {
	got := exchange.Signature("my-shared-secret", "POST",
		[]byte(`{"merchantTransactionId":"2019-09-02-0004","amount":"9.99","currency":"EUR"}`),
		"application/json; charset=utf-8", "Tue, 21 Jul 2020 13:15:03 UTC", "/api/v3/transaction/my-api-key/debit")
	const want = "nL+8FBKWx4/pahYScKs/dRYPBEWjiBalRaWKHGtxLpELmLrgJ/+dSWjt6dZNuu6oF18NyWEU8tXLEVm2mtEapg=="
	if got != want {
		t.Fatalf("Signature = %s, want %s", got, want)
	}
}

func TestVerifySignature(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	body := []byte(`{"result":"OK"}`)
	const uri = "/callbacks/acct_1"
	signed := func(at time.Time) http.Header {
		h := http.Header{"Content-Type": {exchange.ContentTypeJSON}}
		exchange.SignHeaders(h, "secret", "POST", body, uri, at)
		return h
	}
	for _, tc := range []struct {
		name   string
		header http.Header
		secret string
		body   []byte
		want   error
	}{
		{"valid", signed(now), "secret", body, nil},
		{"valid, a minute old", signed(now.Add(-time.Minute)), "secret", body, nil},
		{"other secret", signed(now), "other", body, exchange.ErrSignatureMismatch},
		{"body changed", signed(now), "secret", []byte(`{"result":"ERROR"}`), exchange.ErrSignatureMismatch},
		{"too old", signed(now.Add(-10 * time.Minute)), "secret", body, exchange.ErrDateOutsideWindow},
		{"from the future", signed(now.Add(10 * time.Minute)), "secret", body, exchange.ErrDateOutsideWindow},
		{"unsigned", http.Header{"Content-Type": {exchange.ContentTypeJSON}}, "secret", body, exchange.ErrSignatureMissing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := exchange.VerifySignature(tc.header, tc.secret, "POST", tc.body, uri, now)
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("VerifySignature = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestXDateWinsOverDate(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	h := http.Header{"Content-Type": {exchange.ContentTypeJSON}}
	exchange.SignHeaders(h, "secret", "POST", nil, "/x", now)
	// A proxy rewriting Date does not break a message whose X-Date was signed.
	h.Set("Date", exchange.FormatDate(now.Add(time.Second)))
	if err := exchange.VerifySignature(h, "secret", "POST", nil, "/x", now); err != nil {
		t.Fatalf("VerifySignature with X-Date: %v", err)
	}
}
