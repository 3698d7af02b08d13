package testgateway

import "testing"

// TestChallengeAmountUsesTheCurrencyTable: the 3-D Secure page shows amounts with each currency's
// own exponent (it kept a copy of the zero-decimal ones and showed a KWD amount with two decimals).
func TestChallengeAmountUsesTheCurrencyTable(t *testing.T) {
	cases := []struct {
		minor    int64
		currency string
		want     string
	}{
		{123456, "RSD", "1234.56 RSD"},
		{1250, "EUR", "12.50 EUR"},
		{1500, "JPY", "1500 JPY"},
		{1234567, "KWD", "1234.567 KWD"},
	}
	for _, c := range cases {
		if got := formatAmount(c.minor, c.currency); got != c.want {
			t.Errorf("%d %s: %q, want %q", c.minor, c.currency, got, c.want)
		}
	}
}
