package domain_test

import (
	"testing"
	"time"

	"securelink/internal/domain"
)

func TestPaymentLinkAvailability(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Second), now.Add(time.Hour)
	cases := []struct {
		status  domain.PaymentLinkStatus
		expires *time.Time
		max     int64
		taken   int64
		want    domain.PaymentLinkAvailability
	}{
		{domain.PaymentLinkActive, nil, 0, 100, domain.AvailabilityOpen},
		{domain.PaymentLinkActive, &future, 3, 2, domain.AvailabilityOpen},
		{domain.PaymentLinkActive, &future, 3, 3, domain.AvailabilitySoldOut},
		{domain.PaymentLinkActive, &now, 3, 0, domain.AvailabilityExpired},
		{domain.PaymentLinkActive, &past, 3, 3, domain.AvailabilityExpired},
		{domain.PaymentLinkPaused, &past, 3, 3, domain.AvailabilityPaused},
		{domain.PaymentLinkEnded, nil, 1, 1, domain.AvailabilityEnded},
	}
	for _, tc := range cases {
		l := domain.PaymentLink{Status: tc.status, ExpiresAt: tc.expires, MaxPayments: tc.max, Stats: domain.PaymentLinkStats{Taken: tc.taken}}
		if got := l.Availability(now); got != tc.want {
			t.Errorf("%s, expires %v, %d of %d taken: %s, want %s", tc.status, tc.expires, tc.taken, tc.max, got, tc.want)
		}
	}
}

func TestPaymentLinkTransitions(t *testing.T) {
	for _, from := range domain.PaymentLinkStatuses {
		for _, to := range domain.PaymentLinkStatuses {
			want := from != domain.PaymentLinkEnded
			if got := from.CanTransition(to); got != want {
				t.Errorf("%s → %s: %v, want %v", from, to, got, want)
			}
		}
		if from.CanTransition("deleted") {
			t.Errorf("%s → an unknown status allowed", from)
		}
	}
}

// TestOrdersHoldingSlots: an order holds a slot of its link's maximum while it is being paid or
// once it took money, never while open, cancelled or expired.
func TestOrdersHoldingSlots(t *testing.T) {
	holds := map[domain.InvoiceStatus]bool{domain.InvoiceProcessing: true, domain.InvoiceAuthorized: true, domain.InvoicePaid: true,
		domain.InvoicePartiallyPaid: true, domain.InvoicePartiallyRefunded: true, domain.InvoiceRefunded: true}
	for _, s := range domain.InvoiceStatuses {
		if got := s.HoldsLinkSlot(); got != holds[s] {
			t.Errorf("%s holds a slot: %v, want %v", s, got, holds[s])
		}
	}
	// Every status an attempt's claim moves an order to holds one: the claim is what takes the slot.
	if !domain.InvoiceProcessing.HoldsLinkSlot() || domain.InvoiceOpen.HoldsLinkSlot() {
		t.Error("the claim's statuses")
	}
}

func TestPaymentLinkAmountBounds(t *testing.T) {
	l := domain.PaymentLink{Pricing: domain.PricingCustom, AmountMin: 100, AmountMax: 500}
	for amount, want := range map[int64]bool{99: false, 100: true, 500: true, 501: false, 0: false, -100: false} {
		if got := l.AmountAllowed(amount); got != want {
			t.Errorf("amount %d allowed: %v, want %v", amount, got, want)
		}
	}
	if !domain.PricingFixed.Valid() || !domain.PricingCustom.Valid() || domain.Pricing("auction").Valid() {
		t.Error("pricing validity")
	}
}
