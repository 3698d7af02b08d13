package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"securelink/internal/domain"
	"securelink/internal/psp/exchange"
)

// transaction is one transaction as the sandbox keeps it.
type transaction struct {
	uuid, mtid, purchaseID string
	typ                    string // DEBIT, PREAUTHORIZE, CAPTURE, VOID, REFUND
	status                 string // SUCCESS, PENDING, ERROR
	referenceUUID          string
	amount                 int64
	currency               string
	card                   card
	behaviour              TestCard
	errs                   []exchange.Error
	successURL, errorURL   string
	cancelURL, callbackURL string
	// challenge is set while the payer's 3-D Secure is open.
	challenge bool
	// related are the follow-ups' uuids (payments only).
	related  []string
	captured int64
	refunded int64
	voided   bool
}

// handleTransaction answers debit, preauthorize, capture, void and refund.
func (s *Server) handleTransaction(w http.ResponseWriter, r *http.Request, body []byte) {
	typ := r.PathValue("type")
	var req exchange.TransactionRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&req); err != nil {
		writeJSON(w, http.StatusOK, errorAnswer(gatewayError(exchange.CodeInvalidRequest, "Request body is not valid JSON")))
		return
	}
	if req.MerchantTransactionID == "" || len(req.MerchantTransactionID) > 50 {
		writeJSON(w, http.StatusOK, errorAnswer(gatewayError(exchange.CodeInvalidRequest, "merchantTransactionId is required (at most 50 characters)")))
		return
	}

	s.mu.Lock()
	if _, dup := s.byMTID[req.MerchantTransactionID]; dup {
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, errorAnswer(gatewayError(exchange.CodeDuplicateID, "")))
		return
	}
	var (
		t      *transaction
		failed *exchange.Error
	)
	switch typ {
	case exchange.TypeDebit, exchange.TypePreauthorize:
		t, failed = s.startPaymentLocked(typ, req)
	case exchange.TypeCapture, exchange.TypeVoid, exchange.TypeRefund:
		t, failed = s.followUpLocked(typ, req)
	default:
		s.mu.Unlock()
		writeJSON(w, http.StatusNotFound, errorAnswer(gatewayError(exchange.CodeInvalidRequest, "Unknown transaction type "+typ)))
		return
	}
	if failed != nil {
		// A refused request records nothing: the same merchantTransactionId may be sent again.
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, errorAnswer(*failed))
		return
	}
	s.byMTID[t.mtid] = t.uuid
	s.transactions[t.uuid] = t
	if t.status == exchange.StatusPending && !t.challenge && s.cfg.PendingFor > 0 {
		uuid := t.uuid
		time.AfterFunc(s.cfg.PendingFor, func() { s.settle(uuid) })
	}
	answer := s.answerLocked(t, r)
	s.notifyLocked(t)
	s.mu.Unlock()

	if t.behaviour.Behaviour == exchange.SandboxTimeout && (typ == exchange.TypeDebit || typ == exchange.TypePreauthorize) {
		hangUp(w)
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

// hangUp closes the connection without an answer: the payment is made but the caller never hears.
func hangUp(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// startPaymentLocked processes a debit or preauthorisation with a payment.js token.
func (s *Server) startPaymentLocked(typ string, req exchange.TransactionRequest) (*transaction, *exchange.Error) {
	amount, currency, bad := checkAmount(req.Amount, req.Currency)
	if bad != nil {
		return nil, bad
	}
	tok, ok := s.tokens[req.TransactionToken]
	if !ok || tok.used || s.now().After(tok.expires) {
		e := gatewayError(exchange.CodeInvalidToken, "transactionToken is unknown, expired or already used")
		return nil, &e
	}
	tok.used = true
	t := &transaction{uuid: newID("", 10), mtid: req.MerchantTransactionID, purchaseID: purchaseID(s.now()),
		typ: strings.ToUpper(typ), amount: amount, currency: currency, card: tok.card,
		behaviour: cardBehaviour(tok.card.number), successURL: req.SuccessURL, errorURL: req.ErrorURL,
		cancelURL: req.CancelURL, callbackURL: req.CallbackURL}
	switch t.behaviour.Behaviour {
	case exchange.SandboxDeclines:
		t.status, t.errs = exchange.StatusError, []exchange.Error{gatewayError(t.behaviour.ErrorCode, "")}
	case exchange.SandboxChallenge, exchange.SandboxChallengeDeclines:
		t.status, t.challenge = exchange.StatusPending, true
	case exchange.SandboxPending:
		t.status = exchange.StatusPending
	default:
		s.succeedPaymentLocked(t)
	}
	return t, nil
}

// succeedPaymentLocked authorises or charges a payment and books it.
func (s *Server) succeedPaymentLocked(t *transaction) {
	t.status, t.challenge = exchange.StatusSuccess, false
	kind := EntryAuthorization
	if t.typ == "DEBIT" {
		kind, t.captured = EntryCharge, t.amount
	}
	s.bookLocked(kind, t, t.amount)
}

// followUpLocked processes a capture, void or refund of a payment.
func (s *Server) followUpLocked(typ string, req exchange.TransactionRequest) (*transaction, *exchange.Error) {
	p, ok := s.transactions[req.ReferenceUUID]
	if !ok || (p.typ != "DEBIT" && p.typ != "PREAUTHORIZE") {
		e := gatewayError(exchange.CodeTransactionNotFound, "referenceUuid "+req.ReferenceUUID+" not found")
		return nil, &e
	}
	t := &transaction{uuid: newID("", 10), mtid: req.MerchantTransactionID, purchaseID: p.purchaseID,
		typ: strings.ToUpper(typ), referenceUUID: p.uuid, currency: p.currency, card: p.card, behaviour: p.behaviour,
		callbackURL: req.CallbackURL, status: exchange.StatusSuccess}
	notAllowed := func(why string) (*transaction, *exchange.Error) {
		e := gatewayError(exchange.CodeNotAllowed, "Transaction not allowed: "+why)
		return nil, &e
	}
	if typ != exchange.TypeVoid {
		amount, currency, bad := checkAmount(req.Amount, req.Currency)
		if bad != nil {
			return nil, bad
		}
		if currency != p.currency {
			e := gatewayError(exchange.CodeInvalidRequest, "currency must be "+p.currency+", the payment's")
			return nil, &e
		}
		t.amount = amount
	}
	switch typ {
	case exchange.TypeCapture:
		switch {
		case p.typ != "PREAUTHORIZE" || p.status != exchange.StatusSuccess:
			return notAllowed("only a successful preauthorization can be captured")
		case p.voided:
			return notAllowed("the preauthorization was voided")
		case p.captured > 0:
			return notAllowed("the preauthorization was already captured")
		case t.amount > p.amount:
			return notAllowed("the amount exceeds the preauthorized amount")
		}
		p.captured = t.amount
		s.bookLocked(EntryCapture, t, t.amount)
	case exchange.TypeVoid:
		switch {
		case p.status == exchange.StatusPending && p.challenge:
			// The payer never finished 3-D Secure: the payment is cancelled.
			p.status, p.challenge, p.errs = exchange.StatusError, false, []exchange.Error{gatewayError(exchange.Code3DSFailed, "Cancelled before 3-D Secure was completed")}
		case p.typ != "PREAUTHORIZE" || p.status != exchange.StatusSuccess:
			return notAllowed("only a successful preauthorization can be voided")
		case p.voided:
			return notAllowed("the preauthorization was already voided")
		case p.captured > 0:
			return notAllowed("the preauthorization was captured")
		default:
			p.voided = true
			s.bookLocked(EntryVoid, t, p.amount)
		}
	case exchange.TypeRefund:
		switch {
		case p.status != exchange.StatusSuccess || p.captured == 0:
			return notAllowed("nothing was captured")
		case t.amount > p.captured-p.refunded:
			return notAllowed("the amount exceeds what is left to refund")
		}
		if p.behaviour.Behaviour == exchange.SandboxRefundFails {
			t.status, t.errs = exchange.StatusError, []exchange.Error{gatewayError(exchange.CodeDeclined, "Refund declined by the acquirer")}
		} else {
			p.refunded += t.amount
			s.bookLocked(EntryRefund, t, t.amount)
		}
	}
	p.related = append(p.related, t.uuid)
	return t, nil
}

// checkAmount reads a request's amount and currency.
func checkAmount(amount, currency string) (int64, string, *exchange.Error) {
	code, ok := domain.NormalizeCurrency(currency)
	if !ok || code != currency {
		e := gatewayError(exchange.CodeInvalidRequest, "currency must be an ISO 4217 code such as EUR")
		return 0, "", &e
	}
	n, err := exchange.ParseAmount(amount, code)
	if err != nil || n <= 0 {
		e := gatewayError(exchange.CodeInvalidRequest, "amount must be a positive decimal in the currency's exponent")
		return 0, "", &e
	}
	return n, code, nil
}

// answerLocked is the gateway's answer to a transaction request.
func (s *Server) answerLocked(t *transaction, r *http.Request) exchange.TransactionResponse {
	a := exchange.TransactionResponse{UUID: t.uuid, PurchaseID: t.purchaseID, PaymentMethod: "Creditcard", ReturnData: t.card.returnData()}
	switch {
	case t.status == exchange.StatusSuccess:
		a.Success, a.ReturnType = true, exchange.ReturnFinished
	case t.challenge:
		a.Success, a.ReturnType, a.RedirectURL = true, exchange.ReturnRedirect, s.publicBase(r)+"/sandbox/3ds/"+t.uuid
	case t.status == exchange.StatusPending:
		a.Success, a.ReturnType = true, exchange.ReturnPending
	default:
		a.ReturnType, a.Errors = exchange.ReturnError, t.errs
	}
	return a
}

// handleStatus is the status API, by uuid or by merchantTransactionId.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request, _ []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("id")
	switch r.PathValue("by") {
	case "getByUuid":
	case "getByMerchantTransactionId":
		id = s.byMTID[id]
	default:
		writeJSON(w, http.StatusNotFound, errorAnswer(gatewayError(exchange.CodeInvalidRequest, "Unknown status lookup")))
		return
	}
	t, ok := s.transactions[id]
	if !ok {
		writeJSON(w, http.StatusOK, exchange.StatusResponse{Errors: []exchange.Error{gatewayError(exchange.CodeTransactionNotFound, "")}})
		return
	}
	writeJSON(w, http.StatusOK, s.statusLocked(t, r))
}

// statusLocked is the status API's view of t.
func (s *Server) statusLocked(t *transaction, r *http.Request) exchange.StatusResponse {
	st := exchange.StatusResponse{Success: true, TransactionStatus: t.status, UUID: t.uuid, MerchantTransactionID: t.mtid,
		PurchaseID: t.purchaseID, TransactionType: t.typ, ReferenceUUID: t.referenceUUID, Currency: t.currency,
		ReturnData: t.card.returnData(), Errors: t.errs}
	if t.typ != "VOID" {
		st.Amount = exchange.FormatAmount(t.amount, t.currency)
	}
	if t.challenge {
		st.RedirectURL = s.publicBase(r) + "/sandbox/3ds/" + t.uuid
	}
	for _, id := range t.related {
		rt := s.transactions[id]
		related := exchange.RelatedTransaction{UUID: rt.uuid, MerchantTransactionID: rt.mtid, TransactionType: rt.typ, TransactionStatus: rt.status}
		if rt.typ != "VOID" {
			related.Amount = exchange.FormatAmount(rt.amount, rt.currency)
		}
		st.RelatedTransactions = append(st.RelatedTransactions, related)
	}
	return st
}

// settle ends a PENDING payment as a success (the acquirer answered).
func (s *Server) settle(uuid string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.transactions[uuid]
	if !ok || t.status != exchange.StatusPending || t.challenge {
		return false
	}
	s.succeedPaymentLocked(t)
	s.notifyLocked(t)
	return true
}

func (s *Server) handleSettle(w http.ResponseWriter, r *http.Request) {
	if !s.settle(r.PathValue("uuid")) {
		writeJSON(w, http.StatusConflict, map[string]string{"error": "no PENDING transaction " + r.PathValue("uuid")})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": exchange.StatusSuccess})
}

// purchaseID is the gateway's human-readable purchase id.
func purchaseID(now time.Time) string {
	return now.Format("20060102") + "-" + newID("", 5)
}
