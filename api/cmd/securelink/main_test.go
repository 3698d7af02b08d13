package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// buildBinary builds the real command once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	// Building and starting the whole binary is the slowest step of the suite; the fast loop
	// (-short) leaves it to the full run and the browser tests.
	if testing.Short() {
		t.Skip("builds the binary: left out with -short")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "securelink-bin")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "securelink")
		cmd := exec.Command("go", "build", "-o", builtBin, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("%w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatalf("build: %v", buildErr)
	}
	return builtBin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestCommands(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	env := append(os.Environ(), "DATABASE_URL=sqlite:"+filepath.Join(dir, "sl.db"), "SECURELINK_BASE_URL=https://pay.example.rs")

	run := func(args ...string) (string, string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		return out.String(), errb.String(), err
	}
	if out, _, err := run("migrate"); err != nil || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate: %v %s", err, out)
	}
	out, _, err := run("merchant", "create", "--name", "Pekara Mika", "--email", "mika@pekara.rs")
	if err != nil || !strings.HasPrefix(out, "https://pay.example.rs/portal/invite/") {
		t.Fatalf("merchant create: %v %q", err, out)
	}
	if _, errOut, err := run("merchant", "create", "--name", "Again", "--email", "mika@pekara.rs"); err == nil || !strings.Contains(errOut, "already exists") {
		t.Errorf("duplicate e-mail accepted: %v %s", err, errOut)
	}
	if _, errOut, err := run("merchant", "create", "--name", "", "--email", "x@y.rs"); err == nil || !strings.Contains(errOut, "name") {
		t.Errorf("empty name accepted: %v %s", err, errOut)
	}
	out, _, err = run("demo", "--json")
	var demo map[string]string
	if err != nil || json.Unmarshal([]byte(out), &demo) != nil || !strings.HasPrefix(demo["api_key"], "sk_test_") || demo["password"] == "" {
		t.Errorf("demo: %v %q", err, out)
	}
	if _, _, err := run("bogus"); err == nil {
		t.Error("unknown command accepted")
	}
}

// TestGracefulShutdown: SIGTERM lets a request in flight finish before the process exits.
func TestGracefulShutdown(t *testing.T) {
	bin := buildBinary(t)
	addr := freeAddr(t)
	base := "http://" + addr
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL=sqlite:"+filepath.Join(t.TempDir(), "sl.db"), "SECURELINK_ADDR="+addr,
		"SECURELINK_BASE_URL="+base, "SECURELINK_GATEWAY_SECRET=gsk_test_shutdown", "SECURELINK_LOG_LEVEL=warn")
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	ready := false
	for range 100 {
		if r, err := http.Get(base + "/readyz"); err == nil {
			r.Body.Close()
			ready = r.StatusCode == 200
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !ready {
		t.Fatalf("not ready:\n%s", logs.String())
	}
	// Slow the gateway down so a request is still running when SIGTERM arrives.
	req, _ := http.NewRequest("POST", base+"/gateway/v1/test/faults", strings.NewReader(`{"delay_ms":1500}`))
	req.Header.Set("Authorization", "Bearer gsk_test_shutdown")
	req.Header.Set("Content-Type", "application/json")
	if r, err := http.DefaultClient.Do(req); err != nil || r.StatusCode != 200 {
		t.Fatalf("faults: %v %v", err, r)
	}
	type result struct {
		status int
		err    error
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		req, _ := http.NewRequest("GET", base+"/gateway/v1/payments/gp_missing", nil)
		req.Header.Set("Authorization", "Bearer gsk_test_shutdown")
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		r.Body.Close()
		done <- result{status: r.StatusCode}
	}()
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	res := <-done
	if res.err != nil || res.status != http.StatusNotFound || time.Since(start) < time.Second {
		t.Errorf("request in flight: %+v after %s", res, time.Since(start))
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit: %v\n%s", err, logs.String())
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("still serving after shutdown")
	}
}

// TestConnectAndRotate: an operator connects a merchant's live account from the command line (no
// key: refused), with a key it is stored and the command prints its webhook URL; after a key change
// rotate-encryption-key re-seals it, and the new key alone then serves it.
func TestConnectAndRotate(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	base := append(os.Environ(), "DATABASE_URL=sqlite:"+filepath.Join(dir, "sl.db"), "SECURELINK_BASE_URL=https://pay.example.rs",
		"SECURELINK_ENCRYPTION_KEY=", "SECURELINK_PREVIOUS_ENCRYPTION_KEYS=")
	const oldKey, newKey = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=", "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
	run := func(env []string, args ...string) (string, string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		return out.String(), errb.String(), err
	}
	out, _, err := run(base, "demo", "--json")
	var demo map[string]string
	if err != nil || json.Unmarshal([]byte(out), &demo) != nil {
		t.Fatalf("demo: %v %q", err, out)
	}
	connect := []string{"merchant", "connect", "--merchant", demo["merchant_id"], "--mode", "live", "--psp", "stripe",
		"--secret-key", "sk_live_cli0000secret", "--publishable-key", "pk_live_cli", "--api-url", "http://127.0.0.1:9", "--no-test"}
	if _, errOut, err := run(base, connect...); err == nil || !strings.Contains(errOut, "SECURELINK_ENCRYPTION_KEY") {
		t.Fatalf("live account without a key: %v %s", err, errOut)
	}
	withOld := append(base, "SECURELINK_ENCRYPTION_KEY="+oldKey)
	out, errOut, err := run(withOld, connect...)
	if err != nil || !strings.Contains(out, "https://pay.example.rs/api/v1/psp/accounts/pa_") {
		t.Fatalf("connect: %v %s %s", err, out, errOut)
	}
	if _, errOut, err := run(append(base, "SECURELINK_ENCRYPTION_KEY="+newKey), "rotate-encryption-key"); err == nil {
		t.Fatalf("rotation without the old key succeeded: %s", errOut)
	}
	out, errOut, err = run(append(base, "SECURELINK_ENCRYPTION_KEY="+newKey, "SECURELINK_PREVIOUS_ENCRYPTION_KEYS="+oldKey), "rotate-encryption-key")
	if err != nil || !strings.Contains(out, "1 provider accounts re-sealed") {
		t.Fatalf("rotate: %v %s %s", err, out, errOut)
	}
	out, errOut, err = run(append(base, "SECURELINK_ENCRYPTION_KEY="+newKey), "rotate-encryption-key")
	if err != nil || !strings.Contains(out, "0 provider accounts re-sealed with the new key; 1 already were") {
		t.Fatalf("rotate again with the new key alone: %v %s %s", err, out, errOut)
	}
}

func TestEmbeddedProcessors(t *testing.T) {
	tests := []struct {
		name          string
		env           string
		cpus, current int
		want          int
	}{
		{"twice the CPUs by default", "", 2, 2, 4},
		{"one CPU gets two processors", "", 1, 1, 2},
		{"GOMAXPROCS from the environment stands", "3", 2, 3, 3},
		{"GOMAXPROCS=2 stands even when it equals the CPUs", "2", 2, 2, 2},
		{"a CPU quota below the CPUs stands", "", 8, 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := embeddedProcessors(tt.env, tt.cpus, tt.current); got != tt.want {
				t.Fatalf("embeddedProcessors(%q, %d, %d) = %d, want %d", tt.env, tt.cpus, tt.current, got, tt.want)
			}
		})
	}
}
