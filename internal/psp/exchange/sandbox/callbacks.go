package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"securelink/internal/psp/exchange"
)

// Delivery is one attempt to deliver a callback.
type Delivery struct {
	UUID    string    `json:"uuid"`
	URL     string    `json:"url"`
	Result  string    `json:"result"`
	Attempt int       `json:"attempt"`
	Status  int       `json:"status"` // the receiver's HTTP status; 0 when it could not be reached
	At      time.Time `json:"at"`
}

// notifyLocked sends t's callback in the background when it has a callback URL and a result to
// tell. It is retried with Config.CallbackRetries until the receiver answers 200.
func (s *Server) notifyLocked(t *transaction) {
	if t.callbackURL == "" || t.challenge {
		return
	}
	select {
	case <-s.closed:
		return
	default:
	}
	cb := exchange.Callback{UUID: t.uuid, MerchantTransactionID: t.mtid, PurchaseID: t.purchaseID,
		TransactionType: t.typ, ReferenceUUID: t.referenceUUID, PaymentMethod: "Creditcard", Currency: t.currency,
		ReturnData: t.card.returnData()}
	if t.typ != "VOID" {
		cb.Amount = exchange.FormatAmount(t.amount, t.currency)
	}
	switch t.status {
	case exchange.StatusSuccess:
		cb.Result = exchange.ResultOK
	case exchange.StatusPending:
		cb.Result = exchange.ResultPending
	default:
		cb.Result = exchange.ResultError
		if len(t.errs) > 0 {
			cb.Code, cb.Message = itoa(t.errs[0].ErrorCode), t.errs[0].ErrorMessage
		}
	}
	body, _ := json.Marshal(cb)
	target := t.callbackURL
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.deliver(target, cb, body)
	}()
}

// deliver posts one callback until it is acknowledged, the retries run out or the sandbox closes.
func (s *Server) deliver(target string, cb exchange.Callback, body []byte) {
	u, err := url.Parse(target)
	if err != nil {
		return
	}
	for attempt := 0; ; attempt++ {
		status := s.post(u, body)
		s.mu.Lock()
		s.deliveries = append(s.deliveries, Delivery{UUID: cb.UUID, URL: target, Result: cb.Result, Attempt: attempt + 1, Status: status, At: s.now()})
		s.mu.Unlock()
		if status == http.StatusOK || attempt >= len(s.cfg.CallbackRetries) {
			return
		}
		select {
		case <-s.closed:
			return
		case <-time.After(s.cfg.CallbackRetries[attempt]):
		}
	}
}

// post sends one signed callback and returns the receiver's status (0 when unreachable).
func (s *Server) post(u *url.URL, body []byte) int {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", exchange.ContentTypeJSON)
	exchange.SignHeaders(req.Header, s.cfg.SharedSecret, http.MethodPost, body, u.RequestURI(), s.now())
	resp, err := s.cfg.CallbackClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	return resp.StatusCode
}

// Deliveries returns every callback attempt, oldest first; with a uuid, only that transaction's.
func (s *Server) Deliveries(uuid string) []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Delivery{}
	for _, d := range s.deliveries {
		if uuid == "" || strings.EqualFold(d.UUID, uuid) {
			out = append(out, d)
		}
	}
	return out
}

func (s *Server) handleDeliveries(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"callbacks": s.Deliveries(r.URL.Query().Get("uuid"))})
}
