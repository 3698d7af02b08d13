package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"securelink/internal/psp"
	"securelink/internal/psp/exchange"
	"securelink/internal/psp/exchange/sandbox"
)

// TestExchangeSandboxCommand: `securelink exchange-sandbox` serves the emulator with the credentials
// it prints, and a provider account with them takes a payment.
func TestExchangeSandboxCommand(t *testing.T) {
	bin := buildBinary(t)
	addr := freeAddr(t)
	base := "http://" + addr
	cmd := exec.Command(bin, "exchange-sandbox", "--addr", addr, "--shared-secret", "cmd-secret")
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var index string
	for range 100 {
		if r, err := http.Get(base + "/"); err == nil {
			b, _ := io.ReadAll(r.Body)
			r.Body.Close()
			index = string(b)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(index, "4000000000003220") {
		t.Fatalf("index does not list the test cards: %q\n%s", index, logs.String())
	}
	p, err := exchange.New(exchange.Config{APIURL: base, APIKey: sandboxDefaultAPIKey, Username: sandboxDefaultUser,
		Password: sandboxDefaultPassword, SharedSecret: "cmd-secret", PublicIntegrationKey: sandboxDefaultPublicKey})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.TestConnection(ctx); err != nil {
		t.Fatalf("TestConnection: %v", err)
	}
	tok, err := sandbox.CreateToken(ctx, nil, base, "4242424242424242", 12, time.Now().Year()+2, "123", "Ana Anić")
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Authorize(ctx, psp.AuthorizeRequest{IdempotencyKey: "pay_cmd:authorize", Reference: "pay_cmd", Amount: 1000,
		Currency: "RSD", PaymentToken: tok, Capture: true, ReturnURL: "https://pay.example/return"})
	if err != nil || res.Outcome != psp.OutcomeSucceeded {
		t.Fatalf("Authorize = %+v, %v", res, err)
	}
	if !strings.Contains(logs.String(), "shared_secret=cmd-secret") {
		t.Errorf("the command does not print the account's credentials:\n%s", logs.String())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit: %v\n%s", err, logs.String())
	}
}
