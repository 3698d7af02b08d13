package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"securelink"
	"securelink/api"
	frontendpay "securelink/frontend-pay"
	frontendportal "securelink/frontend-portal"
	"securelink/internal/audit"
	"securelink/internal/auth"
	"securelink/internal/domain"
	"securelink/internal/invoices"
	"securelink/internal/merchants"
	"securelink/internal/psp"
	"securelink/internal/psp/stripe"
	"securelink/internal/psp/testgateway"
	"securelink/internal/store"
)

// app is every dependency, wired once.
type app struct {
	cfg       config
	db        *store.DB
	merchants *merchants.Service
	invoices  *invoices.Service
	audit     *audit.Log
	idem      *store.Idempotency
	provider  psp.Provider
	gateway   *testgateway.Server
	server    *api.Server
	registry  *prometheus.Registry
	jobs      []job
}

// job is background work run every Every on each replica; the work itself coordinates replicas
// through the database (conditional updates, SKIP LOCKED), never through memory.
type job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) error
}

// openDB opens and migrates the database.
func openDB(ctx context.Context, cfg config) (*store.DB, error) {
	db, err := store.Open(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// newApp wires the whole product.
func newApp(ctx context.Context, cfg config) (*app, error) {
	db, err := openDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, db: db, registry: prometheus.NewRegistry()}
	a.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	invoicesCreated := prometheus.NewCounter(prometheus.CounterOpts{Name: "securelink_invoices_created_total", Help: "Invoices created."})
	a.registry.MustRegister(invoicesCreated)

	settings := &store.Settings{DB: db}
	secret := cfg.Secret
	if secret == "" {
		if secret, err = settings.GetOrCreate(ctx, "session_secret", func() string { return domain.NewToken(32) }); err != nil {
			return nil, err
		}
	}
	a.audit = &audit.Log{Store: &store.Audit{DB: db}}
	a.merchants = &merchants.Service{Store: &store.Merchants{DB: db}, Audit: a.audit, BaseURL: cfg.BaseURL,
		LoginMaxFailures: 10, LoginWindow: 15 * time.Minute}
	a.invoices = &invoices.Service{Store: &store.Invoices{DB: db}, Audit: a.audit, BaseURL: cfg.BaseURL, OnCreated: invoicesCreated.Inc}
	a.idem = &store.Idempotency{DB: db}

	if err := a.wireProvider(ctx, settings); err != nil {
		return nil, err
	}
	d := api.Deps{
		BaseURL: cfg.BaseURL, DB: db, Merchants: a.merchants, Invoices: a.invoices, Audit: a.audit,
		Sessions:    &auth.Sessions{Secret: []byte(secret), TTL: cfg.SessionTTL},
		Idempotency: a.idem, Provider: a.provider.ClientConfig(), Registry: a.registry,
		PortalFS: frontendportal.Dist(), PayFS: frontendpay.Dist(), OpenAPI: securelink.OpenAPI,
	}
	if a.gateway != nil {
		d.Gateway = a.gateway.Mount()
	}
	a.server = api.New(d)
	a.jobs = []job{
		{Name: "expire invoices", Every: time.Minute, Run: func(ctx context.Context) error {
			_, err := a.invoices.ExpireDue(ctx)
			return err
		}},
		{Name: "purge idempotency keys", Every: time.Hour, Run: func(ctx context.Context) error {
			_, err := a.idem.Purge(ctx, time.Now().Add(-25*time.Hour))
			return err
		}},
	}
	return a, nil
}

// wireProvider sets up the payment provider: Stripe, or the test gateway (in this process unless
// SECURELINK_GATEWAY_URL points at a separately running one).
func (a *app) wireProvider(ctx context.Context, settings *store.Settings) error {
	cfg := a.cfg
	if cfg.PSP == "stripe" {
		p, err := stripe.New(stripe.Config{SecretKey: cfg.StripeSecretKey, PublishableKey: cfg.StripePublishableKey, WebhookSecret: cfg.StripeWebhookSecret})
		if err != nil {
			return err
		}
		a.provider = p
		return nil
	}
	key := cfg.GatewaySecret
	if key == "" {
		var err error
		if key, err = settings.GetOrCreate(ctx, "gateway_secret", func() string { return "gsk_test_" + domain.NewToken(24) }); err != nil {
			return err
		}
	}
	base, public := cfg.GatewayURL, cfg.GatewayURL
	if base == "" {
		a.gateway = testgateway.NewServer(testgateway.Config{SecretKey: key, PublicURL: cfg.BaseURL})
		base, public = loopbackURL(cfg.Addr), cfg.BaseURL
	}
	a.provider = testgateway.NewClient(testgateway.ClientOptions{BaseURL: base, PublicURL: public, SecretKey: key,
		HTTPClient: &http.Client{Timeout: 20 * time.Second}})
	return nil
}

// runJobs runs every background job until ctx ends.
func (a *app) runJobs(ctx context.Context) {
	for _, j := range a.jobs {
		go func() {
			t := time.NewTicker(j.Every)
			defer t.Stop()
			for {
				if err := j.Run(ctx); err != nil && ctx.Err() == nil {
					slog.ErrorContext(ctx, "background job failed", "job", j.Name, "err", err)
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}()
	}
}

// close releases the database and the gateway.
func (a *app) close() {
	if a.gateway != nil {
		a.gateway.Close()
	}
	if err := a.db.Close(); err != nil {
		slog.Error("closing database", "err", err)
	}
}

func describeProvider(p psp.Provider) string {
	c := p.ClientConfig()
	if c.TokenizeURL != "" {
		return fmt.Sprintf("%s (cards tokenised at %s)", c.Name, c.TokenizeURL)
	}
	return c.Name
}
