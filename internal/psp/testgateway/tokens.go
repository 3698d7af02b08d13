package testgateway

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"securelink/internal/psp"
)

// TokenTTL is how long a card token may be used.
const TokenTTL = 15 * time.Minute

// token is a single-use card token. It keeps the card's scripted behaviour, not its number or CVC.
type token struct {
	id        string
	card      psp.Card
	behaviour behaviour
	expiresAt time.Time
	used      bool
}

// tokenRequest is the body of POST /tokens. Expiry fields accept a number or a numeric string,
// since browser forms hold strings.
type tokenRequest struct {
	Number   string   `json:"number"`
	ExpMonth looseInt `json:"exp_month"`
	ExpYear  looseInt `json:"exp_year"`
	CVC      string   `json:"cvc"`
	Name     string   `json:"name"`
}

// looseInt is an integer sent as a JSON number or numeric string; a malformed value is kept as invalid
// so that validation can name the field instead of failing the whole body.
type looseInt struct {
	value int
	valid bool
}

func (n *looseInt) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	v, err := strconv.Atoi(string(b))
	*n = looseInt{value: v, valid: err == nil}
	return nil
}

type tokenObject struct {
	ID        string    `json:"id"`
	Object    string    `json:"object"`
	Card      psp.Card  `json:"card"`
	ExpiresAt time.Time `json:"expires_at"`
}

// TokenInput is a card as the payer typed it.
type TokenInput struct {
	Number   string
	ExpMonth int
	ExpYear  int
	CVC      string
	Name     string
}

// IssueToken validates a card and returns a single-use token id, as POST /tokens does.
// It lets Go tests make tokens without HTTP.
func (s *Server) IssueToken(in TokenInput) (string, error) {
	tok, aerr := s.issueToken(in, true, true)
	if aerr != nil {
		return "", aerr
	}
	return tok.ID, nil
}

func (s *Server) issueToken(in TokenInput, monthValid, yearValid bool) (tokenObject, *apiError) {
	digits, brand, aerr := normaliseNumber(in.Number)
	if aerr != nil {
		return tokenObject{}, aerr
	}
	if !monthValid {
		return tokenObject{}, invalidRequest("invalid_expiry", "exp_month", "The expiry month must be a number between 1 and 12.")
	}
	if !yearValid {
		return tokenObject{}, invalidRequest("invalid_expiry", "exp_year", "The expiry year must be a number with 2 or 4 digits.")
	}
	now := s.now()
	month, year, aerr := normaliseExpiry(in.ExpMonth, in.ExpYear, now)
	if aerr != nil {
		return tokenObject{}, aerr
	}
	if aerr := validateCVC(brand, in.CVC); aerr != nil {
		return tokenObject{}, aerr
	}
	if aerr := validateName(in.Name); aerr != nil {
		return tokenObject{}, aerr
	}
	tok := &token{
		id:        newID("tok_"),
		card:      psp.Card{Brand: brand, Last4: digits[len(digits)-4:], ExpMonth: month, ExpYear: year},
		behaviour: behaviourOf(digits),
		expiresAt: now.Add(TokenTTL),
	}
	s.mu.Lock()
	s.dropExpiredTokensLocked(now)
	s.tokens[tok.id] = tok
	s.mu.Unlock()
	return tokenObject{ID: tok.id, Object: "token", Card: tok.card, ExpiresAt: tok.expiresAt}, nil
}

// tokenSweepEvery spaces the sweeps of old tokens: a sweep walks every token, so running it on
// each tokenisation made tokenising cost grow with the number of tokens issued in the last hour.
const tokenSweepEvery = time.Minute

// dropExpiredTokensLocked forgets tokens that can no longer be used, so memory stays bounded.
func (s *Server) dropExpiredTokensLocked(now time.Time) {
	if now.Before(s.nextTokenSweep) {
		return
	}
	s.nextTokenSweep = now.Add(tokenSweepEvery)
	for id, t := range s.tokens {
		if now.After(t.expiresAt.Add(time.Hour)) {
			delete(s.tokens, id)
		}
	}
}

func (s *Server) handleCreateToken(w http.ResponseWriter, r *http.Request) {
	if !s.allowCORS(w, r) {
		writeError(w, &apiError{Status: http.StatusForbidden, Type: typeInvalidRequest, Code: "origin_not_allowed",
			Message: "This origin may not tokenise cards."})
		return
	}
	var req tokenRequest
	if aerr := readJSON(w, r, &req); aerr != nil {
		writeError(w, aerr)
		return
	}
	tok, aerr := s.issueToken(TokenInput{
		Number: req.Number, ExpMonth: req.ExpMonth.value, ExpYear: req.ExpYear.value, CVC: req.CVC, Name: req.Name,
	}, req.ExpMonth.valid, req.ExpYear.valid)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeJSON(w, http.StatusCreated, tok)
}

func (s *Server) handleTokenPreflight(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Origin") == "" || !s.allowCORS(w, r) {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	w.Header().Set("Access-Control-Allow-Methods", "POST, OPTIONS")
	w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
	w.Header().Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

// allowCORS sets the CORS answer for a request's Origin and reports whether the origin may call.
// Requests without an Origin (server-side or same-origin tools) are allowed.
func (s *Server) allowCORS(w http.ResponseWriter, r *http.Request) bool {
	w.Header().Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	switch {
	case slices.Contains(s.cfg.AllowedOrigins, "*"):
		w.Header().Set("Access-Control-Allow-Origin", "*")
	case slices.Contains(s.cfg.AllowedOrigins, origin):
		w.Header().Set("Access-Control-Allow-Origin", origin)
	default:
		return false
	}
	return true
}

// consumeTokenLocked takes a token for one payment; the caller holds s.mu.
func (s *Server) consumeTokenLocked(id string) (*token, *apiError) {
	t, ok := s.tokens[id]
	switch {
	case !ok:
		return nil, invalidRequest("token_invalid", "token", "No such token: tokenise the card again.")
	case t.used:
		return nil, invalidRequest("token_already_used", "token", "This token was already used: tokenise the card again.")
	case s.now().After(t.expiresAt):
		return nil, invalidRequest("token_expired", "token", "This token has expired: tokenise the card again.")
	}
	t.used = true
	return t, nil
}

// IsToken reports whether s has the shape of a token this gateway issues: tok_ and 32 lower-case hex
// digits (see newID).
func IsToken(s string) bool {
	hex, ok := strings.CutPrefix(s, "tok_")
	if !ok || len(hex) != 32 {
		return false
	}
	for i := 0; i < len(hex); i++ {
		if c := hex[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
