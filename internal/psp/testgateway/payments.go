package testgateway

import (
	"net/http"
	"net/url"
	"time"
	"unicode/utf8"

	"securelink/internal/psp"
)

// Payment statuses on the wire.
const (
	StatusRequiresAction = "requires_action"
	StatusAuthorized     = "authorized"
	StatusCaptured       = "captured"
	StatusVoided         = "voided"
	StatusFailed         = "failed"
)

// Refund statuses on the wire.
const (
	RefundSucceeded = "succeeded"
	RefundFailed    = "failed"
)

// Limits on request fields.
const (
	maxAmount         = 1_000_000_000_00 // one billion major units
	maxReferenceLen   = 255
	maxDescriptionLen = 1000
	maxReasonLen      = 500
	maxURLLen         = 2048
)

type nextAction struct {
	Type        string `json:"type"` // always "redirect"
	RedirectURL string `json:"redirect_url"`
}

// paymentObject is a payment as the API shows it.
type paymentObject struct {
	ID             string      `json:"id"`
	Object         string      `json:"object"`
	Status         string      `json:"status"`
	Amount         int64       `json:"amount"`
	AmountCaptured int64       `json:"amount_captured"`
	AmountRefunded int64       `json:"amount_refunded"`
	Currency       string      `json:"currency"`
	Capture        bool        `json:"capture"`
	Reference      string      `json:"reference,omitempty"`
	Description    string      `json:"description,omitempty"`
	ReturnURL      string      `json:"return_url,omitempty"`
	Card           *psp.Card   `json:"card,omitempty"`
	DeclineCode    string      `json:"decline_code,omitempty"`
	DeclineMessage string      `json:"decline_message,omitempty"`
	NextAction     *nextAction `json:"next_action,omitempty"`
	CreatedAt      time.Time   `json:"created_at"`
}

// refundObject is a refund as the API shows it, with the payment as it stands afterwards.
type refundObject struct {
	ID             string        `json:"id"`
	Object         string        `json:"object"`
	PaymentID      string        `json:"payment_id"`
	Status         string        `json:"status"`
	Amount         int64         `json:"amount"`
	Currency       string        `json:"currency"`
	Reason         string        `json:"reason,omitempty"`
	FailureCode    string        `json:"failure_code,omitempty"`
	FailureMessage string        `json:"failure_message,omitempty"`
	CreatedAt      time.Time     `json:"created_at"`
	Payment        paymentObject `json:"payment"`
}

// payment is the gateway's record of one payment.
type payment struct {
	obj       paymentObject
	behaviour behaviour
	createKey string // idempotency key of the request that created it, for the ledger
}

func (p *payment) snapshot() paymentObject {
	obj := p.obj
	if obj.Card != nil {
		card := *obj.Card
		obj.Card = &card
	}
	if obj.NextAction != nil {
		na := *obj.NextAction
		obj.NextAction = &na
	}
	return obj
}

// result is what an operation answers; executed says whether it ran far enough to be remembered
// under its idempotency key (validation refusals are not, so a corrected retry may reuse the key).
type result struct {
	status   int
	body     any
	executed bool
}

func failed(e *apiError) result { return result{status: e.Status, body: errorEnvelope{Error: e}} }

// refusedAfterLookup is a refusal about the payment's state: remembered under the key like a success.
func refusedAfterLookup(e *apiError) result {
	return result{status: e.Status, body: errorEnvelope{Error: e}, executed: true}
}

type createPaymentRequest struct {
	Token       string `json:"token"`
	Amount      int64  `json:"amount"`
	Currency    string `json:"currency"`
	Capture     bool   `json:"capture"`
	Reference   string `json:"reference"`
	ReturnURL   string `json:"return_url"`
	Description string `json:"description"`
}

