package payments_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/audit"
	"securelink/internal/domain"
	"securelink/internal/invoices"
	"securelink/internal/payments"
	"securelink/internal/psp/testgateway"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

const visa = "4242424242424242"

func TestPaySaleAndAuthorisation(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		tests := []struct {
			mode        domain.CaptureMode
			wantPayment domain.PaymentStatus
			wantInvoice domain.InvoiceStatus
			wantEvents  []string
		}{
			{domain.CaptureAutomatic, domain.PaymentCaptured, domain.InvoicePaid, []string{domain.EventPaymentCaptured}},
			{domain.CaptureManual, domain.PaymentAuthorized, domain.InvoiceAuthorized, []string{domain.EventPaymentAuthorized}},
		}
		for _, tc := range tests {
			inv, token := e.invoice(240000, tc.mode)
			p := e.mustPay(token, visa)
			if p.Status != tc.wantPayment {
				t.Fatalf("%s: payment status %s, want %s", tc.mode, p.Status, tc.wantPayment)
			}
			stored := e.getPayment(p.ID)
			if stored.Status != tc.wantPayment || stored.Card == nil || stored.Card.Last4 != "4242" || stored.Card.Brand != "visa" {
				t.Fatalf("%s: stored payment %+v", tc.mode, stored)
			}
			if stored.TermsIP != "198.51.100.7" || stored.TermsAcceptedAt.IsZero() || stored.IdempotencyKey != p.ID+":authorize" {
				t.Fatalf("%s: terms or key not recorded: %+v", tc.mode, stored)
			}
			got := e.getInvoice(inv.ID)
			if got.Status != tc.wantInvoice || got.Link.Status != domain.LinkCompleted {
				t.Fatalf("%s: invoice %s link %s", tc.mode, got.Status, got.Link.Status)
			}
			if tc.mode == domain.CaptureAutomatic && (got.AmountPaid != 240000 || got.PaidAt == nil || stored.AmountCaptured != 240000) {
				t.Fatalf("sale: amount paid %d captured %d", got.AmountPaid, stored.AmountCaptured)
			}
			if tc.mode == domain.CaptureManual {
				if stored.AuthorizationExpiresAt == nil || stored.AuthorizationExpiresAt.Sub(*stored.AuthorizedAt) != payments.DefaultAuthorizationWindow {
					t.Fatalf("authorisation expiry %v", stored.AuthorizationExpiresAt)
				}
			}
			if ev := e.eventTypes(p.ID); !slices.Equal(ev, tc.wantEvents) {
				t.Fatalf("%s: payment events %v, want %v", tc.mode, ev, tc.wantEvents)
			}
			if e.gw.Charges(p.ID) != 1 {
				t.Fatalf("%s: gateway charged %d times", tc.mode, e.gw.Charges(p.ID))
			}
			if _, err := e.pay(token, visa); err == nil {
				t.Fatalf("%s: paying a paid invoice again succeeded", tc.mode)
			} else if code, _ := codeOf(err); code != "invalid_state" {
				t.Fatalf("%s: second pay: %v", tc.mode, err)
			}
		}
	})
}

func TestPayRefusesBadInput(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		_, token := e.invoice(1000, domain.CaptureAutomatic)
		cancelled, ctoken := e.invoice(1000, domain.CaptureAutomatic)
		if _, err := e.invoices.Cancel(context.Background(), e.actor, cancelled.ID); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name      string
			token     string
			in        payments.PayInput
			wantCode  string
			wantParam string
		}{
			{"terms not accepted", token, payments.PayInput{PaymentToken: e.token(visa)}, "terms_not_accepted", "terms_accepted"},
			{"no token", token, payments.PayInput{TermsAccepted: true}, "invalid_payment_token", "payment_token"},
			{"unknown link", "nope", payments.PayInput{TermsAccepted: true, PaymentToken: "tok_x"}, "resource_missing", ""},
			{"unknown link and terms not accepted", "nope", payments.PayInput{PaymentToken: "tok_x"}, "resource_missing", ""},
			{"a token far too long for a link", strings.Repeat("x", 5000), payments.PayInput{TermsAccepted: true, PaymentToken: "tok_x"}, "resource_missing", ""},
			{"cancelled invoice", ctoken, payments.PayInput{TermsAccepted: true, PaymentToken: e.token(visa)}, "invalid_state", ""},
		}
		for _, tc := range tests {
			_, err := e.svc.Pay(context.Background(), tc.token, tc.in)
			ae, ok := apperr.As(err)
			if !ok || ae.Code != tc.wantCode || ae.Param != tc.wantParam {
				t.Errorf("%s: got %v, want code %s param %q", tc.name, err, tc.wantCode, tc.wantParam)
			}
			if tc.name == "cancelled invoice" && !strings.Contains(ae.Message, "cancelled") {
				t.Errorf("cancelled: message %q does not say why", ae.Message)
			}
		}
	})
}

