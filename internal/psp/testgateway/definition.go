package testgateway

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"securelink/internal/psp"
)

// The values of a test gateway account. A merchant's account needs none of them: the deployment
// supplies its own gateway's (the one built in, or SECURELINK_GATEWAY_URL).
const (
	FieldSecretKey = "secret_key"
	// FieldAPIURL is where SecureLink's server reaches the gateway; FieldPublicURL where the payer's
	// browser does (empty: the same).
	FieldAPIURL    = "api_url"
	FieldPublicURL = "public_url"
)

// CardBrands are the card brands the gateway recognises, in the order the checkout shows them.
var CardBrands = []string{"visa", "mastercard", "maestro", "dinacard", "amex"}

// Definition is the test gateway in the provider registry: a test account only, it moves no money.
var Definition = psp.Definition{
	Name:     ProviderName,
	Title:    "SecureLink test gateway",
	TestOnly: true,
	Fields:   fields,
	New:      newFromAccount,
}

var fields = []psp.Field{
	{Key: FieldSecretKey, Secret: true, Required: true, Operator: true, Label: "Gateway secret key"},
	{Key: FieldAPIURL, Required: true, Operator: true, Label: "Gateway URL"},
	{Key: FieldPublicURL, Operator: true, Label: "Gateway URL for browsers"},
}

func newFromAccount(a psp.Account, env psp.Env) (psp.Provider, error) {
	if err := (psp.Definition{Fields: fields}).CheckFields(a); err != nil {
		return nil, err
	}
	return NewClient(ClientOptions{BaseURL: a.Value(FieldAPIURL), PublicURL: a.Value(FieldPublicURL),
		SecretKey: a.Value(FieldSecretKey), HTTPClient: env.HTTPClient}), nil
}

// CSP implements psp.CheckoutSecurity: the checkout posts cards to the gateway's public URL.
func (c *Client) CSP() psp.CSPOrigins {
	u, err := url.Parse(c.publicURL)
	if err != nil || u.Host == "" {
		return psp.CSPOrigins{}
	}
	o := u.Scheme + "://" + u.Host
	return psp.CSPOrigins{Connect: []string{o}, Form: []string{o}}
}

// TestConnection implements psp.ConnectionTester by reading the ledger, which needs the secret key.
func (c *Client) TestConnection(ctx context.Context) error {
	var list ledgerList
	err := c.do(ctx, http.MethodGet, "/ledger?reference=connection-test", "", nil, &list)
	var re *psp.RequestError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &re) && (re.Code == "unauthorized" || re.Code == "http_401" || re.Code == "invalid_api_key"):
		return &psp.ConnectionError{Code: psp.ConnectionCredentialsRefused, Detail: "the test gateway refused the secret key"}
	case errors.As(err, &re):
		return &psp.ConnectionError{Code: psp.ConnectionProviderError, Detail: "the test gateway answered: " + re.Message}
	default:
		return &psp.ConnectionError{Code: psp.ConnectionUnreachable, Detail: "the test gateway could not be reached"}
	}
}

var (
	_ psp.CheckoutSecurity = (*Client)(nil)
	_ psp.ConnectionTester = (*Client)(nil)
)
