package exchange

import (
	"strings"

	"securelink/internal/psp"
)

// The provider account's fields.
const (
	FieldAPIURL               = "api_url"
	FieldAPIKey               = "api_key"
	FieldUsername             = "username"
	FieldPassword             = "password"
	FieldSharedSecret         = "shared_secret"
	FieldPublicIntegrationKey = "public_integration_key"
)

// AllSecure's gateways: an account without an API URL uses the one of its mode.
const (
	LiveAPIURL    = "https://asxgw.com"
	SandboxAPIURL = "https://asxgw.paymentsandbox.cloud"
)

// Definition is AllSecure Exchange in the provider registry.
var Definition = psp.Definition{
	Name:  Name,
	Title: "AllSecure Exchange",
	// The deployment's default account is live only when it names AllSecure's live gateway.
	Livemode: func(a psp.Account) bool { return strings.TrimRight(a.Value(FieldAPIURL), "/") == LiveAPIURL },
	Fields: []psp.Field{
		// Only the operator may point an account elsewhere (a local sandbox): a merchant's account
		// talks to AllSecure's gateway of its mode, so no merchant can aim SecureLink's server at an
		// address of its choosing.
		{Key: FieldAPIURL, Operator: true, Label: "API URL (empty: AllSecure's live gateway for live, its sandbox for test)"},
		{Key: FieldAPIKey, Required: true, Label: "API key"},
		{Key: FieldUsername, Required: true, Label: "API username"},
		{Key: FieldPassword, Secret: true, Required: true, Label: "API password"},
		{Key: FieldSharedSecret, Secret: true, Required: true, Label: "Shared secret"},
		{Key: FieldPublicIntegrationKey, Required: true, Label: "Public integration key"},
	},
	New: func(a psp.Account, env psp.Env) (psp.Provider, error) {
		apiURL := a.Value(FieldAPIURL)
		if apiURL == "" {
			apiURL = SandboxAPIURL
			if a.Livemode {
				apiURL = LiveAPIURL
			}
		}
		return New(Config{
			APIURL: apiURL, APIKey: a.Value(FieldAPIKey), Username: a.Value(FieldUsername),
			Password: a.Value(FieldPassword), SharedSecret: a.Value(FieldSharedSecret),
			PublicIntegrationKey: a.Value(FieldPublicIntegrationKey), CallbackURL: a.WebhookURL,
			HTTPClient: env.HTTPClient,
		})
	},
}