// createPayment authorises (or sells) with a token; the caller holds s.mu.
func (s *Server) createPayment(r *http.Request, body []byte, key string) result {
	var req createPaymentRequest
	if aerr := decodeJSON(body, &req); aerr != nil {
		return failed(aerr)
	}
	currency, aerr := validateMoney(req.Amount, req.Currency)
	if aerr != nil {
		return failed(aerr)
	}
	switch {
	case req.Token == "":
		return failed(invalidRequest("parameter_missing", "token", "Send the card token from POST /tokens."))
	case utf8.RuneCountInString(req.Reference) > maxReferenceLen:
		return failed(invalidRequest("parameter_invalid", "reference", "The reference may have at most 255 characters."))
	case utf8.RuneCountInString(req.Description) > maxDescriptionLen:
		return failed(invalidRequest("parameter_invalid", "description", "The description may have at most 1000 characters."))
	}
	if req.ReturnURL != "" {
		if aerr := validateReturnURL(req.ReturnURL); aerr != nil {
			return failed(aerr)
		}
	}
	tok, aerr := s.consumeTokenLocked(req.Token)
	if aerr != nil {
		return failed(aerr)
	}
	card := tok.card
	p := &payment{
		obj: paymentObject{
			ID: newID("gp_"), Object: "payment", Amount: req.Amount, Currency: currency, Capture: req.Capture,
			Reference: req.Reference, Description: req.Description, ReturnURL: req.ReturnURL, Card: &card,
			CreatedAt: s.now(),
		},
		behaviour: tok.behaviour,
		createKey: key,
	}
	s.payments[p.obj.ID] = p
	switch tok.behaviour.kind {
	case behaveDecline:
		s.declineLocked(p, tok.behaviour.code, tok.behaviour.message)
	case behaveChallenge, behaveChallengeDecline:
		p.obj.Status = StatusRequiresAction
		p.obj.NextAction = &nextAction{Type: "redirect", RedirectURL: s.publicBase(r) + "/3ds/" + p.obj.ID}
	default:
		s.authoriseLocked(p)
	}
	return result{status: http.StatusCreated, body: p.snapshot(), executed: true}
}

// authoriseLocked reserves the amount and, for a sale, captures it at once.
func (s *Server) authoriseLocked(p *payment) {
	p.obj.NextAction = nil
	p.obj.Status = StatusAuthorized
	s.recordLocked(OpAuthorize, p, "", p.obj.Amount, p.createKey)
	if p.obj.Capture {
		p.obj.Status = StatusCaptured
		p.obj.AmountCaptured = p.obj.Amount
		s.recordLocked(OpCapture, p, "", p.obj.Amount, p.createKey)
	}
}

func (s *Server) declineLocked(p *payment, code psp.DeclineCode, message string) {
	p.obj.NextAction = nil
	p.obj.Status = StatusFailed
	p.obj.DeclineCode = string(code)
	p.obj.DeclineMessage = message
	s.recordLocked(OpDecline, p, "", p.obj.Amount, p.createKey)
}

func (s *Server) handleGetPayment(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	obj, ok := s.snapshotOf(id)
	if !ok {
		writeError(w, notFound("payment", id))
		return
	}
	writeJSON(w, http.StatusOK, obj)
}

type captureRequest struct {
	Amount   int64  `json:"amount"` // 0: the whole authorised amount
	Currency string `json:"currency"`
}

// capturePayment captures an authorisation in full or in part; the rest is released.
func (s *Server) capturePayment(r *http.Request, body []byte, key string) result {
	var req captureRequest
	if aerr := decodeOptionalJSON(body, &req); aerr != nil {
		return failed(aerr)
	}
	p, aerr := s.paymentForOperation(r.PathValue("id"), req.Amount, req.Currency)
	if aerr != nil {
		return failed(aerr)
	}
	if p.obj.Status != StatusAuthorized {
		return refusedAfterLookup(conflict("invalid_state", "Only an authorized payment can be captured; this one is "+p.obj.Status+"."))
	}
	amount := req.Amount
	if amount == 0 {
		amount = p.obj.Amount
	}
	if amount > p.obj.Amount {
		return refusedAfterLookup(&apiError{Status: http.StatusBadRequest, Type: typeInvalidRequest, Code: "amount_too_large", Param: "amount",
			Message: "The capture amount is larger than the authorised amount."})
	}
	p.obj.Status = StatusCaptured
	p.obj.AmountCaptured = amount
	s.recordLocked(OpCapture, p, "", amount, key)
	return result{status: http.StatusOK, body: p.snapshot(), executed: true}
}

// voidPayment releases an authorisation that was not captured.
func (s *Server) voidPayment(r *http.Request, body []byte, key string) result {
	var req struct{}
	if aerr := decodeOptionalJSON(body, &req); aerr != nil {
		return failed(aerr)
	}
	p, aerr := s.paymentForOperation(r.PathValue("id"), 0, "")
	if aerr != nil {
		return failed(aerr)
	}
	// Like a PaymentIntent, a payment waiting for 3-D Secure can be cancelled too: a challenge
	// finished afterwards then takes no money.
	if p.obj.Status != StatusAuthorized && p.obj.Status != StatusRequiresAction {
		return refusedAfterLookup(conflict("invalid_state", "Only an authorized payment or one waiting for 3-D Secure can be voided; this one is "+p.obj.Status+"."))
	}
	p.obj.Status = StatusVoided
	s.recordLocked(OpVoid, p, "", p.obj.Amount, key)
	return result{status: http.StatusOK, body: p.snapshot(), executed: true}
}

