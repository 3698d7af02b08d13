package domain

import (
	"math/big"
	"strconv"
	"strings"
	"testing"
)

// FuzzInvoiceTotals: whatever the lines, InvoiceTotals never panics, and when it accepts them the
// total is the exact sum of quantity × unit amount (no int64 overflow), within the amount bounds,
// and the VAT is between 0 and the total.
func FuzzInvoiceTotals(f *testing.F) {
	for _, c := range []struct{ q, u, r int64 }{
		{1, 12000, 2000}, {2, 120000, 2000}, {1, 30000, 1000}, {1, 11, 1000}, {3, 333, 850}, {1, 1, 2000},
		{1, 5, 2000}, {1, MaxAmount, 0}, {MaxQuantity, MaxAmount, MaxVATRateBP}, {-1, 5, 0}, {1, -5, 2000},
	} {
		f.Add(c.q, c.u, c.r, int64(1), int64(100), int64(2000))
	}
	f.Fuzz(func(t *testing.T, q1, u1, r1, q2, u2, r2 int64) {
		lines := []InvoiceLine{{Quantity: q1, UnitAmount: u1, VATRateBP: r1}, {Quantity: q2, UnitAmount: u2, VATRateBP: r2}}
		total, vat, ok := InvoiceTotals(lines)
		if !ok {
			return
		}
		exact := new(big.Int)
		for _, l := range lines {
			exact.Add(exact, new(big.Int).Mul(big.NewInt(l.Quantity), big.NewInt(l.UnitAmount)))
		}
		if !exact.IsInt64() || exact.Int64() != total {
			t.Fatalf("%+v: total %d, exact %s", lines, total, exact)
		}
		if total < MinAmount || total > MaxAmount || vat < 0 || vat > total {
			t.Fatalf("%+v: total %d vat %d out of bounds", lines, total, vat)
		}
	})
}

// FuzzMoneyString: formatting any amount of any currency never panics, and for a known currency the
// text parses back to the same minor units.
func FuzzMoneyString(f *testing.F) {
	for _, s := range []struct {
		a int64
		c string
	}{{123456, "RSD"}, {-5, "EUR"}, {0, "JPY"}, {1001, "KWD"}, {MaxAmount, "USD"}, {-9223372036854775808, "RSD"}, {7, "XYZ"}} {
		f.Add(s.a, s.c)
	}
	f.Fuzz(func(t *testing.T, amount int64, currency string) {
		s := Money{Amount: amount, Currency: currency}.String()
		code, ok := NormalizeCurrency(currency)
		if !ok || code != currency || amount == -9223372036854775808 {
			return
		}
		num, _, _ := strings.Cut(s, " ")
		back, err := strconv.ParseInt(strings.Replace(num, ".", "", 1), 10, 64)
		if err != nil || back != amount {
			t.Fatalf("%d %s formatted as %q parses back as %d (%v)", amount, currency, s, back, err)
		}
	})
}
