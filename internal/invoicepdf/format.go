package invoicepdf

import (
	"strconv"
	"strings"
	"time"

	"securelink/internal/domain"
)

// formatMoney writes minor units as the locale does: "4.800,00 RSD" in Serbian, "4,800.00 RSD" in English.
func formatMoney(minor int64, currency, locale string) string {
	exp := domain.CurrencyExponent(currency)
	group, dec := ".", ","
	if locale == domain.LocaleEn {
		group, dec = ",", "."
	}
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	div := int64(1)
	for range exp {
		div *= 10
	}
	whole := strconv.FormatInt(minor/div, 10)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	s := sign + b.String()
	if exp > 0 {
		frac := strconv.FormatInt(minor%div, 10)
		s += dec + strings.Repeat("0", exp-len(frac)) + frac
	}
	return s + " " + currency
}

// formatRate writes a VAT rate in basis points as a percentage: 2000 → "20%", 1050 → "10,5%".
func formatRate(bp int64, locale string) string {
	s := strconv.FormatInt(bp/100, 10)
	if frac := bp % 100; frac != 0 {
		f := strings.TrimRight(strconv.FormatInt(100+frac, 10)[1:], "0")
		sep := ","
		if locale == domain.LocaleEn {
			sep = "."
		}
		s += sep + f
	}
	return s + "%"
}

// formatDate writes a date as the locale does: "2. decembra 2026." in Serbian, "2 December 2026" in English.
func formatDate(t time.Time, locale string) string {
	return domain.LongDate(t, locale)
}
