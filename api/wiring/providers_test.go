package wiring

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"securelink/internal/psp"
	"securelink/internal/psp/exchange"
	"securelink/internal/psp/exchange/sandbox"
	"securelink/internal/psp/psptest"
	"securelink/internal/psp/stripe"
	"securelink/internal/psp/stripe/stripemock"
	"securelink/internal/psp/testgateway"
)

// suiteHarnesses build, for each provider SecureLink registers, a provider through its registry
// entry (the constructor the product uses) and the means to drive the shared suite against it.
var suiteHarnesses = map[string]func(t *testing.T, d psp.Definition) psptest.Harness{
	testgateway.ProviderName: func(t *testing.T, d psp.Definition) psptest.Harness {
		gw := testgateway.NewServer(testgateway.Config{SecretKey: "gsk_test_suite"})
		ts := httptest.NewServer(gw.Mount())
		t.Cleanup(func() { ts.Close(); gw.Close() })
		p := newFromRegistry(t, d, psp.Account{Provider: d.Name,
			Settings: map[string]string{testgateway.FieldAPIURL: ts.URL},
			Secrets:  map[string]string{testgateway.FieldSecretKey: "gsk_test_suite"}})
		return psptest.Harness{
			Provider: p,
			Token: func(t *testing.T, card string) string {
				cvc := "123"
				if testgateway.DetectBrand(card) == testgateway.BrandAmex {
					cvc = "1234"
				}
				tok, err := gw.IssueToken(testgateway.TokenInput{Number: card, ExpMonth: 12, ExpYear: time.Now().Year() + 2, CVC: cvc, Name: "Test Payer"})
				if err != nil {
					t.Fatalf("token for %s: %v", card, err)
				}
				return tok
			},
			Complete3DS: func(t *testing.T, redirectURL string, succeed bool) {
				if _, err := testgateway.Complete3DS(context.Background(), ts.Client(), redirectURL, succeed); err != nil {
					t.Fatal(err)
				}
			},
			Charges: func(_ *testing.T, reference string) int { return gw.Charges(reference) },
		}
	},
	exchange.Name: func(t *testing.T, d psp.Definition) psptest.Harness {
		sb := sandbox.New(sandbox.Config{APIKey: "suite-key", Username: "suite-user", Password: "suite-password",
			SharedSecret: "suite-secret", PublicIntegrationKey: "suite-public", CallbackRetries: []time.Duration{}})
		ts := httptest.NewServer(sb.Handler())
		t.Cleanup(func() { ts.Close(); sb.Close() })
		p := newFromRegistry(t, d, psp.Account{Provider: d.Name,
			Settings: map[string]string{exchange.FieldAPIURL: ts.URL, exchange.FieldAPIKey: "suite-key",
				exchange.FieldUsername: "suite-user", exchange.FieldPublicIntegrationKey: "suite-public"},
			Secrets: map[string]string{exchange.FieldPassword: "suite-password", exchange.FieldSharedSecret: "suite-secret"}})
		return psptest.Harness{
			Provider: p,
			Token: func(t *testing.T, card string) string {
				cvv := "123"
				if testgateway.DetectBrand(card) == testgateway.BrandAmex {
					cvv = "1234"
				}
				tok, err := sandbox.CreateToken(context.Background(), ts.Client(), ts.URL, card, 12, time.Now().Year()+2, cvv, "Test Payer")
				if err != nil {
					t.Fatalf("token for %s: %v", card, err)
				}
				return tok
			},
			Complete3DS: func(t *testing.T, redirectURL string, succeed bool) {
				if _, err := sandbox.Complete3DS(context.Background(), ts.Client(), redirectURL, succeed); err != nil {
					t.Fatal(err)
				}
			},
			Charges: func(_ *testing.T, reference string) int { return sb.Charges(reference + ":authorize") },
		}
	},
	stripe.Name: func(t *testing.T, d psp.Definition) psptest.Harness {
		proxy := stripemock.SucceedingProxy(t, stripemock.Start(t))
		p := newFromRegistry(t, d, psp.Account{Provider: d.Name,
			Settings: map[string]string{stripe.FieldPublishableKey: "pk_test_suite", stripe.FieldAPIURL: proxy.URL},
			Secrets:  map[string]string{stripe.FieldSecretKey: "sk_test_suite"}})
		return psptest.Harness{Provider: p, Token: stripemock.TestPaymentMethod,
			Limits: psptest.Limits{Stateless: true, NoDeclines: true, NoRefundFailure: true, NoCardDetails: true}}
	},
}

func newFromRegistry(t *testing.T, d psp.Definition, a psp.Account) psp.Provider {
	t.Helper()
	p, err := d.New(a, psp.Env{HTTPClient: pspHTTPClient(), BaseURL: "http://securelink.test"})
	if err != nil {
		t.Fatalf("%s: New: %v", d.Name, err)
	}
	return p
}

// TestEveryRegisteredProviderPassesTheSuite: a provider cannot be offered without passing the shared
// provider suite; registering one without a harness here fails.
func TestEveryRegisteredProviderPassesTheSuite(t *testing.T) {
	RegisterProviders()
	defs := psp.Definitions()
	if len(defs) < 2 {
		t.Fatalf("registered providers: %d", len(defs))
	}
	for _, d := range defs {
		harness, ok := suiteHarnesses[d.Name]
		if !ok {
			t.Errorf("provider %q is registered but the shared suite has no harness for it here", d.Name)
			continue
		}
		t.Run(d.Name, func(t *testing.T) { psptest.Run(t, harness(t, d)) })
	}
}

// TestRegisteredProvidersDescribeTheirFields: every field has a key and a label, and building an
// account without its required values names the missing field.
func TestRegisteredProvidersDescribeTheirFields(t *testing.T) {
	RegisterProviders()
	for _, d := range psp.Definitions() {
		t.Run(d.Name, func(t *testing.T) {
			if d.Title == "" {
				t.Error("no title")
			}
			for _, f := range d.Fields {
				if f.Key == "" || f.Label == "" {
					t.Errorf("field %+v lacks a key or label", f)
				}
			}
			_, err := d.New(psp.Account{Provider: d.Name}, psp.Env{})
			var ce *psp.ConfigError
			if !errors.As(err, &ce) || ce.Field == "" || !strings.Contains(ce.Error(), ce.Field) {
				t.Errorf("New without values: %v, want a ConfigError naming the field", err)
			}
		})
	}
}

// TestOperatorTestValuesAreOperatorFieldsOnly: EXCHANGE_TEST_API_URL points merchants' test Exchange
// accounts at a sandbox; a variable naming a field the merchant fills in (a key, a password) is ignored.
func TestOperatorTestValuesAreOperatorFieldsOnly(t *testing.T) {
	RegisterProviders()
	env := map[string]string{"EXCHANGE_TEST_API_URL": "http://127.0.0.1:8091", "EXCHANGE_TEST_PASSWORD": "not-read",
		"EXCHANGE_API_URL": "http://default-account.example"}
	got := testAccountValues(func(k string) string { return env[k] })
	if len(got) != 1 || len(got["exchange"]) != 1 || got["exchange"]["api_url"] != "http://127.0.0.1:8091" {
		t.Fatalf("test account values = %v", got)
	}
}
