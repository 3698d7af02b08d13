package notify_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"securelink/internal/domain"
	"securelink/internal/merchants"
	"securelink/internal/notify"
	notifymail "securelink/internal/notify/mail"
	"securelink/internal/notify/webhook"
	"securelink/internal/store"
)

// --- an SMTP server inside the test ---

// received is one message the SMTP sink accepted.
type received struct {
	From string
	To   []string
	Data []byte
}

// smtpSink is a real SMTP server on loopback that keeps what it receives.
type smtpSink struct {
	mu   sync.Mutex
	msgs []received
	srv  *smtp.Server
	Addr string
	// User and Pass, when set, are required through AUTH PLAIN.
	User, Pass string
}

func startSMTP(t *testing.T, addr, user, pass string) *smtpSink {
	t.Helper()
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("smtp listen: %v", err)
	}
	s := &smtpSink{Addr: ln.Addr().String(), User: user, Pass: pass}
	s.srv = smtp.NewServer(s)
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(s.Close)
	return s
}

func (s *smtpSink) Close() { _ = s.srv.Close() }

func (s *smtpSink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: s}, nil }

func (s *smtpSink) Messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

type sinkSession struct {
	sink   *smtpSink
	authed bool
	cur    received
}

func (ss *sinkSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *sinkSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.sink.User || pass != ss.sink.Pass {
			return errors.New("invalid credentials")
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	if ss.sink.User != "" && !ss.authed {
		return &smtp.SMTPError{Code: 530, Message: "authentication required"}
	}
	ss.cur.From = from
	return nil
}

func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.cur.To = append(ss.cur.To, to)
	return nil
}

func (ss *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.cur.Data = b
	ss.sink.mu.Lock()
	ss.sink.msgs = append(ss.sink.msgs, ss.cur)
	ss.sink.mu.Unlock()
	ss.cur = received{}
	return nil
}

func (ss *sinkSession) Reset()        { ss.cur = received{} }
func (ss *sinkSession) Logout() error { return nil }

// --- an HTTP webhook receiver with an independent Standard Webhooks verifier ---

// hook is one request the receiver accepted as authentic.
type hook struct {
	ID        string
	Timestamp string
	Body      []byte
}

// receiver records webhooks; status decides what it answers to each request.
type receiver struct {
	mu       sync.Mutex
	srv      *httptest.Server
	secrets  []string
	got      []hook
	rejected int
	status   func(n int) int
	requests int
	// now is the receiver's clock for the timestamp tolerance; the workers' clock when they run on a fake one.
	now func() time.Time
}

func startReceiver(t *testing.T, status func(n int) int) *receiver {
	t.Helper()
	r := &receiver{status: status}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) URL() string { return r.srv.URL + "/hooks" }

func (r *receiver) setSecrets(s ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secrets = s
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	n := r.requests
	now := time.Now()
	if r.now != nil {
		now = r.now()
	}
	if err := verifyStandardWebhook(r.secrets, req.Header, body, now); err != nil {
		r.rejected++
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	code := http.StatusOK
	if r.status != nil {
		code = r.status(n)
	}
	if code >= 200 && code < 300 {
		r.got = append(r.got, hook{ID: req.Header.Get("webhook-id"), Timestamp: req.Header.Get("webhook-timestamp"), Body: body})
	}
	w.WriteHeader(code)
	_, _ = w.Write([]byte(`{"received":` + strconv.Itoa(n) + `}`))
}

func (r *receiver) Hooks() []hook {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hook(nil), r.got...)
}

func (r *receiver) Counts() (requests, rejected int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests, r.rejected
}

