package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runShell runs a documented shell example and returns its output.
func runShell(t *testing.T, script string, env ...string) []byte {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	return out
}

// TestDocumentedExamplesWork runs the banner's "Try it" curl as `make run` prints it, and the README's
// invoice example, against the real binary: both create an invoice (they send Content-Type: JSON).
func TestDocumentedExamplesWork(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	bin := buildBinary(t)
	addr := freeAddr(t)
	base := "http://" + addr
	cmd := exec.Command(bin, "serve", "--seed-demo")
	dir := t.TempDir()
	cmd.Env = append(os.Environ(), "DATABASE_URL=sqlite:"+filepath.Join(dir, "sl.db"), "SECURELINK_ADDR="+addr,
		"SECURELINK_BASE_URL="+base, "SECURELINK_GATEWAY_SECRET=gsk_test_examples", "SECURELINK_LOG_LEVEL=warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
	// The banner: from "Try it:" to the line that ends the command.
	var tryIt []string
	apiKey := ""
	sc := bufio.NewScanner(stdout)
	deadline := time.Now().Add(2 * time.Minute)
	for sc.Scan() && time.Now().Before(deadline) {
		line := sc.Text()
		if k, ok := strings.CutPrefix(strings.TrimSpace(line), "API key:"); ok {
			apiKey = strings.TrimSpace(k)
		}
		if _, cmdText, ok := strings.Cut(line, "Try it:"); ok {
			tryIt = append(tryIt, cmdText)
			continue
		}
		if len(tryIt) > 0 {
			tryIt = append(tryIt, line)
			if !strings.HasSuffix(line, `\`) {
				break
			}
		}
	}
	go func() { _, _ = bufio.NewReader(stdout).WriteTo(new(bytes.Buffer)) }()
	if len(tryIt) == 0 || apiKey == "" {
		t.Fatalf("no Try it command or API key in the banner")
	}
	var created map[string]any
	out := runShell(t, strings.Join(tryIt, "\n"))
	if err := json.Unmarshal(out, &created); err != nil || created["object"] != "invoice" {
		t.Errorf("the banner's curl did not create an invoice: %s", out)
	}

	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(readme), "Create an invoice and its payment link:\n\n```sh\n")
	example, _, ok := strings.Cut(rest, "```")
	if !ok || !strings.Contains(example, "curl") {
		t.Fatal("the README's invoice example was not found")
	}
	example = strings.ReplaceAll(example, "http://localhost:8080", base)
	out = runShell(t, example, "SECURELINK_KEY="+apiKey)
	if err := json.Unmarshal(out, &created); err != nil || created["amount_total"] != float64(480000) {
		t.Errorf("the README's example did not create the invoice it describes: %s", out)
	}
}
