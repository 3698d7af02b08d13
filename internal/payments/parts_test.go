package payments_test

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"testing"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/invoices"
	"securelink/internal/payments"
	"securelink/internal/psp/testgateway"
)

// partsInvoice creates an invoice of amount that may be paid in parts, the first at least minFirst.
func (e *env) partsInvoice(amount, minFirst int64) (domain.Invoice, string) {
	e.t.Helper()
	inv, err := e.invoices.Create(context.Background(), e.actor, invoices.NewInvoice{
		Customer: domain.Customer{Name: "Ana Anić", Email: "ana@example.com"}, Currency: "RSD",
		Lines:       []invoices.NewLine{{Description: "Deposit", Quantity: 1, UnitAmount: amount}},
		CaptureMode: string(domain.CaptureAutomatic), Locale: domain.LocaleEn, AllowPartial: true, MinFirstAmount: minFirst})
	if err != nil {
		e.t.Fatalf("create invoice: %v", err)
	}
	return inv, inv.Link.Token
}

func (e *env) payPart(token string, amount int64) (payments.Payment, error) {
	return e.svc.Pay(context.Background(), token, payments.PayInput{TermsAccepted: true, PaymentToken: e.token(visa), ClientIP: "198.51.100.7", Amount: amount})
}

// Two parts pay an invoice: partially paid after the first, paid after the second; each part is
// its own captured payment, refunded on its own.
func TestInvoicePaidInTwoParts(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		inv, token := e.partsInvoice(100000, 30000)
		// Below the first minimum, above the total, or a part of an invoice paid in full: refused
		// before the provider hears of it, and the invoice stays payable.
		whole, wholeToken := e.invoice(5000, domain.CaptureAutomatic)
		for _, c := range []struct {
			token  string
			amount int64
			code   string
		}{{token, 29999, "amount_out_of_range"}, {token, 100001, "amount_out_of_range"}, {wholeToken, 1000, "partial_payment_not_allowed"}} {
			_, err := e.payPart(c.token, c.amount)
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Kind != apperr.KindUnprocessable || ae.Param != "amount" || ae.Code != c.code {
				t.Fatalf("pay %d: %v; want 422 %s naming amount", c.amount, err, c.code)
			}
		}
		if got := e.getInvoice(whole.ID); got.Status != domain.InvoiceOpen {
			t.Fatalf("refused part left the invoice %s", got.Status)
		}

		first, err := e.payPart(token, 30000)
		if err != nil || first.Status != domain.PaymentCaptured || first.AmountCaptured != 30000 {
			t.Fatalf("first part: %+v %v", first, err)
		}
		got := e.getInvoice(inv.ID)
		if got.Status != domain.InvoicePartiallyPaid || got.AmountPaid != 30000 || got.AmountDue() != 70000 || got.Link.Status != domain.LinkActive {
			t.Fatalf("after the first part: %s paid %d, link %s", got.Status, got.AmountPaid, got.Link.Status)
		}
		// A later part may be below the first minimum; a declined one leaves the invoice partially paid.
		if p, err := e.svc.Pay(context.Background(), token, payments.PayInput{TermsAccepted: true, PaymentToken: e.token("4000000000000002"), ClientIP: "198.51.100.7", Amount: 1000}); err != nil || p.Status != domain.PaymentFailed {
			t.Fatalf("declined part: %+v %v", p, err)
		}
		if got := e.getInvoice(inv.ID); got.Status != domain.InvoicePartiallyPaid {
			t.Fatalf("after a declined part: %s", got.Status)
		}
		second, err := e.payPart(token, 0) // everything that is left
		if err != nil || second.AmountCaptured != 70000 {
			t.Fatalf("second part: %+v %v", second, err)
		}
		got = e.getInvoice(inv.ID)
		if got.Status != domain.InvoicePaid || got.AmountPaid != 100000 || got.Link.Status != domain.LinkCompleted {
			t.Fatalf("after the second part: %s paid %d, link %s", got.Status, got.AmountPaid, got.Link.Status)
		}
		if types := e.eventTypes(inv.ID); !slices.Equal(types, []string{domain.EventInvoiceCreated, domain.EventInvoicePartiallyPaid, domain.EventInvoicePaid}) {
			t.Fatalf("invoice events %v", types)
		}
		// Refunds are per part: the first part's refund cannot take more than that part.
		tooMuch, all := int64(30001), int64(30000)
		if _, err := e.svc.Refund(context.Background(), e.actor, first.ID, &tooMuch, ""); err == nil {
			t.Fatal("refunded more than the part")
		}
		r, err := e.svc.Refund(context.Background(), e.actor, first.ID, &all, "")
		if err != nil || r.Status != domain.RefundSucceeded {
			t.Fatalf("refund of the first part: %+v %v", r, err)
		}
		if p := e.getPayment(second.ID); p.AmountRefunded != 0 || p.Status != domain.PaymentCaptured {
			t.Fatalf("the second part changed: %+v", p)
		}
		if got := e.getInvoice(inv.ID); got.Status != domain.InvoicePartiallyRefunded || got.AmountRefunded != 30000 {
			t.Fatalf("after refunding a part: %s refunded %d", got.Status, got.AmountRefunded)
		}
	})
}

// Invariant: 30 payers paying parts at once never pay more than the total. Each retries while
// another part is in progress; parts of 7000 fit 14 times into 100000, and the 2000 left is less
// than a part.
func TestConcurrentPartsNeverExceedTotal(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		inv, token := e.partsInvoice(100000, 0)
		const payers, part = 30, 7000
		cardTokens := make([]string, payers)
		for i := range cardTokens {
			cardTokens[i] = e.token(visa)
		}
		var wg sync.WaitGroup
		results := make([]payments.Payment, payers)
		errs := make([]error, payers)
		start := make(chan struct{})
		for i := range payers {
			wg.Go(func() {
				<-start
				for {
					results[i], errs[i] = e.svc.Pay(context.Background(), token, payments.PayInput{TermsAccepted: true,
						PaymentToken: cardTokens[i], ClientIP: "198.51.100.1", Amount: part})
					if code, _ := codeOf(errs[i]); code != "payment_in_progress" {
						return
					}
					runtime.Gosched()
				}
			})
		}
		close(start)
		wg.Wait()
		paid := int64(0)
		for i := range payers {
			code, _ := codeOf(errs[i])
			switch {
			case errs[i] == nil && results[i].Status == domain.PaymentCaptured:
				paid += results[i].AmountCaptured
			case code == "amount_out_of_range":
			default:
				t.Fatalf("payer %d: %+v %v", i, results[i], errs[i])
			}
		}
		if paid != 14*part {
			t.Fatalf("parts paid %d, want %d", paid, 14*part)
		}
		got := e.getInvoice(inv.ID)
		if got.AmountPaid != paid || got.AmountPaid > got.AmountTotal || got.Status != domain.InvoicePartiallyPaid {
			t.Fatalf("invoice %s paid %d of %d; the parts took %d", got.Status, got.AmountPaid, got.AmountTotal, paid)
		}
		charged := int64(0)
		for _, entry := range e.gw.Ledger() {
			if entry.Op == testgateway.OpAuthorize {
				charged += entry.Amount
			}
		}
		if charged != paid {
			t.Fatalf("gateway charged %d, parts recorded %d", charged, paid)
		}
	})
}
