// Package apitest runs the real product (router, use cases, stores, the test gateway over real HTTP)
// on a loopback port against a fresh database, for black-box HTTP tests. Every response to an
// /api/v1 request is validated against openapi.yaml.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"securelink"
	"securelink/api"
	"securelink/api/wiring"
	"securelink/internal/auth"
	"securelink/internal/domain"
	"securelink/internal/merchants"
	"securelink/internal/psp"
	"securelink/internal/psp/testgateway"
	"securelink/internal/store/storetest"
)

// Env is one running instance of the product.
type Env struct {
	Dialect string
	// URL is the server's base URL, e.g. http://127.0.0.1:41234.
	URL    string
	App    *wiring.App
	Client *http.Client
	router routers.Router
}

// Option changes the configuration before the product is wired.
type Option func(*wiring.Config)

// Each runs fn once per database dialect (SQLite only with -short), each with its own fresh
// instance; the dialects run in parallel.
func Each(t *testing.T, fn func(t *testing.T, e *Env), opts ...Option) {
	t.Helper()
	for _, d := range storetest.DialectsFor(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, New(t, d, opts...))
		})
	}
}

var (
	specOnce sync.Once
	specDoc  *openapi3.T
	specErr  error
)

func loadSpec() (*openapi3.T, error) {
	specOnce.Do(func() {
		// Invoices come as PDFs and IPS QR codes as SVGs: their bodies are validated as files.
		openapi3filter.RegisterBodyDecoder("application/pdf", openapi3filter.FileBodyDecoder)
		openapi3filter.RegisterBodyDecoder("image/svg+xml", openapi3filter.FileBodyDecoder)
		openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.FileBodyDecoder)
		l := openapi3.NewLoader()
		specDoc, specErr = l.LoadFromData(securelink.OpenAPI)
		if specErr == nil {
			specErr = specDoc.Validate(l.Context)
		}
	})
	return specDoc, specErr
}

// quietOnce keeps the logs of code without an injected logger (use cases, workers) out of test
// output unless SECURELINK_TEST_LOGS is set; it is set once, never swapped per test.
var quietOnce sync.Once

func quietLogs() {
	quietOnce.Do(func() {
		if os.Getenv("SECURELINK_TEST_LOGS") == "" {
			slog.SetDefault(slog.New(slog.NewJSONHandler(io.Discard, nil)))
		}
	})
}

// testLogger is an instance's own logger: discarded unless SECURELINK_TEST_LOGS is set.
func testLogger() *slog.Logger {
	if os.Getenv("SECURELINK_TEST_LOGS") == "" {
		return slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	return slog.New(api.LogHandler{Handler: slog.NewJSONHandler(os.Stderr, nil)})
}

// CaptureLogs sends every request and job log line of the instance to buf, as the product writes
// them (JSON with the request id); other instances of parallel tests keep their own.
func CaptureLogs(buf *SafeBuffer) Option {
	return func(c *wiring.Config) {
		c.Log = slog.New(api.LogHandler{Handler: slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})})
	}
}

// SafeBuffer is a bytes.Buffer safe for concurrent writers.
type SafeBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SafeBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *SafeBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// New starts the product on a loopback port with a fresh database of the dialect.
func New(t testing.TB, dialect string, opts ...Option) *Env {
	t.Helper()
	quietLogs()
	// Owners' passwords are hashed at bcrypt's minimum cost here: at the product's cost hashing
	// took two thirds of the API tests' CPU time.
	auth.UseFastHashesInTests()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	base := "http://" + ln.Addr().String()
	cfg := wiring.Config{Addr: ln.Addr().String(), BaseURL: base, DatabaseURL: storetest.ReadyURL(t, dialect),
		PSP: "testgateway", WebhookAllowPrivate: true, SessionTTL: time.Hour, Log: testLogger(), EncryptionKey: EncryptionKey}
	registerLiveGateway()
	for _, o := range opts {
		o(&cfg)
	}
	app, err := wiring.New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("wire: %v", err)
	}
	// The live test gateway runs on this instance's own built-in gateway.
	app.ProviderAccounts.Builtin[LiveGateway] = app.BuiltinGateway
	srv := httptest.NewUnstartedServer(app.Server)
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		app.Close()
	})
	doc, err := loadSpec()
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	// The router matches requests against the document's paths under this server's URL.
	local := *doc
	local.Servers = openapi3.Servers{{URL: base + "/api/v1"}}
	router, err := gorillamux.NewRouter(&local)
	if err != nil {
		t.Fatalf("openapi router: %v", err)
	}
	return &Env{Dialect: dialect, URL: base, App: app, Client: &http.Client{Timeout: 60 * time.Second}, router: router}
}

// Merchant is a merchant with a logged-in owner's credentials, a test API key and a live one.
type Merchant struct {
	ID       string
	UserID   string
	Email    string
	Password string
	APIKey   string // sk_test_…
	KeyID    string
	LiveKey  string // sk_live_…
	LiveID   string
}

// Auth returns the Authorization header of the merchant's test API key.
func (m Merchant) Auth() Header { return Header{"Authorization", "Bearer " + m.APIKey} }

// LiveAuth returns the Authorization header of the merchant's live API key.
func (m Merchant) LiveAuth() Header { return Header{"Authorization", "Bearer " + m.LiveKey} }