type refundRequest struct {
	Amount   int64  `json:"amount"` // 0: everything not yet refunded
	Currency string `json:"currency"`
	Reason   string `json:"reason"`
}

// refundPayment returns captured money; several refunds may follow one capture.
func (s *Server) refundPayment(r *http.Request, body []byte, key string) result {
	var req refundRequest
	if aerr := decodeOptionalJSON(body, &req); aerr != nil {
		return failed(aerr)
	}
	if utf8.RuneCountInString(req.Reason) > maxReasonLen {
		return failed(invalidRequest("parameter_invalid", "reason", "The reason may have at most 500 characters."))
	}
	p, aerr := s.paymentForOperation(r.PathValue("id"), req.Amount, req.Currency)
	if aerr != nil {
		return failed(aerr)
	}
	if p.obj.Status != StatusCaptured {
		return refusedAfterLookup(conflict("invalid_state", "Only a captured payment can be refunded; this one is "+p.obj.Status+"."))
	}
	left := p.obj.AmountCaptured - p.obj.AmountRefunded
	amount := req.Amount
	if amount == 0 {
		amount = left
	}
	if left == 0 {
		return refusedAfterLookup(conflict("already_refunded", "The payment is already refunded in full."))
	}
	if amount > left {
		return refusedAfterLookup(&apiError{Status: http.StatusBadRequest, Type: typeInvalidRequest, Code: "amount_too_large", Param: "amount",
			Message: "The refund amount is larger than what is left to refund."})
	}
	ref := refundObject{
		ID: newID("gr_"), Object: "refund", PaymentID: p.obj.ID, Amount: amount, Currency: p.obj.Currency,
		Reason: req.Reason, CreatedAt: s.now(),
	}
	if p.behaviour.kind == behaveRefundFail {
		ref.Status = RefundFailed
		ref.FailureCode = string(psp.DeclineRefundFailed)
		ref.FailureMessage = declineMessages[psp.DeclineRefundFailed]
		s.recordLocked(OpRefundFailed, p, ref.ID, amount, key)
	} else {
		ref.Status = RefundSucceeded
		p.obj.AmountRefunded += amount
		s.recordLocked(OpRefund, p, ref.ID, amount, key)
	}
	ref.Payment = p.snapshot()
	return result{status: http.StatusCreated, body: ref, executed: true}
}

// paymentForOperation finds a payment and checks an operation's amount and currency against it.
func (s *Server) paymentForOperation(id string, amount int64, currency string) (*payment, *apiError) {
	if amount < 0 {
		return nil, invalidRequest("parameter_invalid", "amount", "The amount must not be negative.")
	}
	p, ok := s.payments[id]
	if !ok {
		return nil, notFound("payment", id)
	}
	if currency != "" {
		cur, aerr := validateMoney(1, currency)
		if aerr != nil {
			return nil, aerr
		}
		if cur != p.obj.Currency {
			return nil, invalidRequest("currency_mismatch", "currency", "The currency differs from the payment's currency "+p.obj.Currency+".")
		}
	}
	return p, nil
}

// validateMoney checks a positive amount in minor units and a 3-letter currency code, returning the
// code in upper case.
func validateMoney(amount int64, currency string) (string, *apiError) {
	if amount <= 0 {
		return "", invalidRequest("parameter_invalid", "amount", "The amount must be a positive whole number of minor units.")
	}
	if amount > maxAmount {
		return "", invalidRequest("parameter_invalid", "amount", "The amount is too large for the test gateway.")
	}
	if len(currency) != 3 {
		return "", invalidRequest("parameter_invalid", "currency", "The currency must be a 3-letter ISO 4217 code.")
	}
	upper := []byte(currency)
	for i, c := range upper {
		switch {
		case c >= 'A' && c <= 'Z':
		case c >= 'a' && c <= 'z':
			upper[i] = c - 'a' + 'A'
		default:
			return "", invalidRequest("parameter_invalid", "currency", "The currency must be a 3-letter ISO 4217 code.")
		}
	}
	return string(upper), nil
}

func validateReturnURL(raw string) *apiError {
	u, err := url.Parse(raw)
	if err != nil || len(raw) > maxURLLen || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalidRequest("parameter_invalid", "return_url", "The return_url must be an absolute http(s) URL.")
	}
	return nil
}

// decodeOptionalJSON treats an empty body as an empty object.
func decodeOptionalJSON(body []byte, v any) *apiError {
	if len(body) == 0 {
		return nil
	}
	return decodeJSON(body, v)
}

// snapshotOf returns a copy of a payment's public state, taken under the lock.
func (s *Server) snapshotOf(id string) (paymentObject, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[id]
	if !ok {
		return paymentObject{}, false
	}
	return p.snapshot(), true
}
