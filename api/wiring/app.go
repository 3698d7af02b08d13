// Package wiring builds the whole product from a Config: the database, every use case, the payment
// provider, the HTTP server and the background jobs. The command and the black-box tests share it.
package wiring

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
	"securelink/internal/invoicepdf"
	"securelink/internal/invoices"
	"securelink/internal/merchants"
	"securelink/internal/notify"
	"securelink/internal/notify/mail"
	"securelink/internal/notify/webhook"
	"securelink/internal/paymentlinks"
	"securelink/internal/payments"
	"securelink/internal/provideraccounts"
	"securelink/internal/psp"
	"securelink/internal/psp/testgateway"
	"securelink/internal/requestlog"
	"securelink/internal/statements"
	"securelink/internal/store"
)

// App is every dependency, wired once.
type App struct {
	Cfg       Config
	DB        *store.DB
	Merchants *merchants.Service
	Invoices  *invoices.Service
	Payments  *payments.Service
	Audit     *audit.Log
	Idem      *store.Idempotency
	Notify    *notify.Service
	// Dispatcher, Webhooks and Mailer are the notification workers (Mailer is nil without SMTP_URL);
	// tests drive them with RunOnce.
	Dispatcher *notify.Dispatcher
	Webhooks   *notify.WebhookWorker
	Mailer     *notify.Mailer
	// Provider is the deployment's default account's provider (DefaultAccount, from the
	// environment), for merchants without an account of their own; BuiltinGateway is the test
	// gateway as this deployment runs it.
	Provider       psp.Provider
	DefaultAccount psp.Account
	BuiltinGateway psp.Account
	// Providers routes each payment to its merchant's provider account (ProviderAccounts).
	Providers        payments.Providers
	ProviderAccounts *provideraccounts.Service
	Gateway          *testgateway.Server
	Server           *api.Server
	Registry         *prometheus.Registry
	// RequestLog keeps the merchants' request logs; tests flush it with Flush.
	RequestLog *requestlog.Log
	Jobs       []Job
}

// Job is background work run every Every on each replica; the work itself coordinates replicas
// through the database (conditional updates, SKIP LOCKED), never through memory.
type Job struct {
	Name  string
	Every time.Duration
	// Again, when set, is the pause after a run that found work. A backlog is then worked off in
	// small batches a few milliseconds apart instead of in one burst every Every, which kept the
	// CPUs from requests for the length of the burst (and e-mails wait less).
	Again time.Duration
	// Run does one round of the work and tells whether it found any.
	Run func(ctx context.Context) (worked bool, err error)
}

// log is the logger of this instance.
func (a *App) log() *slog.Logger {
	if a.Cfg.Log != nil {
		return a.Cfg.Log
	}
	return slog.Default()
}

// counted adapts work that returns how many items it handled.
func counted(run func(ctx context.Context) (int, error)) func(ctx context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		n, err := run(ctx)
		return n > 0, err
	}
}

// plain adapts work that does not say whether it found any.
func plain(run func(ctx context.Context) error) func(ctx context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) { return false, run(ctx) }
}

