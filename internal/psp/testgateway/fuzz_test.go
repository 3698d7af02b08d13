package testgateway

import (
	"regexp"
	"testing"
)

var tokenShape = regexp.MustCompile(`^tok_[0-9a-f]{32}$`)

// FuzzIsToken: the gateway's token shape check agrees with its definition for any string, and every
// token the gateway issues has that shape.
func FuzzIsToken(f *testing.F) {
	for _, s := range []string{newID("tok_"), "tok_", "tok_4242424242424242", "4242424242424242", "pm_card_visa", "tok_" + "A0000000000000000000000000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if IsToken(s) != tokenShape.MatchString(s) {
			t.Fatalf("IsToken(%q) = %v", s, IsToken(s))
		}
		if id := newID("tok_"); !IsToken(id) {
			t.Fatalf("issued token %q refused", id)
		}
	})
}
