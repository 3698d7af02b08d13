package wiring

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"securelink/internal/audit"
	"securelink/internal/domain"
	"securelink/internal/provideraccounts"
	"securelink/internal/psp"
	"securelink/internal/psp/exchange"
	"securelink/internal/psp/stripe"
	"securelink/internal/psp/testgateway"
	"securelink/internal/secretbox"
	"securelink/internal/store"
)

var registerOnce sync.Once

// RegisterProviders puts every payment provider SecureLink offers in the registry, once per process.
// A new provider is its package and one line here.
func RegisterProviders() {
	registerOnce.Do(func() {
		psp.Register(testgateway.Definition)
		psp.Register(stripe.Definition)
		psp.Register(exchange.Definition)
	})
}

// providerNames lists the registered providers for messages.
func providerNames() string {
	var names []string
	for _, d := range psp.Definitions() {
		names = append(names, d.Name)
	}
	return strings.Join(names, ", ")
}

// EnvName is the environment variable that sets a field of the default account: STRIPE_SECRET_KEY
// for Stripe's secret_key.
func EnvName(provider, field string) string {
	return strings.ToUpper(provider + "_" + field)
}

// TestEnvName is the variable of an operator value for every merchant's test accounts of a
// provider: EXCHANGE_TEST_API_URL.
func TestEnvName(provider, field string) string {
	return strings.ToUpper(provider + "_TEST_" + field)
}

// testAccountValues reads the operator-only values set for merchants' test accounts.
func testAccountValues(getenv func(string) string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, d := range psp.Definitions() {
		for _, f := range d.Fields {
			if v := getenv(TestEnvName(d.Name, f.Key)); f.Operator && v != "" {
				if out[d.Name] == nil {
					out[d.Name] = map[string]string{}
				}
				out[d.Name][f.Key] = v
			}
		}
	}
	return out
}

// accountFromValues sorts values into an account's settings and secrets by the provider's fields.
func accountFromValues(d psp.Definition, values map[string]string) psp.Account {
	a := psp.Account{Provider: d.Name, Settings: map[string]string{}, Secrets: map[string]string{}}
	for _, f := range d.Fields {
		v, ok := values[f.Key]
		if !ok || v == "" {
			continue
		}
		if f.Secret {
			a.Secrets[f.Key] = v
		} else {
			a.Settings[f.Key] = v
		}
	}
	return a
}

// builtinGateway is the test gateway's account as this deployment runs it: in this process unless
// SECURELINK_GATEWAY_URL points at a separately running one. Every merchant's test gateway account
// uses it.
func (a *App) builtinGateway(ctx context.Context, settings *store.Settings) (psp.Account, error) {
	cfg := a.Cfg
	key := cfg.GatewaySecret
	if key == "" {
		var err error
		if key, err = settings.GetOrCreate(ctx, "gateway_secret", func() string { return "gsk_test_" + domain.NewToken(24) }); err != nil {
			return psp.Account{}, err
		}
	}
	base, public := cfg.GatewayURL, cfg.GatewayURL
	if base == "" {
		a.Gateway = testgateway.NewServer(testgateway.Config{SecretKey: key, PublicURL: cfg.BaseURL})
		base, public = LoopbackURL(cfg.Addr), cfg.BaseURL
	}
	return psp.Account{Provider: testgateway.ProviderName,
		Settings: map[string]string{testgateway.FieldAPIURL: base, testgateway.FieldPublicURL: public},
		Secrets:  map[string]string{testgateway.FieldSecretKey: key}}, nil
}