// OpenDB opens and migrates the database.
func OpenDB(ctx context.Context, cfg Config) (*store.DB, error) {
	db, err := store.Open(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	db.SetMaxConns(cfg.DatabaseMaxConns)
	if err := db.Migrate(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// New opens (and migrates) the database and wires the whole product.
func New(ctx context.Context, cfg Config) (*App, error) {
	db, err := OpenDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.PSP == "" {
		cfg.PSP = "testgateway"
	}
	a := &App{Cfg: cfg, DB: db, Registry: prometheus.NewRegistry()}
	a.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	invoicesCreated := prometheus.NewCounter(prometheus.CounterOpts{Name: "securelink_invoices_created_total", Help: "Invoices created."})
	a.Registry.MustRegister(invoicesCreated)
	registerSQLiteMetrics(a.Registry, db)
	registerPostgresMetrics(a.Registry, db)
	if db.Dialect == store.DialectPostgres {
		// go_sql_wait_count_total and go_sql_wait_duration_seconds_total tell whether requests queue
		// for a pooled connection (DATABASE_MAX_CONNS).
		a.Registry.MustRegister(collectors.NewDBStatsCollector(db.SQL, "securelink"))
	}

	settings := &store.Settings{DB: db}
	secret := cfg.Secret
	if secret == "" {
		if secret, err = settings.GetOrCreate(ctx, "session_secret", func() string { return domain.NewToken(32) }); err != nil {
			return nil, err
		}
	}
	a.Audit = &audit.Log{Store: &store.Audit{DB: db}}
	// Every action and its audit row commit in one transaction.
	tx := audit.Tx(db.InTx)
	a.Merchants = &merchants.Service{Store: &store.Merchants{DB: db}, Logos: &store.Merchants{DB: db}, Audit: a.Audit, BaseURL: cfg.BaseURL, Tx: tx}
	a.Invoices = &invoices.Service{Store: &store.Invoices{DB: db}, Reminders: &store.Invoices{DB: db}, Audit: a.Audit, BaseURL: cfg.BaseURL, OnCreated: invoicesCreated.Inc, Tx: tx}
	a.Idem = &store.Idempotency{DB: db}
	a.RequestLog = &requestlog.Log{Store: &store.RequestLogs{DB: db}}

	if err := a.wireProvider(ctx, settings); err != nil {
		return nil, err
	}
	if err := a.wireNotify(); err != nil {
		return nil, err
	}
	a.Merchants.ResetMail = a.Notify
	if err := a.wireProviderAccounts(ctx, settings); err != nil {
		return nil, err
	}
	a.Invoices.LiveProvider = a.ProviderAccounts
	a.Payments = &payments.Service{Store: &store.Payments{DB: db}, Links: a.Invoices, Providers: a.Providers, Audit: a.Audit, BaseURL: cfg.BaseURL,
		AuthorizationWindow: cfg.AuthorizationWindow, Tx: tx}
	d := api.Deps{
		BaseURL: cfg.BaseURL, DB: db, Merchants: a.Merchants, Invoices: a.Invoices, Audit: a.Audit,
		Sessions:    &auth.Sessions{Secret: []byte(secret), TTL: cfg.SessionTTL},
		Idempotency: a.Idem, IdempotencyLease: cfg.IdempotencyLease, Notify: a.Notify, Providers: a.Providers, ProviderAccounts: a.ProviderAccounts, Registry: a.Registry,
		RequestLog: a.RequestLog, APIRateLimit: cfg.APIRateLimit, Log: cfg.Log,
		IsUnavailable: store.IsUnavailable, TrustProxy: cfg.TrustProxy, MetricsElsewhere: cfg.MetricsAddr != "", PortalFS: frontendportal.Dist(), PayFS: frontendpay.Dist(), OpenAPI: securelink.OpenAPI,
	}
	if a.Gateway != nil {
		d.Gateway = a.Gateway.Mount()
	}
	if cfg.PayFS != nil {
		d.PayFS = cfg.PayFS
	}
	d.Payments = a.Payments
	d.PaymentLinks = &paymentlinks.Service{Store: store.NewPaymentLinks(db), Orders: a.Invoices, Audit: a.Audit, Tx: tx,
		BaseURL: cfg.BaseURL, LiveProvider: a.ProviderAccounts}
	d.Statements = &statements.Service{Invoices: &store.Invoices{DB: db}, Payments: a.Payments, Columns: &store.Merchants{DB: db}}
	a.Server = api.New(d)
	a.Jobs = []Job{
		{Name: "expire invoices", Every: time.Minute, Run: counted(a.Invoices.ExpireDue)},
		// Reminders are days apart; a run every few minutes sends them close to their time.
		{Name: "send reminders", Every: 5 * time.Minute, Run: counted(a.Invoices.RemindDue)},
		{Name: "purge failed logins", Every: time.Hour, Run: plain(a.Merchants.PurgeAuthFailures)},
		{Name: "purge ended sessions", Every: time.Hour, Run: plain(a.Merchants.PurgeSessions)},
		{Name: "purge idempotency keys", Every: time.Hour, Run: plain(func(ctx context.Context) error {
			_, err := a.Idem.Purge(ctx, time.Now().Add(-25*time.Hour))
			return err
		})},
	}
	a.Jobs = append(a.Jobs,
		Job{Name: "write request logs", Every: time.Second, Run: counted(a.RequestLog.Flush)},
		Job{Name: "purge request logs", Every: time.Hour, Run: plain(func(ctx context.Context) error {
			_, err := a.RequestLog.Purge(ctx)
			return err
		})})
	a.Jobs = append(a.Jobs, a.notifyJobs()...)
	a.Jobs = append(a.Jobs, a.paymentJobs()...)
	return a, nil
}

// RunJobs runs every background job until ctx ends. Their writes yield to requests' writes on
// SQLite (store.InBackground).
func (a *App) RunJobs(ctx context.Context) {
	ctx = store.InBackground(ctx)
	for _, j := range a.Jobs {
		go func() {
			t := time.NewTimer(0)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
				worked, err := j.Run(ctx)
				if err != nil && ctx.Err() == nil {
					a.log().ErrorContext(ctx, "background job failed", "job", j.Name, "err", err)
				}
				next := j.Every
				if worked && err == nil && j.Again > 0 {
					next = j.Again
				}
				t.Reset(next)
			}
		}()
	}
}

// Close releases the database and the gateway.
func (a *App) Close() {
	if a.Gateway != nil {
		a.Gateway.Close()
	}
	// The last requests' log entries are still in memory.
	if _, err := a.RequestLog.Flush(context.Background()); err != nil {
		slog.Error("writing the request log", "err", err)
	}
	if err := a.DB.Close(); err != nil {
		a.log().Error("closing database", "err", err)
	}
}

// DescribeProvider names the provider for the start-up log.
func DescribeProvider(p psp.Provider) string {
	c := p.ClientConfig()
	if c.TokenizeURL != "" {
		return fmt.Sprintf("%s (cards tokenised at %s)", c.Name, c.TokenizeURL)
	}
	return c.Name
}

// wireNotify sets up e-mails and webhooks: the service behind their API routes and the workers that
// dispatch events, post webhooks and, when SMTP_URL is set, send e-mails. Without SMTP_URL e-mails
// are kept as held: the mailbox the portal shows.
func (a *App) wireNotify() error {
	st := &store.Notify{DB: a.DB}
	guard := webhook.Guard{AllowPrivate: a.Cfg.WebhookAllowPrivate}
	a.Notify = &notify.Service{Store: st, Guard: guard, Audit: a.Audit, Tx: audit.Tx(a.DB.InTx)}
	a.Dispatcher = &notify.Dispatcher{Store: st, HoldEmails: a.Cfg.SMTPURL == "", BaseURL: a.Cfg.BaseURL}
	a.Webhooks = &notify.WebhookWorker{Store: st, Client: webhook.NewClient(guard)}
	if a.Cfg.SMTPURL == "" {
		slog.Info("no SMTP_URL: e-mails are kept in the mailbox (GET /api/v1/emails)")
		return nil
	}
	smtp, err := mail.NewSMTP(a.Cfg.SMTPURL, a.Cfg.SMTPFrom)
	if err != nil {
		return err
	}
	slog.Info("e-mails go out through SMTP", "server", smtp.Describe())
	a.Mailer = &notify.Mailer{Store: st, Sender: smtp, Files: invoicepdf.Source{Invoices: a.Invoices}}
	a.Notify.CanSend = true
	return nil
}

// notifyAgain is the notification workers' pause between batches while they have a backlog.
// dispatchAgain is the dispatcher's while events keep coming: each batch then holds the events of
// the pause, and its reads and its write transaction are paid once for all of them. With a pause of
// 1 ms a batch under load held a few events, and a payment cost PostgreSQL 9–17 % more CPU in
// back-to-back runs; 200 ms is still well within the second in which the bench wants every event
// dispatched. A batch that comes back full is followed at once (Dispatcher.RunBacklog), so a burst
// larger than a batch per pause does not build up.
const (
	notifyAgain   = 20 * time.Millisecond
	dispatchAgain = 200 * time.Millisecond
)

// notifyJobs runs the notification workers in the background.
func (a *App) notifyJobs() []Job {
	jobs := []Job{
		{Name: "dispatch events", Every: time.Second, Again: dispatchAgain, Run: counted(a.Dispatcher.RunBacklog)},
		{Name: "deliver webhooks", Every: 2 * time.Second, Again: notifyAgain, Run: counted(a.Webhooks.RunOnce)},
	}
	if a.Mailer != nil {
		jobs = append(jobs, Job{Name: "send e-mails", Every: 3 * time.Second, Again: notifyAgain, Run: counted(a.Mailer.RunOnce)})
	}
	return jobs
}

// paymentJobs settle payments whose outcome was not recorded and void authorisations past their window.
func (a *App) paymentJobs() []Job {
	return []Job{
		{Name: "reconcile payments", Every: 30 * time.Second, Run: counted(a.Payments.Reconcile)},
		{Name: "void expired authorisations", Every: 10 * time.Minute, Run: counted(a.Payments.ExpireAuthorizations)},
	}
}

// pspHTTPClient keeps enough idle connections for many concurrent payers: Go's default transport
// keeps two per host, so most PSP calls under load would open a new connection.
func pspHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	return &http.Client{Timeout: 20 * time.Second, Transport: t}
}

// readStat is a metric's callback: one figure f of the statistics read returns.
func readStat[S any](read func() (S, bool), f func(S) float64) func() float64 {
	return func() float64 { s, _ := read(); return f(s) }
}

// registerPostgresMetrics publishes PostgreSQL's group commit of write-only transactions on /metrics.
func registerPostgresMetrics(r prometheus.Registerer, db *store.DB) {
	if _, ok := db.GroupCommitStats(); !ok {
		return
	}
	stat := func(f func(store.GroupCommitStats) float64) func() float64 { return readStat(db.GroupCommitStats, f) }
	r.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "securelink_postgres_group_commits_total", Help: "Commits of payments' transactions on PostgreSQL (claims and settlements; those arriving together commit once)."},
			stat(func(s store.GroupCommitStats) float64 { return float64(s.Commits) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "securelink_postgres_grouped_transactions_total", Help: "Transactions those commits held."},
			stat(func(s store.GroupCommitStats) float64 { return float64(s.Transactions) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "securelink_postgres_grouped_round_trips_total", Help: "Round trips to PostgreSQL those transactions took, their commits included."},
			stat(func(s store.GroupCommitStats) float64 { return float64(s.RoundTrips) })),
	)
	creations := func(f func(store.GroupCommitStats) float64) func() float64 { return readStat(db.CreationGroupStats, f) }
	r.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "securelink_postgres_invoice_creation_commits_total", Help: "Commits of invoice creations on PostgreSQL (a merchant's creations that waited for their number commit once)."},
			creations(func(s store.GroupCommitStats) float64 { return float64(s.Commits) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "securelink_postgres_grouped_invoice_creations_total", Help: "Invoice creations those commits held."},
			creations(func(s store.GroupCommitStats) float64 { return float64(s.Transactions) })),
	)
}

