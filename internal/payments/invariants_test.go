package payments_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/payments"
	"securelink/internal/psp/testgateway"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// Invariant 1: of 50 concurrent attempts at one link exactly one pays, and the card is charged once.
func TestConcurrentPaysChargeOnce(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		inv, token := e.invoice(240000, domain.CaptureAutomatic)
		const n = 50
		tokens := make([]string, n)
		for i := range tokens {
			tokens[i] = e.token(visa)
		}
		var wg sync.WaitGroup
		results := make([]payments.Payment, n)
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				results[i], errs[i] = e.svc.Pay(context.Background(), token, payments.PayInput{TermsAccepted: true, PaymentToken: tokens[i], ClientIP: "198.51.100.1"})
			})
		}
		close(start)
		wg.Wait()
		won := 0
		for i := range n {
			switch {
			case errs[i] == nil && results[i].Status == domain.PaymentCaptured:
				won++
			case errs[i] != nil:
				code, kind := codeOf(errs[i])
				if kind != apperr.KindConflict || (code != "payment_in_progress" && code != "invalid_state") {
					t.Fatalf("attempt %d: %v", i, errs[i])
				}
			default:
				t.Fatalf("attempt %d: status %s", i, results[i].Status)
			}
		}
		if won != 1 {
			t.Fatalf("%d attempts succeeded, want exactly 1", won)
		}
		charges := 0
		for _, entry := range e.gw.Ledger() {
			if entry.Op == testgateway.OpAuthorize {
				charges++
			}
		}
		if charges != 1 {
			t.Fatalf("gateway ledger shows %d charges, want 1", charges)
		}
		ps, _, err := e.svc.List(context.Background(), e.actor.MerchantID, payments.Filter{InvoiceID: inv.ID, Page: domain.Page{Limit: 100}})
		if err != nil || len(ps) != 1 {
			t.Fatalf("stored payments: %d (%v); refused attempts must not be stored", len(ps), err)
		}
		if got := e.getInvoice(inv.ID); got.Status != domain.InvoicePaid || got.AmountPaid != 240000 {
			t.Fatalf("invoice %s paid %d", got.Status, got.AmountPaid)
		}
		e.requireOwnMerchant()
	})
}

// Invariant 2: 50 concurrent partial refunds adding up to more than was captured never refund more.
func TestConcurrentRefundsNeverExceedCaptured(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		inv, token := e.invoice(10000, domain.CaptureAutomatic)
		p := e.mustPay(token, visa)
		const n, each = 50, 300 // 15000 asked of 10000 captured
		var wg sync.WaitGroup
		refunds := make([]payments.Refund, n)
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				amt := int64(each)
				refunds[i], errs[i] = e.svc.Refund(context.Background(), e.actor, p.ID, &amt, "partial")
			})
		}
		close(start)
		wg.Wait()
		var succeeded int64
		for i := range n {
			if errs[i] != nil {
				if ae, ok := apperr.As(errs[i]); !ok || ae.Param != "amount" && ae.Code != "invalid_state" {
					t.Fatalf("refund %d: %v", i, errs[i])
				}
				continue
			}
			if refunds[i].Status != domain.RefundSucceeded {
				t.Fatalf("refund %d: %s", i, refunds[i].Status)
			}
			succeeded += refunds[i].Amount
		}
		if succeeded > 10000 || succeeded != 10000/each*each {
			t.Fatalf("refunded %d of 10000 captured, want %d", succeeded, 10000/each*each)
		}
		got := e.getPayment(p.ID)
		if got.AmountRefunded != succeeded || got.AmountRefundPending != 0 || got.Status != domain.PaymentPartiallyRefunded {
			t.Fatalf("payment refunded %d pending %d status %s", got.AmountRefunded, got.AmountRefundPending, got.Status)
		}
		var gwRefunded int64
		for _, entry := range e.gw.Ledger() {
			if entry.Op == testgateway.OpRefund {
				gwRefunded += entry.Amount
			}
		}
		if gwRefunded != succeeded {
			t.Fatalf("gateway refunded %d, we recorded %d", gwRefunded, succeeded)
		}
		if iv := e.getInvoice(inv.ID); iv.AmountRefunded != succeeded || iv.Status != domain.InvoicePartiallyRefunded {
			t.Fatalf("invoice refunded %d status %s", iv.AmountRefunded, iv.Status)
		}
		e.requireOwnMerchant()
	})
}

