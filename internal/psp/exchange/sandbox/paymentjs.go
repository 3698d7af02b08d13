package sandbox

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

//go:embed assets/payment.js
var paymentJS string

//go:embed assets/frame.html
var frameHTML string

// handlePaymentJS serves payment.js, which loads its frames from this sandbox.
func (s *Server) handlePaymentJS(w http.ResponseWriter, r *http.Request) {
	origin, _ := json.Marshal(s.publicBase(r))
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
	_, _ = w.Write([]byte(strings.Replace(paymentJS, `"{{ORIGIN}}"`, string(origin), 1)))
}

// handleFrame serves the card number or security code frame. Any page may embed it: the card
// data never leaves it except to this sandbox.
func (s *Server) handleFrame(w http.ResponseWriter, r *http.Request) {
	field := r.PathValue("field")
	label, autocomplete, maxLen := "Card number", "cc-number", 23
	switch field {
	case "number":
	case "cvv":
		label, autocomplete, maxLen = "Security code", "cc-csc", 4
	default:
		http.NotFound(w, r)
		return
	}
	nonce := newID("", 12)
	page := strings.NewReplacer("{{FIELD}}", field, "{{ID}}", safeID(r.URL.Query().Get("id")),
		"{{KEY}}", safeID(r.URL.Query().Get("key")), "{{LABEL}}", label, "{{AUTOCOMPLETE}}", autocomplete,
		"{{MAXLEN}}", strconv.Itoa(maxLen), "{{NONCE}}", nonce).Replace(frameHTML)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-"+nonce+"'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors *")
	_, _ = w.Write([]byte(page))
}

// safeID keeps an id that goes into the frame's script only if it is plain letters, digits, _ and -.
func safeID(s string) string {
	if len(s) > 200 {
		return ""
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && c != '_' && c != '-' {
			return ""
		}
	}
	return s
}

// tokenizeRequest is the frames' tokenisation request.
type tokenizeRequest struct {
	Key        string `json:"key"`
	Number     string `json:"number"`
	CVV        string `json:"cvv"`
	CardHolder string `json:"card_holder"`
	Month      string `json:"month"`
	Year       string `json:"year"`
}

// cardData is what payment.js's onSuccess receives beside the token.
type cardData struct {
	CardType       string `json:"card_type"`
	FullName       string `json:"full_name"`
	FirstSixDigits string `json:"first_six_digits"`
	LastFourDigits string `json:"last_four_digits"`
	Month          int    `json:"month"`
	Year           int    `json:"year"`
}

func (s *Server) handleFrameTokenize(w http.ResponseWriter, r *http.Request) {
	var req tokenizeRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": []fieldError{{"", "errors.invalid", "Request is not valid JSON"}}})
		return
	}
	if !equal(req.Key, s.cfg.PublicIntegrationKey) {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"errors": []fieldError{{"", "errors.key", "Public integration key is not valid"}}})
		return
	}
	month, _ := strconv.Atoi(req.Month)
	year, _ := strconv.Atoi(req.Year)
	s.tokenize(w, req.Number, req.CVV, req.CardHolder, month, year)
}

// handleCreateToken tokenises a card for server-side tests: {"number","exp_month","exp_year","cvv","holder"} → {"token"}.
func (s *Server) handleCreateToken(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Number   string `json:"number"`
		ExpMonth int    `json:"exp_month"`
		ExpYear  int    `json:"exp_year"`
		CVV      string `json:"cvv"`
		Holder   string `json:"holder"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": []fieldError{{"", "errors.invalid", "Request is not valid JSON"}}})
		return
	}
	s.tokenize(w, req.Number, req.CVV, req.Holder, req.ExpMonth, req.ExpYear)
}

func (s *Server) tokenize(w http.ResponseWriter, number, cvv, holder string, month, year int) {
	c, errs := checkCard(number, cvv, holder, month, year, s.now())
	if len(errs) > 0 {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"errors": errs})
		return
	}
	tok := newID("sbx_", 16)
	s.mu.Lock()
	for k, t := range s.tokens {
		if s.now().After(t.expires.Add(time.Hour)) {
			delete(s.tokens, k)
		}
	}
	s.tokens[tok] = &token{card: c, expires: s.now().Add(tokenTTL)}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"token": tok, "cardData": cardData{CardType: c.brand, FullName: c.holder,
		FirstSixDigits: c.number[:6], LastFourDigits: c.number[len(c.number)-4:], Month: c.month, Year: c.year}})
}
