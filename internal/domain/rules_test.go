package domain

import (
	"errors"
	"slices"
	"testing"
)

func TestStatusListsFollowTheStateMachines(t *testing.T) {
	cases := []struct {
		name      string
		got, want []string
	}{
		{"in flight", str(PaymentStatusesWhere(PaymentStatus.InFlight)), []string{"processing", "requires_action"}},
		{"succeeded", str(PaymentStatusesWhere(PaymentStatus.Succeeded)), []string{"authorized", "captured", "partially_refunded", "refunded", "voided"}},
		{"refundable payments", str(PaymentStatusesWhere(PaymentStatus.Refundable)), []string{"captured", "partially_refunded"}},
		{"capturable", str(PaymentStatusesWhere(PaymentStatus.Capturable)), []string{"authorized"}},
		{"voidable", str(PaymentStatusesWhere(PaymentStatus.Voidable)), []string{"authorized"}},
		{"refundable invoices", str(InvoiceStatusesWhere(InvoiceStatus.Refundable)), []string{"paid", "partially_paid", "partially_refunded"}},
		{"relinkable invoices", str(InvoiceStatusesWhere(InvoiceStatus.Relinkable)), []string{"open", "partially_paid", "expired"}},
		{"payable invoices", str(InvoiceStatusesWhere(InvoiceStatus.Payable)), []string{"open", "partially_paid"}},
		{"cancellable invoices", str(InvoiceStatusesWhere(InvoiceStatus.Cancellable)), []string{"open"}},
		{"invoices taking a transfer", str(InvoiceStatusesWhere(InvoiceStatus.TakesTransfer)), []string{"open", "partially_paid", "expired"}},
	}
	for _, c := range cases {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	// A transfer recorded on an invoice that takes one leaves it paid or partly paid, as the state
	// machine allows.
	for _, s := range InvoiceStatusesWhere(InvoiceStatus.TakesTransfer) {
		for _, to := range []InvoiceStatus{InvoicePaid, InvoicePartiallyPaid} {
			if !s.CanTransition(to) {
				t.Errorf("%s takes a transfer but may not become %s", s, to)
			}
		}
	}
	// A cancellable invoice can be cancelled by the state machine.
	for _, s := range InvoiceStatusesWhere(InvoiceStatus.Cancellable) {
		if !s.CanTransition(InvoiceCancelled) {
			t.Errorf("%s is cancellable but may not become cancelled", s)
		}
	}
}

func str[T ~string](ss []T) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

func TestTransitions(t *testing.T) {
	cases := []struct {
		from, to PaymentStatus
		ok       bool
	}{
		{PaymentProcessing, PaymentCaptured, true},
		{PaymentRequiresAction, PaymentFailed, true},
		{PaymentAuthorized, PaymentVoided, true},
		{PaymentCaptured, PaymentVoided, false},
		{PaymentFailed, PaymentCaptured, false},
		{PaymentRefunded, PaymentPartiallyRefunded, false},
	}
	for _, c := range cases {
		got, err := c.from.To(c.to)
		if c.ok && (err != nil || got != c.to) || !c.ok && (!errors.Is(err, ErrTransition) || got != c.from) {
			t.Errorf("%s → %s: %s, %v", c.from, c.to, got, err)
		}
	}
	if _, err := InvoicePaid.To(InvoiceCancelled); !errors.Is(err, ErrTransition) {
		t.Errorf("a paid invoice was cancelled: %v", err)
	}
}

func TestStatusAfterRefund(t *testing.T) {
	cases := []struct {
		refunded, total int64
		payment         PaymentStatus
		invoice         InvoiceStatus
	}{
		{1, 1000, PaymentPartiallyRefunded, InvoicePartiallyRefunded},
		{999, 1000, PaymentPartiallyRefunded, InvoicePartiallyRefunded},
		{1000, 1000, PaymentRefunded, InvoiceRefunded},
	}
	for _, c := range cases {
		if p, i := PaymentStatusAfterRefund(c.refunded, c.total), InvoiceStatusAfterRefund(c.refunded, c.total); p != c.payment || i != c.invoice {
			t.Errorf("%d of %d refunded: %s / %s, want %s / %s", c.refunded, c.total, p, i, c.payment, c.invoice)
		}
	}
}

func TestDerivedRulesFollowTheStateMachines(t *testing.T) {
	cases := []struct {
		name      string
		got, want []string
	}{
		{"lapsing invoices", str(InvoiceStatusesWhere(InvoiceStatus.Lapses)), []string{"open"}},
		{"usable links", str(LinkStatusesWhere(LinkStatus.Usable)), []string{"active"}},
		{"closable links", str(LinkStatusesWhere(LinkStatus.Closable)), []string{"active"}},
	}
	for _, c := range cases {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	// Every status a refund rule gives is one the state machine lets a refundable status reach.
	for _, from := range PaymentStatusesWhere(PaymentStatus.Refundable) {
		for _, to := range []PaymentStatus{PaymentRefundRule.Partial, PaymentRefundRule.Full} {
			if !from.CanTransition(to) {
				t.Errorf("a refund of a %s payment leaves it %s, which the state machine forbids", from, to)
			}
		}
	}
	for _, from := range InvoiceStatusesWhere(InvoiceStatus.Refundable) {
		for _, to := range []InvoiceStatus{InvoiceRefundRule.Partial, InvoiceRefundRule.Full} {
			if !from.CanTransition(to) {
				t.Errorf("a refund of a %s invoice leaves it %s, which the state machine forbids", from, to)
			}
		}
	}
	// A lapsing invoice may become expired; a link that may close may become each closed status.
	for _, s := range InvoiceStatusesWhere(InvoiceStatus.Lapses) {
		if !s.CanTransition(InvoiceExpired) {
			t.Errorf("%s lapses but may not become expired", s)
		}
	}
	for _, s := range LinkStatusesWhere(LinkStatus.Closable) {
		for _, to := range []LinkStatus{LinkDeactivated, LinkExpired, LinkCompleted} {
			if _, err := s.To(to); err != nil {
				t.Errorf("link %s → %s: %v", s, to, err)
			}
		}
	}
}

func TestPaymentAmountInParts(t *testing.T) {
	whole := Invoice{AmountTotal: 10000}
	parts := Invoice{AmountTotal: 10000, AllowPartial: true, MinFirstAmount: 3000}
	later := parts
	later.AmountPaid = 9000
	cases := []struct {
		name      string
		inv       Invoice
		requested int64
		want      int64
		ok        bool
		min       int64
	}{
		{"whole invoice, nothing asked", whole, 0, 10000, true, 10000},
		{"whole invoice, the total asked", whole, 10000, 10000, true, 10000},
		{"whole invoice, a part asked", whole, 4000, 4000, false, 10000},
		{"first part at the minimum", parts, 3000, 3000, true, 3000},
		{"first part below the minimum", parts, 2999, 2999, false, 3000},
		{"first part, everything", parts, 0, 10000, true, 3000},
		{"more than is due", parts, 10001, 10001, false, 3000},
		{"negative", parts, -5, -5, false, 3000},
		{"a later part below the first minimum", later, 1, 1, true, 1},
		{"a later part above what is left", later, 1001, 1001, false, 1},
		{"the last part", later, 1000, 1000, true, 1},
	}
	for _, c := range cases {
		got, ok := c.inv.PaymentAmount(c.requested)
		if got != c.want || ok != c.ok || c.inv.MinPayment() != c.min {
			t.Errorf("%s: %d, %v (min %d); want %d, %v (min %d)", c.name, got, ok, c.inv.MinPayment(), c.want, c.ok, c.min)
		}
	}
}

func TestInvoiceMoves(t *testing.T) {
	cases := []struct {
		name string
		move func() (InvoiceStatus, error)
		want InvoiceStatus
		ok   bool
	}{
		{"fresh link, open", InvoiceOpen.Reopened, InvoiceOpen, true},
		{"fresh link, expired", InvoiceExpired.Reopened, InvoiceOpen, true},
		{"fresh link, paid", InvoicePaid.Reopened, InvoicePaid, false},
		{"fresh link, cancelled", InvoiceCancelled.Reopened, InvoiceCancelled, false},
		{"fresh link, partially paid", InvoicePartiallyPaid.Reopened, InvoicePartiallyPaid, true},
		{"part of an open invoice paid", func() (InvoiceStatus, error) { return InvoiceOpen.AfterPayment(400, 1000) }, InvoicePartiallyPaid, true},
		{"a part settled", func() (InvoiceStatus, error) { return InvoiceProcessing.AfterPayment(400, 1000) }, InvoicePartiallyPaid, true},
		{"the last part settled", func() (InvoiceStatus, error) { return InvoiceProcessing.AfterPayment(1000, 1000) }, InvoicePaid, true},
		{"another transfer on a partly paid invoice", func() (InvoiceStatus, error) { return InvoicePartiallyPaid.AfterPayment(700, 1000) }, InvoicePartiallyPaid, true},
		{"nothing paid yet", func() (InvoiceStatus, error) { return InvoiceOpen.AfterPayment(0, 1000) }, InvoiceOpen, true},
		{"first attempt failed", func() (InvoiceStatus, error) { return InvoiceProcessing.Released(0) }, InvoiceOpen, true},
		{"later attempt failed", func() (InvoiceStatus, error) { return InvoiceProcessing.Released(400) }, InvoicePartiallyPaid, true},
		{"cancelled invoice paid in part", func() (InvoiceStatus, error) { return InvoiceCancelled.AfterPayment(400, 1000) }, InvoiceCancelled, false},
		{"rest of an open invoice paid", func() (InvoiceStatus, error) { return InvoiceOpen.AfterPayment(1000, 1000) }, InvoicePaid, true},
		{"expired invoice paid in full", func() (InvoiceStatus, error) { return InvoiceExpired.AfterPayment(1000, 1000) }, InvoicePaid, true},
		{"cancelled invoice paid in full", func() (InvoiceStatus, error) { return InvoiceCancelled.AfterPayment(1000, 1000) }, InvoiceCancelled, false},
	}
	for _, c := range cases {
		got, err := c.move()
		if got != c.want || (err == nil) != c.ok || (err != nil && !errors.Is(err, ErrTransition)) {
			t.Errorf("%s: %s, %v; want %s (ok %v)", c.name, got, err, c.want, c.ok)
		}
	}
	for _, s := range LinkStatuses {
		if _, err := s.To(LinkActive); !errors.Is(err, ErrTransition) {
			t.Errorf("a %s link became active again: %v", s, err)
		}
	}
}
