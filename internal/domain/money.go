// Package domain holds SecureLink's core types and their rules: money, invoices, links, payments,
// refunds and their state machines. It imports only the standard library.
package domain

import (
	"fmt"
	"strings"
)

// MinAmount and MaxAmount bound every amount in minor units.
const (
	MinAmount int64 = 1
	MaxAmount int64 = 1_000_000_000_000
)

// DefaultCurrency is the currency of a merchant that chose none.
const DefaultCurrency = "RSD"

// currencyExponents lists the ISO 4217 currencies SecureLink accepts with their minor-unit exponent.
var currencyExponents = map[string]int{
	"RSD": 2, "EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "BAM": 2, "MKD": 2, "HUF": 2, "JPY": 0,
	"CZK": 2, "PLN": 2, "RON": 2, "BGN": 2, "SEK": 2, "NOK": 2, "DKK": 2, "CAD": 2, "AUD": 2,
	"TRY": 2, "ALL": 2, "KRW": 0, "ISK": 0, "KWD": 3, "BHD": 3, "JOD": 3, "TND": 3, "OMR": 3,
	"CNY": 2, "INR": 2, "RUB": 2, "UAH": 2, "MDL": 2, "GEL": 2, "AED": 2, "ILS": 2, "NZD": 2,
	"SGD": 2, "HKD": 2, "MXN": 2, "BRL": 2, "ZAR": 2,
}

// NormalizeCurrency upper-cases code and reports whether it is a currency SecureLink accepts.
func NormalizeCurrency(code string) (string, bool) {
	c := strings.ToUpper(strings.TrimSpace(code))
	_, ok := currencyExponents[c]
	return c, ok
}

// CurrencyExponent returns the number of minor-unit digits of a known currency.
func CurrencyExponent(code string) int {
	if e, ok := currencyExponents[code]; ok {
		return e
	}
	return 2
}

// Money is an amount in minor units of a currency.
type Money struct {
	Amount   int64
	Currency string
}

// ValidAmount reports whether a is within MinAmount…MaxAmount.
func ValidAmount(a int64) bool { return a >= MinAmount && a <= MaxAmount }

// String formats m plainly, e.g. "1234.56 RSD"; user-facing formatting belongs to the locale.
func (m Money) String() string {
	exp := CurrencyExponent(m.Currency)
	if exp == 0 {
		return fmt.Sprintf("%d %s", m.Amount, m.Currency)
	}
	div := int64(1)
	for range exp {
		div *= 10
	}
	sign := ""
	a := m.Amount
	if a < 0 {
		sign, a = "-", -a
	}
	return fmt.Sprintf("%s%d.%0*d %s", sign, a/div, exp, a%div, m.Currency)
}
