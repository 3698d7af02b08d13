package stripe

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	stripego "github.com/stripe/stripe-go/v76"
)

// recordedRequest is one call the adapter made to the fake Stripe.
type recordedRequest struct {
	Method string
	Path   string
	Form   url.Values // body and query together
	Header http.Header
}

// fakeStripe is an HTTP server that records requests and answers one canned Stripe response.
type fakeStripe struct {
	mu       sync.Mutex
	requests []recordedRequest
	status   int
	body     []byte
}

// newFakeStripe starts a loopback server answering status and body, and a Provider pointed at it.
func newFakeStripe(t *testing.T, status int, body []byte) (*fakeStripe, *Provider) {
	t.Helper()
	fake := &fakeStripe{status: status, body: body}
	server := httptest.NewServer(http.HandlerFunc(fake.serveHTTP))
	t.Cleanup(server.Close)
	p, err := newProvider(Config{
		SecretKey:      "sk_test_shape",
		PublishableKey: "pk_test_shape",
		WebhookSecret:  "whsec_shape",
		BackendURL:     server.URL,
		HTTPClient:     server.Client(),
	}, stripego.Int64(0))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return fake, p
}

func (f *fakeStripe) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, recordedRequest{Method: r.Method, Path: r.URL.Path, Form: r.Form, Header: r.Header.Clone()})
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Request-Id", "req_fake")
	w.WriteHeader(f.status)
	_, _ = w.Write(f.body)
}

// only returns the single request made, failing the test if there were more or none.
func (f *fakeStripe) only(t *testing.T) recordedRequest {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) != 1 {
		t.Fatalf("adapter made %d requests, want 1", len(f.requests))
	}
	return f.requests[0]
}

// fixture reads a recorded Stripe response from testdata.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return body
}
