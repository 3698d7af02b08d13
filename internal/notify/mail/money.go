package mail

import (
	"strconv"
	"strings"

	"securelink/internal/domain"
)

// FormatMoney formats minor units for people reading locale: "1.234,56 RSD" in Serbian,
// "RSD 1,234.56" in English. The number of decimals is the currency's exponent.
func FormatMoney(amount int64, currency, locale string) string {
	exp := domain.CurrencyExponent(currency)
	neg := amount < 0
	if neg {
		amount = -amount
	}
	div := int64(1)
	for range exp {
		div *= 10
	}
	whole, frac := amount/div, amount%div
	group, decimal := ".", ","
	if locale == domain.LocaleEn {
		group, decimal = ",", "."
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteString(groupThousands(strconv.FormatInt(whole, 10), group))
	if exp > 0 {
		f := strconv.FormatInt(frac, 10)
		b.WriteString(decimal + strings.Repeat("0", exp-len(f)) + f)
	}
	if locale == domain.LocaleEn {
		return currency + " " + b.String()
	}
	return b.String() + " " + currency
}

// groupThousands inserts sep between groups of three digits from the right.
func groupThousands(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	var b strings.Builder
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteString(sep + digits[i:i+3])
	}
	return b.String()
}
