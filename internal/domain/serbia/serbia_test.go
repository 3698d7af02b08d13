package serbia_test

import (
	"errors"
	"testing"

	"securelink/internal/domain/serbia"
)

func TestNormalizeAccount(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"160-0000000123456-54", "160000000012345654", true},
		{"160-123456-54", "160000000012345654", true},
		{" 160000000012345654 ", "160000000012345654", true},
		{"160 0000000123456 54", "160000000012345654", true},
		{"160-0000000123456-55", "", false}, // control digits off by one
		{"160000000012345655", "", false},
		{"16000000001234565", "", false},   // 17 digits
		{"1600000000123456544", "", false}, // 19 digits
		{"160-00000001234567890-54", "", false},
		{"16-0000000123456-54", "", false},
		{"160-0000000123456", "", false},
		{"160-000000012345a-54", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, err := serbia.NormalizeAccount(tt.in)
		if tt.ok != (err == nil) || got != tt.want {
			t.Errorf("NormalizeAccount(%q) = %q, %v; want %q ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && !errors.Is(err, serbia.ErrInvalid) {
			t.Errorf("NormalizeAccount(%q) error %v is not ErrInvalid", tt.in, err)
		}
	}
	if got := serbia.FormatAccount("160000000012345654"); got != "160-0000000123456-54" {
		t.Errorf("FormatAccount = %q", got)
	}
}

func TestModel97(t *testing.T) {
	tests := []struct {
		digits, want string
		ok           bool
	}{
		{"000123", "9720000123", true},
		{"123", "9720123", true}, // leading zeros do not change the check digits
		{"1234567890", "97921234567890", true},
		{"000000000000000000001", "9795000000000000000000001", true}, // 21 digits, 25 characters in all
		{"0000000000000000000001", "", false},                        // 22 digits: too long for RO
		{"12-3", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, err := serbia.Model97(tt.digits)
		if tt.ok != (err == nil) || got != tt.want {
			t.Errorf("Model97(%q) = %q, %v; want %q ok=%v", tt.digits, got, err, tt.want, tt.ok)
		}
	}
	parse := []struct {
		in, norm, digits string
		ok               bool
	}{
		{"9720000123", "9720000123", "000123", true},
		{"97 20 000123", "9720000123", "000123", true},
		{"97-20-000123", "9720000123", "000123", true},
		{"9721000123", "", "", false}, // wrong check digits
		{"9920000123", "", "", false}, // another model
		{"97200001A3", "", "", false},
		{"972", "", "", false},
	}
	for _, tt := range parse {
		norm, digits, ok := serbia.ParseModel97(tt.in)
		if ok != tt.ok || norm != tt.norm || digits != tt.digits {
			t.Errorf("ParseModel97(%q) = %q, %q, %v; want %q, %q, %v", tt.in, norm, digits, ok, tt.norm, tt.digits, tt.ok)
		}
	}
}

func TestPIB(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"100002887", true},
		{"101134702", true},
		{"100002888", false}, // check digit changed
		{"101134703", false},
		{"10000288", false},   // 8 digits
		{"1000028870", false}, // 10 digits
		{"10000288a", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := serbia.ValidPIB(tt.in); got != tt.ok {
			t.Errorf("ValidPIB(%q) = %v, want %v", tt.in, got, tt.ok)
		}
	}
}

func TestMB(t *testing.T) {
	// Weights 7,6,5,4,3,2,7 over the first seven digits; the check digit is 11 minus the sum modulo 11,
	// and 0 when that is 10 or 11.
	tests := []struct {
		in string
		ok bool
	}{
		{"12345676", true}, // sum 126, 126 mod 11 = 5, 11-5 = 6
		{"07014638", true}, // sum 91, 91 mod 11 = 3, 11-3 = 8
		{"17162540", true}, // sum 122, 122 mod 11 = 1, 11-1 = 10 → 0
		{"00010010", true}, // sum 11, 11 mod 11 = 0, 11-0 = 11 → 0
		{"12345675", false},
		{"07014630", false},
		{"1234567", false},
		{"123456766", false},
		{"1234567a", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := serbia.ValidMB(tt.in); got != tt.ok {
			t.Errorf("ValidMB(%q) = %v, want %v", tt.in, got, tt.ok)
		}
	}
}
