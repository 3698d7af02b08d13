package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"securelink/internal/domain"
)

// newClient is a keep-alive client that holds one idle connection per worker, so the run measures
// requests and not TCP handshakes.
func newClient(concurrency int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        2 * concurrency,
			MaxIdleConnsPerHost: 2 * concurrency,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
	}
}

// api calls the product under test.
type api struct {
	client  *http.Client
	baseURL string
	apiKey  string
}

// statusError is an answer other than the expected one.
type statusError struct {
	Method, Path string
	Status       int
	Body         string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.Status, e.Body)
}

// do sends one request and returns the body when the status is want (0: any 2xx); any other
// status is a *statusError. The body is always read to the end so the connection goes back to the pool.
func (a *api) do(ctx context.Context, method, path string, body []byte, headers map[string]string, want int) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.baseURL+path, rd)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read body: %w", method, path, err)
	}
	if ok := resp.StatusCode == want || want == 0 && resp.StatusCode/100 == 2; !ok {
		if len(out) > 300 {
			out = out[:300]
		}
		return nil, &statusError{Method: method, Path: path, Status: resp.StatusCode, Body: string(bytes.TrimSpace(out))}
	}
	return out, nil
}

func (a *api) auth() map[string]string {
	return map[string]string{"Authorization": "Bearer " + a.apiKey}
}

// invoiceBody is what an integrator sends to create an invoice (the shape of apitest.Invoice).
func invoiceBody(amount int64) []byte {
	b, _ := json.Marshal(map[string]any{
		"customer": map[string]any{"name": "Ana Anić", "email": "ana@example.com"},
		"lines":    []any{map[string]any{"description": "Consulting", "quantity": 1, "unit_amount": amount, "vat_rate": 20}},
	})
	return b
}

// createInvoice makes one invoice through the API and returns its link token.
func (a *api) createInvoice(ctx context.Context) (string, error) {
	out, err := a.do(ctx, http.MethodPost, "/api/v1/invoices", invoiceBody(1_200_000), a.auth(), http.StatusCreated)
	if err != nil {
		return "", err
	}
	var inv struct {
		Link struct {
			Token string `json:"token"`
		} `json:"link"`
	}
	if err := json.Unmarshal(out, &inv); err != nil || inv.Link.Token == "" {
		return "", fmt.Errorf("create invoice: no link token in %q", out)
	}
	return inv.Link.Token, nil
}

// getOp is a scenario of one GET that must answer 200.
func (a *api) getOp(path string, headers map[string]string) op {
	return func(ctx context.Context, _ int) (time.Duration, error) {
		_, err := a.do(ctx, http.MethodGet, path, nil, headers, http.StatusOK)
		return 0, err
	}
}

// createOp creates invoices as an integrator would, one per iteration.
func (a *api) createOp() op {
	body := invoiceBody(1_200_000)
	headers := a.auth()
	return func(ctx context.Context, _ int) (time.Duration, error) {
		_, err := a.do(ctx, http.MethodPost, "/api/v1/invoices", body, headers, http.StatusCreated)
		return 0, err
	}
}

// cardBody is the test card the payer types: a Visa that always succeeds.
var cardBody = []byte(`{"number":"4242424242424242","exp_month":12,"exp_year":2030,"cvc":"123","name":"Bench"}`)

// errPayMissing means the pay endpoint is not there (yet).
var errPayMissing = errors.New("the pay endpoint is not there")

// payRouteMissing tells whether a pay call's status means the route does not exist. The link
// exists, so 404 (or 405) is no answer of the endpoint; and while it is missing, the request falls
// through to the merchant routes' authentication, which answers 401 to a call that has no key.
func payRouteMissing(status int) bool {
	return status == http.StatusNotFound || status == http.StatusMethodNotAllowed || status == http.StatusUnauthorized
}

// pay does what the checkout does for one payer: tokenise the card at the gateway, then pay the
// link with that token. It returns how long the pay call took.
func (a *api) pay(ctx context.Context, linkToken string) (time.Duration, error) {
	out, err := a.do(ctx, http.MethodPost, "/gateway/v1/tokens", cardBody, nil, http.StatusCreated)
	if err != nil {
		return 0, fmt.Errorf("tokenise: %w", err)
	}
	var tok struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(out, &tok); err != nil || tok.ID == "" {
		return 0, fmt.Errorf("tokenise: no token id in %q", out)
	}
	body, _ := json.Marshal(map[string]any{"terms_accepted": true, "payment_token": tok.ID})
	headers := map[string]string{"Idempotency-Key": "bench_" + domain.NewToken(12)}
	path := "/api/v1/checkout/" + url.PathEscape(linkToken) + "/pay"
	began := time.Now()
	out, err = a.do(ctx, http.MethodPost, path, body, headers, 0)
	took := time.Since(began)
	var se *statusError
	if errors.As(err, &se) && payRouteMissing(se.Status) {
		return took, fmt.Errorf("%w: %w", errPayMissing, err)
	}
	if err != nil {
		return took, err
	}
	var payment struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal(out, &payment); err != nil {
		return took, fmt.Errorf("pay: decode %q: %w", out, err)
	}
	if payment.Status != "captured" {
		return took, fmt.Errorf("pay: payment %s is %q, not captured", payment.ID, payment.Status)
	}
	return took, nil
}

// payOp pays one invoice of the pool per iteration; an empty pool ends the scenario.
func (a *api) payOp(pool <-chan string) op {
	return func(ctx context.Context, _ int) (time.Duration, error) {
		var token string
		select {
		case token = <-pool:
		default:
			return 0, errExhausted
		}
		return a.pay(ctx, token)
	}
}

// metrics reads the named counters off one scrape of the server's /metrics; a counter the server
// does not export is left out (a series with labels counts as its first line's value).
func (a *api) metrics(ctx context.Context, names ...string) map[string]float64 {
	out := map[string]float64{}
	body, err := a.do(ctx, http.MethodGet, "/metrics", nil, nil, http.StatusOK)
	if err != nil {
		return out
	}
	for line := range strings.Lines(string(body)) {
		for _, name := range names {
			if _, seen := out[name]; seen {
				continue
			}
			rest, ok := strings.CutPrefix(line, name+" ")
			if !ok && strings.HasPrefix(line, name+"{") {
				_, rest, ok = strings.Cut(line, "} ")
			}
			if ok {
				if v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64); err == nil {
					out[name] = v
				}
			}
		}
	}
	return out
}