func TestDeclinesKeepInvoiceOpen(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		inv, token := e.invoice(5000, domain.CaptureAutomatic)
		declines := map[string]string{
			"4000000000000002": "card_declined",
			"4000000000009995": "insufficient_funds",
			"4000000000000069": "expired_card",
			"4000000000000127": "incorrect_cvc",
			"4000000000000119": "processing_error",
		}
		for card, code := range declines {
			p := e.mustPay(token, card)
			if p.Status != domain.PaymentFailed || p.DeclineCode != code || p.DeclineMessage == "" {
				t.Fatalf("card %s: status %s code %s message %q", card, p.Status, p.DeclineCode, p.DeclineMessage)
			}
			if ev := e.eventTypes(p.ID); !slices.Equal(ev, []string{domain.EventPaymentFailed}) {
				t.Fatalf("card %s: events %v", card, ev)
			}
			if got := e.getInvoice(inv.ID); got.Status != domain.InvoiceOpen || got.Link.Status != domain.LinkActive {
				t.Fatalf("after decline: invoice %s link %s", got.Status, got.Link.Status)
			}
		}
		p := e.mustPay(token, "5555555555554444")
		if p.Status != domain.PaymentCaptured || p.Card.Brand != "mastercard" {
			t.Fatalf("another card: %+v", p)
		}
		if got := e.getInvoice(inv.ID); got.Status != domain.InvoicePaid {
			t.Fatalf("invoice %s after success", got.Status)
		}
		ps, _, err := e.svc.List(context.Background(), e.actor.MerchantID, payments.Filter{InvoiceID: inv.ID, Page: domain.Page{Limit: 100}})
		if err != nil || len(ps) != len(declines)+1 {
			t.Fatalf("invoice payments: %d, %v (failed attempts must be kept)", len(ps), err)
		}
	})
}

func TestRateLimits(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		// Per link: 10 failures, then 429 even with a good card.
		_, token := e.invoice(5000, domain.CaptureAutomatic)
		for i := range payments.DefaultMaxFailuresPerLink {
			in := payments.PayInput{TermsAccepted: true, PaymentToken: e.token("4000000000000002"), ClientIP: "203.0.113." + string(rune('a'+i))}
			if _, err := e.svc.Pay(context.Background(), token, in); err != nil {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		_, err := e.svc.Pay(context.Background(), token, payments.PayInput{TermsAccepted: true, PaymentToken: e.token(visa), ClientIP: "192.0.2.1"})
		if _, kind := codeOf(err); kind != apperr.KindRateLimited {
			t.Fatalf("11th attempt on the link: %v, want 429", err)
		}

		// Per address: MaxFailuresPerIP failures across links, then 429; another address may pay.
		e.svc.MaxFailuresPerIP = 3
		for range 3 {
			_, tok := e.invoice(5000, domain.CaptureAutomatic)
			if p := e.mustPay(tok, "4000000000000002"); p.Status != domain.PaymentFailed {
				t.Fatalf("decline: %s", p.Status)
			}
		}
		_, tok := e.invoice(5000, domain.CaptureAutomatic)
		if _, err := e.pay(tok, visa); err == nil {
			t.Fatal("attempt after 3 failures from one address was allowed")
		} else if _, kind := codeOf(err); kind != apperr.KindRateLimited {
			t.Fatalf("per-address limit: %v", err)
		}
		p, err := e.svc.Pay(context.Background(), tok, payments.PayInput{TermsAccepted: true, PaymentToken: e.token(visa), ClientIP: "192.0.2.99"})
		if err != nil || p.Status != domain.PaymentCaptured {
			t.Fatalf("other address: %v %v", p.Status, err)
		}
	})
}

func TestThreeDSecure(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		tests := []struct {
			card        string
			succeed     bool
			wantPayment domain.PaymentStatus
			wantInvoice domain.InvoiceStatus
			wantCode    string
		}{
			{"4000000000003220", true, domain.PaymentCaptured, domain.InvoicePaid, ""},
			{"4000002500003155", true, domain.PaymentCaptured, domain.InvoicePaid, ""},
			{"4000000000003220", false, domain.PaymentFailed, domain.InvoiceOpen, "authentication_failed"},
			{"4000008400001629", true, domain.PaymentFailed, domain.InvoiceOpen, "authentication_failed"},
		}
		for _, tc := range tests {
			inv, token := e.invoice(7000, domain.CaptureAutomatic)
			p := e.mustPay(token, tc.card)
			if p.Status != domain.PaymentRequiresAction || p.RedirectURL == "" {
				t.Fatalf("%s: %s redirect %q", tc.card, p.Status, p.RedirectURL)
			}
			if got := e.getInvoice(inv.ID); got.Status != domain.InvoiceProcessing {
				t.Fatalf("%s: invoice %s during 3-D Secure", tc.card, got.Status)
			}
			back, err := testgateway.Complete3DS(context.Background(), nil, p.RedirectURL, tc.succeed)
			if err != nil {
				t.Fatalf("%s: challenge: %v", tc.card, err)
			}
			if !strings.Contains(back, "/pay/"+token) || !strings.Contains(back, "payment="+p.ID) {
				t.Fatalf("%s: return URL %q", tc.card, back)
			}
			done, err := e.svc.Complete(context.Background(), token, p.ID)
			if err != nil {
				t.Fatalf("%s: complete: %v", tc.card, err)
			}
			if done.Status != tc.wantPayment || done.DeclineCode != tc.wantCode {
				t.Fatalf("%s: after 3-D Secure %s %s, want %s %s", tc.card, done.Status, done.DeclineCode, tc.wantPayment, tc.wantCode)
			}
			if got := e.getInvoice(inv.ID); got.Status != tc.wantInvoice {
				t.Fatalf("%s: invoice %s, want %s", tc.card, got.Status, tc.wantInvoice)
			}
			again, err := e.svc.Complete(context.Background(), token, p.ID)
			if err != nil || again.Status != done.Status {
				t.Fatalf("%s: completing twice: %v %v", tc.card, again.Status, err)
			}
		}
		// A payment of another invoice is not found through this link.
		_, token := e.invoice(7000, domain.CaptureAutomatic)
		_, other := e.invoice(7000, domain.CaptureAutomatic)
		p := e.mustPay(other, visa)
		if _, err := e.svc.Complete(context.Background(), token, p.ID); err == nil {
			t.Fatal("completed another invoice's payment")
		}
	})
}

