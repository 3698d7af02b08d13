package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"securelink/api/apitest"
	"securelink/api/wiring"
)

func TestIdempotency(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m, other := e.NewMerchant(t, "Idem"), e.NewMerchant(t, "Other")
		key := apitest.Header{Name: "Idempotency-Key", Value: "order-77-attempt-1"}
		body := apitest.Invoice(4500)

		first := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth(), key)
		if first.Status != 201 || first.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("first: %d %s", first.Status, first.Header)
		}
		replay := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth(), key)
		if replay.Status != 201 || replay.Header.Get("Idempotent-Replayed") != "true" || string(replay.Body) != string(first.Body) {
			t.Errorf("replay: %d %q\n%s\n%s", replay.Status, replay.Header.Get("Idempotent-Replayed"), replay.Body, first.Body)
		}
		changed := apitest.Invoice(4600)
		if r := e.Do(t, "POST", "/api/v1/invoices", changed, m.Auth(), key); r.Status != 422 || r.ErrorObject(t)["type"] != "idempotency_error" {
			t.Errorf("different body: %d %s", r.Status, r.Body)
		}
		// Keys are scoped to the caller and the endpoint.
		if r := e.Do(t, "POST", "/api/v1/invoices", body, other.Auth(), key); r.Status != 201 || r.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("other merchant, same key: %d", r.Status)
		}
		if r := e.Do(t, "POST", "/api/v1/api-keys", map[string]any{"name": "x"}, m.Auth(), key); r.Status != 201 || r.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("other endpoint, same key: %d %s", r.Status, r.Body)
		}
		// Only one invoice was created for the merchant.
		if n := len(e.Do(t, "GET", "/api/v1/invoices", nil, m.Auth()).Map(t)["data"].([]any)); n != 1 {
			t.Errorf("%d invoices created, want 1", n)
		}
		// A refused request is not remembered: the corrected retry with the same key runs.
		k2 := apitest.Header{Name: "Idempotency-Key", Value: "retry-after-fix"}
		bad := apitest.Invoice(0)
		if r := e.Do(t, "POST", "/api/v1/invoices", bad, m.Auth(), k2); r.Status != 400 {
			t.Fatalf("bad: %d", r.Status)
		}
		if r := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(10), m.Auth(), k2); r.Status != 201 {
			t.Errorf("corrected retry: %d %s", r.Status, r.Body)
		}
		if r := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth(), apitest.Header{Name: "Idempotency-Key", Value: strings.Repeat("k", 256)}); r.Status != 400 || r.ErrorObject(t)["param"] != "Idempotency-Key" {
			t.Errorf("long key: %d %s", r.Status, r.Body)
		}
		// While the first request with a key still runs, a second one gets 409.
		scope := m.KeyID + " POST /api/v1/invoices"
		if _, started, err := e.App.Idem.Begin(context.Background(), scope, "in-flight", "hash", time.Now().UTC(), time.Minute); err != nil || !started {
			t.Fatalf("begin: %v %v", started, err)
		}
		if r := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth(), apitest.Header{Name: "Idempotency-Key", Value: "in-flight"}); r.Status != 409 || r.ErrorObject(t)["code"] != "idempotency_key_in_use" {
			t.Errorf("in flight: %d %s", r.Status, r.Body)
		}
	})
}

// TestIdempotencyConcurrent: many identical requests at once create one invoice; every answer is
// the invoice, a replay of it, or a 409 while the first is still running.
func TestIdempotencyConcurrent(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Race")
		key := apitest.Header{Name: "Idempotency-Key", Value: "same"}
		var wg sync.WaitGroup
		statuses := make(chan int, 20)
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses <- e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(700), m.Auth(), key).Status
			}()
		}
		wg.Wait()
		close(statuses)
		for s := range statuses {
			if s != http.StatusCreated && s != http.StatusConflict {
				t.Errorf("status %d", s)
			}
		}
		if n := len(e.Do(t, "GET", "/api/v1/invoices", nil, m.Auth()).Map(t)["data"].([]any)); n != 1 {
			t.Errorf("%d invoices, want 1", n)
		}
	})
}

// TestIdempotencyKeyOutlivesNoDeadRequest: a key whose request died (its record left running) answers
// 409 only until the lease runs out; then the retry with the same key and body runs, once.
func TestIdempotencyKeyOutlivesNoDeadRequest(t *testing.T) {
	t.Parallel()
	const lease = time.Second
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := e.NewMerchant(t, "Lease")
		body := apitest.Invoice(4200)
		raw, _ := json.Marshal(body)
		sum := sha256.Sum256(raw)
		key := apitest.Header{Name: "Idempotency-Key", Value: "died-mid-request"}
		if _, started, err := e.App.Idem.Begin(context.Background(), m.KeyID+" POST /api/v1/invoices", key.Value,
			hex.EncodeToString(sum[:]), time.Now().UTC(), lease); err != nil || !started {
			t.Fatalf("begin: %v %v", started, err)
		}
		if r := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth(), key); r.Status != 409 || r.ErrorObject(t)["code"] != "idempotency_key_in_use" {
			t.Fatalf("within the lease: %d %s", r.Status, r.Body)
		}
		time.Sleep(lease + 100*time.Millisecond)
		if r := e.Do(t, "POST", "/api/v1/invoices", apitest.Invoice(1), m.Auth(), key); r.Status != 422 {
			t.Errorf("another body after the lease: %d %s", r.Status, r.Body)
		}
		r := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth(), key)
		if r.Status != 201 {
			t.Fatalf("retry after the lease: %d %s", r.Status, r.Body)
		}
		if again := e.Do(t, "POST", "/api/v1/invoices", body, m.Auth(), key); again.Status != 201 || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("replay: %d %s", again.Status, again.Body)
		}
		if n := len(e.Do(t, "GET", "/api/v1/invoices", nil, m.Auth()).Map(t)["data"].([]any)); n != 1 {
			t.Errorf("%d invoices, want 1", n)
		}
	}, func(c *wiring.Config) { c.IdempotencyLease = lease })
}
