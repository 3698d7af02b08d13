// Package testgateway is SecureLink's built-in test-mode card gateway: a payment service provider
// with its own HTTP API (tokenisation, payments, 3-D Secure challenge, ledger, fault switches) and
// the Client that SecureLink's API uses to talk to it as a psp.Provider.
//
// All state lives in memory: it is a PSP for test mode and tests, never for real money.
//
// Routes, relative to the mount prefix "/gateway/v1":
//
//	POST   /tokens                   public, CORS: card → single-use token (15 minutes)
//	POST   /payments                 secret key + Idempotency-Key: authorise or sell
//	GET    /payments/{id}            secret key
//	POST   /payments/{id}/capture    secret key + Idempotency-Key
//	POST   /payments/{id}/void       secret key + Idempotency-Key
//	POST   /payments/{id}/refunds    secret key + Idempotency-Key
//	GET    /3ds/{id}                 public: the 3-D Secure challenge page
//	POST   /3ds/{id}                 public: completes or fails the challenge, 303 to return_url
//	GET    /ledger                   secret key: every money movement (?reference=, ?payment_id=)
//	GET    /test/faults              secret key: the fault switches in force
//	POST   /test/faults              secret key: sets the fault switches
//
// Wiring in the main binary (gateway in the same process, browser and server see different URLs):
//
//	gw := testgateway.NewServer(testgateway.Config{SecretKey: key, PublicURL: baseURL})
//	mux.Handle(testgateway.Prefix+"/", gw.Mount()) // or http.StripPrefix(testgateway.Prefix, gw.Handler())
//	provider := testgateway.NewClient(testgateway.ClientOptions{
//		BaseURL: "http://127.0.0.1:8080", PublicURL: baseURL, SecretKey: key,
//	})
//
// Alone (securelink gateway --addr): http.ListenAndServe(addr, gw.Mount()).
package testgateway

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Prefix is the path under which the gateway's API lives.
const Prefix = "/gateway/v1"

// maxBodyBytes caps every request body; card and payment requests are a few hundred bytes.
const maxBodyBytes = 16 << 10

// Config configures a gateway Server.
type Config struct {
	// SecretKey authenticates server-to-server calls (Authorization: Bearer <SecretKey>). Required.
	SecretKey string
	// AllowedOrigins are the browser origins that may tokenise cards (CORS). Empty means "*".
	AllowedOrigins []string
	// PublicURL is the browser-facing base URL of the gateway without the prefix
	// (e.g. "https://pay.example.com"); 3-D Secure redirect URLs start with it.
	// Empty: taken from each request's Host.
	PublicURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Server is the test gateway. Create it with NewServer; it is safe for concurrent use.
type Server struct {
	cfg Config

	mu     sync.Mutex
	tokens map[string]*token
	// nextTokenSweep is when dropExpiredTokensLocked next walks the tokens.
	nextTokenSweep time.Time
	payments       map[string]*payment
	idem           map[string]*idemRecord
	ledger         []Entry
	faults         Faults

	closeOnce sync.Once
	closed    chan struct{} // closed by Close: releases stalled responses
}

// NewServer creates a gateway with empty state.
func NewServer(cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if len(cfg.AllowedOrigins) == 0 {
		cfg.AllowedOrigins = []string{"*"}
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	return &Server{
		cfg:      cfg,
		tokens:   map[string]*token{},
		payments: map[string]*payment{},
		idem:     map[string]*idemRecord{},
		closed:   make(chan struct{}),
	}
}

// Close releases responses held back by the TimeoutAfterCharge fault. The state stays readable.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closed) })
}

// Handler serves the gateway's routes relative to the mount prefix: mount it with
// http.StripPrefix(testgateway.Prefix, srv.Handler()) at Prefix+"/".
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /tokens", s.handleCreateToken)
	mux.HandleFunc("OPTIONS /tokens", s.handleTokenPreflight)

	mux.Handle("POST /payments", s.secret(s.serverToServer(s.idempotent(s.createPayment))))
	mux.Handle("GET /payments/{id}", s.secret(s.serverToServer(http.HandlerFunc(s.handleGetPayment))))
	mux.Handle("POST /payments/{id}/capture", s.secret(s.serverToServer(s.idempotent(s.capturePayment))))
	mux.Handle("POST /payments/{id}/void", s.secret(s.serverToServer(s.idempotent(s.voidPayment))))
	mux.Handle("POST /payments/{id}/refunds", s.secret(s.serverToServer(s.idempotent(s.refundPayment))))

	mux.HandleFunc("GET /3ds/{id}", s.handleChallengePage)
	mux.HandleFunc("POST /3ds/{id}", s.handleChallengeAnswer)

	mux.Handle("GET /ledger", s.secret(http.HandlerFunc(s.handleLedger)))
	mux.Handle("GET /test/faults", s.secret(http.HandlerFunc(s.handleGetFaults)))
	mux.Handle("POST /test/faults", s.secret(http.HandlerFunc(s.handleSetFaults)))

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &apiError{Status: http.StatusNotFound, Type: typeInvalidRequest, Code: "not_found",
			Message: "No such route: " + r.Method + " " + r.URL.Path + "."})
	})
	return commonHeaders(mux)
}