// Twenty concurrent retries of one pay call (one Idempotency-Key, one card token) make one
// attempt and one charge; each gets that attempt, or 409 while it is being stored or charged.
func TestConcurrentRetriesOfOnePayCall(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		inv, token := e.invoice(5000, domain.CaptureAutomatic)
		in := payments.PayInput{TermsAccepted: true, PaymentToken: e.token(visa), ClientIP: "198.51.100.2", IdempotencyKey: "double-click"}
		const n = 20
		results := make([]payments.Payment, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				results[i], errs[i] = e.svc.Pay(context.Background(), token, in)
			})
		}
		close(start)
		wg.Wait()
		ps, _, err := e.svc.List(context.Background(), e.actor.MerchantID, payments.Filter{InvoiceID: inv.ID, Page: domain.Page{Limit: 100}})
		if err != nil || len(ps) != 1 {
			t.Fatalf("stored payments: %d (%v), want 1", len(ps), err)
		}
		for i := range n {
			if errs[i] != nil {
				if code, _ := codeOf(errs[i]); code != "payment_in_progress" && code != "idempotency_key_in_use" {
					t.Fatalf("retry %d: %v", i, errs[i])
				}
				continue
			}
			if results[i].ID != ps[0].ID {
				t.Fatalf("retry %d got payment %s, want %s", i, results[i].ID, ps[0].ID)
			}
		}
		if c := e.gw.Charges(ps[0].ID); c != 1 {
			t.Fatalf("gateway charged %d times, want 1", c)
		}
		if got := e.getInvoice(inv.ID); got.Status != domain.InvoicePaid {
			t.Fatalf("invoice %s", got.Status)
		}
	})
}

// Invariant 2 again: a capture and a void of one authorisation race; exactly one wins.
func TestCaptureVoidRace(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		for round := range 5 {
			inv, token := e.invoice(9000, domain.CaptureManual)
			p := e.mustPay(token, visa)
			var wg sync.WaitGroup
			var capErr, voidErr error
			start := make(chan struct{})
			wg.Go(func() { <-start; _, capErr = e.svc.Capture(context.Background(), e.actor, p.ID, nil) })
			wg.Go(func() { <-start; _, voidErr = e.svc.Void(context.Background(), e.actor, p.ID) })
			close(start)
			wg.Wait()
			if (capErr == nil) == (voidErr == nil) {
				t.Fatalf("round %d: capture %v, void %v: want exactly one to win", round, capErr, voidErr)
			}
			loser := capErr
			if loser == nil {
				loser = voidErr
			}
			if _, kind := codeOf(loser); kind != apperr.KindConflict {
				t.Fatalf("round %d: loser got %v, want 409", round, loser)
			}
			got := e.getPayment(p.ID)
			iv := e.getInvoice(inv.ID)
			switch {
			case capErr == nil && (got.Status != domain.PaymentCaptured || iv.Status != domain.InvoicePaid):
				t.Fatalf("round %d: capture won but payment %s invoice %s", round, got.Status, iv.Status)
			case voidErr == nil && (got.Status != domain.PaymentVoided || iv.Status != domain.InvoiceCancelled):
				t.Fatalf("round %d: void won but payment %s invoice %s", round, got.Status, iv.Status)
			}
			if e.gw.Count(testgateway.OpCapture, p.ID)+e.gw.Count(testgateway.OpVoid, p.ID) != 1 {
				t.Fatalf("round %d: gateway saw %d captures and %d voids", round, e.gw.Count(testgateway.OpCapture, p.ID), e.gw.Count(testgateway.OpVoid, p.ID))
			}
		}
	})
}

