package serbia

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits of the IPS QR payload (NBS decision on the general rules for instant credit transfers,
// annex 1). Text limits count characters, not bytes: "Ђорђе" is 5 characters and 10 bytes.
const (
	MaxPayeeLen     = 70
	MaxPayerLen     = 70
	MaxPurposeLen   = 35
	MaxReferenceLen = 25
	// MinIPSAmount and MaxIPSAmount bound the I tag in para (minor units): RSD0,01 … RSD999999999999,99.
	MinIPSAmount int64 = 1
	MaxIPSAmount int64 = 99_999_999_999_999
)

// DefaultPaymentCode is the payment code (šifra plaćanja) a new merchant starts from: 221, "promet
// robe i usluga – finalna potrošnja", a consumer paying for goods and services by transfer.
const DefaultPaymentCode = "221"

// IPS is the content of an IPS QR code of kind PR (a payee shows it, the payer scans it).
type IPS struct {
	Account     string // 18 digits, control digits valid
	Payee       string // name and place of the payee, at most 70 characters
	Amount      int64  // in para, RSD only
	PaymentCode string // 3 digits, the first 1 (cash) or 2 (non-cash)
	Purpose     string // at most 35 characters
	Reference   string // model and reference, e.g. "97" + check digits + digits; optional
	Payer       string // optional name and place of the payer, at most 70 characters
}

// FieldError says which tag of a payload breaks which rule; Field is the API's name for it.
type FieldError struct {
	Tag   string
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return "ips: " + e.Tag + " (" + e.Field + "): " + e.Msg }

// Unwrap makes every FieldError an ErrInvalid.
func (e *FieldError) Unwrap() error { return ErrInvalid }

func fieldErr(tag, field, format string, args ...any) error {
	return &FieldError{Tag: tag, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// FormatIPSAmount writes para as the I tag does: "RSD" + whole dinars + "," + two decimals, with no
// thousands separators ("RSD1234,50").
func FormatIPSAmount(para int64) string {
	return "RSD" + strconv.FormatInt(para/100, 10) + "," + fmt.Sprintf("%02d", para%100)
}

// checkText applies the rules every free-text tag shares: not empty when required, at most max
// characters, valid UTF-8, and no "|" (the separator) or control characters but a line break.
func checkText(tag, field, v string, max int, required bool) error {
	if v == "" {
		if required {
			return fieldErr(tag, field, "is required")
		}
		return nil
	}
	if !utf8.ValidString(v) {
		return fieldErr(tag, field, "must be UTF-8 text")
	}
	if n := utf8.RuneCountInString(v); n > max {
		return fieldErr(tag, field, "has %d characters; at most %d are allowed", n, max)
	}
	for _, r := range v {
		if r == '|' || (r < 0x20 && r != '\n') || r == 0x7f {
			return fieldErr(tag, field, "must not contain %q", r)
		}
	}
	if strings.TrimSpace(v) != v {
		return fieldErr(tag, field, "must not begin or end with a space")
	}
	return nil
}

// checkReference accepts a reference of model 97 (checked) or of another two-digit model followed
// by up to 23 characters (as NBS allows), at most 25 in all, with no spaces or dashes.
func checkReference(ref string) error {
	if ref == "" {
		return nil
	}
	if len(ref) > MaxReferenceLen {
		return fieldErr("RO", "reference", "has %d characters; at most %d are allowed", len(ref), MaxReferenceLen)
	}
	if len(ref) < 3 || !onlyDigits(ref[:2]) {
		return fieldErr("RO", "reference", "must start with a two-digit model such as 97")
	}
	for _, r := range ref[2:] {
		if !(r >= '0' && r <= '9') && !(r >= 'A' && r <= 'Z') {
			return fieldErr("RO", "reference", "may hold only digits and capital letters after the model, without spaces or dashes")
		}
	}
	if strings.HasPrefix(ref, "97") {
		if _, _, ok := ParseModel97(ref); !ok {
			return fieldErr("RO", "reference", "model 97 needs two check digits (MOD 97) and then digits only")
		}
	}
	return nil
}

// Validate checks every field of p against the rules of the payload.
func (p IPS) Validate() error {
	if len(p.Account) != 18 || !onlyDigits(p.Account) {
		return fieldErr("R", "account", "must be exactly 18 digits")
	}
	if mod97(p.Account) != 1 {
		return fieldErr("R", "account", "control digits do not match (MOD 97-10)")
	}
	if err := checkText("N", "payee", p.Payee, MaxPayeeLen, true); err != nil {
		return err
	}
	if p.Amount < MinIPSAmount || p.Amount > MaxIPSAmount {
		return fieldErr("I", "amount", "must be from RSD0,01 to RSD999999999999,99")
	}
	if err := checkText("P", "payer", p.Payer, MaxPayerLen, false); err != nil {
		return err
	}
	if len(p.PaymentCode) != 3 || !onlyDigits(p.PaymentCode) || (p.PaymentCode[0] != '1' && p.PaymentCode[0] != '2') {
		return fieldErr("SF", "payment_code", "must be 3 digits starting with 1 (cash) or 2 (non-cash)")
	}
	if err := checkText("S", "purpose", p.Purpose, MaxPurposeLen, false); err != nil {
		return err
	}
	return checkReference(p.Reference)
}

// Payload is the text to put in the QR code: the tags in NBS order joined by "|", optional tags
// left out when empty, no trailing "|".
func (p IPS) Payload() (string, error) {
	if err := p.Validate(); err != nil {
		return "", err
	}
	tags := []string{"K:PR", "V:01", "C:1", "R:" + p.Account, "N:" + p.Payee, "I:" + FormatIPSAmount(p.Amount)}
	if p.Payer != "" {
		tags = append(tags, "P:"+p.Payer)
	}
	tags = append(tags, "SF:"+p.PaymentCode)
	if p.Purpose != "" {
		tags = append(tags, "S:"+p.Purpose)
	}
	if p.Reference != "" {
		tags = append(tags, "RO:"+p.Reference)
	}
	return strings.Join(tags, "|"), nil
}

// ParsePayload reads a PR payload back and checks it: the fixed tags K, V and C first, every tag
// known, none empty or repeated, no trailing "|", and every value by the rules of Validate.
func ParsePayload(s string) (IPS, error) {
	var p IPS
	if !utf8.ValidString(s) {
		return p, fieldErr("", "payload", "must be UTF-8")
	}
	if strings.HasSuffix(s, "|") {
		return p, fieldErr("", "payload", "must not end with |")
	}
	parts := strings.Split(s, "|")
	if len(parts) < 3 || parts[0] != "K:PR" || parts[1] != "V:01" || parts[2] != "C:1" {
		return p, fieldErr("K", "payload", "must begin with K:PR|V:01|C:1")
	}
	seen := map[string]bool{}
	var amount string
	for _, part := range parts[3:] {
		tag, val, ok := strings.Cut(part, ":")
		if !ok || val == "" {
			return p, fieldErr(tag, "payload", "tag %q is empty", part)
		}
		if seen[tag] {
			return p, fieldErr(tag, "payload", "tag %s appears twice", tag)
		}
		seen[tag] = true
		switch tag {
		case "R":
			p.Account = val
		case "N":
			p.Payee = val
		case "I":
			amount = val
		case "P":
			p.Payer = val
		case "SF":
			p.PaymentCode = val
		case "S":
			p.Purpose = val
		case "RO":
			p.Reference = val
		default:
			return p, fieldErr(tag, "payload", "unknown tag %s", tag)
		}
	}
	for _, req := range []string{"R", "N", "I", "SF"} {
		if !seen[req] {
			return p, fieldErr(req, "payload", "tag %s is required", req)
		}
	}
	para, err := parseIPSAmount(amount)
	if err != nil {
		return p, err
	}
	p.Amount = para
	return p, p.Validate()
}

// parseIPSAmount reads "RSD1234,5" or "RSD1234,56" (a decimal comma, no thousands separators).
func parseIPSAmount(v string) (int64, error) {
	bad := fieldErr("I", "amount", "must be RSD, whole dinars, a decimal comma and at most two decimals, such as RSD1234,50")
	num, ok := strings.CutPrefix(v, "RSD")
	if !ok {
		return 0, bad
	}
	whole, frac, ok := strings.Cut(num, ",")
	if !ok || !onlyDigits(whole) || len(whole) > 12 || len(frac) > 2 || (frac != "" && !onlyDigits(frac)) {
		return 0, bad
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, bad
	}
	return w*100 + f, nil
}

// CheckPayee applies the rules of the N tag to a payee's name and place.
func CheckPayee(v string) error { return checkText("N", "payee", v, MaxPayeeLen, true) }

// ValidTransferPaymentCode reports whether c is a payment code for a non-cash transfer: 3 digits
// starting with 2 (the codes starting with 1 are for cash paid at a counter).
func ValidTransferPaymentCode(c string) bool {
	return len(c) == 3 && onlyDigits(c) && c[0] == '2'
}