// verifyStandardWebhook checks a request the way the Standard Webhooks spec tells a receiver to,
// written from the spec alone: the signed content is "msg_id.timestamp.body"; the key is the
// base64 part of the secret after "whsec_"; the header holds space-separated "v1,<base64>"
// signatures, any one of which may match; the timestamp must be within five minutes.
func verifyStandardWebhook(secrets []string, h http.Header, body []byte, now time.Time) error {
	id, ts, sigHeader := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || ts == "" || sigHeader == "" {
		return errors.New("missing webhook headers")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("bad timestamp")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return errors.New("timestamp outside tolerance")
	}
	for _, secret := range secrets {
		key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
		if err != nil {
			return errors.New("bad secret")
		}
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(id))
		mac.Write([]byte("."))
		mac.Write([]byte(ts))
		mac.Write([]byte("."))
		mac.Write(body)
		want := mac.Sum(nil)
		for _, part := range strings.Fields(sigHeader) {
			version, sig, ok := strings.Cut(part, ",")
			if !ok || version != "v1" {
				continue
			}
			got, err := base64.StdEncoding.DecodeString(sig)
			if err == nil && hmac.Equal(got, want) {
				return nil
			}
		}
	}
	return errors.New("no matching signature")
}

// --- fixtures ---

// fakeClock is a settable clock for the workers.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Now().UTC()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	db       *store.DB
	st       *store.Notify
	invoices *store.Invoices
	merchant merchants.Merchant
}

// mailbox lists the merchant's e-mails as the API does: through the service, bodies rendered.
func (f *fixture) mailbox() ([]notify.Email, bool, error) {
	return (&notify.Service{Store: f.st}).ListEmails(context.Background(), f.merchant.ID, domain.Page{Limit: 10})
}

func newFixture(t *testing.T, db *store.DB, notificationEmail string) *fixture {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	m := merchants.Merchant{ID: domain.NewID(domain.PrefixMerchant), Name: "Pekara Kruh", LegalName: "Pekara Kruh DOO",
		SupportEmail: "podrska@kruh.example", NotificationEmail: notificationEmail, DefaultCurrency: "RSD",
		DefaultLocale: domain.LocaleSrLatn, DefaultCaptureMode: domain.CaptureAutomatic, CreatedAt: now, UpdatedAt: now}
	u := merchants.User{ID: domain.NewID(domain.PrefixUser), MerchantID: m.ID, Email: m.ID + "@example.com", Role: "owner", CreatedAt: now}
	inv := merchants.Invitation{ID: domain.NewID(domain.PrefixInvitation), MerchantID: m.ID, UserID: u.ID,
		TokenHash: domain.NewToken(16), ExpiresAt: now.Add(time.Hour), CreatedAt: now}
	if err := (&store.Merchants{DB: db}).CreateMerchant(context.Background(), m, u, inv); err != nil {
		t.Fatalf("create merchant: %v", err)
	}
	return &fixture{db: db, st: &store.Notify{DB: db}, invoices: &store.Invoices{DB: db}, merchant: m}
}

// invoice creates an invoice with two lines and the events events(inv) returns, in its transaction.
func (f *fixture) invoice(t *testing.T, locale string, mode domain.CaptureMode, events func(inv domain.Invoice) []domain.Event) domain.Invoice {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	lines := []domain.InvoiceLine{
		{Description: "Hleb", Quantity: 2, UnitAmount: 12000, VATRateBP: 1000},
		{Description: "Torta", Quantity: 1, UnitAmount: 99950, VATRateBP: 2000},
	}
	total, vat, _ := domain.InvoiceTotals(lines)
	inv := domain.Invoice{ID: domain.NewID(domain.PrefixInvoice), MerchantID: f.merchant.ID, Status: domain.InvoiceOpen,
		Reference: "ORD-77", Customer: domain.Customer{Name: "Ana Anić", Email: "ana@example.com"}, Currency: "RSD",
		AmountTotal: total, AmountVAT: vat, CaptureMode: mode, Locale: locale, ExpiresAt: now.Add(48 * time.Hour),
		CreatedAt: now, UpdatedAt: now, Lines: lines}
	link := domain.Link{ID: domain.NewID(domain.PrefixLink), InvoiceID: inv.ID, MerchantID: f.merchant.ID,
		Token: domain.NewToken(24), Status: domain.LinkActive, ExpiresAt: inv.ExpiresAt, CreatedAt: now}
	_, err := f.invoices.CreateInvoice(context.Background(), inv, link, func(number string) []domain.Event {
		inv.Number = number
		return events(inv)
	}, nil)
	if err != nil {
		t.Fatalf("create invoice: %v", err)
	}
	return inv
}