func TestCaptureVoidRefundLifecycle(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		inv, token := e.invoice(2400, domain.CaptureManual)
		p := e.mustPay(token, visa)
		for _, bad := range []int64{0, -1, 2401} {
			if _, err := e.svc.Capture(ctx, e.actor, p.ID, &bad); err == nil {
				t.Fatalf("capture of %d accepted", bad)
			} else if ae, _ := apperr.As(err); ae.Param != "amount" {
				t.Fatalf("capture of %d: %v", bad, err)
			}
		}
		part := int64(1000)
		c, err := e.svc.Capture(ctx, e.actor, p.ID, &part)
		if err != nil || c.Status != domain.PaymentCaptured || c.AmountCaptured != 1000 {
			t.Fatalf("partial capture: %+v %v", c, err)
		}
		if iv := e.getInvoice(inv.ID); iv.Status != domain.InvoicePaid || iv.AmountPaid != 1000 {
			t.Fatalf("invoice after capture: %s %d", iv.Status, iv.AmountPaid)
		}
		if _, err := e.svc.Void(ctx, e.actor, p.ID); err == nil {
			t.Fatal("void after capture accepted")
		} else if code, _ := codeOf(err); code != "invalid_state" {
			t.Fatalf("void after capture: %v", err)
		}
		over := int64(1001)
		if _, err := e.svc.Refund(ctx, e.actor, p.ID, &over, ""); err == nil {
			t.Fatal("refund above captured accepted")
		}
		r1 := int64(400)
		if r, err := e.svc.Refund(ctx, e.actor, p.ID, &r1, "damaged"); err != nil || r.Status != domain.RefundSucceeded || r.Reason != "damaged" {
			t.Fatalf("refund: %+v %v", r, err)
		}
		if iv := e.getInvoice(inv.ID); iv.Status != domain.InvoicePartiallyRefunded || iv.AmountRefunded != 400 {
			t.Fatalf("invoice after partial refund: %s %d", iv.Status, iv.AmountRefunded)
		}
		r, err := e.svc.Refund(ctx, e.actor, p.ID, nil, "")
		if err != nil || r.Amount != 600 || r.Status != domain.RefundSucceeded {
			t.Fatalf("refund of the rest: %+v %v", r, err)
		}
		if got := e.getPayment(p.ID); got.Status != domain.PaymentRefunded || got.AmountRefunded != 1000 {
			t.Fatalf("payment after full refund: %s %d", got.Status, got.AmountRefunded)
		}
		if iv := e.getInvoice(inv.ID); iv.Status != domain.InvoiceRefunded {
			t.Fatalf("invoice after full refund: %s", iv.Status)
		}
		if _, err := e.svc.Refund(ctx, e.actor, p.ID, nil, ""); err == nil {
			t.Fatal("refund of a refunded payment accepted")
		}
		d, err := e.svc.GetDetail(ctx, e.actor.MerchantID, p.ID)
		if err != nil || len(d.Transactions) != 4 || len(d.Refunds) != 2 {
			t.Fatalf("detail: %d transactions %d refunds (%v)", len(d.Transactions), len(d.Refunds), err)
		}
		for _, txn := range d.Transactions[1:] {
			if txn.Actor != e.actor.ID || txn.Result != domain.TxnSucceeded {
				t.Fatalf("transaction %s: actor %s result %s", txn.Type, txn.Actor, txn.Result)
			}
		}
		if d.Transactions[0].Actor != "payer" || d.Transactions[1].IdempotencyKey != p.ID+":capture" {
			t.Fatalf("transactions: %+v", d.Transactions)
		}
		// Another merchant sees none of it.
		other := e.actor
		other.MerchantID = "mer_other"
		if _, err := e.svc.Capture(ctx, other, p.ID, nil); err == nil {
			t.Fatal("another merchant reached the payment")
		} else if _, kind := codeOf(err); kind != apperr.KindNotFound {
			t.Fatalf("another merchant: %v", err)
		}

		// Void: the invoice is cancelled.
		inv2, token2 := e.invoice(3000, domain.CaptureManual)
		p2 := e.mustPay(token2, visa)
		v, err := e.svc.Void(ctx, e.actor, p2.ID)
		if err != nil || v.Status != domain.PaymentVoided {
			t.Fatalf("void: %+v %v", v, err)
		}
		if iv := e.getInvoice(inv2.ID); iv.Status != domain.InvoiceCancelled {
			t.Fatalf("invoice after void: %s", iv.Status)
		}

		// A refund the PSP refuses is a failed refund, and its amount is released.
		_, token3 := e.invoice(3000, domain.CaptureAutomatic)
		p3 := e.mustPay(token3, "4000000000005126")
		rf, err := e.svc.Refund(ctx, e.actor, p3.ID, nil, "")
		if err != nil || rf.Status != domain.RefundFailed || rf.FailureCode == "" {
			t.Fatalf("failing refund: %+v %v", rf, err)
		}
		if got := e.getPayment(p3.ID); got.AmountRefundPending != 0 || got.AmountRefunded != 0 || got.Status != domain.PaymentCaptured {
			t.Fatalf("after failed refund: %+v", got)
		}
		if ev := e.eventTypes(rf.ID); len(ev) != 1 || ev[0] != domain.EventRefundFailed {
			t.Fatalf("failed refund events: %v", ev)
		}
	})
}

