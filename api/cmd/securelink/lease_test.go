package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// server is one run of the real binary.
type server struct {
	cmd  *exec.Cmd
	base string
	logs *bytes.Buffer
}

// startServer runs `securelink serve` with env and waits until it is ready.
func startServer(t *testing.T, bin string, env []string, base string) *server {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	logs := &bytes.Buffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
	for range 200 {
		if r, err := http.Get(base + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return &server{cmd: cmd, base: base, logs: logs}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("not ready:\n%s", logs.String())
	return nil
}

func postInvoice(base, apiKey, idemKey string) (int, []byte, error) {
	body := `{"customer":{"name":"Ana Anić","email":"ana@example.com"},"lines":[{"description":"Torta","quantity":1,"unit_amount":450000,"vat_rate":20}]}`
	req, _ := http.NewRequest("POST", base+"/api/v1/invoices", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+apiKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", idemKey)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer r.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(r.Body)
	return r.StatusCode, b.Bytes(), nil
}

// TestIdempotencyKeySurvivesAKilledProcess: POST /invoices hangs on a lock the test holds, the process
// is killed (-9) with the Idempotency-Key in flight, and after a restart the merchant's retry with the
// same key answers 409 only until the lease runs out; then it creates exactly one invoice.
func TestIdempotencyKeySurvivesAKilledProcess(t *testing.T) {
	bin := buildBinary(t)
	dbURL := storetest.URL(t, store.DialectPostgres)
	const lease = 3 * time.Second
	addr := freeAddr(t)
	base := "http://" + addr
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "SECURELINK_ADDR="+addr, "SECURELINK_BASE_URL="+base,
		"SECURELINK_GATEWAY_SECRET=gsk_test_lease", "SECURELINK_LOG_LEVEL=warn", "SECURELINK_IDEMPOTENCY_LEASE="+lease.String())
	demoCmd := exec.Command(bin, "demo", "--json")
	demoCmd.Env = env
	out, err := demoCmd.Output()
	demo := map[string]string{}
	if err != nil || json.Unmarshal(out, &demo) != nil {
		t.Fatalf("demo: %v %s", err, out)
	}
	first := startServer(t, bin, env, base)

	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	lock, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()
	if _, err := lock.Exec("LOCK TABLE invoices IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	const key = "order-1042"
	go func() { _, _, _ = postInvoice(base, demo["api_key"], key) }()
	// Wait until the request holds its key and hangs on the lock.
	var begun time.Time
	for range 200 {
		if db.QueryRow("SELECT created_at FROM idempotency_keys WHERE key = $1 AND status = 'running'", key).Scan(&begun) == nil {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if begun.IsZero() {
		t.Fatalf("the request never took its key:\n%s", first.logs)
	}
	time.Sleep(200 * time.Millisecond)
	if err := first.cmd.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	_, _ = first.cmd.Process.Wait()
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}

	second := startServer(t, bin, env, base)
	status, body, err := postInvoice(base, demo["api_key"], key)
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(begun) < lease-time.Second && (status != http.StatusConflict || !bytes.Contains(body, []byte("idempotency_key_in_use"))) {
		t.Errorf("retry within the lease: %d %s", status, body)
	}
	time.Sleep(time.Until(begun.Add(lease + 200*time.Millisecond)))
	status, body, err = postInvoice(base, demo["api_key"], key)
	if err != nil || status != http.StatusCreated {
		t.Fatalf("retry after the lease: %d %s %v\n%s", status, body, err, second.logs)
	}
	if status, _, _ = postInvoice(base, demo["api_key"], key); status != http.StatusCreated {
		t.Errorf("replay: %d", status)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM invoices WHERE merchant_id = $1", demo["merchant_id"]).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d invoices after the retries (%v), want exactly 1", n, err)
	}
}