// registerSQLiteMetrics publishes the embedded database's writer queue and checkpoints on /metrics.
func registerSQLiteMetrics(r prometheus.Registerer, db *store.DB) {
	if _, ok := db.SQLiteStats(); !ok {
		return
	}
	stat := func(f func(store.SQLiteStats) float64) func() float64 { return readStat(db.SQLiteStats, f) }
	r.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "securelink_sqlite_writes_total", Help: "Writes that got the SQLite writer connection."},
			stat(func(s store.SQLiteStats) float64 { return float64(s.Granted) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "securelink_sqlite_write_wait_seconds_total", Help: "Time writes waited in the writer queue."},
			stat(func(s store.SQLiteStats) float64 { return s.Waited.Seconds() })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "securelink_sqlite_write_gave_up_total", Help: "Writes whose request ended while they waited for the writer."},
			stat(func(s store.SQLiteStats) float64 { return float64(s.GaveUp) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "securelink_sqlite_write_queue", Help: "Writes waiting for the SQLite writer now (requests, background jobs and a WAL restart)."},
			stat(func(s store.SQLiteStats) float64 { return float64(s.Requests + s.Jobs + s.Restarts) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "securelink_sqlite_commits_total", Help: "Write transactions committed on the SQLite writer (a group of writes commits once)."},
			stat(func(s store.SQLiteStats) float64 { return float64(s.Commits) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "securelink_sqlite_committed_writes_total", Help: "Writes those commits held."},
			stat(func(s store.SQLiteStats) float64 { return float64(s.CommittedWrites) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "securelink_sqlite_checkpoints_total", Help: "PASSIVE WAL checkpoints run by the background checkpointer."},
			stat(func(s store.SQLiteStats) float64 { return float64(s.Checkpoints) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "securelink_sqlite_wal_restarts_total", Help: "Times the WAL started over (a RESTART checkpoint holding the writer)."},
			stat(func(s store.SQLiteStats) float64 { return float64(s.WALRestarts) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "securelink_sqlite_wal_restart_seconds_total", Help: "Time WAL restarts held the SQLite writer."},
			stat(func(s store.SQLiteStats) float64 { return s.RestartsHeld.Seconds() })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "securelink_sqlite_token_index_mapped_pages", Help: "Pages of the link-token index the server holds mapped, so that the system keeps them in memory."},
			stat(func(s store.SQLiteStats) float64 { return float64(s.TokenIndexPagesMapped) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "securelink_sqlite_wal_mapped_pages", Help: "Memory pages of the WAL the server holds mapped, so that the system keeps them in memory."},
			stat(func(s store.SQLiteStats) float64 { return float64(s.WALPagesMapped) })),
	)
}
