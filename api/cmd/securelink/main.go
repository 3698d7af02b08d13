// Command securelink serves SecureLink: the REST API, the merchant portal, the checkout, the
// built-in test gateway, the OpenAPI document, health checks and metrics.
//
// Sub-commands: serve (default), migrate, merchant create, demo, gateway, exchange-sandbox. The wiring of every
// dependency (use cases, stores, provider, jobs) lives in package securelink/api/wiring.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"securelink/api"
	"securelink/api/wiring"
	"securelink/internal/domain"
	"securelink/internal/merchants"
	"securelink/internal/psp/testgateway"
	"securelink/internal/store"
)

const usage = `securelink — pay-by-link

Usage:
  securelink [serve] [--addr :8080] [--seed-demo]   serve the API, portal, checkout and test gateway
  securelink migrate                                apply database migrations and exit
  securelink merchant create --name NAME --email E  create a merchant; prints its one-time portal invitation link
  securelink merchant connect --merchant ID --mode test|live --psp NAME --FIELD VALUE …
                                                    connect a merchant's provider account (--secret-key, --publishable-key,
                                                    --webhook-secret, --api-url for Stripe) and test it
  securelink rotate-encryption-key                  re-seal every provider credential with SECURELINK_ENCRYPTION_KEY
                                                    (the old key in SECURELINK_PREVIOUS_ENCRYPTION_KEYS)
  securelink demo [--json]                          create a demo merchant with a password and an API key
  securelink gateway [--addr :8090]                 run the test gateway alone, as a separate PSP
  securelink exchange-sandbox [--addr 127.0.0.1:8091]  run an emulator of AllSecure Exchange (see README)

Settings come from environment variables (see README.md): SECURELINK_ADDR, SECURELINK_BASE_URL,
DATABASE_URL, SECURELINK_SECRET, SMTP_URL, SECURELINK_ENCRYPTION_KEY, PSP, STRIPE_SECRET_KEY,
STRIPE_PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET.
`

// defaultGCPercent is the garbage collector's target unless GOGC says otherwise. The live heap is
// small, so collecting when it has grown 4× rather than 2× halves the collector's CPU (8% less
// server CPU per payment in make bench) for more memory under load: about 210 MB resident at 800
// payments/s instead of 90 MB.
const defaultGCPercent = 400

// embeddedProcessors is how many processors Go schedules goroutines on when serving the embedded
// database, given GOMAXPROCS from the environment and the CPUs the process may use: twice the
// CPUs, unless GOMAXPROCS is set or the runtime found a CPU quota below them (more processors
// than a quota allows would get the process throttled), where it leaves the runtime's own.
//
// Why: every write waits for the one writer connection, and a goroutine holding it that Go
// preempts, or that comes back from a system call to find no free processor, waits behind every
// runnable goroutine while all payers wait for it. With spare processors it runs again at once,
// and the kernel shares the CPUs. Measured on 2 CPUs, three paired runs of the bench's payments
// with both databases: SQLite's pay p99 fell from 38.4-39.0 to 32.6-33.3 ms, for 9 % fewer
// payments per second (2,221 to 2,012) and 13 % more server CPU per payment.
func embeddedProcessors(gomaxprocsEnv string, cpus, current int) int {
	if gomaxprocsEnv != "" || current != cpus {
		return current
	}
	return 2 * cpus
}

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
	setupLogging(os.Getenv("SECURELINK_LOG_LEVEL"))
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "securelink:", err)
		os.Exit(1)
	}
}

func setupLogging(level string) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	slog.SetDefault(slog.New(api.LogHandler{Handler: slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l})}))
}

func run(args []string) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(args)
	case "migrate":
		return migrate(args)
	case "merchant":
		switch {
		case len(args) > 0 && args[0] == "create":
			return merchantCreate(args[1:])
		case len(args) > 0 && args[0] == "connect":
			return merchantConnect(args[1:])
		}
		return errors.New("usage: securelink merchant create --name NAME --email EMAIL\n       securelink merchant connect --merchant ID --mode live --psp stripe --secret-key … --publishable-key …")
	case "rotate-encryption-key":
		return rotateEncryptionKey(args)
	case "demo":
		return demo(args)
	case "gateway":
		return gateway(args)
	case "exchange-sandbox":
		return exchangeSandbox(args)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

