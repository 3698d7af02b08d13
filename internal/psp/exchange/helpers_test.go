package exchange_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"securelink/internal/psp/exchange"
	"securelink/internal/psp/exchange/sandbox"
)

// Credentials of the sandbox account the tests use.
const (
	testAPIKey    = "sl-test-api-key"
	testUser      = "sl-test-user"
	testPassword  = "sl-test-password"
	testSecret    = "sl-test-shared-secret"
	testPublicKey = "sl-test-public-key"
)

// env is a sandbox on loopback HTTP and a provider pointed at it.
type env struct {
	sandbox  *sandbox.Server
	url      string
	provider *exchange.Provider
}

// newEnv starts a sandbox; callbackURL, when set, receives the sandbox's callbacks with no retries.
func newEnv(t *testing.T, callbackURL string) *env {
	t.Helper()
	return newEnvWithRetries(t, callbackURL, []time.Duration{})
}

// newEnvWithRetries is newEnv with the sandbox's waits between callback attempts.
func newEnvWithRetries(t *testing.T, callbackURL string, retries []time.Duration) *env {
	t.Helper()
	sb := sandbox.New(sandbox.Config{APIKey: testAPIKey, Username: testUser, Password: testPassword,
		SharedSecret: testSecret, PublicIntegrationKey: testPublicKey, CallbackRetries: retries})
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(func() { srv.Close(); sb.Close() })
	p, err := exchange.New(exchange.Config{APIURL: srv.URL, APIKey: testAPIKey, Username: testUser, Password: testPassword,
		SharedSecret: testSecret, PublicIntegrationKey: testPublicKey, CallbackURL: callbackURL, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatalf("exchange.New: %v", err)
	}
	return &env{sandbox: sb, url: srv.URL, provider: p}
}

// token tokenises a test card the way payment.js would.
func (e *env) token(t *testing.T, number string) string {
	t.Helper()
	cvv := "123"
	if strings.HasPrefix(number, "34") || strings.HasPrefix(number, "37") {
		cvv = "1234"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tok, err := sandbox.CreateToken(ctx, nil, e.url, number, 12, time.Now().Year()+3, cvv, "Test Payer")
	if err != nil {
		t.Fatalf("token for %s: %v", number, err)
	}
	return tok
}

// complete3DS answers the sandbox's 3-D Secure page like the payer's browser.
func (e *env) complete3DS(t *testing.T, redirectURL string, succeed bool) {
	t.Helper()
	if !strings.HasPrefix(redirectURL, e.url+"/sandbox/3ds/") {
		t.Fatalf("redirect URL %q is not the sandbox's 3-D Secure page", redirectURL)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := sandbox.Complete3DS(ctx, &http.Client{}, redirectURL, succeed); err != nil {
		t.Fatalf("3-D Secure: %v", err)
	}
}
