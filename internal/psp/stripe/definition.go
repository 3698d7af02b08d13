package stripe

import (
	"context"
	"errors"
	"strings"

	stripego "github.com/stripe/stripe-go/v76"

	"securelink/internal/psp"
)

// The values of a Stripe account.
const (
	FieldSecretKey      = "secret_key"
	FieldPublishableKey = "publishable_key"
	FieldWebhookSecret  = "webhook_secret"
	// FieldAPIURL points the account at another API than Stripe's (stripe-mock); operators only.
	FieldAPIURL = "api_url"
)

// Definition is Stripe in the provider registry.
var Definition = psp.Definition{
	Name:     Name,
	Title:    "Stripe",
	Fields:   fields,
	Livemode: func(a psp.Account) bool { return KeyIsLive(a.Value(FieldSecretKey)) },
	New:      newFromAccount,
}

var fields = []psp.Field{
	{Key: FieldSecretKey, Secret: true, Required: true, Label: "Secret key (sk_live_… or sk_test_…)"},
	{Key: FieldPublishableKey, Required: true, Label: "Publishable key (pk_live_… or pk_test_…)"},
	{Key: FieldWebhookSecret, Secret: true, Label: "Webhook signing secret (whsec_…)"},
	{Key: FieldAPIURL, Operator: true, Label: "API URL (a Stripe API emulator)"},
}

// KeyIsLive reports whether a secret or publishable key is one of Stripe's live keys.
func KeyIsLive(key string) bool {
	for _, p := range []string{"sk_live_", "rk_live_", "pk_live_"} {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// newFromAccount builds a Provider for an account, refusing keys of the other mode: a test account
// with a live key would move real money for test invoices.
func newFromAccount(a psp.Account, env psp.Env) (psp.Provider, error) {
	if err := (psp.Definition{Fields: fields}).CheckFields(a); err != nil {
		return nil, err
	}
	secret, public := a.Value(FieldSecretKey), a.Value(FieldPublishableKey)
	for _, k := range []struct{ field, value string }{{FieldSecretKey, secret}, {FieldPublishableKey, public}} {
		if !strings.HasPrefix(k.value, "sk_") && !strings.HasPrefix(k.value, "rk_") && !strings.HasPrefix(k.value, "pk_") {
			return nil, &psp.ConfigError{Field: k.field, Message: "this is not a Stripe key"}
		}
		if KeyIsLive(k.value) != a.Livemode {
			want := "test"
			if a.Livemode {
				want = "live"
			}
			return nil, &psp.ConfigError{Field: k.field, Message: "a " + want + " account needs Stripe's " + want + " keys"}
		}
	}
	if !strings.HasPrefix(secret, "sk_") && !strings.HasPrefix(secret, "rk_") {
		return nil, &psp.ConfigError{Field: FieldSecretKey, Message: "the secret key starts with sk_ (or rk_ for a restricted key)"}
	}
	if !strings.HasPrefix(public, "pk_") {
		return nil, &psp.ConfigError{Field: FieldPublishableKey, Message: "the publishable key starts with pk_"}
	}
	if w := a.Value(FieldWebhookSecret); w != "" && !strings.HasPrefix(w, "whsec_") {
		return nil, &psp.ConfigError{Field: FieldWebhookSecret, Message: "the webhook signing secret starts with whsec_"}
	}
	return New(Config{SecretKey: secret, PublishableKey: public, WebhookSecret: a.Value(FieldWebhookSecret),
		BackendURL: a.Value(FieldAPIURL), HTTPClient: env.HTTPClient})
}

// CSP implements psp.CheckoutSecurity: Stripe.js, its API and its frames (3-D Secure, card fields).
func (p *Provider) CSP() psp.CSPOrigins {
	return psp.CSPOrigins{
		Script:  []string{"https://js.stripe.com"},
		Connect: []string{"https://api.stripe.com"},
		Frame:   []string{"https://js.stripe.com", "https://hooks.stripe.com"},
	}
}

// TestConnection implements psp.ConnectionTester by reading the account's balance, which any
// working secret key may do and which changes nothing.
func (p *Provider) TestConnection(ctx context.Context) error {
	params := &stripego.BalanceParams{}
	params.Context = ctx
	if _, err := p.api.Balance.Get(params); err != nil {
		var se *stripego.Error
		if errors.As(err, &se) && se.HTTPStatusCode == 401 {
			return &psp.ConnectionError{Code: psp.ConnectionCredentialsRefused, Detail: "stripe refused the secret key"}
		}
		if errors.As(err, &se) {
			return &psp.ConnectionError{Code: psp.ConnectionProviderError, Detail: "stripe answered: " + se.Msg}
		}
		return &psp.ConnectionError{Code: psp.ConnectionUnreachable, Detail: "stripe could not be reached"}
	}
	return nil
}

var (
	_ psp.CheckoutSecurity = (*Provider)(nil)
	_ psp.ConnectionTester = (*Provider)(nil)
	_ psp.WebhookReceiver  = (*Provider)(nil)
)
