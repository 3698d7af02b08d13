package domain

import (
	"sort"
	"strings"
	"testing"
	"time"
)

func TestLineVAT(t *testing.T) {
	cases := []struct {
		qty, unit, rateBP, total, vat int64
	}{
		{1, 12000, 2000, 12000, 2000},    // 20 % of 120.00 incl. VAT is 20.00
		{2, 120000, 2000, 240000, 40000}, // two units
		{1, 30000, 1000, 30000, 2727},    // 2727.27… rounds down
		{1, 11, 1000, 11, 1},             // 1.0 exactly
		{3, 333, 850, 999, 78},           // 78.26… with a decimal rate
		{1, 1, 2000, 1, 0},               // 0.166… rounds to 0
		{1, 5, 2000, 5, 1},               // 0.833… rounds to 1
		{1, 1_000_000_000_000, 0, 1_000_000_000_000, 0},
	}
	for _, c := range cases {
		l := InvoiceLine{Quantity: c.qty, UnitAmount: c.unit, VATRateBP: c.rateBP}
		if l.Total() != c.total || l.VAT() != c.vat {
			t.Errorf("%+v: total %d vat %d, want %d %d", c, l.Total(), l.VAT(), c.total, c.vat)
		}
	}
}

func TestInvoiceTotalsBounds(t *testing.T) {
	if _, _, ok := InvoiceTotals([]InvoiceLine{{Quantity: 1, UnitAmount: MaxAmount}}); !ok {
		t.Error("10^12 refused")
	}
	if _, _, ok := InvoiceTotals([]InvoiceLine{{Quantity: 1, UnitAmount: MaxAmount}, {Quantity: 1, UnitAmount: 1}}); ok {
		t.Error("10^12+1 accepted")
	}
	if _, _, ok := InvoiceTotals([]InvoiceLine{{Quantity: MaxQuantity, UnitAmount: MaxAmount}}); ok {
		t.Error("overflowing line accepted")
	}
}

