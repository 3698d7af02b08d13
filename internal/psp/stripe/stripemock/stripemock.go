// Package stripemock runs stripe-mock (Stripe's API fixtures server) on loopback for tests of the
// Stripe adapter and of the product running with PSP=stripe.
package stripemock

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Version is the stripe-mock release these tests are written against.
const Version = "v0.203.0"

// Start runs stripe-mock on loopback until the test ends and returns its base URL.
// stripe-mock answers every call with Stripe's fixtures after validating the parameters against
// Stripe's OpenAPI description, so it proves request shapes, not payment behaviour.
func Start(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("stripe-mock, a server process of its own, runs in the full suite, not in the -short loop")
	}
	bin := stripeMockBinary(t)

	httpPort, httpsPort := FreePort(t), FreePort(t)
	// The -http-port/-https-port flags bind every interface; the -addr flags keep it on loopback.
	cmd := exec.Command(bin,
		"-http-addr", fmt.Sprintf("127.0.0.1:%d", httpPort),
		"-https-addr", fmt.Sprintf("127.0.0.1:%d", httpsPort))
	logPath := filepath.Join(t.TempDir(), "stripe-mock.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatalf("create stripe-mock log: %v", err)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("start stripe-mock: %v", err)
	}
	// exited is closed once the process is gone; waitErr is safe to read after that.
	exited := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		_ = logFile.Close()
	})

	baseURL := fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	waitUntilAnswering(t, baseURL, exited, func() error { return waitErr }, logPath)
	return baseURL
}

// stripeMockBinary finds stripe-mock; in CI it installs the pinned version, elsewhere the test skips.
func stripeMockBinary(t testing.TB) string {
	t.Helper()
	if path, err := exec.LookPath("stripe-mock"); err == nil {
		return path
	}
	if home, err := os.UserHomeDir(); err == nil {
		path := filepath.Join(home, "go", "bin", "stripe-mock")
		if _, err := os.Stat(path); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "true" {
		t.Skipf("stripe-mock not found: go install github.com/stripe/stripe-mock@%s (CI=true installs it)", Version)
	}
	gobin := t.TempDir()
	install := exec.Command("go", "install", "github.com/stripe/stripe-mock@"+Version)
	install.Env = append(os.Environ(), "GOBIN="+gobin, "GOFLAGS=")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("install stripe-mock: %v\n%s", err, out)
	}
	return filepath.Join(gobin, "stripe-mock")
}

// FreePort asks the kernel for a free port on 127.0.0.1.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitUntilAnswering polls stripe-mock until it answers HTTP, for at most 15 seconds.
func waitUntilAnswering(t testing.TB, baseURL string, exited <-chan struct{}, exitErr func() error, logPath string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/v1/balance", nil)
		req.SetBasicAuth("sk_test_ready", "")
		resp, err := client.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			return
		}
		select {
		case <-exited:
			log, _ := os.ReadFile(logPath)
			t.Fatalf("stripe-mock exited before answering: %v\n%s", exitErr(), log)
		case <-ctx.Done():
			log, _ := os.ReadFile(logPath)
			t.Fatalf("stripe-mock did not answer at %s: %v\n%s", baseURL, errors.Join(err, ctx.Err()), log)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
