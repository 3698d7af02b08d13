package testgateway

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"securelink/internal/psp"
)

func saleRequest(token, reference string) psp.AuthorizeRequest {
	return psp.AuthorizeRequest{
		IdempotencyKey: reference + ":authorize", Reference: reference, Amount: 2500, Currency: "EUR",
		PaymentToken: token, Capture: true, ReturnURL: "https://shop.test/return",
	}
}

// unknownOutcome fails the test unless err is a plain error (not a *psp.RequestError).
func unknownOutcome(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil || psp.IsRequestError(err) {
		t.Fatalf("%s: error %v, want an unknown-outcome error", what, err)
	}
}

func TestFaultFailNext(t *testing.T) {
	g := newGateway(t, Config{})
	ctx := context.Background()
	req := saleRequest(g.tokenFor(t, "4242424242424242"), "pay_failnext")

	// Set through the HTTP switch, as a black-box test would.
	status, _, raw := g.call(t, http.MethodPost, "/gateway/v1/test/faults", authHeaders(""), `{"fail_next":2}`)
	if status != http.StatusOK {
		t.Fatalf("set faults: %d %s", status, raw)
	}
	for i := range 2 {
		_, err := g.client.Authorize(ctx, req)
		unknownOutcome(t, "Authorize during FailNext", err)
		if n := len(g.srv.Ledger()); n != 0 {
			t.Fatalf("attempt %d: ledger has %d entries, want none", i, n)
		}
	}
	res, err := g.client.Authorize(ctx, req)
	if err != nil || res.Outcome != psp.OutcomeSucceeded || res.State != psp.StateCaptured {
		t.Fatalf("retry after faults: %+v %v", res, err)
	}
	if n := g.srv.Charges("pay_failnext"); n != 1 {
		t.Errorf("charges = %d, want 1", n)
	}
	if f := g.srv.CurrentFaults(); f.FailNext != 0 {
		t.Errorf("FailNext left at %d, want 0", f.FailNext)
	}
}

func TestFaultDelay(t *testing.T) {
	g := newGateway(t, Config{})
	g.srv.SetFaults(Faults{Delay: 2 * time.Second})
	req := saleRequest(g.tokenFor(t, "4242424242424242"), "pay_delay")

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := g.client.Authorize(ctx, req)
	unknownOutcome(t, "Authorize during Delay", err)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want it to wrap context.DeadlineExceeded", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("client waited %v past its deadline", time.Since(start))
	}
	// The delayed request was abandoned before it ran, so a retry charges exactly once.
	g.srv.SetFaults(Faults{})
	if res, err := g.client.Authorize(context.Background(), req); err != nil || res.Outcome != psp.OutcomeSucceeded {
		t.Fatalf("retry: %+v %v", res, err)
	}
	if n := g.srv.Charges("pay_delay"); n != 1 {
		t.Errorf("charges = %d, want 1", n)
	}
}

// TestFaultRelease: a request held by Release does nothing until the test closes it, then runs once.
func TestFaultRelease(t *testing.T) {
	g := newGateway(t, Config{})
	release := make(chan struct{})
	g.srv.SetFaults(Faults{Release: release})
	req := saleRequest(g.tokenFor(t, "4242424242424242"), "pay_release")
	type result struct {
		res psp.Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := g.client.Authorize(context.Background(), req)
		done <- result{res, err}
	}()
	select {
	case r := <-done:
		t.Fatalf("Authorize answered before the release: %+v %v", r.res, r.err)
	case <-time.After(100 * time.Millisecond):
	}
	if n := g.srv.Charges("pay_release"); n != 0 {
		t.Fatalf("charges while held = %d, want 0", n)
	}
	close(release)
	r := <-done
	if r.err != nil || r.res.Outcome != psp.OutcomeSucceeded {
		t.Fatalf("after the release: %+v %v", r.res, r.err)
	}
	if n := g.srv.Charges("pay_release"); n != 1 {
		t.Errorf("charges = %d, want 1", n)
	}
}

func TestFaultTimeoutAfterCharge(t *testing.T) {
	g := newGateway(t, Config{})
	req := saleRequest(g.tokenFor(t, "4242424242424242"), "pay_timeout")
	g.srv.SetFaults(Faults{TimeoutAfterCharge: 1, Hold: 10 * time.Second})

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := g.client.Authorize(ctx, req)
	unknownOutcome(t, "Authorize with TimeoutAfterCharge", err)
	if time.Since(start) > 5*time.Second {
		t.Errorf("the client gave up only after %v", time.Since(start))
	}
	if n := g.srv.Charges("pay_timeout"); n != 1 {
		t.Fatalf("charges after the timed-out call = %d, want exactly 1", n)
	}

	res, err := g.client.Authorize(context.Background(), req)
	if err != nil || res.Outcome != psp.OutcomeSucceeded || res.State != psp.StateCaptured || res.AmountCaptured != 2500 {
		t.Fatalf("retry with the same key: %+v %v, want the charged result", res, err)
	}
	if n := g.srv.Charges("pay_timeout"); n != 1 {
		t.Errorf("charges after the retry = %d, want still 1", n)
	}
	if synced, err := g.client.Sync(context.Background(), res.PaymentRef); err != nil || synced.State != psp.StateCaptured {
		t.Errorf("Sync: %+v %v", synced, err)
	}

	// A refund that times out is done once, and its retry returns the same refund.
	g.srv.SetFaults(Faults{TimeoutAfterCharge: 1, Hold: 10 * time.Second})
	refund := psp.RefundRequest{IdempotencyKey: "pay_timeout:refund:1", PaymentRef: res.PaymentRef, Amount: 1000, Currency: "EUR"}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel2()
	_, err = g.client.Refund(ctx2, refund)
	unknownOutcome(t, "Refund with TimeoutAfterCharge", err)
	first, err := g.client.Refund(context.Background(), refund)
	if err != nil || first.AmountRefunded != 1000 {
		t.Fatalf("refund retry: %+v %v", first, err)
	}
	if n := g.srv.Count(OpRefund, "pay_timeout"); n != 1 {
		t.Errorf("refunds = %d, want 1", n)
	}
}

