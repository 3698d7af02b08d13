package testgateway

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"securelink/internal/psp"
)

// ProviderName is the test gateway's psp.Provider name.
const ProviderName = "testgateway"

// defaultClientTimeout bounds a call when ClientOptions.HTTPClient is nil.
const defaultClientTimeout = 30 * time.Second

// ClientOptions configures a Client.
type ClientOptions struct {
	// BaseURL is where SecureLink's server reaches the gateway, without the "/gateway/v1" prefix
	// (e.g. "http://127.0.0.1:8080" when the gateway is mounted in the same binary).
	BaseURL string
	// PublicURL is where the payer's browser reaches the gateway, without the prefix; the checkout
	// tokenises cards at PublicURL+"/gateway/v1/tokens". Empty means BaseURL.
	PublicURL string
	// SecretKey is the gateway's secret key (Config.SecretKey).
	SecretKey string
	// HTTPClient makes the calls; nil means a client with a 30-second time-out.
	HTTPClient *http.Client
}

// Client is SecureLink's psp.Provider for the test gateway, over its HTTP API.
//
// Answers map to psp results as follows: an authorised, captured, voided or refunded payment is a
// Result with OutcomeSucceeded; a payment waiting for 3-D Secure is OutcomeRequiresAction with
// RedirectURL; a declined payment or failed refund is OutcomeDeclined with the unified DeclineCode;
// a 4xx refusal (bad amount, wrong state, used token, reused idempotency key) is a *psp.RequestError;
// transport errors, time-outs, 5xx, 408, 409 idempotency conflicts and 429 are plain errors, meaning
// the outcome is unknown.
type Client struct {
	baseURL   string
	publicURL string
	secretKey string
	hc        *http.Client
}

var _ psp.Provider = (*Client)(nil)

// NewClient returns a Client for the gateway described by opts.
func NewClient(opts ClientOptions) *Client {
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: defaultClientTimeout}
	}
	public := opts.PublicURL
	if public == "" {
		public = opts.BaseURL
	}
	return &Client{
		baseURL:   strings.TrimRight(opts.BaseURL, "/"),
		publicURL: strings.TrimRight(public, "/"),
		secretKey: opts.SecretKey,
		hc:        hc,
	}
}

// Name implements psp.Provider.
func (c *Client) Name() string { return ProviderName }

// TestCards implements psp.TestCardLister: a test checkout lists the gateway's test cards.
func (c *Client) TestCards() []psp.TestCard { return slices.Clone(TestCards) }

// ClientConfig implements psp.Provider: the checkout posts cards to the public tokenise URL.
func (c *Client) ClientConfig() psp.ClientConfig {
	return psp.ClientConfig{Name: ProviderName, TokenizeURL: c.publicURL + Prefix + "/tokens", CardBrands: slices.Clone(CardBrands)}
}

// Authorize implements psp.Provider.
func (c *Client) Authorize(ctx context.Context, r psp.AuthorizeRequest) (psp.Result, error) {
	body := createPaymentRequest{
		Token: r.PaymentToken, Amount: r.Amount, Currency: r.Currency, Capture: r.Capture,
		Reference: r.Reference, ReturnURL: r.ReturnURL, Description: r.Description,
	}
	var p paymentObject
	if err := c.do(ctx, http.MethodPost, "/payments", r.IdempotencyKey, body, &p); err != nil {
		return psp.Result{}, fmt.Errorf("testgateway: authorize: %w", err)
	}
	return paymentResult(p, p.ID), nil
}

// Sync implements psp.Provider.
func (c *Client) Sync(ctx context.Context, paymentRef string) (psp.Result, error) {
	var p paymentObject
	if err := c.do(ctx, http.MethodGet, "/payments/"+url.PathEscape(paymentRef), "", nil, &p); err != nil {
		return psp.Result{}, fmt.Errorf("testgateway: sync: %w", err)
	}
	return paymentResult(p, p.ID), nil
}

// Capture implements psp.Provider.
func (c *Client) Capture(ctx context.Context, r psp.CaptureRequest) (psp.Result, error) {
	var p paymentObject
	path := "/payments/" + url.PathEscape(r.PaymentRef) + "/capture"
	if err := c.do(ctx, http.MethodPost, path, r.IdempotencyKey, captureRequest{Amount: r.Amount, Currency: r.Currency}, &p); err != nil {
		return psp.Result{}, fmt.Errorf("testgateway: capture: %w", err)
	}
	return paymentResult(p, p.ID), nil
}

