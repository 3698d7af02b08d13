// Package domain holds what several use cases share: money and the currency table, the invoice and
// its link (created by invoices, settled by payments, read by notify), every status with its state
// machine and the rules built on it, and events. A model only one use case changes lives in that
// use case's package instead (payments.Payment, merchants.Merchant, notify.Email…). It imports only
// the standard library.
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

// Currency is an ISO 4217 currency SecureLink accepts: its code, how many digits its minor unit
// has, and its English name.
type Currency struct {
	Code     string
	Exponent int
	Name     string
}

// Currencies is the one table of accepted currencies, RSD first; the API publishes it
// (GET /api/v1/currencies) and both SPAs and the e-mails format and parse amounts from it.
var Currencies = []Currency{
	{"RSD", 2, "Serbian dinar"}, {"EUR", 2, "Euro"}, {"USD", 2, "US dollar"},
	{"GBP", 2, "Pound sterling"}, {"CHF", 2, "Swiss franc"},
	{"BAM", 2, "Bosnia and Herzegovina convertible mark"}, {"MKD", 2, "Macedonian denar"},
	{"HUF", 2, "Hungarian forint"}, {"JPY", 0, "Japanese yen"}, {"CZK", 2, "Czech koruna"},
	{"PLN", 2, "Polish zloty"}, {"RON", 2, "Romanian leu"}, {"BGN", 2, "Bulgarian lev"},
	{"SEK", 2, "Swedish krona"}, {"NOK", 2, "Norwegian krone"}, {"DKK", 2, "Danish krone"},
	{"CAD", 2, "Canadian dollar"}, {"AUD", 2, "Australian dollar"}, {"TRY", 2, "Turkish lira"},
	{"ALL", 2, "Albanian lek"}, {"KRW", 0, "South Korean won"}, {"ISK", 0, "Icelandic krona"},
	{"KWD", 3, "Kuwaiti dinar"}, {"BHD", 3, "Bahraini dinar"}, {"JOD", 3, "Jordanian dinar"},
	{"TND", 3, "Tunisian dinar"}, {"OMR", 3, "Omani rial"}, {"CNY", 2, "Chinese yuan"},
	{"INR", 2, "Indian rupee"}, {"RUB", 2, "Russian ruble"}, {"UAH", 2, "Ukrainian hryvnia"},
	{"MDL", 2, "Moldovan leu"}, {"GEL", 2, "Georgian lari"}, {"AED", 2, "UAE dirham"},
	{"ILS", 2, "Israeli new shekel"}, {"NZD", 2, "New Zealand dollar"},
	{"SGD", 2, "Singapore dollar"}, {"HKD", 2, "Hong Kong dollar"}, {"MXN", 2, "Mexican peso"},
	{"BRL", 2, "Brazilian real"}, {"ZAR", 2, "South African rand"},
}

// currencyByCode indexes Currencies.
var currencyByCode = func() map[string]Currency {
	m := make(map[string]Currency, len(Currencies))
	for _, c := range Currencies {
		m[c.Code] = c
	}
	return m
}()

// NormalizeCurrency upper-cases code and reports whether it is a currency SecureLink accepts.
func NormalizeCurrency(code string) (string, bool) {
	c := strings.ToUpper(strings.TrimSpace(code))
	_, ok := currencyByCode[c]
	return c, ok
}

// CurrencyExponent returns the number of minor-unit digits of a known currency (2 for an unknown
// code, which validation keeps from ever being stored).
func CurrencyExponent(code string) int {
	if c, ok := currencyByCode[code]; ok {
		return c.Exponent
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
