package exchange

import (
	"crypto/hmac"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Headers of a signed message.
const (
	HeaderSignature = "X-Signature"
	HeaderDate      = "Date"
	// HeaderXDate wins over Date when both are sent (some HTTP clients rewrite Date).
	HeaderXDate = "X-Date"
)

// ContentTypeJSON is the Content-Type of every request with a body, exactly as it is signed.
const ContentTypeJSON = "application/json; charset=utf-8"

// DateWindow is how far a signed message's date may be from the receiver's clock.
const DateWindow = 5 * time.Minute

// Signature computes the gateway's X-Signature: base64(HMAC-SHA512(sharedSecret, method + "\n" +
// hex(SHA512(body)) + "\n" + contentType + "\n" + date + "\n" + requestURI)). The request URI is
// the path with its query, as sent.
func Signature(sharedSecret, method string, body []byte, contentType, date, requestURI string) string {
	bodyHash := sha512.Sum512(body)
	message := strings.Join([]string{method, hex.EncodeToString(bodyHash[:]), contentType, date, requestURI}, "\n")
	mac := hmac.New(sha512.New, []byte(sharedSecret))
	mac.Write([]byte(message))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// FormatDate is a message date as the gateway sends and expects it ("Tue, 21 Jul 2020 13:15:03 UTC").
func FormatDate(t time.Time) string { return t.UTC().Format("Mon, 02 Jan 2006 15:04:05 UTC") }

// SignHeaders signs a message: it sets Date, X-Date and X-Signature on h for the body and URI.
func SignHeaders(h http.Header, sharedSecret, method string, body []byte, requestURI string, now time.Time) {
	date := FormatDate(now)
	h.Set(HeaderDate, date)
	h.Set(HeaderXDate, date)
	h.Set(HeaderSignature, Signature(sharedSecret, method, body, h.Get("Content-Type"), date, requestURI))
}

// Reasons VerifySignature refuses a message.
var (
	ErrSignatureMissing  = errors.New("X-Signature missing")
	ErrSignatureMismatch = errors.New("X-Signature does not match")
	ErrDateOutsideWindow = errors.New("date outside the allowed window")
)

// VerifySignature checks a signed message's X-Signature and that its date (X-Date, else Date) is
// within DateWindow of now. The comparison takes constant time.
func VerifySignature(h http.Header, sharedSecret, method string, body []byte, requestURI string, now time.Time) error {
	got := h.Get(HeaderSignature)
	if got == "" {
		return ErrSignatureMissing
	}
	date := h.Get(HeaderXDate)
	if date == "" {
		date = h.Get(HeaderDate)
	}
	want := Signature(sharedSecret, method, body, h.Get("Content-Type"), date, requestURI)
	if !hmac.Equal([]byte(got), []byte(want)) {
		return ErrSignatureMismatch
	}
	sent, err := parseDate(date)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrDateOutsideWindow, err)
	}
	if d := now.Sub(sent); d > DateWindow || d < -DateWindow {
		return fmt.Errorf("%w: %s", ErrDateOutsideWindow, date)
	}
	return nil
}

// parseDate reads the gateway's date format and the usual HTTP date formats.
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse("Mon, 02 Jan 2006 15:04:05 UTC", s); err == nil {
		return t, nil
	}
	return http.ParseTime(s)
}
