package validate

import (
	"unicode/utf8"

	"securelink/internal/apperr"
)

// Card numbers are 13 to 19 digits (ISO/IEC 7812), typed contiguously or in groups.
const (
	minCardDigits = 13
	maxCardDigits = 19
)

// ContainsCardNumber reports whether s holds something shaped like a payment card number: 13 to 19
// digits, contiguous or in groups separated by one space or dash, that pass the Luhn check. A number
// written after a plus sign (a phone number) and a Serbian bank account (3-13-2 digits with dashes,
// checked with mod 97, not Luhn) are not card numbers.
func ContainsCardNumber(s string) bool {
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		start := i
		groups, end := digitGroups(s, i)
		i = end
		if start > 0 && s[start-1] == '+' {
			continue
		}
		// Digits glued to a letter are part of a code, not a card number standing on its own: a
		// random hex Idempotency-Key or a reference such as INV20260000012345 would otherwise be
		// refused whenever its digits happen to pass the Luhn check (one time in ten).
		if (start > 0 && isASCIILetter(s[start-1])) || (end < len(s) && isASCIILetter(s[end])) {
			continue
		}
		if isBankAccount(s, groups) {
			continue
		}
		if anyCardRun(s, groups) {
			return true
		}
	}
	return false
}

func isASCIILetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

// span is one group of contiguous digits, s[from:to].
type span struct{ from, to int }

// digitGroups reads the run of digit groups starting at i: digits, then optionally one separator and
// more digits, and so on. It returns the groups and the index after the run.
func digitGroups(s string, i int) ([]span, int) {
	var groups []span
	for {
		from := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		groups = append(groups, span{from, i})
		if i+1 < len(s) && (s[i] == ' ' || s[i] == '-') && isDigit(s[i+1]) {
			i++
			continue
		}
		return groups, i
	}
}

// anyCardRun checks every sequence of consecutive groups whose digits number 13 to 19, so a card
// number next to another number ("order 12 4242 4242 4242 4242") is still found.
func anyCardRun(s string, groups []span) bool {
	for a := range groups {
		n := 0
		digits := make([]byte, 0, maxCardDigits)
		for b := a; b < len(groups); b++ {
			n += groups[b].to - groups[b].from
			if n > maxCardDigits {
				break
			}
			digits = append(digits, s[groups[b].from:groups[b].to]...)
			if n >= minCardDigits && Luhn(string(digits)) {
				return true
			}
		}
	}
	return false
}

// isBankAccount recognises the Serbian account layout 123-1234567890123-12 (the middle part may be
// shorter, zeros dropped), which is common in merchants' terms and addresses.
func isBankAccount(s string, groups []span) bool {
	if len(groups) != 3 || s[groups[0].to] != '-' || s[groups[1].to] != '-' {
		return false
	}
	l0, l1, l2 := groups[0].to-groups[0].from, groups[1].to-groups[1].from, groups[2].to-groups[2].from
	return l0 == 3 && l1 >= 1 && l1 <= 13 && l2 == 2
}

// Luhn reports whether a string of ASCII digits passes the Luhn (mod 10) check.
func Luhn(digits string) bool {
	if digits == "" {
		return false
	}
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if !isDigit(c) {
			return false
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// NoCardNumber refuses a value that looks like a card number, naming the param; the value itself is
// never repeated in the message.
func NoCardNumber(param, v string) error {
	if ContainsCardNumber(v) {
		return CardNumberNotAllowed(param)
	}
	return nil
}

// CardNumberNotAllowed is the 400 for input that holds a card number where none belongs.
func CardNumberNotAllowed(param string) error {
	return apperr.Invalid(param, "card_number_not_allowed",
		"%s looks like a card number. Card numbers are entered only in the payment form, never here.", param)
}

// NoNUL refuses a string with a NUL character or invalid UTF-8, which no database column should hold.
func NoNUL(param, v string) error {
	if !utf8.ValidString(v) {
		return apperr.Invalid(param, "invalid_string", "%s must be valid UTF-8 text.", param)
	}
	for i := 0; i < len(v); i++ {
		if v[i] == 0 {
			return apperr.Invalid(param, "invalid_string", "%s must not contain a NUL character.", param)
		}
	}
	return nil
}