// TestAbandonedThreeDSecure: a challenge left unfinished is failed by reconciliation after the
// abandon window, the PSP's payment is cancelled first, and a challenge finished afterwards takes
// no money; the invoice can be paid with another card.
func TestAbandonedThreeDSecure(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		inv, token := e.invoice(7000, domain.CaptureAutomatic)
		p := e.mustPay(token, "4000000000003220")
		if p.Status != domain.PaymentRequiresAction {
			t.Fatalf("status %s", p.Status)
		}
		// Two hours later the reconciliation job finds it pending and gives up on the payer.
		e.svc.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
		e.db.Gorm.Exec("UPDATE transactions SET next_attempt_at = ? WHERE payment_id = ?", time.Now().Add(-time.Hour).UTC(), p.ID)
		if _, err := e.svc.Reconcile(context.Background()); err != nil {
			t.Fatalf("reconcile: %v", err)
		}
		e.svc.Now = nil
		if got := e.getPayment(p.ID); got.Status != domain.PaymentFailed || got.DeclineCode != "authentication_failed" {
			t.Fatalf("abandoned payment: %s %s", got.Status, got.DeclineCode)
		}
		if got := e.getInvoice(inv.ID); got.Status != domain.InvoiceOpen {
			t.Fatalf("invoice %s, want open", got.Status)
		}
		// The payer comes back to the challenge: it is no longer offered, and nothing is charged.
		if _, err := testgateway.Complete3DS(context.Background(), nil, p.RedirectURL, true); err == nil {
			t.Error("the cancelled challenge could still be completed")
		}
		if n := e.gw.Count(testgateway.OpAuthorize, p.ID); n != 0 {
			t.Errorf("late challenge charged %d times", n)
		}
		if again := e.mustPay(token, visa); again.Status != domain.PaymentCaptured {
			t.Errorf("another card after the abandoned attempt: %s", again.Status)
		}
	})
}

// TestReplicasSharingTheDatabase runs two replicas on one database, as a deployment behind a load
// balancer does: each keeps its own cache of checkout views. A change made through one shows on the
// other within the cache's second, and paying through the other never trusts its cached status.
func TestReplicasSharingTheDatabase(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			url := storetest.ReadyURL(t, dialect)
			open := func() *store.DB {
				db, err := store.Open(url)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = db.Close() })
				if err := db.Migrate(context.Background()); err != nil {
					t.Fatal(err)
				}
				return db
			}
			a := newEnv(t, open())
			replicaB := &invoices.Service{Store: &store.Invoices{DB: open()}, BaseURL: "http://securelink.test",
				Audit: &audit.Log{Store: &store.Audit{DB: a.db}}}
			ctx := context.Background()

			inv, token := a.invoice(5000, domain.CaptureAutomatic)
			if co, err := a.invoices.ResolveLink(ctx, token); err != nil || co.Invoice.Status != domain.InvoiceOpen {
				t.Fatalf("replica A sees %v %v", co.Invoice.Status, err)
			}
			if _, err := replicaB.Cancel(ctx, a.actor, inv.ID); err != nil {
				t.Fatalf("cancel through replica B: %v", err)
			}

			_, err := a.pay(token, visa)
			if code, kind := codeOf(err); code != "invalid_state" || kind != apperr.KindConflict || !strings.Contains(err.Error(), "cancelled") {
				t.Errorf("paying through replica A after B cancelled: %v, want the cancelled invoice's 409", err)
			}
			if n := len(a.gw.Ledger()); n != 0 {
				t.Errorf("the gateway was called %d times for a cancelled invoice", n)
			}

			time.Sleep(store.CheckoutCacheTTL)
			if co, err := a.invoices.ResolveLink(ctx, token); err != nil || co.Invoice.Status != domain.InvoiceCancelled {
				t.Errorf("a cache TTL later replica A shows %v %v, want cancelled", co.Invoice.Status, err)
			}
		})
	}
}
