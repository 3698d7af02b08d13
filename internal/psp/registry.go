package psp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"sync"
)

// Account is one merchant's account with a provider in one mode, with its credentials decrypted, as
// a provider's constructor sees it. The deployment's default account (from the environment) has no
// ID.
type Account struct {
	ID       string
	Livemode bool
	// Provider is the registry name of the provider ("stripe", "testgateway", "exchange").
	Provider string
	// Settings are the account's non-secret values (an API URL, a publishable key).
	Settings map[string]string
	// Secrets are its credentials (secret keys, passwords, signing secrets).
	Secrets map[string]string
	// WebhookURL is where this account's provider sends its notifications to SecureLink.
	WebhookURL string
}

// Value returns the account's setting or secret named key ("" when it has none).
func (a Account) Value(key string) string {
	if v, ok := a.Secrets[key]; ok {
		return v
	}
	return a.Settings[key]
}

// Field is one value a provider account needs.
type Field struct {
	Key string `json:"key"`
	// Secret values are write-only: stored encrypted, shown masked, never logged.
	Secret   bool   `json:"secret"`
	Required bool   `json:"required"`
	Label    string `json:"label"`
	// Operator values (a provider's API URL, for a sandbox) are set only from the command line: the
	// API refuses them, so a merchant cannot point SecureLink's server at an address of its choosing.
	Operator bool `json:"-"`
}

// Env is what the running product gives every provider it builds.
type Env struct {
	// HTTPClient makes the provider's calls.
	HTTPClient *http.Client
	// BaseURL is SecureLink's public URL (for callback and return URLs).
	BaseURL string
}

// Definition is one provider in the registry.
type Definition struct {
	Name  string
	Title string
	// TestOnly providers move no real money and can never be a live account.
	TestOnly bool
	Fields   []Field
	// Livemode tells the mode of an account from its credentials (Stripe's sk_live_ keys), for the
	// deployment's default account set from the environment; nil means test.
	Livemode func(a Account) bool
	// New builds a provider for an account. A *ConfigError names the field that is missing or wrong.
	New func(a Account, env Env) (Provider, error)
}

// ConfigError says which value of a provider account is missing or wrong.
type ConfigError struct {
	Field   string
	Message string
}

func (e *ConfigError) Error() string { return fmt.Sprintf("psp account: %s: %s", e.Field, e.Message) }

// CheckFields returns a *ConfigError for the first required field the account lacks.
func (d Definition) CheckFields(a Account) error {
	for _, f := range d.Fields {
		if f.Required && a.Value(f.Key) == "" {
			return &ConfigError{Field: f.Key, Message: f.Label + " is required"}
		}
	}
	return nil
}

var (
	registryMu sync.RWMutex
	registry   = map[string]Definition{}
)

// Register adds a provider to the registry; each provider package's Definition is registered once
// by the wiring.
func Register(d Definition) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if d.Name == "" || d.New == nil {
		panic("psp: Register needs a name and a constructor")
	}
	if _, dup := registry[d.Name]; dup {
		panic("psp: provider registered twice: " + d.Name)
	}
	registry[d.Name] = d
}

// Lookup finds a registered provider by name.
func Lookup(name string) (Definition, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	d, ok := registry[name]
	return d, ok
}

// Definitions lists the registered providers by name.
func Definitions() []Definition {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := make([]Definition, 0, len(registry))
	for _, d := range registry {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ErrBadSignature means a provider's notification was not signed with the account's secret (or is
// outside its time window). The webhook route answers 401 and changes nothing.
var ErrBadSignature = errors.New("psp: notification signature not valid")

// WebhookNotice is what a verified notification says: which payment changed. SecureLink then asks
// the provider (Sync) rather than trusting the notification's body.
type WebhookNotice struct {
	// Handled is false for notifications about nothing SecureLink tracks; they are acknowledged.
	Handled bool
	// PaymentRef is the provider's id of the payment; Reference is SecureLink's payment id.
	PaymentRef string
	Reference  string
}

// WebhookReceiver is implemented by a provider that sends notifications. They arrive at one route
// per provider account and are verified with that account's secret.
type WebhookReceiver interface {
	ParseWebhook(header http.Header, body []byte) (WebhookNotice, error)
}

// ConnectionTester is implemented by a provider that can check its credentials with a harmless call.
// A nil error means they work; a *ConnectionError says why they do not (any other error counts as
// ConnectionProviderError), its detail in the provider's own words.
type ConnectionTester interface {
	TestConnection(ctx context.Context) error
}

// ConnectionFailure is why a connection test failed, as a stable code the portal words in the
// merchant's language; the provider's own words come beside it as the detail.
type ConnectionFailure string

// The connection-test failures.
const (
	// ConnectionCredentialsRefused: the provider answered and refused the credentials.
	ConnectionCredentialsRefused ConnectionFailure = "credentials_refused"
	// ConnectionUnreachable: no answer from the provider (address, network, timeout).
	ConnectionUnreachable ConnectionFailure = "provider_unreachable"
	// ConnectionProviderError: the provider answered with another error.
	ConnectionProviderError ConnectionFailure = "provider_error"
)

// ConnectionFailures lists every ConnectionFailure (the portal words each).
var ConnectionFailures = []ConnectionFailure{ConnectionCredentialsRefused, ConnectionUnreachable, ConnectionProviderError}

// ConnectionError is a failed connection test: its code and the provider's detail.
type ConnectionError struct {
	Code   ConnectionFailure
	Detail string
}

func (e *ConnectionError) Error() string { return e.Detail }

// ConnectionFailureOf is the code of a connection test's error.
func ConnectionFailureOf(err error) ConnectionFailure {
	var ce *ConnectionError
	if errors.As(err, &ce) && ce.Code != "" {
		return ce.Code
	}
	return ConnectionProviderError
}

// CSPOrigins are the origins a checkout needs beyond its own for one provider's browser SDK.
type CSPOrigins struct {
	Script  []string
	Connect []string
	Frame   []string
	Form    []string
}

// CheckoutSecurity is implemented by a provider whose checkout component loads code or frames from
// elsewhere: the checkout's Content-Security-Policy names exactly these origins.
type CheckoutSecurity interface {
	CSP() CSPOrigins
}