// An authorisation is shown as expiring once older than 7 days and voided after its window.
func TestExpiredAuthorisationsAreVoided(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		inv, token := e.invoice(3000, domain.CaptureManual)
		p := e.mustPay(token, visa)
		paidAt := time.Now()
		for _, step := range []struct {
			name         string
			age          time.Duration
			wantExpiring bool
			wantVoided   int
		}{
			{"fresh", 0, false, 0},
			{"six days", 6 * 24 * time.Hour, false, 0},
			{"past seven days", domain.AuthorizationExpiringAfter + time.Minute, true, 0},
			{"just inside the window", payments.DefaultAuthorizationWindow - time.Minute, true, 0},
		} {
			at := paidAt.Add(step.age)
			e.svc.Now = func() time.Time { return at }
			if n, err := e.svc.ExpireAuthorizations(context.Background()); err != nil || n != step.wantVoided {
				t.Fatalf("%s: voided %d (%v), want %d", step.name, n, err, step.wantVoided)
			}
			stored := e.getPayment(p.ID)
			if stored.Status != domain.PaymentAuthorized || stored.AuthorizationExpiring(at) != step.wantExpiring {
				t.Fatalf("%s: payment %s, expiring %v", step.name, stored.Status, stored.AuthorizationExpiring(at))
			}
		}
		e.svc.Now = func() time.Time { return paidAt.Add(payments.DefaultAuthorizationWindow + time.Minute) }
		if n, err := e.svc.ExpireAuthorizations(context.Background()); err != nil || n != 1 {
			t.Fatalf("expired authorisations voided: %d %v", n, err)
		}
		d, _ := e.svc.GetDetail(context.Background(), e.actor.MerchantID, p.ID)
		if d.Payment.AuthorizationExpiring(time.Now().Add(payments.DefaultAuthorizationWindow)) {
			t.Fatal("a voided authorisation is still shown as expiring")
		}
		last := d.Transactions[len(d.Transactions)-1]
		if d.Payment.Status != domain.PaymentVoided || last.Type != domain.TxnVoid || last.Actor != "system" {
			t.Fatalf("payment %s, last transaction %s by %s", d.Payment.Status, last.Type, last.Actor)
		}
		if iv := e.getInvoice(inv.ID); iv.Status != domain.InvoiceCancelled {
			t.Fatalf("invoice %s", iv.Status)
		}
	})
}

// Invariant 3: the gateway charges, then times out; the payment stays processing until
// reconciliation asks again with the same key; the charge is recorded exactly once.
func TestCrashSafetyTimeoutAfterCharge(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, envOptions{pspTimeout: 300 * time.Millisecond})
		inv, token := e.invoice(240000, domain.CaptureAutomatic)
		e.gw.SetFaults(testgateway.Faults{TimeoutAfterCharge: 1, Hold: 5 * time.Second})
		p, err := e.pay(token, visa)
		if err != nil || p.Status != domain.PaymentProcessing {
			t.Fatalf("pay during time-out: %s %v", p.Status, err)
		}
		if e.gw.Charges(p.ID) != 1 {
			t.Fatalf("gateway charged %d times", e.gw.Charges(p.ID))
		}
		if got := e.getInvoice(inv.ID); got.Status != domain.InvoiceProcessing {
			t.Fatalf("invoice %s while the outcome is unknown", got.Status)
		}
		// A second attempt meanwhile is refused without a PSP call.
		if _, err := e.pay(token, visa); err == nil {
			t.Fatal("second attempt while processing was accepted")
		} else if code, _ := codeOf(err); code != "payment_in_progress" {
			t.Fatalf("second attempt: %v", err)
		}
		// Too early: reconciliation leaves fresh attempts to their own request.
		if n, err := e.svc.Reconcile(context.Background()); err != nil || n != 0 {
			t.Fatalf("early reconcile: %d %v", n, err)
		}
		e.svc.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
		n, err := e.svc.Reconcile(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("reconcile: settled %d, %v", n, err)
		}
		got := e.getPayment(p.ID)
		if got.Status != domain.PaymentCaptured || got.AmountCaptured != 240000 || got.PSPReference == "" {
			t.Fatalf("after reconcile: %+v", got)
		}
		if iv := e.getInvoice(inv.ID); iv.Status != domain.InvoicePaid || iv.AmountPaid != 240000 {
			t.Fatalf("invoice after reconcile: %s %d", iv.Status, iv.AmountPaid)
		}
		if e.gw.Charges(p.ID) != 1 {
			t.Fatalf("gateway charged %d times after reconciliation", e.gw.Charges(p.ID))
		}
		if ev := e.eventTypes(p.ID); len(ev) != 1 || ev[0] != domain.EventPaymentCaptured {
			t.Fatalf("events %v", ev)
		}
		if n, err := e.svc.Reconcile(context.Background()); err != nil || n != 0 {
			t.Fatalf("second reconcile: %d %v", n, err)
		}
	})
}

