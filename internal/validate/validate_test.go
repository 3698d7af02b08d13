package validate

import (
	"strings"
	"testing"

	"securelink/internal/apperr"
)

func TestEmail(t *testing.T) {
	for in, want := range map[string]string{" Ana@Example.COM ": "ana@example.com", "a.b+c@sub.example.rs": "a.b+c@sub.example.rs"} {
		if got, err := Email("email", in); err != nil || got != want {
			t.Errorf("%q → %q %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "ana", "ana@", "@example.com", "ana@localhost", "Ana <ana@example.com>", "a b@example.com", strings.Repeat("a", 250) + "@example.com"} {
		_, err := Email("customer.email", bad)
		if e, ok := apperr.As(err); !ok || e.Param != "customer.email" {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestTextAndPhone(t *testing.T) {
	if Text("name", "Ђорђе Њего", 1, 10) != nil {
		t.Error("Cyrillic counted in bytes, not characters")
	}
	for _, bad := range []string{"", "a\x00", "a\x7f", string([]byte{0xff})} {
		if Text("name", bad, 1, 10) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if Text("note", "line 1\nline 2\ttab", 0, 100) != nil {
		t.Error("newlines and tabs refused")
	}
	for _, ok := range []string{"", "+381 64 123 4567", "011/123-456", "(011) 123.4567"} {
		if Phone("phone", ok) != nil {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"12345", "call me", "+381 64 123 4567 8901 2345", "381+64"} {
		if Phone("phone", bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
