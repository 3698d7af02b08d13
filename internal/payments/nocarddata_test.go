package payments_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"securelink/api/apitest"
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

// TestNoCardDataKeptWhenSentWhereItDoesNotBelong: a payer and a merchant send card numbers in every
// place they can type text (a card number as the payment token, in names, descriptions, terms, a
// search, an Idempotency-Key, a login). Each is refused with 400, and then every table and the log
// are searched: no card number anywhere.
func TestNoCardDataKeptWhenSentWhereItDoesNotBelong(t *testing.T) {
	// Each instance writes its request and job logs here (both dialects, in parallel).
	logs := &apitest.SafeBuffer{}
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Kartice")
		inv := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(5000), m.Auth()).Map(t)
		link := "/api/v1/checkout/" + inv["link"].(map[string]any)["token"].(string) + "/pay"
		const visa, visaSpaced, amex = "4242424242424242", "4242 4242 4242 4242", "3782-822463-10005"
		withCard := func(path []string, card string) map[string]any {
			body := apitest.Invoice(5000)
			switch path[0] {
			case "customer":
				body["customer"].(map[string]any)[path[1]] = card
			case "lines":
				body["lines"].([]any)[0].(map[string]any)[path[1]] = card
			default:
				body[path[0]] = card
			}
			return body
		}
		tries := []struct {
			method, path string
			body         any
			header       apitest.Header
			code, param  string
		}{
			{"POST", link, map[string]any{"terms_accepted": true, "payment_token": visa}, apitest.Header{}, "invalid_payment_token", "payment_token"},
			{"POST", link, map[string]any{"terms_accepted": true, "payment_token": visaSpaced}, apitest.Header{}, "invalid_payment_token", "payment_token"},
			{"POST", link, map[string]any{"terms_accepted": true, "payment_token": "tok_" + visa}, apitest.Header{}, "invalid_payment_token", "payment_token"},
			{"POST", "/api/v1/invoices", withCard([]string{"customer", "name"}, visaSpaced), m.Auth(), "card_number_not_allowed", "customer.name"},
			{"POST", "/api/v1/invoices", withCard([]string{"customer", "phone"}, visa), m.Auth(), "card_number_not_allowed", "customer.phone"},
			{"POST", "/api/v1/invoices", withCard([]string{"lines", "description"}, "Kartica "+amex), m.Auth(), "card_number_not_allowed", "lines[0].description"},
			{"POST", "/api/v1/invoices", withCard([]string{"description"}, visa), m.Auth(), "card_number_not_allowed", "description"},
			{"POST", "/api/v1/invoices", withCard([]string{"reference"}, visaSpaced), m.Auth(), "card_number_not_allowed", "reference"},
			{"PATCH", "/api/v1/merchant", map[string]any{"terms": "Pay to " + visaSpaced}, m.Auth(), "card_number_not_allowed", "terms"},
			{"POST", "/api/v1/webhook-endpoints", map[string]any{"url": e.URL + "/h", "events": []string{"invoice.paid"}, "description": visa}, m.Auth(), "card_number_not_allowed", "description"},
			{"GET", "/api/v1/invoices?q=" + visa, nil, m.Auth(), "card_number_not_allowed", "q"},
			{"POST", "/api/v1/auth/login", map[string]any{"email": visa, "password": "whatever-password"}, apitest.Header{}, "card_number_not_allowed", "email"},
		}
		for _, tr := range tries {
			hs := []apitest.Header{}
			if tr.header.Name != "" {
				hs = append(hs, tr.header)
			}
			r := e.Do(t, tr.method, tr.path, tr.body, hs...)
			if r.Status != 400 || r.ErrorObject(t)["code"] != tr.code || r.ErrorObject(t)["param"] != tr.param {
				t.Errorf("%s %s %v: %d %s, want 400 %s naming %s", tr.method, tr.path, tr.body, r.Status, r.Body, tr.code, tr.param)
			}
		}
		r := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(5000), m.Auth(), apitest.Header{Name: "Idempotency-Key", Value: visa})
		if r.Status != 400 || r.ErrorObject(t)["param"] != "Idempotency-Key" {
			t.Errorf("card number as Idempotency-Key: %d %s", r.Status, r.Body)
		}
		values := storetest.TextValues(t, e.App.DB)
		if len(values) < 50 {
			t.Fatalf("only %d values scanned: the scan is not reading the tables", len(values))
		}
		out := logs.String()
		for _, card := range []string{visa, visaSpaced, amex, "378282246310005"} {
			for _, v := range values {
				if strings.Contains(v.Value, card) {
					t.Errorf("card number %s stored in %s: %q", card, v.Where, v.Value)
				}
			}
			if strings.Contains(out, card) {
				t.Errorf("card number %s found in the log", card)
			}
		}
	}, apitest.CaptureLogs(logs))
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
