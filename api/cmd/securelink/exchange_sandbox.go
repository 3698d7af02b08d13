package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"securelink/api/wiring"
	"securelink/internal/psp/exchange/sandbox"
)

// The sandbox account's credentials when none are given: fine for a developer's machine, where
// the sandbox moves no money.
const (
	sandboxDefaultAPIKey    = "sandbox-api-key"
	sandboxDefaultUser      = "sandbox-user"
	sandboxDefaultPassword  = "sandbox-password"
	sandboxDefaultSecret    = "sandbox-shared-secret"
	sandboxDefaultPublicKey = "sandbox-public-integration-key"
)

// exchangeSandbox runs the AllSecure Exchange emulator alone.
func exchangeSandbox(args []string) error {
	fs := flag.NewFlagSet("exchange-sandbox", flag.ExitOnError)
	addr := fs.String("addr", wiring.Env("SECURELINK_EXCHANGE_SANDBOX_ADDR", "127.0.0.1:8091"), "listen address")
	public := fs.String("public-url", os.Getenv("SECURELINK_EXCHANGE_SANDBOX_PUBLIC_URL"), "browser-facing base URL (default: from each request)")
	cfg := sandbox.Config{}
	fs.StringVar(&cfg.APIKey, "api-key", sandboxDefaultAPIKey, "the account's API key")
	fs.StringVar(&cfg.Username, "username", sandboxDefaultUser, "the account's API username")
	fs.StringVar(&cfg.Password, "password", wiring.Env("SECURELINK_EXCHANGE_SANDBOX_PASSWORD", sandboxDefaultPassword), "the account's API password")
	fs.StringVar(&cfg.SharedSecret, "shared-secret", wiring.Env("SECURELINK_EXCHANGE_SANDBOX_SHARED_SECRET", sandboxDefaultSecret), "the account's shared secret")
	fs.StringVar(&cfg.PublicIntegrationKey, "public-integration-key", sandboxDefaultPublicKey, "payment.js's public integration key")
	fs.DurationVar(&cfg.PendingFor, "pending-for", 3*time.Second, "how long the PENDING test card waits before it succeeds (0: until /sandbox/transactions/{uuid}/settle)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.APIKey == "" || cfg.Username == "" || cfg.Password == "" || cfg.SharedSecret == "" || cfg.PublicIntegrationKey == "" {
		return errors.New("exchange-sandbox: every credential needs a value")
	}
	cfg.PublicURL = *public
	sb := sandbox.New(cfg)
	defer sb.Close()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Addr: *addr, Handler: sb.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	slog.Info("AllSecure Exchange sandbox listening", "addr", *addr)
	fmt.Fprintf(os.Stderr, "Provider account for this sandbox: api_url=http://%s api_key=%s username=%s password=%s shared_secret=%s public_integration_key=%s\n",
		*addr, cfg.APIKey, cfg.Username, cfg.Password, cfg.SharedSecret, cfg.PublicIntegrationKey)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