// Void implements psp.Provider.
func (c *Client) Void(ctx context.Context, r psp.VoidRequest) (psp.Result, error) {
	var p paymentObject
	path := "/payments/" + url.PathEscape(r.PaymentRef) + "/void"
	if err := c.do(ctx, http.MethodPost, path, r.IdempotencyKey, struct{}{}, &p); err != nil {
		return psp.Result{}, fmt.Errorf("testgateway: void: %w", err)
	}
	return paymentResult(p, p.ID), nil
}

// Refund implements psp.Provider. A failed refund is a Result with OutcomeDeclined and
// psp.DeclineRefundFailed; OperationRef is the refund's id either way.
func (c *Client) Refund(ctx context.Context, r psp.RefundRequest) (psp.Result, error) {
	var ref refundObject
	path := "/payments/" + url.PathEscape(r.PaymentRef) + "/refunds"
	body := refundRequest{Amount: r.Amount, Currency: r.Currency, Reason: r.Reason}
	if err := c.do(ctx, http.MethodPost, path, r.IdempotencyKey, body, &ref); err != nil {
		return psp.Result{}, fmt.Errorf("testgateway: refund: %w", err)
	}
	res := paymentResult(ref.Payment, ref.ID)
	if ref.Status != RefundSucceeded {
		res.Outcome = psp.OutcomeDeclined
		res.DeclineCode = psp.DeclineCode(ref.FailureCode)
		if res.DeclineCode == "" {
			res.DeclineCode = psp.DeclineRefundFailed
		}
		res.DeclineMessage = ref.FailureMessage
	}
	return res, nil
}

// paymentResult maps a payment object to a psp.Result.
func paymentResult(p paymentObject, operationRef string) psp.Result {
	res := psp.Result{
		PaymentRef: p.ID, OperationRef: operationRef, State: psp.PaymentState(p.Status),
		AmountCaptured: p.AmountCaptured, AmountRefunded: p.AmountRefunded, Card: p.Card,
	}
	switch p.Status {
	case StatusAuthorized, StatusCaptured, StatusVoided:
		res.Outcome = psp.OutcomeSucceeded
		res.AmountAuthorized = p.Amount
	case StatusRequiresAction:
		res.Outcome = psp.OutcomeRequiresAction
		if p.NextAction != nil {
			res.RedirectURL = p.NextAction.RedirectURL
		}
	case StatusFailed:
		res.Outcome = psp.OutcomeDeclined
		res.DeclineCode = psp.DeclineCode(p.DeclineCode)
		res.DeclineMessage = p.DeclineMessage
	default:
		// A status this client does not know: report it as pending so the caller syncs later.
		res.Outcome = psp.OutcomePending
	}
	return res
}

// do sends one request and decodes a 2xx answer into out. A 4xx refusal becomes *psp.RequestError;
// anything else is a plain error (unknown outcome).
func (c *Client) do(ctx context.Context, method, path, idempotencyKey string, in, out any) error {
	var body io.Reader
	if in != nil {
		encoded, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		body = bytes.NewReader(encoded)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.baseURL+Prefix+path, body)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.secretKey)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
		}
		return nil
	}
	var env errorEnvelope
	_ = json.Unmarshal(raw, &env)
	if env.Error == nil {
		env.Error = &apiError{Code: "http_" + fmt.Sprint(resp.StatusCode), Message: strings.TrimSpace(string(raw))}
	}
	if definiteRefusal(resp.StatusCode, env.Error.Code) {
		return &psp.RequestError{Code: env.Error.Code, Message: env.Error.Message}
	}
	return fmt.Errorf("%s %s: gateway answered %d: %w", method, path, resp.StatusCode, errGateway{env.Error})
}

// definiteRefusal reports whether an error answer means the gateway did nothing and never will for
// this request. 408 and 429 are worth retrying; 409 is final except for an in-flight idempotency key.
func definiteRefusal(status int, code string) bool {
	switch {
	case status == http.StatusRequestTimeout, status == http.StatusTooManyRequests:
		return false
	case status == http.StatusConflict && code == "idempotency_key_in_use":
		return false
	default:
		return status >= 400 && status < 500
	}
}

// errGateway carries a gateway error object inside a plain (unknown-outcome) error.
type errGateway struct{ e *apiError }

func (g errGateway) Error() string { return g.e.Code + ": " + g.e.Message }

// IsPaymentToken implements psp.TokenShaper: the gateway's tokens are tok_ and 32 hex digits.
func (c *Client) IsPaymentToken(s string) bool { return IsToken(s) }

var _ psp.TestCardLister = (*Client)(nil)
