// Package exchange is SecureLink's payment provider adapter for AllSecure Exchange, the
// IXOPAY / PaymentGateway transaction API v3.
//
// The checkout collects the card with the gateway's payment.js (number and security code in the
// gateway's own frames) and sends SecureLink a transactionToken; this adapter debits or
// preauthorises with it, captures, voids and refunds, reads the status API and verifies the
// gateway's callbacks. Every request is signed with the account's shared secret (see Signature).
//
// Idempotency: each operation's merchantTransactionId is derived from SecureLink's idempotency key
// (MerchantTransactionID). The gateway refuses a second transaction with the same id, so a retry
// after an unknown outcome reads the first transaction from the status API instead of paying twice.
package exchange

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

	"securelink/internal/psp"
)

// Name is the provider's registry name, as the checkout sees it.
const Name = "exchange"

// ScriptPath is where the gateway serves payment.js, relative to its origin.
const ScriptPath = "/js/integrated/payment.1.3.min.js"

// CardBrands are the card brands the checkout shows for an Exchange account, in its order.
var CardBrands = []string{"visa", "mastercard", "maestro", "dinacard", "amex"}

// defaultTimeout bounds one exchange with the gateway when the caller gives no client.
const defaultTimeout = 30 * time.Second

// maxAnswerBytes caps the gateway's answers; they are a few kilobytes.
const maxAnswerBytes = 1 << 20

// Config is what a Provider needs: one AllSecure account's credentials.
type Config struct {
	// APIURL is the gateway's base URL: https://asxgw.com live, https://asxgw.paymentsandbox.cloud
	// for AllSecure's sandbox, or a local `securelink exchange-sandbox`.
	APIURL   string
	APIKey   string
	Username string
	Password string
	// SharedSecret signs requests and verifies callbacks.
	SharedSecret string
	// PublicIntegrationKey is payment.js's key in the checkout.
	PublicIntegrationKey string
	// CallbackURL is where the gateway sends this account's callbacks.
	CallbackURL string
	// HTTPClient makes the calls; nil means a client with a 30 second timeout.
	HTTPClient *http.Client
	// Now is the clock for signing and the callbacks' date window; nil means time.Now.
	Now func() time.Time
}

// Provider is the AllSecure Exchange adapter. It is safe for concurrent use.
type Provider struct {
	cfg    Config
	base   *url.URL
	client *http.Client
}

var (
	_ psp.Provider         = (*Provider)(nil)
	_ psp.WebhookReceiver  = (*Provider)(nil)
	_ psp.ConnectionTester = (*Provider)(nil)
	_ psp.CheckoutSecurity = (*Provider)(nil)
)

