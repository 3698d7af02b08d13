package testgateway

import (
	"net/http"
	"slices"
	"time"
)

// Op is a kind of ledger entry.
type Op string

// The ledger's operations. Only OpAuthorize reserves a payer's money: it is what Charges counts.
const (
	OpAuthorize    Op = "authorize"     // money reserved on the card (a sale also records OpCapture)
	OpCapture      Op = "capture"       // reserved money taken
	OpVoid         Op = "void"          // reservation released
	OpRefund       Op = "refund"        // captured money returned
	OpDecline      Op = "decline"       // authorisation refused; no money moved
	OpRefundFailed Op = "refund_failed" // refund refused; no money moved
)

// Entry is one line of the gateway's ledger.
type Entry struct {
	Op             Op        `json:"op"`
	PaymentID      string    `json:"payment_id"`
	RefundID       string    `json:"refund_id,omitempty"`
	Reference      string    `json:"reference,omitempty"`
	Amount         int64     `json:"amount"`
	Currency       string    `json:"currency"`
	At             time.Time `json:"at"`
	IdempotencyKey string    `json:"idempotency_key"`
}

func (s *Server) recordLocked(op Op, p *payment, refundID string, amount int64, key string) {
	s.ledger = append(s.ledger, Entry{
		Op: op, PaymentID: p.obj.ID, RefundID: refundID, Reference: p.obj.Reference,
		Amount: amount, Currency: p.obj.Currency, At: s.now(), IdempotencyKey: key,
	})
}

// Ledger returns a copy of every entry, oldest first.
func (s *Server) Ledger() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.ledger)
}

// Count returns how many entries of op carry reference.
func (s *Server) Count(op Op, reference string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, e := range s.ledger {
		if e.Op == op && e.Reference == reference {
			n++
		}
	}
	return n
}

// Charges returns how many times a payer's card was charged (authorised) for reference.
func (s *Server) Charges(reference string) int { return s.Count(OpAuthorize, reference) }

type ledgerList struct {
	Object  string  `json:"object"`
	Data    []Entry `json:"data"`
	Charges int     `json:"charges"` // OpAuthorize entries among Data
}

// handleLedger lists the ledger, optionally only for ?reference= and/or ?payment_id=.
func (s *Server) handleLedger(w http.ResponseWriter, r *http.Request) {
	reference := r.URL.Query().Get("reference")
	paymentID := r.URL.Query().Get("payment_id")
	list := ledgerList{Object: "list", Data: []Entry{}}
	for _, e := range s.Ledger() {
		if (reference != "" && e.Reference != reference) || (paymentID != "" && e.PaymentID != paymentID) {
			continue
		}
		list.Data = append(list.Data, e)
		if e.Op == OpAuthorize {
			list.Charges++
		}
	}
	writeJSON(w, http.StatusOK, list)
}