func TestCurrencies(t *testing.T) {
	for in, want := range map[string]string{"rsd": "RSD", " eur ": "EUR", "JPY": "JPY"} {
		if got, ok := NormalizeCurrency(in); !ok || got != want {
			t.Errorf("%q → %q %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "XYZ", "EURO", "€"} {
		if _, ok := NormalizeCurrency(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	for m, want := range map[Money]string{{123456, "RSD"}: "1234.56 RSD", {5, "EUR"}: "0.05 EUR", {1500, "JPY"}: "1500 JPY", {-250, "USD"}: "-2.50 USD", {1234, "KWD"}: "1.234 KWD"} {
		if m.String() != want {
			t.Errorf("%v → %s, want %s", m, m.String(), want)
		}
	}
}

func TestIDs(t *testing.T) {
	var ids []string
	seen := map[string]bool{}
	for range 1000 {
		id := NewID(PrefixInvoice)
		if !strings.HasPrefix(id, "inv_") || len(id) != 30 || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
		ids = append(ids, id)
	}
	first := NewID("x")
	time.Sleep(2 * time.Millisecond)
	if second := NewID("x"); second <= first {
		t.Errorf("ids do not sort by time: %s then %s", first, second)
	}
	if sort.StringsAreSorted(ids) && len(ids) > 1 {
		// Within one millisecond the order is random; only across milliseconds is it guaranteed.
		t.Log("ids happened to be generated in order")
	}
	if tok := NewToken(LinkTokenBytes); len(tok) != 32 {
		t.Errorf("link token %q has %d characters, want 32 (192 bits)", tok, len(tok))
	}
}

func TestInvoiceStateMachine(t *testing.T) {
	allowed := map[InvoiceStatus][]InvoiceStatus{
		InvoiceOpen:              {InvoiceProcessing, InvoiceAuthorized, InvoicePaid, InvoicePartiallyPaid, InvoiceCancelled, InvoiceExpired},
		InvoiceProcessing:        {InvoiceOpen, InvoicePartiallyPaid, InvoiceAuthorized, InvoicePaid},
		InvoicePartiallyPaid:     {InvoiceProcessing, InvoicePartiallyPaid, InvoicePaid, InvoicePartiallyRefunded, InvoiceRefunded},
		InvoiceAuthorized:        {InvoicePaid, InvoiceCancelled},
		InvoicePaid:              {InvoicePartiallyRefunded, InvoiceRefunded},
		InvoicePartiallyRefunded: {InvoicePartiallyRefunded, InvoiceRefunded},
		InvoiceExpired:           {InvoiceOpen, InvoicePaid, InvoicePartiallyPaid}, // a bank transfer may arrive after the link expired
	}
	for _, from := range InvoiceStatuses {
		for _, to := range InvoiceStatuses {
			want := false
			for _, a := range allowed[from] {
				want = want || a == to
			}
			if from.CanTransition(to) != want {
				t.Errorf("%s → %s: %v, want %v", from, to, !want, want)
			}
		}
	}
	if InvoiceStatus("bogus").Valid() || InvoiceStatus("bogus").CanTransition(InvoiceOpen) {
		t.Error("unknown status accepted")
	}
}

func TestPaymentStateMachine(t *testing.T) {
	all := []PaymentStatus{PaymentProcessing, PaymentRequiresAction, PaymentAuthorized, PaymentCaptured, PaymentPartiallyRefunded, PaymentRefunded, PaymentVoided, PaymentFailed}
	allowed := map[PaymentStatus][]PaymentStatus{
		PaymentProcessing:        {PaymentRequiresAction, PaymentAuthorized, PaymentCaptured, PaymentFailed},
		PaymentRequiresAction:    {PaymentProcessing, PaymentAuthorized, PaymentCaptured, PaymentFailed},
		PaymentAuthorized:        {PaymentCaptured, PaymentVoided},
		PaymentCaptured:          {PaymentPartiallyRefunded, PaymentRefunded},
		PaymentPartiallyRefunded: {PaymentPartiallyRefunded, PaymentRefunded},
	}
	for _, from := range all {
		for _, to := range all {
			want := false
			for _, a := range allowed[from] {
				want = want || a == to
			}
			if from.CanTransition(to) != want {
				t.Errorf("%s → %s: %v, want %v", from, to, !want, want)
			}
		}
	}
	if !RefundPending.CanTransition(RefundSucceeded) || RefundSucceeded.CanTransition(RefundFailed) {
		t.Error("refund state machine")
	}
}

func TestEffectiveStatus(t *testing.T) {
	now := time.Now()
	l := Link{Status: LinkActive, ExpiresAt: now.Add(-time.Second)}
	if l.EffectiveStatus(now) != LinkExpired {
		t.Error("past link not expired")
	}
	l.Status = LinkCompleted
	if l.EffectiveStatus(now) != LinkCompleted {
		t.Error("completed link shown expired")
	}
	inv := Invoice{Status: InvoicePaid, ExpiresAt: now.Add(-time.Hour)}
	if inv.EffectiveStatus(now) != InvoicePaid {
		t.Error("paid invoice shown expired")
	}
}

func TestNewIDIncreasesWithinAMillisecond(t *testing.T) {
	prev := NewID("t")
	for range 10_000 {
		id := NewID("t")
		if id <= prev {
			t.Fatalf("%s after %s: ids must increase", id, prev)
		}
		prev = id
	}
}

func TestAddStepCarries(t *testing.T) {
	r := [10]byte{0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}
	if addStep(&r, 1) || r != [10]byte{0, 0, 0, 0, 0, 0, 0, 1, 0, 0} {
		t.Errorf("0xffff + 1 = %x", r)
	}
	r = [10]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0}
	if addStep(&r, 0x1_0000_0010) || r != [10]byte{0, 0, 0, 0, 0, 1, 0, 0, 1, 0} {
		t.Errorf("0xf0 + 0x100000010 = %x", r)
	}
	full := [10]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	if !addStep(&full, 1) {
		t.Errorf("overflow not reported")
	}
}

func TestCurrencyTable(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Currencies {
		if len(c.Code) != 3 || strings.ToUpper(c.Code) != c.Code || seen[c.Code] || c.Name == "" || c.Exponent < 0 || c.Exponent > 3 {
			t.Errorf("bad or repeated currency %+v", c)
		}
		seen[c.Code] = true
	}
	if Currencies[0].Code != DefaultCurrency {
		t.Errorf("the default currency %s is not first", DefaultCurrency)
	}
	for code, want := range map[string]int{"RSD": 2, "JPY": 0, "KRW": 0, "KWD": 3} {
		if got := CurrencyExponent(code); got != want {
			t.Errorf("%s exponent %d, want %d", code, got, want)
		}
	}
}
