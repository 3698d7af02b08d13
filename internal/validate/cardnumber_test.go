package validate

import "testing"

// cardNumberCases are shared by the table test and the fuzz seed corpus.
var cardNumberCases = []struct {
	in   string
	card bool
}{
	{"4242424242424242", true},
	{"4242 4242 4242 4242", true},
	{"4242-4242-4242-4242", true},
	{"card 4242 4242 4242 4242 exp 12/30", true},
	{"order 12 4242 4242 4242 4242", true},
	{"378282246310005", true},       // Amex, 15 digits
	{"3782 822463 10005", true},     // Amex as printed
	{"9891000000000003", true},      // DinaCard
	{"4222222222222", true},         // 13-digit Visa
	{"4242424242424241", false},     // fails Luhn
	{"424242424242", false},         // 12 digits
	{"42424242424242424242", false}, // 20 digits
	{"4242  4242 4242 4242", false}, // two spaces break the run: no group run of 13+
	{"+381 64 1234 5678", false},    // a phone number
	{"160-0000000123456-78", false}, // a Serbian bank account
	{"Račun 160-5100101010101-23", false},
	{"ORD-1042", false},
	{"", false},
	{"tok_4242424242424242", true}, // digits inside a token are still a card number
	{"INV4242424242424242", false}, // digits glued to letters are a code
	{"9f3a4242424242424242e1", false},
	{"ref-4242424242424242", true},
	{"pm_card_visa", false},
}

func TestContainsCardNumber(t *testing.T) {
	for _, c := range cardNumberCases {
		if got := ContainsCardNumber(c.in); got != c.card {
			t.Errorf("ContainsCardNumber(%q) = %v, want %v", c.in, got, c.card)
		}
	}
}

func TestLuhn(t *testing.T) {
	for in, want := range map[string]bool{"4242424242424242": true, "79927398713": true, "79927398710": false, "": false, "12a4": false} {
		if Luhn(in) != want {
			t.Errorf("Luhn(%q) != %v", in, want)
		}
	}
}

func TestNoNUL(t *testing.T) {
	for in, bad := range map[string]bool{"ok": false, "a\x00b": true, "\xff": true, "Ćao": false} {
		if err := NoNUL("p", in); (err != nil) != bad {
			t.Errorf("NoNUL(%q) = %v", in, err)
		}
	}
}
