package payments_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"securelink/internal/apperr"
	"securelink/internal/audit"
	"securelink/internal/domain"
	"securelink/internal/invoices"
	"securelink/internal/merchants"
	"securelink/internal/payments"
	"securelink/internal/psp/testgateway"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

const gatewayKey = "gsk_test_payments"

// env is one database, one gateway over real HTTP, and the use cases wired like the binary does.
type env struct {
	t        *testing.T
	db       *store.DB
	gw       *testgateway.Server
	svc      *payments.Service
	invoices *invoices.Service
	actor    domain.Actor
}

type envOptions struct {
	pspTimeout time.Duration
}

func newEnv(t *testing.T, db *store.DB, opts ...envOptions) *env {
	t.Helper()
	var o envOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.pspTimeout == 0 {
		o.pspTimeout = 10 * time.Second
	}
	gw := testgateway.NewServer(testgateway.Config{SecretKey: gatewayKey})
	srv := httptest.NewServer(gw.Mount())
	t.Cleanup(func() { gw.Close(); srv.Close() })
	provider := testgateway.NewClient(testgateway.ClientOptions{BaseURL: srv.URL, SecretKey: gatewayKey,
		HTTPClient: &http.Client{Timeout: o.pspTimeout}})

	// Tests run in parallel on a shared PostgreSQL: keep each pool small.
	if db.Dialect == store.DialectPostgres {
		db.SQL.SetMaxOpenConns(5) // on SQLite db.SQL is the one writer connection
	}
	log := &audit.Log{Store: &store.Audit{DB: db}}
	ms := &merchants.Service{Store: &store.Merchants{DB: db}, Audit: log, BaseURL: "http://securelink.test"}
	created, err := ms.CreateMerchant(context.Background(), merchants.NewMerchant{Name: "Test shop", Email: fmt.Sprintf("%s@example.com", strings.ToLower(domain.NewID("m")))})
	if err != nil {
		t.Fatalf("create merchant: %v", err)
	}
	inv := &invoices.Service{Store: &store.Invoices{DB: db}, Audit: log, BaseURL: "http://securelink.test"}
	svc := &payments.Service{Store: &store.Payments{DB: db}, Links: inv, Provider: provider, Audit: log, BaseURL: "http://securelink.test"}
	return &env{t: t, db: db, gw: gw, svc: svc, invoices: inv,
		actor: domain.Actor{Type: domain.ActorUser, ID: created.Owner.ID, MerchantID: created.Merchant.ID, IP: "127.0.0.1"}}
}

// invoice creates an invoice of amount minor units and returns it with its link token.
func (e *env) invoice(amount int64, mode domain.CaptureMode) (domain.Invoice, string) {
	e.t.Helper()
	inv, err := e.invoices.Create(context.Background(), e.actor, invoices.NewInvoice{
		Customer: domain.Customer{Name: "Ana Anić", Email: "ana@example.com"}, Currency: "RSD",
		Lines:       []invoices.NewLine{{Description: "Consulting", Quantity: 1, UnitAmount: amount, VATRate: 20}},
		CaptureMode: string(mode), Locale: domain.LocaleEn})
	if err != nil {
		e.t.Fatalf("create invoice: %v", err)
	}
	return inv, inv.Link.Token
}

// token tokenises a card at the gateway, as the checkout does.
func (e *env) token(number string) string {
	e.t.Helper()
	cvc := "123"
	if strings.HasPrefix(number, "37") || strings.HasPrefix(number, "34") {
		cvc = "1234"
	}
	tok, err := e.gw.IssueToken(testgateway.TokenInput{Number: number, ExpMonth: 12, ExpYear: time.Now().Year() + 3, CVC: cvc, Name: "Ana"})
	if err != nil {
		e.t.Fatalf("tokenise %s: %v", number, err)
	}
	return tok
}

func (e *env) pay(token, card string) (payments.Payment, error) {
	return e.svc.Pay(context.Background(), token, payments.PayInput{TermsAccepted: true, PaymentToken: e.token(card), ClientIP: "198.51.100.7"})
}

func (e *env) mustPay(token, card string) payments.Payment {
	e.t.Helper()
	p, err := e.pay(token, card)
	if err != nil {
		e.t.Fatalf("pay with %s: %v", card, err)
	}
	return p
}

func (e *env) getInvoice(id string) domain.Invoice {
	e.t.Helper()
	inv, err := e.invoices.Get(context.Background(), e.actor.MerchantID, id)
	if err != nil {
		e.t.Fatalf("get invoice: %v", err)
	}
	return inv
}

func (e *env) getPayment(id string) payments.Payment {
	e.t.Helper()
	p, err := e.svc.Get(context.Background(), e.actor.MerchantID, id)
	if err != nil {
		e.t.Fatalf("get payment: %v", err)
	}
	return p
}

// eventTypes lists the types of the events written for an object, oldest first.
func (e *env) eventTypes(objectID string) []string {
	e.t.Helper()
	var types []string
	if err := e.db.Gorm.Table("events").Where("object_id = ?", objectID).Order("id").Pluck("type", &types).Error; err != nil {
		e.t.Fatalf("events: %v", err)
	}
	return types
}

// codeOf is the apperr code and HTTP-facing kind of err, or "" when it is not an *apperr.Error.
func codeOf(err error) (string, apperr.Kind) {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae.Code, ae.Kind
	}
	return "", -1
}

func eachDB(t *testing.T, fn func(t *testing.T, e *env)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, newEnv(t, db)) })
}

// requireOwnMerchant fails unless every payment carries its invoice's merchant and every
// transaction and refund its payment's: PostgreSQL no longer checks payments' and transactions'
// merchant_id against merchants (a lock on one hot row per payment), so the use case's copying of
// it is what keeps it right.
func (e *env) requireOwnMerchant() {
	e.t.Helper()
	for _, q := range []string{
		"SELECT count(*) FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE p.merchant_id <> i.merchant_id OR p.livemode <> i.livemode",
		"SELECT count(*) FROM transactions t JOIN payments p ON p.id = t.payment_id WHERE t.merchant_id <> p.merchant_id OR t.livemode <> p.livemode",
		"SELECT count(*) FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.merchant_id <> p.merchant_id OR r.livemode <> p.livemode",
		"SELECT count(*) FROM payments p WHERE NOT EXISTS (SELECT 1 FROM merchants m WHERE m.id = p.merchant_id)",
	} {
		var n int64
		if err := e.db.Gorm.Raw(q).Scan(&n).Error; err != nil || n != 0 {
			e.t.Fatalf("%s: %d rows (%v), want none", q, n, err)
		}
	}
}