// A refund whose answer is lost stays reserved (pending) until reconciliation records it once.
func TestCrashSafetyRefundAndCapture(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, envOptions{pspTimeout: 300 * time.Millisecond})
		ctx := context.Background()
		_, token := e.invoice(5000, domain.CaptureManual)
		p := e.mustPay(token, visa)

		e.gw.SetFaults(testgateway.Faults{TimeoutAfterCharge: 1, Hold: 5 * time.Second})
		_, err := e.svc.Capture(ctx, e.actor, p.ID, nil)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != "psp_unavailable" {
			t.Fatalf("capture during time-out: %v", err)
		}
		if _, err := e.svc.Void(ctx, e.actor, p.ID); err == nil {
			t.Fatal("void while a capture is pending was accepted")
		}
		e.gw.SetFaults(testgateway.Faults{TimeoutAfterCharge: 1, Hold: 5 * time.Second})
		e.svc.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
		if n, err := e.svc.Reconcile(ctx); err != nil || n != 1 {
			t.Fatalf("reconcile capture: %d %v", n, err)
		}
		// The replay is answered from the gateway's store without stalling, so the fault is still armed.
		e.gw.SetFaults(testgateway.Faults{})
		if got := e.getPayment(p.ID); got.Status != domain.PaymentCaptured || got.PendingOp != "" {
			t.Fatalf("after reconcile: %s op %q", got.Status, got.PendingOp)
		}

		e.svc.Now = nil
		e.gw.SetFaults(testgateway.Faults{TimeoutAfterCharge: 1, Hold: 5 * time.Second})
		amt := int64(2000)
		r, err := e.svc.Refund(ctx, e.actor, p.ID, &amt, "")
		if err != nil || r.Status != domain.RefundPending {
			t.Fatalf("refund during time-out: %+v %v", r, err)
		}
		if got := e.getPayment(p.ID); got.AmountRefundPending != 2000 {
			t.Fatalf("pending %d, want the amount kept reserved", got.AmountRefundPending)
		}
		e.svc.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
		if n, err := e.svc.Reconcile(ctx); err != nil || n != 1 {
			t.Fatalf("reconcile refund: %d %v", n, err)
		}
		got := e.getPayment(p.ID)
		if got.AmountRefunded != 2000 || got.AmountRefundPending != 0 || e.gw.Count(testgateway.OpRefund, p.ID) != 1 {
			t.Fatalf("after reconcile: refunded %d pending %d gateway refunds %d", got.AmountRefunded, got.AmountRefundPending, e.gw.Count(testgateway.OpRefund, p.ID))
		}
		if rr, err := e.svc.GetRefund(ctx, e.actor.MerchantID, r.ID); err != nil || rr.Status != domain.RefundSucceeded {
			t.Fatalf("refund after reconcile: %+v %v", rr, err)
		}
	})
}

// The store records a refund's effect on the payment's and the invoice's status in one UPDATE;
// what it records is what the domain's rules say, for a partial and then a full refund.
func TestRefundStatusesAreTheDomainRules(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		inv, token := e.invoice(10000, domain.CaptureAutomatic)
		p := e.mustPay(token, visa)
		var refunded int64
		for _, amt := range []int64{2500, 7500} {
			if _, err := e.svc.Refund(context.Background(), e.actor, p.ID, &amt, ""); err != nil {
				t.Fatalf("refund %d: %v", amt, err)
			}
			refunded += amt
			got, iv := e.getPayment(p.ID), e.getInvoice(inv.ID)
			if want := domain.PaymentStatusAfterRefund(refunded, got.AmountCaptured); got.Status != want {
				t.Errorf("after %d refunded the payment is %s, the domain says %s", refunded, got.Status, want)
			}
			if want := domain.InvoiceStatusAfterRefund(refunded, iv.AmountPaid); iv.Status != want {
				t.Errorf("after %d refunded the invoice is %s, the domain says %s", refunded, iv.Status, want)
			}
		}
	})
}
