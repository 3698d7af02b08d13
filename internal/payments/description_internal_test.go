package payments

import (
	"testing"

	"securelink/internal/domain"
)

func TestPaymentDescriptionSpeaksTheInvoiceLanguage(t *testing.T) {
	tests := []struct {
		name string
		inv  domain.Invoice
		want string
	}{
		{"merchant's own text", domain.Invoice{Number: "2026-7", Locale: domain.LocaleEn, Description: "Rođendanska torta"}, "Rođendanska torta"},
		{"Serbian Latin", domain.Invoice{Number: "2026-7", Locale: domain.LocaleSrLatn}, "Račun 2026-7"},
		{"Serbian Cyrillic", domain.Invoice{Number: "2026-7", Locale: domain.LocaleSrCyrl}, "Рачун 2026-7"},
		{"English", domain.Invoice{Number: "2026-7", Locale: domain.LocaleEn}, "Invoice 2026-7"},
		{"no language", domain.Invoice{Number: "2026-7"}, "Račun 2026-7"},
	}
	for _, tc := range tests {
		if got := paymentDescription(tc.inv); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