// New returns a Provider for cfg; a *psp.ConfigError names the setting that is missing or wrong.
func New(cfg Config) (*Provider, error) {
	base, err := url.Parse(strings.TrimRight(strings.TrimSpace(cfg.APIURL), "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" || base.RawQuery != "" {
		return nil, &psp.ConfigError{Field: FieldAPIURL, Message: "the API URL must be an absolute https URL such as https://asxgw.com"}
	}
	for _, f := range []struct{ key, value string }{
		{FieldAPIKey, cfg.APIKey}, {FieldUsername, cfg.Username}, {FieldPassword, cfg.Password},
		{FieldSharedSecret, cfg.SharedSecret}, {FieldPublicIntegrationKey, cfg.PublicIntegrationKey},
	} {
		if strings.TrimSpace(f.value) == "" {
			return nil, &psp.ConfigError{Field: f.key, Message: "is required"}
		}
	}
	if strings.ContainsAny(cfg.APIKey, "/?#% ") {
		return nil, &psp.ConfigError{Field: FieldAPIKey, Message: "the API key may not contain /, ?, #, % or spaces"}
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: defaultTimeout}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Provider{cfg: cfg, base: base, client: cfg.HTTPClient}, nil
}

// Name implements psp.Provider.
func (p *Provider) Name() string { return Name }

// Origin is the gateway's origin (scheme and host), where payment.js and its frames come from.
func (p *Provider) Origin() string { return p.base.Scheme + "://" + p.base.Host }

// ClientConfig implements psp.Provider: the checkout loads payment.js from the gateway.
func (p *Provider) ClientConfig() psp.ClientConfig {
	return psp.ClientConfig{Name: Name, PublishableKey: p.cfg.PublicIntegrationKey, ScriptURL: p.Origin() + ScriptPath,
		NeedsHolderName: true, CardBrands: CardBrands}
}

// CSP implements psp.CheckoutSecurity: payment.js, its frames and its calls come from the gateway only.
func (p *Provider) CSP() psp.CSPOrigins {
	o := []string{p.Origin()}
	return psp.CSPOrigins{Script: o, Frame: o, Connect: o}
}

// Authorize implements psp.Provider with a debit (a sale) or a preauthorisation.
func (p *Provider) Authorize(ctx context.Context, r psp.AuthorizeRequest) (psp.Result, error) {
	typ := TypePreauthorize
	if r.Capture {
		typ = TypeDebit
	}
	req := TransactionRequest{
		MerchantTransactionID: MerchantTransactionID(r.IdempotencyKey),
		Amount:                FormatAmount(r.Amount, r.Currency), Currency: r.Currency,
		TransactionToken: r.PaymentToken,
		SuccessURL:       r.ReturnURL, CancelURL: r.ReturnURL, ErrorURL: r.ReturnURL,
		CallbackURL: p.cfg.CallbackURL, Description: truncate(r.Description, 255),
	}
	if r.Reference != "" {
		req.Customer = &Customer{Identification: r.Reference}
	}
	resp, err := p.transaction(ctx, typ, req)
	if err != nil {
		return psp.Result{}, err
	}
	if hasError(resp.Errors, CodeDuplicateID) {
		// A retry: the first transaction with this key answers, if it asked for the same thing.
		return p.replayAuthorize(ctx, req, typ)
	}
	res := psp.Result{PaymentRef: resp.UUID, OperationRef: resp.UUID, Card: cardOf(resp.ReturnData)}
	switch resp.ReturnType {
	case ReturnFinished:
		if !resp.Success {
			return declined(res, firstError(resp.Errors), ""), nil
		}
		res.Outcome, res.State, res.AmountAuthorized = psp.OutcomeSucceeded, psp.StateAuthorized, r.Amount
		if r.Capture {
			res.State, res.AmountCaptured = psp.StateCaptured, r.Amount
		}
		return res, nil
	case ReturnRedirect:
		res.Outcome, res.State, res.RedirectURL = psp.OutcomeRequiresAction, psp.StateRequiresAction, resp.RedirectURL
		return res, nil
	case ReturnPending, ReturnHTML:
		// The gateway decides later; the callback or the status API settles the payment.
		res.Outcome = psp.OutcomePending
		return res, nil
	default: // ReturnError, or no answer at all
		e := firstError(resp.Errors)
		if isRefusal(e.ErrorCode) {
			return psp.Result{}, refusal(e)
		}
		return declined(res, e, ""), nil
	}
}

// replayAuthorize answers a repeated authorisation from the status API.
func (p *Provider) replayAuthorize(ctx context.Context, req TransactionRequest, typ string) (psp.Result, error) {
	st, err := p.status(ctx, "getByMerchantTransactionId", req.MerchantTransactionID)
	if err != nil {
		return psp.Result{}, err
	}
	if !strings.EqualFold(st.TransactionType, typ) || st.Amount != req.Amount || st.Currency != req.Currency {
		return psp.Result{}, &psp.RequestError{Code: "idempotency_key_reused",
			Message: "merchantTransactionId " + req.MerchantTransactionID + " was used for another payment"}
	}
	return p.paymentResult(st)
}

// Sync implements psp.Provider: the payment as the status API shows it now.
func (p *Provider) Sync(ctx context.Context, paymentRef string) (psp.Result, error) {
	st, err := p.status(ctx, "getByUuid", paymentRef)
	if err != nil {
		return psp.Result{}, err
	}
	return p.paymentResult(st)
}

// paymentResult maps the status of a debit or preauthorisation, with its follow-ups, to a Result.
func (p *Provider) paymentResult(st StatusResponse) (psp.Result, error) {
	res := psp.Result{PaymentRef: st.UUID, OperationRef: st.UUID, Card: cardOf(st.ReturnData)}
	amount, err := ParseAmount(st.Amount, st.Currency)
	if err != nil {
		return psp.Result{}, fmt.Errorf("exchange status of %s: %w", st.UUID, err)
	}
	switch st.TransactionStatus {
	case StatusSuccess:
	case StatusPending:
		res.Outcome = psp.OutcomePending
		if st.RedirectURL != "" {
			res.Outcome, res.State, res.RedirectURL = psp.OutcomeRequiresAction, psp.StateRequiresAction, st.RedirectURL
		}
		return res, nil
	case StatusError:
		return declined(res, firstError(st.Errors), ""), nil
	default:
		return psp.Result{}, fmt.Errorf("exchange status of %s: unknown transaction status %q", st.UUID, st.TransactionStatus)
	}

	res.Outcome, res.State, res.AmountAuthorized = psp.OutcomeSucceeded, psp.StateAuthorized, amount
	if strings.EqualFold(st.TransactionType, TypeDebit) {
		res.State, res.AmountCaptured = psp.StateCaptured, amount
	}
	for _, rt := range st.RelatedTransactions {
		if rt.TransactionStatus != StatusSuccess {
			continue
		}
		a, err := ParseAmount(rt.Amount, st.Currency)
		if err != nil && !strings.EqualFold(rt.TransactionType, TypeVoid) {
			return psp.Result{}, fmt.Errorf("exchange status of %s: %s %s: %w", st.UUID, rt.TransactionType, rt.UUID, err)
		}
		switch strings.ToLower(rt.TransactionType) {
		case TypeCapture:
			res.State = psp.StateCaptured
			res.AmountCaptured += a
		case TypeVoid:
			res.State = psp.StateVoided
		case TypeRefund:
			res.AmountRefunded += a
		}
	}
	return res, nil
}

// Capture implements psp.Provider; the gateway releases whatever is not captured.
func (p *Provider) Capture(ctx context.Context, r psp.CaptureRequest) (psp.Result, error) {
	req := TransactionRequest{MerchantTransactionID: MerchantTransactionID(r.IdempotencyKey), ReferenceUUID: r.PaymentRef,
		Amount: FormatAmount(r.Amount, r.Currency), Currency: r.Currency, CallbackURL: p.cfg.CallbackURL}
	return p.followUp(ctx, TypeCapture, req, psp.DeclineProcessingError)
}

// Void implements psp.Provider.
func (p *Provider) Void(ctx context.Context, r psp.VoidRequest) (psp.Result, error) {
	req := TransactionRequest{MerchantTransactionID: MerchantTransactionID(r.IdempotencyKey), ReferenceUUID: r.PaymentRef,
		CallbackURL: p.cfg.CallbackURL}
	return p.followUp(ctx, TypeVoid, req, psp.DeclineProcessingError)
}

// Refund implements psp.Provider; several refunds may reference one payment.
func (p *Provider) Refund(ctx context.Context, r psp.RefundRequest) (psp.Result, error) {
	req := TransactionRequest{MerchantTransactionID: MerchantTransactionID(r.IdempotencyKey), ReferenceUUID: r.PaymentRef,
		Amount: FormatAmount(r.Amount, r.Currency), Currency: r.Currency, CallbackURL: p.cfg.CallbackURL,
		Description: truncate(r.Reason, 255)}
	return p.followUp(ctx, TypeRefund, req, psp.DeclineRefundFailed)
}

// followUp sends a capture, void or refund of a payment and reports the payment after it. A
// failure the gateway records is declined with declineAs.
func (p *Provider) followUp(ctx context.Context, typ string, req TransactionRequest, declineAs psp.DeclineCode) (psp.Result, error) {
	resp, err := p.transaction(ctx, typ, req)
	if err != nil {
		return psp.Result{}, err
	}
	opRef, outcome := resp.UUID, psp.OutcomeSucceeded
	var failure *Error
	switch {
	case hasError(resp.Errors, CodeDuplicateID):
		// A retry: the first operation with this key answers, if it asked for the same thing.
		st, err := p.status(ctx, "getByMerchantTransactionId", req.MerchantTransactionID)
		if err != nil {
			return psp.Result{}, err
		}
		if !strings.EqualFold(st.TransactionType, typ) || st.ReferenceUUID != req.ReferenceUUID || st.Amount != req.Amount {
			return psp.Result{}, &psp.RequestError{Code: "idempotency_key_reused",
				Message: "merchantTransactionId " + req.MerchantTransactionID + " was used for another operation"}
		}
		opRef = st.UUID
		switch st.TransactionStatus {
		case StatusSuccess:
		case StatusPending:
			outcome = psp.OutcomePending
		default:
			e := firstError(st.Errors)
			failure = &e
		}
	case resp.ReturnType == ReturnFinished && resp.Success:
	case resp.ReturnType == ReturnPending:
		outcome = psp.OutcomePending
	default:
		e := firstError(resp.Errors)
		if isRefusal(e.ErrorCode) {
			return psp.Result{}, refusal(e)
		}
		failure = &e
	}

	res, err := p.Sync(ctx, req.ReferenceUUID)
	if err != nil {
		return psp.Result{}, fmt.Errorf("exchange %s %s: done, but reading the payment failed: %w", typ, opRef, err)
	}
	res.OperationRef = opRef
	res.Outcome = outcome
	if failure != nil {
		// Only the operation failed: the payment keeps its state and amounts.
		res = declined(res, *failure, declineAs)
	}
	return res, nil
}

// declined marks res as declined for gateway error e. Without code the payment itself failed
// (its code comes from the gateway's); with code only a follow-up failed.
func declined(res psp.Result, e Error, code psp.DeclineCode) psp.Result {
	if code == "" {
		code = DeclineCodeOf(e.ErrorCode)
		res.State = psp.StateFailed
		res.AmountAuthorized, res.AmountCaptured = 0, 0
	}
	res.Outcome, res.DeclineCode, res.DeclineMessage = psp.OutcomeDeclined, code, describe(e)
	return res
}

// TestConnection implements psp.ConnectionTester with a status request for an id that does not
// exist: the gateway checks the credentials and the signature before it looks the id up.
func (p *Provider) TestConnection(ctx context.Context) error {
	_, err := p.status(ctx, "getByMerchantTransactionId", "securelink-connection-check")
	var re *psp.RequestError
	var refused *credentialsRefused
	var unreachable *noAnswer
	switch {
	case err == nil || (errors.As(err, &re) && re.Code == "not_found"):
		return nil
	case errors.As(err, &refused):
		return &psp.ConnectionError{Code: psp.ConnectionCredentialsRefused, Detail: refused.Error()}
	case errors.As(err, &unreachable):
		return &psp.ConnectionError{Code: psp.ConnectionUnreachable, Detail: "the gateway could not be reached: " + unreachable.Error()}
	default:
		return &psp.ConnectionError{Code: psp.ConnectionProviderError, Detail: err.Error()}
	}
}

// credentialsRefused is the gateway's refusal of the account's credentials or signature.
type credentialsRefused struct {
	status  int
	message string
}

func (e *credentialsRefused) Error() string {
	return fmt.Sprintf("the gateway refused the account's credentials (HTTP %d): %s", e.status, e.message)
}

// noAnswer is a request the gateway never answered (address, network, timeout).
type noAnswer struct{ err error }

func (e *noAnswer) Error() string { return e.err.Error() }
func (e *noAnswer) Unwrap() error { return e.err }

// transaction sends a signed transaction request. An answer the gateway refused for credentials
// or signature, a server error or no answer at all is an error: the outcome is unknown.
func (p *Provider) transaction(ctx context.Context, typ string, req TransactionRequest) (TransactionResponse, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return TransactionResponse{}, fmt.Errorf("exchange %s: encode: %w", typ, err)
	}
	var resp TransactionResponse
	if err := p.call(ctx, http.MethodPost, "/api/v3/transaction/"+p.cfg.APIKey+"/"+typ, body, &resp); err != nil {
		return TransactionResponse{}, fmt.Errorf("exchange %s %s: %w", typ, req.MerchantTransactionID, err)
	}
	return resp, nil
}

// status reads one transaction from the status API; an unknown id is a *psp.RequestError not_found.
func (p *Provider) status(ctx context.Context, by, id string) (StatusResponse, error) {
	var st StatusResponse
	if err := p.call(ctx, http.MethodGet, "/api/v3/status/"+p.cfg.APIKey+"/"+by+"/"+url.PathEscape(id), nil, &st); err != nil {
		return StatusResponse{}, fmt.Errorf("exchange status %s: %w", id, err)
	}
	if !st.Success {
		e := firstError(st.Errors)
		if e.ErrorCode == CodeTransactionNotFound {
			return StatusResponse{}, refusal(e)
		}
		return StatusResponse{}, fmt.Errorf("exchange status %s: %s", id, describe(e))
	}
	return st, nil
}

// call sends one signed request and decodes the answer into out.
func (p *Provider) call(ctx context.Context, method, path string, body []byte, out any) error {
	u := *p.base
	u.Path = p.base.Path + path
	u.RawPath = ""
	httpReq, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		httpReq.Header.Set("Content-Type", ContentTypeJSON)
	}
	httpReq.Header.Set("Accept", "application/json")
	httpReq.SetBasicAuth(p.cfg.Username, p.cfg.Password)
	SignHeaders(httpReq.Header, p.cfg.SharedSecret, method, body, httpReq.URL.RequestURI(), p.cfg.Now())

	resp, err := p.client.Do(httpReq)
	if err != nil {
		return &noAnswer{err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		// Wrong credentials or signature are SecureLink's misconfiguration, not the payer's problem:
		// the payment stays pending until an operator fixes the account and Sync settles it.
		return &credentialsRefused{status: resp.StatusCode, message: gatewayMessage(raw)}
	case resp.StatusCode >= 500:
		return fmt.Errorf("gateway error HTTP %d", resp.StatusCode)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("unreadable answer (HTTP %d): %w", resp.StatusCode, err)
	}
	return nil
}

// gatewayMessage is the first error message of a refused answer, for an operator to read.
func gatewayMessage(raw []byte) string {
	var answer struct{ Errors []Error }
	if json.Unmarshal(raw, &answer) == nil && len(answer.Errors) > 0 {
		return describe(answer.Errors[0])
	}
	return "no reason given"
}

// cardOf reads the card the gateway describes.
func cardOf(d *ReturnData) *psp.Card {
	if d == nil || d.LastFourDigits == "" {
		return nil
	}
	month, _ := strconv.Atoi(d.ExpiryMonth)
	year, _ := strconv.Atoi(d.ExpiryYear)
	return &psp.Card{Brand: brandOf(d.Brand), Last4: d.LastFourDigits, ExpMonth: month, ExpYear: year}
}

// brandOf maps the gateway's card type to the brands SecureLink names.
func brandOf(t string) string {
	switch strings.ToLower(t) {
	case "visa":
		return "visa"
	case "mastercard", "master":
		return "mastercard"
	case "amex", "american express":
		return "amex"
	case "maestro":
		return "maestro"
	case "dinacard", "dina":
		return "dinacard"
	}
	return "unknown"
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