// NewMerchant creates a merchant whose owner has a password, and an API key.
func (e *Env) NewMerchant(t testing.TB, name string) Merchant {
	t.Helper()
	ctx := context.Background()
	email := strings.ToLower("owner-" + strings.ReplaceAll(domain.NewToken(6), "_", "x") + "@example.com")
	cr, err := e.App.Merchants.CreateMerchant(ctx, merchants.NewMerchant{Name: name, Email: email})
	if err != nil {
		t.Fatalf("create merchant: %v", err)
	}
	pw := "correct-horse-" + domain.NewToken(6)
	u, err := e.App.Merchants.AcceptInvitation(ctx, cr.InvitationToken, pw, "Owner", "")
	if err != nil {
		t.Fatalf("accept invitation: %v", err)
	}
	owner := domain.Actor{Type: domain.ActorUser, ID: u.ID, MerchantID: u.MerchantID}
	k, err := e.App.Merchants.CreateAPIKey(ctx, owner, "test", nil)
	if err != nil {
		t.Fatalf("create api key: %v", err)
	}
	owner.Livemode = true
	lk, err := e.App.Merchants.CreateAPIKey(ctx, owner, "live", nil)
	if err != nil {
		t.Fatalf("create live api key: %v", err)
	}
	return Merchant{ID: cr.Merchant.ID, UserID: u.ID, Email: email, Password: pw, APIKey: k.Secret, KeyID: k.Key.ID,
		LiveKey: lk.Secret, LiveID: lk.Key.ID}
}

// EncryptionKey is the key that seals provider credentials in tests (SECURELINK_ENCRYPTION_KEY).
const EncryptionKey = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="

// LiveGateway is a provider registered in tests only: the test gateway allowed as a live account, so
// tests can take "live" payments without a real provider.
const LiveGateway = "testgateway-live"

var liveGatewayOnce sync.Once

func registerLiveGateway() {
	liveGatewayOnce.Do(func() {
		wiring.RegisterProviders()
		d := testgateway.Definition
		d.Name, d.Title, d.TestOnly = LiveGateway, "Test gateway (live, tests only)", false
		psp.Register(d)
	})
}

// ConnectLive gives the merchant a live provider account (the live test gateway, tested).
func (e *Env) ConnectLive(t testing.TB, m Merchant) {
	t.Helper()
	if r := e.Do(t, "PUT", "/api/v1/provider-accounts/live", map[string]any{"provider": LiveGateway, "values": map[string]string{}}, m.LiveAuth()); r.Status != http.StatusOK {
		t.Fatalf("connect live account: %d %s", r.Status, r.Body)
	}
	if r := e.Do(t, "POST", "/api/v1/provider-accounts/live/test", nil, m.LiveAuth()); r.Status != http.StatusOK || r.Map(t)["ok"] != true {
		t.Fatalf("test live account: %d %s", r.Status, r.Body)
	}
}

// Header is one request header.
type Header struct{ Name, Value string }

// Response is a received response with its body read.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test when it is not JSON.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("response %d is not JSON: %v\n%s", r.Status, err, r.Body)
	}
}

// Map decodes the body as a JSON object.
func (r *Response) Map(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// ErrorObject returns the body's error object.
func (r *Response) ErrorObject(t testing.TB) map[string]any {
	t.Helper()
	e, ok := r.Map(t)["error"].(map[string]any)
	if !ok {
		t.Fatalf("response %d has no error object: %s", r.Status, r.Body)
	}
	return e
}

// Do sends a request; body may be nil, a string or []byte (sent as is) or any value (sent as JSON).
// The response of every /api/v1 request is validated against openapi.yaml.
func (e *Env) Do(t testing.TB, method, path string, body any, headers ...Header) *Response {
	t.Helper()
	var rd io.Reader
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			t.Fatalf("encode body: %v", err)
		}
	}
	if raw != nil {
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.URL+path, rd)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range headers {
		req.Header.Set(h.Name, h.Value)
	}
	resp, err := e.Client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	r := &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
	if strings.HasPrefix(path, "/api/v1/") {
		e.validate(t, req, r)
	}
	return r
}

// validate checks a response against the OpenAPI document: the route, the status and the body.
func (e *Env) validate(t testing.TB, req *http.Request, r *Response) {
	t.Helper()
	// Unknown routes answer 404 by design and are not in the document.
	route, params, err := e.router.FindRoute(req)
	if err != nil {
		if r.Status == http.StatusNotFound || r.Status == http.StatusMethodNotAllowed {
			return
		}
		t.Errorf("openapi: %s %s is not documented: %v", req.Method, req.URL.Path, err)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 r.Status,
		Header:                 r.Header,
		Body:                   io.NopCloser(bytes.NewReader(r.Body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("openapi: %s %s → %d does not match openapi.yaml: %v\nbody: %.600s", req.Method, req.URL.Path, r.Status, err, r.Body)
	}
}

// Invoice is a minimal valid invoice body with one line of amount minor units.
func Invoice(amount int64) map[string]any {
	return map[string]any{
		"customer": map[string]any{"name": "Ana Anić", "email": "ana@example.com"},
		"lines":    []any{map[string]any{"description": "Consulting", "quantity": 1, "unit_amount": amount, "vat_rate": 20}},
	}
}
