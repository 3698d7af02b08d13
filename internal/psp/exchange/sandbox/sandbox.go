// Package sandbox is an emulator of AllSecure Exchange (the IXOPAY transaction API v3) for tests
// and local development: `securelink exchange-sandbox --addr …`.
//
// Like the gateway it checks HTTP Basic auth, the API key in the path and every request's
// X-Signature (refusing a bad one with 401), answers debit, preauthorize, capture, void and refund,
// serves the status API, a payment.js with the gateway's JavaScript API and its own card frames, a
// 3-D Secure page, and sends signed callbacks with retries. Test cards (TestCards) script the
// outcomes. All state lives in memory.
//
// Routes:
//
//	POST /api/v3/transaction/{apiKey}/{debit|preauthorize|capture|void|refund}   Basic auth + X-Signature
//	GET  /api/v3/status/{apiKey}/getByUuid/{uuid}                                 Basic auth + X-Signature
//	GET  /api/v3/status/{apiKey}/getByMerchantTransactionId/{id}                  Basic auth + X-Signature
//	GET  /js/integrated/payment.1.3.min.js                                        payment.js
//	GET  /sandbox/frames/{number|cvv}                                             the card frames
//	POST /sandbox/frames/tokenize                                                 the frames' tokenisation
//	POST /sandbox/tokens                                                          card → token, for server-side tests
//	GET  /sandbox/3ds/{uuid}, POST /sandbox/3ds/{uuid}                            the 3-D Secure page
//	POST /sandbox/transactions/{uuid}/settle                                      settles a PENDING transaction now
//	GET  /sandbox/ledger[?merchantTransactionId=]                                 every money movement
//	GET  /sandbox/callbacks                                                       every callback attempt
package sandbox

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"securelink/internal/psp/exchange"
)

// Config configures a Server. The credentials are the one account the sandbox knows.
type Config struct {
	APIKey               string
	Username             string
	Password             string
	SharedSecret         string
	PublicIntegrationKey string
	// PublicURL is the sandbox's browser-facing base URL (3-D Secure links, payment.js's frames).
	// Empty: taken from each request's Host.
	PublicURL string
	// CallbackClient sends callbacks; nil means a client with a 10 second timeout.
	CallbackClient *http.Client
	// CallbackRetries are the waits before each repeated callback after a failed delivery; nil
	// means DefaultCallbackRetries.
	CallbackRetries []time.Duration
	// PendingFor is how long a PENDING test card waits before it settles by itself; zero leaves
	// it pending until POST /sandbox/transactions/{uuid}/settle.
	PendingFor time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// DefaultCallbackRetries are the gateway-like waits between callback attempts.
var DefaultCallbackRetries = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute, time.Hour}

// tokenTTL is how long a transactionToken from payment.js may be used.
const tokenTTL = 15 * time.Minute

// maxBody caps request bodies; transaction requests are a few hundred bytes.
const maxBody = 64 << 10

// Server is the sandbox. Create it with New; it is safe for concurrent use.
type Server struct {
	cfg Config

	mu           sync.Mutex
	tokens       map[string]*token
	transactions map[string]*transaction // by uuid
	byMTID       map[string]string       // merchantTransactionId → uuid
	ledger       []Entry
	deliveries   []Delivery

	wg     sync.WaitGroup
	closed chan struct{}
	once   sync.Once
}

type token struct {
	card    card
	expires time.Time
	used    bool
}

// New creates a sandbox with empty state.
func New(cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.CallbackClient == nil {
		cfg.CallbackClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.CallbackRetries == nil {
		cfg.CallbackRetries = DefaultCallbackRetries
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	return &Server{cfg: cfg, tokens: map[string]*token{}, transactions: map[string]*transaction{},
		byMTID: map[string]string{}, closed: make(chan struct{})}
}

// Close stops callback retries and waits for the deliveries in flight to be answered. The state stays readable.
func (s *Server) Close() {
	s.once.Do(func() { close(s.closed) })
	s.wg.Wait()
}

// Handler serves the sandbox's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /api/v3/transaction/{apiKey}/{type}", s.signed(s.handleTransaction))
	mux.Handle("GET /api/v3/status/{apiKey}/{by}/{id}", s.signed(s.handleStatus))
	mux.HandleFunc("GET "+exchange.ScriptPath, s.handlePaymentJS)
	mux.HandleFunc("GET /sandbox/frames/{field}", s.handleFrame)
	mux.HandleFunc("POST /sandbox/frames/tokenize", s.handleFrameTokenize)
	mux.HandleFunc("POST /sandbox/tokens", s.handleCreateToken)
	mux.HandleFunc("GET /sandbox/3ds/{uuid}", s.handleChallengePage)
	mux.HandleFunc("POST /sandbox/3ds/{uuid}", s.handleChallengeAnswer)
	mux.HandleFunc("POST /sandbox/transactions/{uuid}/settle", s.handleSettle)
	mux.HandleFunc("GET /sandbox/ledger", s.handleLedger)
	mux.HandleFunc("GET /sandbox/callbacks", s.handleDeliveries)
	mux.HandleFunc("GET /{$}", s.handleIndex)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		mux.ServeHTTP(w, r)
	})
}

func (s *Server) now() time.Time { return s.cfg.Now().UTC() }

// publicBase is the browser-facing base URL.
func (s *Server) publicBase(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// signed checks what the gateway checks before anything else: Basic auth, the API key in the path
// and the request's X-Signature with its date window. A failure is 401 and changes nothing.
func (s *Server) signed(next func(http.ResponseWriter, *http.Request, []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || !equal(user, s.cfg.Username) || !equal(pass, s.cfg.Password) || !equal(r.PathValue("apiKey"), s.cfg.APIKey) {
			writeJSON(w, http.StatusUnauthorized, errorAnswer(gatewayError(exchange.CodeInvalidCredentials, "")))
			return
		}
		body, err := readBody(w, r)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, errorAnswer(gatewayError(exchange.CodeInvalidRequest, err.Error())))
			return
		}
		if err := exchange.VerifySignature(r.Header, s.cfg.SharedSecret, r.Method, body, r.URL.RequestURI(), s.now()); err != nil {
			writeJSON(w, http.StatusUnauthorized, errorAnswer(gatewayError(exchange.CodeInvalidSignature, "Invalid signature: "+err.Error())))
			return
		}
		next(w, r, body)
	})
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	return io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
}

// errorAnswer is a refused request's answer body.
func errorAnswer(e exchange.Error) exchange.TransactionResponse {
	return exchange.TransactionResponse{Success: false, ReturnType: exchange.ReturnError, Errors: []exchange.Error{e}}
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func newID(prefix string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

func itoa(n int) string { return strconv.Itoa(n) }

func twoDigits(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}
