// Package stripe is SecureLink's payment provider adapter for Stripe PaymentIntents.
//
// The checkout collects the card with Stripe.js and sends SecureLink a PaymentMethod id (pm_…);
// this adapter creates and confirms a PaymentIntent with it, captures, cancels and refunds it, and
// verifies Stripe's webhooks. Each Provider carries its own API key and backend, so several can
// live in one process (and tests can point one at stripe-mock) without touching stripe-go's globals.
package stripe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"securelink/internal/psp"
)

// Name is the provider's short name, as the checkout and PSP=… configuration see it.
const Name = "stripe"

// CardBrands are the card brands Stripe's Serbian accounts take: the international schemes.
var CardBrands = []string{"visa", "mastercard", "maestro", "amex"}

// MetadataPaymentKey is the PaymentIntent metadata key holding SecureLink's payment id.
const MetadataPaymentKey = "securelink_payment"

// metadataRefundReasonKey holds a refund reason Stripe has no enum value for.
const metadataRefundReasonKey = "securelink_reason"

// defaultTimeout bounds one HTTP exchange with Stripe when the caller gives no client.
const defaultTimeout = 30 * time.Second

// Config is what a Provider needs.
type Config struct {
	// SecretKey is the Stripe secret key (sk_test_… or sk_live_…), used for server-to-server calls.
	SecretKey string
	// PublishableKey is the key Stripe.js uses in the checkout (pk_…).
	PublishableKey string
	// WebhookSecret is the endpoint's signing secret (whsec_…) that ParseWebhook verifies against.
	WebhookSecret string
	// BackendURL is the API base URL; empty means Stripe's real API. Tests point it at stripe-mock.
	BackendURL string
	// HTTPClient makes the calls; nil means a client with a 30 second timeout.
	HTTPClient *http.Client
}

// Provider is the Stripe adapter. It is safe for concurrent use.
type Provider struct {
	api            *client.API
	publishableKey string
	webhookSecret  string
}

var _ psp.Provider = (*Provider)(nil)

// New returns a Provider for cfg. It fails only when the secret key is missing.
//
// stripe-go retries network failures, 409s and 503s up to twice, with the same idempotency key.
func New(cfg Config) (*Provider, error) {
	return newProvider(cfg, nil)
}

// newProvider is New with stripe-go's retry count overridden (nil keeps its default);
// tests turn retries off so that error answers come back at once.
func newProvider(cfg Config, maxNetworkRetries *int64) (*Provider, error) {
	if cfg.SecretKey == "" {
		return nil, errors.New("stripe: secret key is required")
	}
	httpClient := cfg.HTTPClient
	if httpClient == nil {
		httpClient = &http.Client{Timeout: defaultTimeout}
	}
	backendConfig := &stripego.BackendConfig{
		HTTPClient:      httpClient,
		EnableTelemetry: stripego.Bool(false),
		// Errors are returned to the caller, who decides what to log; stripe-go would print them to stderr.
		LeveledLogger:     &stripego.LeveledLogger{Level: stripego.LevelNull},
		MaxNetworkRetries: maxNetworkRetries,
	}
	if cfg.BackendURL != "" {
		backendConfig.URL = stripego.String(cfg.BackendURL)
	}
	backends := &stripego.Backends{
		API:     stripego.GetBackendWithConfig(stripego.APIBackend, backendConfig),
		Connect: stripego.GetBackendWithConfig(stripego.ConnectBackend, backendConfig),
		Uploads: stripego.GetBackendWithConfig(stripego.UploadsBackend, backendConfig),
	}
	return &Provider{
		api:            client.New(cfg.SecretKey, backends),
		publishableKey: cfg.PublishableKey,
		webhookSecret:  cfg.WebhookSecret,
	}, nil
}

// Name implements psp.Provider.
func (p *Provider) Name() string { return Name }

// ClientConfig implements psp.Provider: the checkout loads Stripe.js with the publishable key.
func (p *Provider) ClientConfig() psp.ClientConfig {
	return psp.ClientConfig{Name: Name, PublishableKey: p.publishableKey, CardBrands: CardBrands}
}

// paymentIntentExpand asks Stripe to inline the latest charge (amounts refunded, card details)
// and the payment method (card details before any charge exists, as during 3-D Secure).
var paymentIntentExpand = []*string{stripego.String("latest_charge"), stripego.String("payment_method")}

