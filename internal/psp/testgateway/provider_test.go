package testgateway

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"securelink/internal/psp/psptest"
)

// TestProviderSuite runs the shared provider suite against the Client and a gateway over real HTTP.
func TestProviderSuite(t *testing.T) {
	g := newGateway(t, Config{})
	const returnURL = "https://checkout.test/pay/link_abc/return"
	psptest.Run(t, psptest.Harness{
		Provider:  g.client,
		ReturnURL: returnURL,
		Token:     g.tokenFor,
		Complete3DS: func(t *testing.T, redirectURL string, succeed bool) {
			t.Helper()
			if !strings.HasPrefix(redirectURL, g.ts.URL+"/gateway/v1/3ds/gp_") {
				t.Fatalf("redirect URL %q is not the gateway's challenge page", redirectURL)
			}
			location, err := Complete3DS(context.Background(), g.ts.Client(), redirectURL, succeed)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(location, returnURL+"?payment_id=gp_") {
				t.Errorf("challenge sent the browser to %q, want the return URL with payment_id", location)
			}
		},
		// Charges reads the ledger over HTTP, as a black-box test would.
		Charges: func(t *testing.T, reference string) int {
			t.Helper()
			status, _, raw := g.call(t, http.MethodGet, "/gateway/v1/ledger?reference="+url.QueryEscape(reference), authHeaders(""), "")
			if status != http.StatusOK {
				t.Fatalf("ledger: %d %s", status, raw)
			}
			var list ledgerList
			if err := json.Unmarshal(raw, &list); err != nil {
				t.Fatal(err)
			}
			if list.Charges != g.srv.Charges(reference) {
				t.Errorf("ledger over HTTP counts %d charges, Server.Charges %d", list.Charges, g.srv.Charges(reference))
			}
			return list.Charges
		},
	})
}

func TestClientConfig(t *testing.T) {
	tests := []struct {
		name string
		opts ClientOptions
		want string
	}{
		{"public URL defaults to base URL", ClientOptions{BaseURL: "http://127.0.0.1:8080/"}, "http://127.0.0.1:8080/gateway/v1/tokens"},
		{"browser-facing URL differs", ClientOptions{BaseURL: "http://127.0.0.1:8080", PublicURL: "https://pay.example.com"}, "https://pay.example.com/gateway/v1/tokens"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := NewClient(tc.opts).ClientConfig()
			if got.Name != "testgateway" || got.TokenizeURL != tc.want || !slices.Equal(got.CardBrands, CardBrands) {
				t.Errorf("ClientConfig() = %+v, want tokenize URL %q", got, tc.want)
			}
		})
	}
}
