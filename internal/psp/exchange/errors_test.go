package exchange_test

import (
	"testing"

	"securelink/internal/psp"
	"securelink/internal/psp/exchange"
)

func TestDeclineCodes(t *testing.T) {
	for _, tc := range []struct {
		code int
		want psp.DeclineCode
	}{
		{exchange.CodeDeclined, psp.DeclineCardDeclined},
		{exchange.CodeInsufficientFunds, psp.DeclineInsufficientFunds},
		{exchange.CodeExpiredCard, psp.DeclineExpiredCard},
		{exchange.CodeIncorrectPayment, psp.DeclineIncorrectCVC},
		{exchange.Code3DSFailed, psp.DeclineAuthenticationFailed},
		{exchange.CodeCommunication, psp.DeclineProcessingError},
		{exchange.CodeTimeout, psp.DeclineProcessingError},
		{exchange.CodeUnavailable, psp.DeclineProcessingError},
		{2001, psp.DeclineCardDeclined}, // account closed: a decline without a code of its own
		{2099, psp.DeclineCardDeclined},
		{3999, psp.DeclineProcessingError},
	} {
		if got := exchange.DeclineCodeOf(tc.code); got != tc.want {
			t.Errorf("DeclineCodeOf(%d) = %q, want %q", tc.code, got, tc.want)
		}
	}
}

func FuzzAmountRoundTrip(f *testing.F) {
	for _, s := range []string{"9.99", "0.01", "100", "1.234", "12345678.90"} {
		f.Add(s, "EUR")
	}
	f.Add("500", "JPY")
	f.Add("1.234", "KWD")
	f.Fuzz(func(t *testing.T, s, currency string) {
		n, err := exchange.ParseAmount(s, currency)
		if err != nil {
			return
		}
		back, err := exchange.ParseAmount(exchange.FormatAmount(n, currency), currency)
		if err != nil || back != n {
			t.Fatalf("%q %s: parsed %d, formatted %q, read back %d, %v", s, currency, n, exchange.FormatAmount(n, currency), back, err)
		}
	})
}
