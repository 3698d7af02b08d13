// Package validate checks the shape of input strings, answering errors that name the param.
package validate

import (
	"net/mail"
	"strings"
	"unicode/utf8"

	"securelink/internal/apperr"
)

// Email trims and lower-cases an address and checks its form.
func Email(param, email string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	if e == "" {
		return "", apperr.Invalid(param, "missing", "%s is required.", param)
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || len(e) > 254 || !strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".") {
		return "", apperr.Invalid(param, "invalid_email", "%s must be a valid e-mail address.", param)
	}
	return e, nil
}

// Text checks a string's length in characters and that it is valid UTF-8 without control
// characters other than newlines and tabs.
func Text(param, v string, minLen, maxLen int) error {
	if !utf8.ValidString(v) {
		return apperr.Invalid(param, "invalid_string", "%s must be valid UTF-8 text.", param)
	}
	n := utf8.RuneCountInString(v)
	if n < minLen {
		if minLen == 1 {
			return apperr.Invalid(param, "missing", "%s is required.", param)
		}
		return apperr.Invalid(param, "too_short", "%s must have at least %d characters.", param, minLen)
	}
	if n > maxLen {
		return apperr.Invalid(param, "too_long", "%s must have at most %d characters.", param, maxLen)
	}
	for _, r := range v {
		if r < 0x20 && r != '\n' && r != '\t' && r != '\r' || r == 0x7f {
			return apperr.Invalid(param, "invalid_string", "%s contains a control character.", param)
		}
	}
	return nil
}

// Phone checks an optional phone number: digits with an optional leading + and common separators.
func Phone(param, v string) error {
	if v == "" {
		return nil
	}
	digits := 0
	for i, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '(', r == ')', r == '/', r == '.':
		default:
			return invalidPhone(param)
		}
	}
	if digits < 6 || digits > 15 || len(v) > 30 {
		return invalidPhone(param)
	}
	return nil
}

// invalidPhone is the error for a phone number that is not one.
func invalidPhone(param string) error {
	return apperr.Invalid(param, "invalid_phone", "%s must be a phone number such as +381 64 123 4567.", param)
}