// wireProvider builds the deployment's default account (PSP and its PROVIDER_FIELD variables) and
// its provider, which serves every merchant that has no account of its own.
func (a *App) wireProvider(ctx context.Context, settings *store.Settings) error {
	RegisterProviders()
	gw, err := a.builtinGateway(ctx, settings)
	if err != nil {
		return err
	}
	a.BuiltinGateway = gw
	d, ok := psp.Lookup(a.Cfg.PSP)
	if !ok {
		return fmt.Errorf("PSP must be one of %s, not %q", providerNames(), a.Cfg.PSP)
	}
	acct := gw
	if d.Name != testgateway.ProviderName {
		acct = accountFromValues(d, a.Cfg.PSPValues)
	}
	if d.Livemode != nil {
		acct.Livemode = d.Livemode(acct)
	}
	acct.WebhookURL = a.Cfg.BaseURL + "/api/v1/psp/" + d.Name + "/webhook"
	a.DefaultAccount = acct
	p, err := d.New(acct, a.pspEnv())
	var ce *psp.ConfigError
	if errors.As(err, &ce) {
		return fmt.Errorf("PSP=%s: %s: %s", d.Name, EnvName(d.Name, ce.Field), ce.Message)
	}
	if err != nil {
		return fmt.Errorf("PSP=%s: %w", d.Name, err)
	}
	a.Provider = p
	return nil
}

// pspEnv is what every provider built here is given.
func (a *App) pspEnv() psp.Env {
	return psp.Env{HTTPClient: pspHTTPClient(), BaseURL: a.Cfg.BaseURL}
}

// keyring is what seals provider credentials: SECURELINK_ENCRYPTION_KEY when set (explicit), else a
// key kept in the database, which seals test credentials only. The previous keys and the database's
// key still open what they sealed.
func (a *App) keyring(ctx context.Context, settings *store.Settings) (*secretbox.Keyring, bool, error) {
	localText, err := settings.GetOrCreate(ctx, "encryption_key_local", func() string { return domain.NewToken(secretbox.KeySize) })
	if err != nil {
		return nil, false, err
	}
	local, err := secretbox.ParseKey(localText)
	if err != nil {
		return nil, false, fmt.Errorf("the database's encryption key: %w", err)
	}
	if a.Cfg.EncryptionKey == "" {
		k, err := secretbox.New(local)
		return k, false, err
	}
	current, err := secretbox.ParseKey(a.Cfg.EncryptionKey)
	if err != nil {
		return nil, false, fmt.Errorf("SECURELINK_ENCRYPTION_KEY: %w", err)
	}
	previous := [][]byte{local}
	for _, p := range strings.Split(a.Cfg.PreviousEncryptionKeys, ",") {
		if strings.TrimSpace(p) == "" {
			continue
		}
		k, err := secretbox.ParseKey(p)
		if err != nil {
			return nil, false, fmt.Errorf("SECURELINK_PREVIOUS_ENCRYPTION_KEYS: %w", err)
		}
		previous = append(previous, k)
	}
	k, err := secretbox.New(current, previous...)
	return k, true, err
}

// wireProviderAccounts sets up the merchants' provider accounts and routes payments through them.
func (a *App) wireProviderAccounts(ctx context.Context, settings *store.Settings) error {
	keys, explicit, err := a.keyring(ctx, settings)
	if err != nil {
		return err
	}
	gateway := a.Provider
	if a.DefaultAccount.Provider != testgateway.ProviderName {
		if gateway, err = testgateway.Definition.New(a.BuiltinGateway, a.pspEnv()); err != nil {
			return err
		}
	}
	a.ProviderAccounts = &provideraccounts.Service{Store: &store.ProviderAccounts{DB: a.DB}, Audit: a.Audit, Owners: a.Merchants,
		Tx: audit.Tx(a.DB.InTx), Keys: keys, Explicit: explicit, Env: a.pspEnv(), BaseURL: a.Cfg.BaseURL,
		Default: a.DefaultAccount, DefaultProvider: a.Provider, BuiltinTestProvider: gateway,
		Builtin: map[string]psp.Account{testgateway.ProviderName: a.BuiltinGateway}, TestValues: a.Cfg.TestAccountValues}
	a.Providers = a.ProviderAccounts
	return nil
}