func TestFaultHoldPasses(t *testing.T) {
	g := newGateway(t, Config{})
	g.srv.SetFaults(Faults{TimeoutAfterCharge: 1, Hold: 150 * time.Millisecond})
	start := time.Now()
	res, err := g.client.Authorize(context.Background(), saleRequest(g.tokenFor(t, "4242424242424242"), "pay_hold"))
	if err != nil || res.Outcome != psp.OutcomeSucceeded {
		t.Fatalf("Authorize: %+v %v", res, err)
	}
	if waited := time.Since(start); waited < 150*time.Millisecond {
		t.Errorf("answered after %v, want the response held for 150ms", waited)
	}
}

// TestClientErrorMapping checks which gateway answers become *psp.RequestError (nothing happened)
// and which stay plain errors (outcome unknown).
func TestClientErrorMapping(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		wantCode string // "" means a plain, unknown-outcome error
	}{
		{"bad request", 400, `{"error":{"type":"invalid_request_error","code":"amount_too_large","message":"too much","param":"amount"}}`, "amount_too_large"},
		{"unauthorized", 401, `{"error":{"type":"authentication_error","code":"unauthorized","message":"key"}}`, "unauthorized"},
		{"not found", 404, `{"error":{"type":"invalid_request_error","code":"not_found","message":"no"}}`, "not_found"},
		{"invalid state", 409, `{"error":{"type":"invalid_request_error","code":"invalid_state","message":"voided"}}`, "invalid_state"},
		{"key reused", 422, `{"error":{"type":"idempotency_error","code":"idempotency_key_reused","message":"other"}}`, "idempotency_key_reused"},
		{"4xx without error object", 400, `oops`, "http_400"},
		{"key in flight", 409, `{"error":{"type":"idempotency_error","code":"idempotency_key_in_use","message":"wait"}}`, ""},
		{"request timeout", 408, ``, ""},
		{"rate limited", 429, `{"error":{"type":"rate_limit_error","code":"rate_limited","message":"slow"}}`, ""},
		{"server error", 500, `{"error":{"type":"api_error","code":"internal","message":"boom"}}`, ""},
		{"bad gateway html", 502, `<html>bad gateway</html>`, ""},
		{"success with garbage", 200, `{not json`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer fake.Close()
			c := NewClient(ClientOptions{BaseURL: fake.URL, SecretKey: testSecret})
			_, err := c.Capture(context.Background(), psp.CaptureRequest{IdempotencyKey: "k", PaymentRef: "gp_1", Amount: 1, Currency: "EUR"})
			var re *psp.RequestError
			switch {
			case tc.wantCode == "":
				unknownOutcome(t, "Capture", err)
			case !errors.As(err, &re) || re.Code != tc.wantCode:
				t.Errorf("error %v, want RequestError %q", err, tc.wantCode)
			}
		})
	}
	t.Run("connection refused", func(t *testing.T) {
		closed := httptest.NewServer(http.NotFoundHandler())
		url := closed.URL
		closed.Close()
		_, err := NewClient(ClientOptions{BaseURL: url, SecretKey: testSecret}).Sync(context.Background(), "gp_1")
		unknownOutcome(t, "Sync", err)
	})
}

// TestClientSendsHeaders checks the secret key, idempotency key and path the Client sends.
func TestClientSendsHeaders(t *testing.T) {
	var got *http.Request
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		writeJSON(w, http.StatusOK, paymentObject{ID: "gp_1", Status: StatusVoided, Amount: 100, Currency: "EUR"})
	}))
	defer fake.Close()
	c := NewClient(ClientOptions{BaseURL: fake.URL + "/", SecretKey: "sk_abc"})
	res, err := c.Void(context.Background(), psp.VoidRequest{IdempotencyKey: "pay_1:void", PaymentRef: "gp_1"})
	if err != nil || res.State != psp.StateVoided || res.Outcome != psp.OutcomeSucceeded || res.AmountAuthorized != 100 {
		t.Fatalf("Void: %+v %v", res, err)
	}
	if got.URL.Path != "/gateway/v1/payments/gp_1/void" || got.Header.Get("Authorization") != "Bearer sk_abc" ||
		got.Header.Get("Idempotency-Key") != "pay_1:void" || got.Method != http.MethodPost {
		t.Errorf("request %s %s auth %q key %q", got.Method, got.URL.Path, got.Header.Get("Authorization"), got.Header.Get("Idempotency-Key"))
	}
}
