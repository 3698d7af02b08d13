package payments_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"securelink/internal/domain"
	"securelink/internal/payments"
	"securelink/internal/psp/testgateway"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// testCards are every test card the README lists with the CVC used for it.
var testCards = []struct{ number, cvc string }{
	{"4242424242424242", "731"}, {"5555555555554444", "732"}, {"378282246310005", "7333"}, {"9891000000000003", "734"},
	{"4000000000000002", "735"}, {"4000000000009995", "736"}, {"4000000000000069", "737"}, {"4000000000000127", "738"},
	{"4000000000000119", "739"}, {"4000000000003220", "741"}, {"4000002500003155", "742"}, {"4000008400001629", "743"},
	{"4000000000005126", "744"}, {"6011000990139424", "745"},
}

// lockedBuffer is a log sink safe for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Security rule: no card number or CVC in the database or the logs. Every test card pays (with
// 3-D Secure completed, captures, refunds and a reconciliation round), then every text value of
// every table and the captured log are searched.
func TestNoCardDataKept(t *testing.T) {
	logs := &lockedBuffer{}
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(prev) })

	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		for i, c := range testCards {
			mode := domain.CaptureAutomatic
			if i%2 == 1 {
				mode = domain.CaptureManual
			}
			_, token := e.invoice(int64(1000+i), mode)
			tok, err := e.gw.IssueToken(testgateway.TokenInput{Number: c.number, ExpMonth: 11, ExpYear: time.Now().Year() + 2, CVC: c.cvc, Name: "Card Holder"})
			if err != nil {
				t.Fatalf("tokenise %s: %v", c.number, err)
			}
			p, err := e.svc.Pay(ctx, token, payments.PayInput{TermsAccepted: true, PaymentToken: tok, ClientIP: "198.51.100.20"})
			if err != nil {
				t.Fatalf("pay %s: %v", c.number, err)
			}
			if p.Status == domain.PaymentRequiresAction {
				if _, err := testgateway.Complete3DS(ctx, nil, p.RedirectURL, true); err != nil {
					t.Fatal(err)
				}
				if p, err = e.svc.Complete(ctx, token, p.ID); err != nil {
					t.Fatal(err)
				}
			}
			if p.Status == domain.PaymentAuthorized {
				if p, err = e.svc.Capture(ctx, e.actor, p.ID, nil); err != nil {
					t.Fatal(err)
				}
			}
			if p.Status == domain.PaymentCaptured {
				if _, err := e.svc.Refund(ctx, e.actor, p.ID, nil, "test"); err != nil {
					t.Fatal(err)
				}
			}
		}
		e.svc.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
		if _, err := e.svc.Reconcile(ctx); err != nil {
			t.Fatal(err)
		}

		values := storetest.TextValues(t, db)
		if len(values) < 100 {
			t.Fatalf("only %d values scanned: the scan is not reading the tables", len(values))
		}
		for _, c := range testCards {
			for _, v := range values {
				if strings.Contains(v.Value, c.number) || strings.Contains(v.Value, spaced(c.number)) {
					t.Errorf("card number %s found in %s: %q", c.number, v.Where, v.Value)
				}
				// A CVC is 3-4 digits that may occur by chance inside ids or times; it must never be a
				// value of its own nor appear under a cvc key.
				if v.Value == c.cvc || strings.Contains(strings.ToLower(v.Value), `"cvc"`) {
					t.Errorf("CVC %s found in %s: %q", c.cvc, v.Where, v.Value)
				}
			}
		}
		// No column may be named for card data.
		for _, v := range values {
			col := strings.ToLower(v.Where)
			if strings.Contains(col, ".cvc") || strings.Contains(col, "card_number") || strings.Contains(col, ".pan") {
				t.Errorf("column %s looks like card data", v.Where)
			}
		}
	})
	out := logs.String()
	for _, c := range testCards {
		if strings.Contains(out, c.number) || strings.Contains(out, spaced(c.number)) || strings.Contains(out, `"cvc":"`+c.cvc) {
			t.Errorf("card %s or its CVC found in the log", c.number)
		}
	}
}

func spaced(n string) string {
	var b strings.Builder
	for i, r := range n {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
