package exchange

import (
	"fmt"
	"strconv"
	"strings"

	"securelink/internal/domain"
)

// FormatAmount writes minor units as the gateway's decimal string in the currency's exponent
// (999 EUR → "9.99", 500 JPY → "500", 1234 KWD → "1.234").
func FormatAmount(minor int64, currency string) string {
	exp := domain.CurrencyExponent(currency)
	if exp == 0 {
		return strconv.FormatInt(minor, 10)
	}
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	div := int64(1)
	for range exp {
		div *= 10
	}
	return fmt.Sprintf("%s%d.%0*d", sign, minor/div, exp, minor%div)
}

// ParseAmount reads the gateway's decimal string into minor units of currency. It refuses more
// decimals than the currency has, so no amount is silently rounded.
func ParseAmount(s, currency string) (int64, error) {
	exp := domain.CurrencyExponent(currency)
	whole, frac, hasFrac := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" || strings.HasPrefix(whole, "-") || strings.HasPrefix(whole, "+") || (hasFrac && frac == "") {
		return 0, fmt.Errorf("amount %q is not a decimal number", s)
	}
	if len(frac) > exp {
		return 0, fmt.Errorf("amount %q has more than %d decimals for %s", s, exp, currency)
	}
	frac += strings.Repeat("0", exp-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("amount %q is not a decimal number", s)
	}
	return n, nil
}
