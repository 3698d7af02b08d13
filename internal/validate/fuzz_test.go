package validate

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// luhnByDoubling is Luhn written the other way round (from the left, by parity), to check Luhn against.
func luhnByDoubling(digits string) bool {
	if digits == "" {
		return false
	}
	sum := 0
	for i, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if (len(digits)-i)%2 == 0 {
			d = d * 2 % 9
			if c == '9' {
				d = 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// FuzzCardNumber: the card-number check never panics, agrees with an independent Luhn, finds a known
// card number wherever it is put between words, and NoNUL refuses exactly NULs and invalid UTF-8.
func FuzzCardNumber(f *testing.F) {
	for _, c := range cardNumberCases {
		f.Add(c.in)
	}
	f.Add("a\x00b")
	f.Add("\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		got := ContainsCardNumber(s)
		if NoCardNumber("p", s) != nil != got {
			t.Fatalf("NoCardNumber disagrees with ContainsCardNumber on %q", s)
		}
		if Luhn(s) != luhnByDoubling(s) {
			t.Fatalf("Luhn(%q) = %v, the other way %v", s, Luhn(s), luhnByDoubling(s))
		}
		if !ContainsCardNumber(s+" x 4242 4242 4242 4242") || !ContainsCardNumber("4242424242424242 y "+s) {
			t.Fatalf("a card number next to %q went unnoticed", s)
		}
		if bad := strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s); (NoNUL("p", s) != nil) != bad {
			t.Fatalf("NoNUL(%q) = %v", s, NoNUL("p", s))
		}
	})
}
