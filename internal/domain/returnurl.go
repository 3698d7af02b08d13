package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ReturnSecretPrefix starts every return secret, so one is recognised when pasted.
const ReturnSecretPrefix = "rsec_"

// NewReturnSecret makes a merchant's secret for signing return URLs.
func NewReturnSecret() string { return ReturnSecretPrefix + NewToken(32) }

// Return is where the checkout sends a payer back to the merchant's site, and what it tells the
// site: the invoice, the payment (empty when the payer cancelled), the status, the amount in minor
// units, the currency and when the address was made.
type Return struct {
	Invoice  string
	Payment  string
	Status   string
	Amount   int64
	Currency string
	At       time.Time
}

// SignedString is the exact text a return URL's signature covers: the values of ts, invoice,
// payment, status, amount and currency, in that order, joined by dots, e.g.
// "1767225600.inv_01….pay_01….captured.240000.RSD". A merchant's site computes the same string
// from the query parameters it received.
func (r Return) SignedString() string {
	return strings.Join([]string{strconv.FormatInt(r.At.Unix(), 10), r.Invoice, r.Payment, r.Status,
		strconv.FormatInt(r.Amount, 10), r.Currency}, ".")
}

// Signature is the lowercase hex HMAC-SHA256 of SignedString, keyed with the secret's text as it
// was shown (prefix included).
func (r Return) Signature(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(r.SignedString()))
	return hex.EncodeToString(m.Sum(nil))
}

// URL adds the return's parameters and signature to base (a success or cancel URL that passed
// validation), keeping base's own query parameters except ones of the same names.
func (r Return) URL(base, secret string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("invoice", r.Invoice)
	q.Set("payment", r.Payment)
	q.Set("status", r.Status)
	q.Set("amount", strconv.FormatInt(r.Amount, 10))
	q.Set("currency", r.Currency)
	q.Set("ts", strconv.FormatInt(r.At.Unix(), 10))
	q.Set("signature", r.Signature(secret))
	u.RawQuery = q.Encode()
	return u.String(), nil
}