// Mount serves the gateway under Prefix itself ("/gateway/v1/..."), for `securelink gateway`
// and httptest servers.
func (s *Server) Mount() http.Handler {
	mux := http.NewServeMux()
	mux.Handle(Prefix+"/", http.StripPrefix(Prefix, s.Handler()))
	return mux
}

func (s *Server) now() time.Time { return s.cfg.Now().UTC() }

// publicBase is the browser-facing base URL including the prefix, for 3-D Secure redirect URLs.
func (s *Server) publicBase(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL + Prefix
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + Prefix
}

// commonHeaders keeps gateway answers out of caches and MIME sniffing.
func commonHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

// secret admits only requests with the gateway's secret key.
func (s *Server) secret(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || s.cfg.SecretKey == "" || subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.SecretKey)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="testgateway"`)
			writeError(w, &apiError{Status: http.StatusUnauthorized, Type: "authentication_error", Code: "unauthorized",
				Message: "Send the gateway secret key as Authorization: Bearer <key>."})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Error types of the gateway's error object.
const (
	typeInvalidRequest = "invalid_request_error"
	typeIdempotency    = "idempotency_error"
	typeAPI            = "api_error"
)

// apiError is the gateway's error object: {"error":{"type","code","message","param"}}.
type apiError struct {
	Status  int    `json:"-"`
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Param   string `json:"param,omitempty"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

type errorEnvelope struct {
	Error *apiError `json:"error"`
}

func invalidRequest(code, param, message string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Type: typeInvalidRequest, Code: code, Param: param, Message: message}
}

func conflict(code, message string) *apiError {
	return &apiError{Status: http.StatusConflict, Type: typeInvalidRequest, Code: code, Message: message}
}

func notFound(what, id string) *apiError {
	return &apiError{Status: http.StatusNotFound, Type: typeInvalidRequest, Code: "not_found", Param: "id",
		Message: fmt.Sprintf("No such %s: %q.", what, id)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":{"type":"api_error","code":"internal","message":"encoding failed"}}`, http.StatusInternalServerError)
		return
	}
	writeRaw(w, status, body)
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.Status, errorEnvelope{Error: e})
}

// readJSON reads a size-limited JSON body into v, refusing unknown fields and trailing data.
func readJSON(w http.ResponseWriter, r *http.Request, v any) *apiError {
	body, aerr := readBody(w, r)
	if aerr != nil {
		return aerr
	}
	return decodeJSON(body, v)
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, *apiError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &apiError{Status: http.StatusRequestEntityTooLarge, Type: typeInvalidRequest, Code: "body_too_large",
				Message: fmt.Sprintf("The request body may have at most %d bytes.", maxBodyBytes)}
		}
		return nil, invalidRequest("body_unreadable", "", "The request body could not be read.")
	}
	return body, nil
}

func decodeJSON(body []byte, v any) *apiError {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			field = strings.Trim(field, `"`)
			return invalidRequest("parameter_unknown", field, fmt.Sprintf("Unknown field %q.", field))
		}
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return invalidRequest("parameter_invalid", typeErr.Field, fmt.Sprintf("The field %q has the wrong type.", typeErr.Field))
		}
		return invalidRequest("invalid_json", "", "The request body is not a valid JSON object.")
	}
	if dec.More() {
		return invalidRequest("invalid_json", "", "The request body holds more than one JSON value.")
	}
	return nil
}

// newID returns prefix followed by 128 random bits in hex.
func newID(prefix string) string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return prefix + hex.EncodeToString(b[:])
}
