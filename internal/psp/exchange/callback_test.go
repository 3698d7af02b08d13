package exchange_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"securelink/internal/psp"
	"securelink/internal/psp/exchange"
)

// callbackReceiver stands in for SecureLink's webhook route: it verifies each callback with the
// provider and answers 200, or 401 for a bad signature.
type callbackReceiver struct {
	mu       sync.Mutex
	notices  []psp.WebhookNotice
	provider *exchange.Provider
	arrived  chan struct{}
}

func (c *callbackReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	n, err := c.provider.ParseWebhook(r.Header, body)
	if errors.Is(err, psp.ErrBadSignature) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.notices = append(c.notices, n)
	c.mu.Unlock()
	_, _ = io.WriteString(w, "OK")
	c.arrived <- struct{}{}
}

func TestCallbacksAreSignedAndNameThePayment(t *testing.T) {
	recv := &callbackReceiver{arrived: make(chan struct{}, 10)}
	hook := httptest.NewServer(recv)
	t.Cleanup(hook.Close)
	e := newEnv(t, hook.URL+"/webhooks/acct_1")
	recv.provider = e.provider

	res, err := e.provider.Authorize(ctx(t), authorizeRequest("pay_cb1", e.token(t, "4000000000003220"), false))
	if err != nil || res.Outcome != psp.OutcomeRequiresAction {
		t.Fatalf("Authorize = %+v, %v", res, err)
	}
	e.complete3DS(t, res.RedirectURL, true)
	waitFor(t, recv.arrived)
	capture, err := e.provider.Capture(ctx(t), psp.CaptureRequest{IdempotencyKey: "pay_cb1:capture", PaymentRef: res.PaymentRef, Amount: 1999, Currency: "RSD"})
	if err != nil || capture.Outcome != psp.OutcomeSucceeded {
		t.Fatalf("Capture = %+v, %v", capture, err)
	}
	// Capture answers at once and is told about by callback too.
	waitFor(t, recv.arrived)

	recv.mu.Lock()
	defer recv.mu.Unlock()
	for i, n := range recv.notices {
		if !n.Handled || n.PaymentRef != res.PaymentRef {
			t.Errorf("notice %d = %+v, want handled for payment %s", i, n, res.PaymentRef)
		}
	}
	if recv.notices[0].Reference != "pay_cb1" {
		t.Errorf("first notice reference = %q, want pay_cb1", recv.notices[0].Reference)
	}
	for _, d := range e.sandbox.Deliveries("") {
		if d.Status != http.StatusOK {
			t.Errorf("delivery %+v was not acknowledged", d)
		}
	}
}

func TestCallbackWithABadSignatureIsRefused(t *testing.T) {
	e := newEnv(t, "https://securelink.example/webhooks/acct_1")
	body := []byte(`{"result":"OK","uuid":"abc","merchantTransactionId":"pay_x:authorize","transactionType":"DEBIT"}`)
	now := time.Now()
	for _, tc := range []struct {
		name   string
		header http.Header
	}{
		{"other secret", signedHeader("other-secret", body, "/webhooks/acct_1", now)},
		{"other URL", signedHeader(testSecret, body, "/webhooks/acct_2", now)},
		{"old", signedHeader(testSecret, body, "/webhooks/acct_1", now.Add(-time.Hour))},
		{"unsigned", http.Header{"Content-Type": {exchange.ContentTypeJSON}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if n, err := e.provider.ParseWebhook(tc.header, body); !errors.Is(err, psp.ErrBadSignature) {
				t.Fatalf("ParseWebhook = %+v, %v; want ErrBadSignature", n, err)
			}
		})
	}
	n, err := e.provider.ParseWebhook(signedHeader(testSecret, body, "/webhooks/acct_1", now), body)
	if err != nil || !n.Handled || n.PaymentRef != "abc" || n.Reference != "pay_x" {
		t.Fatalf("ParseWebhook(good) = %+v, %v", n, err)
	}
}

// The sandbox retries a callback the receiver did not acknowledge.
func TestSandboxRetriesCallbacks(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	done := make(chan struct{}, 5)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
		} else {
			_, _ = io.WriteString(w, "OK")
		}
		done <- struct{}{}
	}))
	t.Cleanup(hook.Close)
	e := newEnvWithRetries(t, hook.URL+"/cb", []time.Duration{time.Millisecond, time.Millisecond})
	if _, err := e.provider.Authorize(ctx(t), authorizeRequest("pay_retry1", e.token(t, "4242424242424242"), true)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, done)
	waitFor(t, done)
	e.sandbox.Close()
	ds := e.sandbox.Deliveries("")
	if len(ds) != 2 || ds[0].Status != http.StatusServiceUnavailable || ds[1].Status != http.StatusOK || ds[1].Attempt != 2 {
		t.Fatalf("deliveries = %+v, want a refused one then an acknowledged retry", ds)
	}
}

func signedHeader(secret string, body []byte, uri string, at time.Time) http.Header {
	h := http.Header{"Content-Type": {exchange.ContentTypeJSON}}
	exchange.SignHeaders(h, secret, http.MethodPost, body, uri, at)
	return h
}

func waitFor(t *testing.T, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatal("no callback arrived")
	}
}
