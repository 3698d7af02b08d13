package testgateway

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const testSecret = "sk_test_gateway_secret"

// gateway is a test gateway served over real HTTP on loopback, with a Client pointed at it.
type gateway struct {
	srv    *Server
	ts     *httptest.Server
	client *Client
}

func newGateway(t *testing.T, cfg Config) *gateway {
	t.Helper()
	if cfg.SecretKey == "" {
		cfg.SecretKey = testSecret
	}
	srv := NewServer(cfg)
	ts := httptest.NewServer(srv.Mount())
	t.Cleanup(func() {
		srv.Close()
		ts.Close()
	})
	client := NewClient(ClientOptions{BaseURL: ts.URL, SecretKey: cfg.SecretKey, HTTPClient: &http.Client{Timeout: 5 * time.Second}})
	return &gateway{srv: srv, ts: ts, client: client}
}

// call sends a request to the gateway and returns the status, headers and body.
func (g *gateway) call(t *testing.T, method, path string, headers map[string]string, body string) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, g.ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := g.ts.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, raw
}

func authHeaders(key string) map[string]string {
	h := map[string]string{"Authorization": "Bearer " + testSecret, "Content-Type": "application/json"}
	if key != "" {
		h["Idempotency-Key"] = key
	}
	return h
}

// tokenFor tokenises a test card over HTTP as the checkout does, with a valid expiry and CVC.
func (g *gateway) tokenFor(t *testing.T, number string) string {
	t.Helper()
	cvc := "123"
	if DetectBrand(number) == BrandAmex {
		cvc = "1234"
	}
	body, _ := json.Marshal(map[string]any{"number": number, "exp_month": 12, "exp_year": time.Now().Year() + 2, "cvc": cvc, "name": "Test Payer"})
	status, _, raw := g.call(t, http.MethodPost, "/gateway/v1/tokens", map[string]string{"Content-Type": "application/json"}, string(body))
	if status != http.StatusCreated {
		t.Fatalf("tokenise %s: %d %s", number, status, raw)
	}
	var tok tokenObject
	if err := json.Unmarshal(raw, &tok); err != nil {
		t.Fatal(err)
	}
	return tok.ID
}

// errorCode decodes an error object's code.
func errorCode(t *testing.T, raw []byte) apiError {
	t.Helper()
	var env errorEnvelope
	if err := json.NewDecoder(bytes.NewReader(raw)).Decode(&env); err != nil || env.Error == nil {
		t.Fatalf("not an error object: %s", raw)
	}
	return *env.Error
}
