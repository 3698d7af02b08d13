package sandbox

import (
	"bytes"
	"net/http"
	"time"

	"securelink/internal/psp/exchange"
)

// Kinds of ledger entry.
const (
	EntryAuthorization = "authorization" // money reserved on the card
	EntryCharge        = "charge"        // money taken by a debit
	EntryCapture       = "capture"
	EntryVoid          = "void"
	EntryRefund        = "refund"
)

// Entry is one money movement the sandbox made.
type Entry struct {
	Kind                  string    `json:"kind"`
	UUID                  string    `json:"uuid"`
	MerchantTransactionID string    `json:"merchantTransactionId"`
	ReferenceUUID         string    `json:"referenceUuid,omitempty"`
	Amount                int64     `json:"amount"` // minor units
	Currency              string    `json:"currency"`
	At                    time.Time `json:"at"`
}

func (s *Server) bookLocked(kind string, t *transaction, amount int64) {
	s.ledger = append(s.ledger, Entry{Kind: kind, UUID: t.uuid, MerchantTransactionID: t.mtid, ReferenceUUID: t.referenceUUID,
		Amount: amount, Currency: t.currency, At: s.now()})
}

// Ledger returns the money movements, oldest first; with a merchantTransactionId, only that
// transaction's.
func (s *Server) Ledger(merchantTransactionID string) []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Entry{}
	for _, e := range s.ledger {
		if merchantTransactionID == "" || e.MerchantTransactionID == merchantTransactionID {
			out = append(out, e)
		}
	}
	return out
}

// Charges counts the times a payment's card was charged or reserved (authorisations and debits)
// for the authorisation whose idempotency key was key.
func (s *Server) Charges(key string) int {
	n := 0
	for _, e := range s.Ledger(exchange.MerchantTransactionID(key)) {
		if e.Kind == EntryAuthorization || e.Kind == EntryCharge {
			n++
		}
	}
	return n
}

func (s *Server) handleLedger(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"entries": s.Ledger(r.URL.Query().Get("merchantTransactionId"))})
}

func (s *Server) handleIndex(w http.ResponseWriter, _ *http.Request) {
	var b bytes.Buffer
	b.WriteString("AllSecure Exchange sandbox (SecureLink)\n\nTest cards (any future expiry, any CVV of the right length, a card holder):\n")
	for _, c := range TestCards {
		b.WriteString("  " + c.Number + "  " + c.Does + "\n")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write(b.Bytes())
}
