package exchange_test

import (
	"testing"

	"securelink/internal/psp/exchange"
)

func TestAmounts(t *testing.T) {
	for _, tc := range []struct {
		minor    int64
		currency string
		text     string
	}{
		{999, "EUR", "9.99"}, {1000, "RSD", "10.00"}, {5, "EUR", "0.05"}, {500, "JPY", "500"},
		{1234, "KWD", "1.234"}, {100_000_000_00, "RSD", "100000000.00"},
	} {
		if got := exchange.FormatAmount(tc.minor, tc.currency); got != tc.text {
			t.Errorf("FormatAmount(%d, %s) = %q, want %q", tc.minor, tc.currency, got, tc.text)
		}
		if got, err := exchange.ParseAmount(tc.text, tc.currency); err != nil || got != tc.minor {
			t.Errorf("ParseAmount(%q, %s) = %d, %v, want %d", tc.text, tc.currency, got, err, tc.minor)
		}
	}
	if got, err := exchange.ParseAmount("9.9", "EUR"); err != nil || got != 990 {
		t.Errorf(`ParseAmount("9.9") = %d, %v, want 990`, got, err)
	}
	for _, bad := range []string{"", "9.999", "-1.00", "1.", ".5", "1,00", "abc", "1.5"} {
		currency := "EUR"
		if bad == "1.5" {
			currency = "JPY"
		}
		if got, err := exchange.ParseAmount(bad, currency); err == nil {
			t.Errorf("ParseAmount(%q, %s) = %d, want an error", bad, currency, got)
		}
	}
}