// Authorize implements psp.Provider: it creates and confirms a PaymentIntent in one call.
func (p *Provider) Authorize(ctx context.Context, r psp.AuthorizeRequest) (psp.Result, error) {
	captureMethod := stripego.PaymentIntentCaptureMethodManual
	if r.Capture {
		captureMethod = stripego.PaymentIntentCaptureMethodAutomatic
	}
	params := &stripego.PaymentIntentParams{
		Amount:             stripego.Int64(r.Amount),
		Currency:           stripego.String(strings.ToLower(r.Currency)),
		PaymentMethod:      stripego.String(r.PaymentToken),
		PaymentMethodTypes: []*string{stripego.String("card")},
		Confirm:            stripego.Bool(true),
		CaptureMethod:      stripego.String(string(captureMethod)),
		Metadata:           map[string]string{MetadataPaymentKey: r.Reference},
		Expand:             paymentIntentExpand,
	}
	if r.ReturnURL != "" {
		params.ReturnURL = stripego.String(r.ReturnURL)
	}
	if r.Description != "" {
		params.Description = stripego.String(r.Description)
	}
	params.Context = ctx
	params.SetIdempotencyKey(r.IdempotencyKey)

	pi, err := p.api.PaymentIntents.New(params)
	if err != nil {
		return mapError("authorize", err)
	}
	return resultFromPaymentIntent(pi), nil
}

// Sync implements psp.Provider: it reads the PaymentIntent as Stripe holds it now.
func (p *Provider) Sync(ctx context.Context, paymentRef string) (psp.Result, error) {
	params := &stripego.PaymentIntentParams{Expand: paymentIntentExpand}
	params.Context = ctx
	pi, err := p.api.PaymentIntents.Get(paymentRef, params)
	if err != nil {
		return mapError("sync", err)
	}
	return resultFromPaymentIntent(pi), nil
}

// Capture implements psp.Provider; Stripe releases whatever is not captured.
func (p *Provider) Capture(ctx context.Context, r psp.CaptureRequest) (psp.Result, error) {
	params := &stripego.PaymentIntentCaptureParams{
		AmountToCapture: stripego.Int64(r.Amount),
		Expand:          paymentIntentExpand,
	}
	params.Context = ctx
	params.SetIdempotencyKey(r.IdempotencyKey)
	pi, err := p.api.PaymentIntents.Capture(r.PaymentRef, params)
	if err != nil {
		return mapError("capture", err)
	}
	res := resultFromPaymentIntent(pi)
	// The capture is recorded on the charge; its id tells this capture apart from the payment.
	if pi.LatestCharge != nil && pi.LatestCharge.ID != "" {
		res.OperationRef = pi.LatestCharge.ID
	}
	return res, nil
}

// Void implements psp.Provider by cancelling the PaymentIntent.
func (p *Provider) Void(ctx context.Context, r psp.VoidRequest) (psp.Result, error) {
	params := &stripego.PaymentIntentCancelParams{Expand: paymentIntentExpand}
	params.Context = ctx
	params.SetIdempotencyKey(r.IdempotencyKey)
	pi, err := p.api.PaymentIntents.Cancel(r.PaymentRef, params)
	if err != nil {
		return mapError("void", err)
	}
	return resultFromPaymentIntent(pi), nil
}

// stripeRefundReasons are the reasons Stripe accepts as the refund's reason; others go to metadata.
var stripeRefundReasons = map[string]bool{
	string(stripego.RefundReasonRequestedByCustomer): true,
	string(stripego.RefundReasonDuplicate):           true,
	string(stripego.RefundReasonFraudulent):          true,
}

// Refund implements psp.Provider with a Refund on the PaymentIntent's charge.
func (p *Provider) Refund(ctx context.Context, r psp.RefundRequest) (psp.Result, error) {
	params := &stripego.RefundParams{
		PaymentIntent: stripego.String(r.PaymentRef),
		Amount:        stripego.Int64(r.Amount),
		// The expanded charge carries the payment's amounts after this refund.
		Expand: []*string{stripego.String("charge")},
	}
	switch {
	case stripeRefundReasons[r.Reason]:
		params.Reason = stripego.String(r.Reason)
	case r.Reason != "":
		params.Metadata = map[string]string{metadataRefundReasonKey: r.Reason}
	}
	params.Context = ctx
	params.SetIdempotencyKey(r.IdempotencyKey)
	refund, err := p.api.Refunds.New(params)
	if err != nil {
		return mapError("refund", err)
	}
	return resultFromRefund(r.PaymentRef, refund), nil
}

// wrapUnknown marks err as an unknown outcome of op.
func wrapUnknown(op string, err error) error {
	return fmt.Errorf("stripe %s: %w", op, err)
}

// IsPaymentToken implements psp.TokenShaper: the checkout sends a PaymentMethod id, pm_ and letters,
// digits or underscores (pm_1Q2w3E…, or Stripe's test methods such as pm_card_visa).
func (p *Provider) IsPaymentToken(s string) bool { return IsPaymentMethodID(s) }

// IsPaymentMethodID reports whether s has the shape of a Stripe PaymentMethod id.
func IsPaymentMethodID(s string) bool {
	rest, ok := strings.CutPrefix(s, "pm_")
	if !ok || rest == "" || len(s) > 255 {
		return false
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && c != '_' {
			return false
		}
	}
	return true
}