// events writes events on their own, as the payments use case would in its transactions.
func (f *fixture) events(t *testing.T, evs ...domain.Event) {
	t.Helper()
	if err := f.invoices.InsertEvents(context.Background(), evs); err != nil {
		t.Fatalf("insert events: %v", err)
	}
}

// paymentEvent is a payment event payload as the payments use case writes it; the invoice's paying
// payment (Visa •••• 4242) is stored with the first event, as the payments use case stores it
// before any of its events.
func (f *fixture) paymentEvent(t *testing.T, inv domain.Invoice, typ, status string, captured int64) domain.Event {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	err := f.db.Gorm.Exec(`INSERT INTO payments (id, merchant_id, invoice_id, link_id, status, amount, currency, capture_mode,
		card_brand, card_last4, psp, idempotency_key, terms_accepted_at, created_at, updated_at, authorized_at)
		SELECT ?, ?, ?, 'lnk_x', ?, ?, ?, ?, 'visa', '4242', 'testgateway', ?, ?, ?, ?, ?
		WHERE NOT EXISTS (SELECT 1 FROM payments WHERE invoice_id = ?)`,
		domain.NewID(domain.PrefixPayment), inv.MerchantID, inv.ID, status, inv.AmountTotal, inv.Currency, string(inv.CaptureMode),
		domain.NewToken(8), now, now, now, now, inv.ID).Error
	if err != nil {
		t.Fatalf("store the payment: %v", err)
	}
	data := map[string]any{"id": domain.NewID(domain.PrefixPayment), "object": "payment", "invoice_id": inv.ID,
		"invoice_number": inv.Number, "status": status, "amount": inv.AmountTotal, "currency": inv.Currency,
		"amount_captured": captured, "amount_refunded": 0, "card": map[string]any{"brand": "visa", "last4": "4242"},
		"decline_code": "", "decline_message": "", "customer_email": inv.Customer.Email, "customer_name": inv.Customer.Name,
		"locale": inv.Locale}
	return domain.NewEvent(inv.MerchantID, false, typ, data["id"].(string), data, true)
}

func refundEvent(inv domain.Invoice, amount int64) domain.Event {
	data := map[string]any{"id": domain.NewID(domain.PrefixRefund), "object": "refund", "payment_id": "pay_x",
		"invoice_id": inv.ID, "invoice_number": inv.Number, "amount": amount, "currency": inv.Currency,
		"status": "succeeded", "reason": "requested_by_customer", "customer_email": inv.Customer.Email, "locale": inv.Locale}
	return domain.NewEvent(inv.MerchantID, false, domain.EventRefundSucceeded, data["id"].(string), data, true)
}

// endpoint registers a webhook endpoint through the service (loopback allowed).
func (f *fixture) endpoint(t *testing.T, url string, events ...string) notify.Endpoint {
	t.Helper()
	svc := &notify.Service{Store: f.st, Guard: webhook.Guard{AllowPrivate: true}}
	ep, err := svc.CreateEndpoint(context.Background(), domain.Actor{Type: domain.ActorUser, MerchantID: f.merchant.ID}, notify.NewEndpoint{URL: url, Events: events})
	if err != nil {
		t.Fatalf("create endpoint: %v", err)
	}
	return ep
}

// drain runs fn until it reports no work, at most n times.
func drain(t *testing.T, n int, fn func(context.Context) (int, error)) int {
	t.Helper()
	total := 0
	for range n {
		k, err := fn(context.Background())
		if err != nil {
			t.Fatalf("run: %v", err)
		}
		total += k
		if k == 0 {
			break
		}
	}
	return total
}

func newSender(addr string) (*notifymail.SMTP, error) {
	return notifymail.NewSMTP("smtp://"+addr, "no-reply@securelink.test")
}