func serve(args []string) error {
	cfg, err := wiring.LoadConfig(flag.NewFlagSet("serve", flag.ExitOnError), args)
	if err != nil {
		return err
	}
	if store.Embedded(cfg.DatabaseURL) {
		runtime.GOMAXPROCS(embeddedProcessors(os.Getenv("GOMAXPROCS"), runtime.NumCPU(), runtime.GOMAXPROCS(0)))
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, err := wiring.New(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	var demoInfo *demoCredentials
	if cfg.SeedDemo {
		if demoInfo, err = seedDemo(ctx, a); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: a.Server, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	jobsCtx, stopJobs := context.WithCancel(context.Background())
	defer stopJobs()
	a.RunJobs(jobsCtx)
	if cfg.PprofAddr != "" {
		go servePprof(cfg.PprofAddr)
	}
	if cfg.MetricsAddr != "" {
		metricsLn, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("SECURELINK_METRICS_ADDR: %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.Server.MetricsHandler())
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		defer msrv.Close()
		go func() { _ = msrv.Serve(metricsLn) }()
		slog.Info("metrics served on their own address", "addr", metricsLn.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	slog.Info("securelink listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "psp", wiring.DescribeProvider(a.Provider))
	printWelcome(cfg, demoInfo)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// SIGTERM: stop accepting, let requests in flight finish, then stop background work.
	slog.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	stopJobs()
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	slog.Info("stopped")
	return nil
}

func printWelcome(cfg wiring.Config, d *demoCredentials) {
	fmt.Printf("\nSecureLink is running at %s\n", cfg.BaseURL)
	fmt.Printf("  Merchant portal: %s/portal/\n", cfg.BaseURL)
	if d != nil {
		fmt.Printf("  Log in as:       %s  /  %s\n", d.Email, d.Password)
		fmt.Printf("  API key:         %s\n", d.APIKey)
	}
	fmt.Printf("  API reference:   %s/api/docs\n", cfg.BaseURL)
	if d != nil {
		fmt.Printf("  Try it:          curl -s %s/api/v1/invoices -H 'Authorization: Bearer %s' \\\n"+
			"                     -H 'Content-Type: application/json' \\\n"+
			"                     -d '{\"customer\":{\"name\":\"Ana Anić\",\"email\":\"ana@example.com\"},\"lines\":[{\"description\":\"Consulting\",\"quantity\":1,\"unit_amount\":1200000,\"vat_rate\":20}]}'\n",
			cfg.BaseURL, d.APIKey)
	}
	fmt.Println("  Stop with Ctrl+C.")
}

func migrate(args []string) error {
	cfg, err := wiring.LoadConfig(flag.NewFlagSet("migrate", flag.ExitOnError), args)
	if err != nil {
		return err
	}
	db, err := wiring.OpenDB(context.Background(), cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Println("database is up to date")
	return nil
}

// openApp reads the settings and flags of a one-shot sub-command and wires the product for it.
func openApp(ctx context.Context, fs *flag.FlagSet, args []string) (*wiring.App, error) {
	cfg, err := wiring.LoadConfig(fs, args)
	if err != nil {
		return nil, err
	}
	return wiring.New(ctx, cfg)
}

func merchantCreate(args []string) error {
	fs := flag.NewFlagSet("merchant create", flag.ExitOnError)
	name := fs.String("name", "", "merchant name")
	email := fs.String("email", "", "owner's e-mail address")
	asJSON := fs.Bool("json", false, "print JSON")
	ctx := context.Background()
	a, err := openApp(ctx, fs, args)
	if err != nil {
		return err
	}
	defer a.Close()
	cr, err := a.Merchants.CreateMerchant(ctx, merchants.NewMerchant{Name: *name, Email: *email})
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(map[string]any{"merchant_id": cr.Merchant.ID, "user_id": cr.Owner.ID,
			"invitation_url": cr.InvitationURL, "expires_at": cr.ExpiresAt})
	}
	fmt.Println(cr.InvitationURL)
	fmt.Fprintf(os.Stderr, "Merchant %s (%s) created. Send the link above to %s: it sets the portal password and is valid until %s.\n",
		cr.Merchant.Name, cr.Merchant.ID, cr.Owner.Email, cr.ExpiresAt.Format(time.RFC1123))
	return nil
}

// demoCredentials are what a demo merchant logs in with.
type demoCredentials struct {
	MerchantID string `json:"merchant_id"`
	Email      string `json:"email"`
	Password   string `json:"password"`
	APIKey     string `json:"api_key"`
	PortalURL  string `json:"portal_url"`
}

// createDemo creates a merchant with a password set and an API key.
func createDemo(ctx context.Context, a *wiring.App, name, email string) (demoCredentials, error) {
	cr, err := a.Merchants.CreateMerchant(ctx, merchants.NewMerchant{Name: name, Email: email})
	if err != nil {
		return demoCredentials{}, err
	}
	pw := domain.NewToken(12)
	u, err := a.Merchants.AcceptInvitation(ctx, cr.InvitationToken, pw, "Demo Owner", "")
	if err != nil {
		return demoCredentials{}, err
	}
	actor := domain.Actor{Type: domain.ActorUser, ID: u.ID, MerchantID: u.MerchantID}
	k, err := a.Merchants.CreateAPIKey(ctx, actor, "Demo key", nil)
	if err != nil {
		return demoCredentials{}, err
	}
	return demoCredentials{MerchantID: cr.Merchant.ID, Email: u.Email, Password: pw, APIKey: k.Secret, PortalURL: a.Cfg.BaseURL + "/portal/"}, nil
}

// seedDemo creates the demo merchant on an empty database. Its credentials are kept in a file next
// to the SQLite database (or in the working folder) so later runs can print them again.
func seedDemo(ctx context.Context, a *wiring.App) (*demoCredentials, error) {
	path := demoFile(a.Cfg.DatabaseURL)
	n, err := a.Merchants.Store.CountMerchants(ctx)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, nil // someone else's database: nothing to print
		}
		var d demoCredentials
		if json.Unmarshal(b, &d) != nil {
			return nil, nil
		}
		return &d, nil
	}
	d, err := createDemo(ctx, a, "Demo prodavnica", "demo@securelink.test")
	if err != nil {
		return nil, err
	}
	b, _ := json.MarshalIndent(d, "", "  ")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		slog.Warn("could not keep the demo credentials", "path", path, "err", err)
	}
	return &d, nil
}

func demoFile(databaseURL string) string {
	if p, ok := strings.CutPrefix(databaseURL, "sqlite:"); ok {
		return filepath.Join(filepath.Dir(p), "demo-credentials.json")
	}
	if databaseURL == "" {
		return filepath.Join(filepath.Dir("data/securelink.db"), "demo-credentials.json")
	}
	return "demo-credentials.json"
}

func demo(args []string) error {
	fs := flag.NewFlagSet("demo", flag.ExitOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	ctx := context.Background()
	a, err := openApp(ctx, fs, args)
	if err != nil {
		return err
	}
	defer a.Close()
	suffix := strings.ToLower(domain.NewToken(6))
	d, err := createDemo(ctx, a, "Demo "+suffix, "demo-"+strings.ReplaceAll(suffix, "_", "x")+"@securelink.test")
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(d)
	}
	fmt.Printf("Portal:   %s\nLogin:    %s / %s\nAPI key:  %s\n", d.PortalURL, d.Email, d.Password, d.APIKey)
	return nil
}

func gateway(args []string) error {
	fs := flag.NewFlagSet("gateway", flag.ExitOnError)
	addr := fs.String("addr", wiring.Env("SECURELINK_GATEWAY_ADDR", ":8090"), "listen address")
	public := fs.String("public-url", os.Getenv("SECURELINK_GATEWAY_PUBLIC_URL"), "browser-facing base URL (default: from each request)")
	secret := fs.String("secret", os.Getenv("SECURELINK_GATEWAY_SECRET"), "secret key of server-to-server calls (SECURELINK_GATEWAY_SECRET)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *secret == "" {
		return errors.New("the gateway needs a secret key: --secret or SECURELINK_GATEWAY_SECRET")
	}
	gw := testgateway.NewServer(testgateway.Config{SecretKey: *secret, PublicURL: *public})
	defer gw.Close()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Addr: *addr, Handler: gw.Mount(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	slog.Info("test gateway listening", "addr", *addr, "prefix", testgateway.Prefix)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
