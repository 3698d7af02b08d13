// Command bench load-tests a built securelink binary over loopback, on SQLite and on PostgreSQL,
// and reports requests per second and latency for the checkout view, invoice creation, invoice
// listing with 100,000 invoices stored (and, with -million, at 1,000,000) and full payments, each
// beside its ceiling measured in the same run: a bare route returning a constant body, single-row
// INSERT+COMMIT transactions, and the floor of a payment (g). The payments and their floor are
// measured in turns that alternate between the databases. Then it compares the two databases.
// Last it measures the checkout's first load in Chromium on a throttled 400 kbps / 400 ms network
// (bytes on the wire and time until the total is on screen, frontend-pay/e2e/firstload.mjs), for
// this binary and, with -firstload-before OLD_BIN, an earlier one beside it; "-only firstload" runs
// that alone.
//
//	go run ./scripts/bench -bin bin/securelink [-db sqlite|postgres|both] [-duration 10s] [-warmup 2s] [-concurrency 32] [-million]
//
// On PostgreSQL it creates a throw-away database (securelink_bench_<random>) on the server named by
// SECURELINK_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/test?sslmode=disable); on
// SQLite a fresh file under build/. Both are removed at the end. It prints a table per database,
// the comparison and the target checks, and writes build/bench.json. It exits non-zero only when it
// cannot set up or run; a missed target is printed as MISSED.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

const defaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// options are the command's flags.
type options struct {
	Bin      string
	Postgres string
	// Databases are the databases to run on, in order (sqlite, postgres).
	Databases []string
	// Million adds the one-client lists with 1,000,000 invoices stored.
	Million bool
	Load    loadConfig
	// SerialDuration is the measured time of the one-client list runs: long enough that their p99
	// is not the few slowest of some hundred requests. At 3 s on a busy machine, four runs put the
	// status=paid list's p99 at a million at 1.03× to 1.61× of its p99 at 100,000.
	SerialDuration time.Duration
	Invoices       int
	PayPool        int
	Out            string
	ServerLog      string
	Repo           string
	KeepDB         bool
	// Only limits the run to scenarios whose key starts with one of these (empty: all).
	Only []string
	// ProfileDir, when set, receives a CPU profile of the server for each scenario's measured time.
	ProfileDir string
	// FirstLoadBefore is an earlier binary whose checkout first load is measured beside this one's.
	FirstLoadBefore string
}

// wants tells whether the scenario key is part of this run.
func (o options) wants(key string) bool {
	if len(o.Only) == 0 {
		return true
	}
	for _, p := range o.Only {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

func main() {
	var o options
	flag.StringVar(&o.Bin, "bin", "", "the securelink binary to test (required)")
	flag.StringVar(&o.Postgres, "postgres", envOr("SECURELINK_TEST_POSTGRES", defaultPostgres), "PostgreSQL server URL (SECURELINK_TEST_POSTGRES)")
	flag.DurationVar(&o.Load.Duration, "duration", 10*time.Second, "measured time per scenario")
	flag.DurationVar(&o.Load.Warmup, "warmup", 2*time.Second, "warm-up before each scenario's measured time")
	flag.IntVar(&o.Load.Concurrency, "concurrency", 32, "concurrent clients")
	flag.DurationVar(&o.SerialDuration, "serial-duration", 10*time.Second, "measured time of the one-client list runs")
	flag.IntVar(&o.Invoices, "invoices", 100_000, "invoices bulk-loaded before the list scenarios")
	flag.IntVar(&o.PayPool, "pay-pool", 60_000, "open invoices pre-created for the payment scenario")
	flag.StringVar(&o.Out, "out", "build/bench.json", "where the JSON report goes")
	flag.StringVar(&o.ServerLog, "server-log", "build/bench-server.log", "where the server's output goes")
	flag.StringVar(&o.Repo, "repo", ".", "repository root (for the checkout size check)")
	flag.BoolVar(&o.KeepDB, "keep-db", false, "keep the bench database instead of dropping it")
	only := flag.String("only", "", "comma-separated scenario keys (or prefixes) to run, e.g. checkout,list,pay; empty runs all")
	flag.StringVar(&o.ProfileDir, "profile", "", "write a CPU profile of the server per scenario into this directory")
	flag.StringVar(&o.FirstLoadBefore, "firstload-before", os.Getenv("BENCH_FIRSTLOAD_BEFORE"), "an earlier securelink binary whose checkout first load is measured too, for before and after (BENCH_FIRSTLOAD_BEFORE)")
	dbs := flag.String("db", "both", "database to run on: sqlite, postgres or both")
	flag.BoolVar(&o.Million, "million", false, "also bulk-load up to 1,000,000 invoices and repeat the one-client lists (slow: minutes per database)")
	flag.Parse()
	switch *dbs {
	case "both":
		o.Databases = []string{dbSQLite, dbPostgres}
	case dbSQLite, dbPostgres:
		o.Databases = []string{*dbs}
	default:
		fmt.Fprintln(os.Stderr, "bench: -db must be sqlite, postgres or both")
		os.Exit(2)
	}
	if *only != "" {
		o.Only = strings.Split(*only, ",")
	}
	if o.Bin == "" {
		fmt.Fprintln(os.Stderr, "bench: -bin is required, e.g. go run ./scripts/bench -bin bin/securelink")
		os.Exit(2)
	}
	if o.Load.Concurrency < 1 || o.Load.Duration <= 0 || o.SerialDuration <= 0 || o.Load.Warmup < 0 || o.Invoices < 1 || o.PayPool < 1 {
		fmt.Fprintln(os.Stderr, "bench: -concurrency, -duration, -invoices and -pay-pool must be positive")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		stop()
		os.Exit(1)
	}
}

// loadAverage is the machine's 1, 5 and 15 minute load averages: other work on the same CPUs
// changes every figure, so the report says how busy the machine was.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	if f := strings.Fields(string(b)); len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// run measures every database, then prints and stores the reports and their comparison.
func run(ctx context.Context, o options) error {
	bin, err := filepath.Abs(o.Bin)
	if err != nil {
		return fmt.Errorf("locate the binary: %w", err)
	}
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("the binary: %w (build it with `make build-go` or `go build -o %s ./api/cmd/securelink`)", err, o.Bin)
	}
	var runs []*report
	// "-only firstload" measures the checkout's first load alone, with no database scenarios.
	if !(len(o.Only) == 1 && o.Only[0] == "firstload") {
		if runs, err = runDatabases(ctx, o, bin); err != nil {
			return err
		}
	}
	all := &benchReport{Runs: runs, CheckoutBudget: checkoutBudget(ctx, o.Repo)}
	if o.wants("firstload") {
		for _, b := range []string{o.FirstLoadBefore, o.Bin} {
			if b == "" {
				continue
			}
			if f := measureFirstLoad(ctx, o.Repo, b); f != nil {
				all.FirstLoads = append(all.FirstLoads, f)
			}
		}
	}
	all.compare()
	all.print(os.Stdout)
	printFirstLoads(os.Stdout, all.FirstLoads)
	if err := all.writeJSON(o.Out); err != nil {
		return err
	}
	fmt.Printf("\nJSON report: %s\n", o.Out)
	return nil
}

// runDatabases sets up each database with the product serving on it and measures its scenarios,
// one database after the other, except the payments: both databases' servers stay up, and their
// payments and floors take their turns alternately (payInTurns). Measured one after the other, the
// second database met another minute of a shared machine than the first; in turns, both meet the
// same minutes, so that the ratio of their payments compares the databases, not the minutes.
func runDatabases(ctx context.Context, o options, bin string) (reports []*report, err error) {
	var runs []*dbRun
	defer func() {
		for _, d := range runs {
			err = errors.Join(err, d.close())
		}
	}()
	open := func(ctx context.Context, kind string) (*dbRun, error) { return openRun(ctx, o, bin, kind) }
	runs, err = setUpAll(ctx, o.Databases, open, (*dbRun).runScenarios, (*dbRun).runCeilingAndPayments)
	if err != nil {
		return nil, err
	}
	if err := payInTurns(ctx, runs); err != nil {
		return nil, err
	}
	for _, d := range runs {
		d.rep.LoadAverageEnd = loadAverage()
		// The server's log is complete once it has stopped (SQLITE_BUSY lines, in close).
		if err := d.close(); err != nil {
			return nil, fmt.Errorf("%s: %w", d.kind, err)
		}
		d.rep.checkTargets()
		reports = append(reports, d.rep)
	}
	return reports, nil
}

// setUpAll opens each database of kinds and runs its scenarios, one database after the other, and
// then sets up every database's payments, in the same order. It returns the runs it opened, also
// on an error, for the caller to close.
//
// The payments are set up once every database has run the rest, so that each pool of invoices to
// pay is as fresh as the others when the turns begin. Set up with the rest of its database, the
// first database's pool was minutes older than the last's: a machine that takes back the page
// cache of files nobody has read for a minute (as the kernel's DAMON pageout does) then had the
// first database read its pool back from disk during its measured turns.
func setUpAll(ctx context.Context, kinds []string, open func(context.Context, string) (*dbRun, error),
	scenarios, payments func(*dbRun, context.Context) error) (runs []*dbRun, err error) {
	for _, kind := range kinds {
		d, err := open(ctx, kind)
		if err != nil {
			return runs, fmt.Errorf("%s: %w", kind, err)
		}
		runs = append(runs, d)
		if err := scenarios(d, ctx); err != nil {
			return runs, fmt.Errorf("%s: %w", kind, err)
		}
	}
	for _, d := range runs {
		if err := payments(d, ctx); err != nil {
			return runs, fmt.Errorf("%s: %w", d.kind, err)
		}
	}
	return runs, nil
}

// dbRun is one database's part of a run: the database, the product serving on it, and the report.
type dbRun struct {
	o         options
	kind      string
	rep       *report
	st        benchStore
	srv       *product
	serverLog string
	a         *api
	cpu       *cpuSampler
	demo      demoAccount
	// checkoutToken is the link of the checkout view's invoice.
	checkoutToken string
	// payments are the payments' turns, set up by runCeilingAndPayments when the payments are measured.
	payments *paymentTurns
}

// openRun sets up a database of kind and starts the product on it. On an error it cleans up what
// it set up.
func openRun(ctx context.Context, o options, bin, kind string) (_ *dbRun, err error) {
	// d is not the named result: an early return of nil must still let the cleanup see it.
	d := &dbRun{o: o, kind: kind, rep: &report{Database: kind, StartedAt: time.Now().UTC(), GoVersion: runtime.Version(), CPUs: runtime.NumCPU(),
		Concurrency: o.Load.Concurrency, WarmupSeconds: o.Load.Warmup.Seconds(), DurationSeconds: o.Load.Duration.Seconds(),
		LoadAverageStart: loadAverage()}}
	logf("── %s ──", kind)
	defer func() {
		if err != nil {
			err = errors.Join(err, d.close())
		}
	}()

	if kind == dbPostgres {
		d.st, err = openPostgresStore(ctx, o.Postgres, o.Load.Concurrency+2)
	} else {
		d.st, err = openSQLiteStore(filepath.Dir(o.Out))
	}
	if err != nil {
		return nil, err
	}
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	if d.demo, err = createDemo(ctx, bin, d.st.ProductURL(), addr); err != nil {
		return nil, err
	}
	d.serverLog = strings.TrimSuffix(o.ServerLog, ".log") + "-" + kind + ".log"
	if err := os.MkdirAll(filepath.Dir(d.serverLog), 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", filepath.Dir(d.serverLog), err)
	}
	pprofAddr := ""
	profileDir := ""
	if o.ProfileDir != "" {
		if pprofAddr, err = freeLoopbackAddr(); err != nil {
			return nil, err
		}
		profileDir = filepath.Join(o.ProfileDir, kind)
		if err := os.MkdirAll(profileDir, 0o755); err != nil {
			return nil, fmt.Errorf("create %s: %w", profileDir, err)
		}
	}
	if d.srv, err = startProduct(ctx, bin, d.st.ProductURL(), addr, pprofAddr, d.serverLog); err != nil {
		return nil, err
	}
	logf("securelink serving at %s on %s (merchant %s, output in %s)", d.srv.baseURL, kind, d.demo.MerchantID, d.serverLog)
	d.rep.Version = d.st.Version(ctx)

	d.a = &api{client: newClient(o.Load.Concurrency), baseURL: d.srv.baseURL, apiKey: d.demo.APIKey}
	if d.checkoutToken, err = d.a.createInvoice(ctx); err != nil {
		return nil, fmt.Errorf("create the checkout scenario's invoice: %w", err)
	}
	d.cpu = &cpuSampler{serverPID: d.srv.cmd.Process.Pid, store: d.st, pprofAddr: pprofAddr, profileDir: profileDir}
	return d, nil
}

// close stops the server (counting the SQLITE_BUSY lines of its log) and removes the database,
// unless -keep-db. A second call does nothing.
func (d *dbRun) close() (err error) {
	if d.payments != nil {
		err = d.payments.closeFloor(context.Background())
	}
	if d.srv != nil {
		if stopErr := d.srv.stop(); stopErr != nil {
			err = errors.Join(err, fmt.Errorf("stop the server: %w", stopErr))
		} else {
			logf("%s: server stopped with SIGTERM", d.kind)
			if d.kind == dbSQLite {
				n := countBusy(d.serverLog)
				d.rep.SQLiteBusy = &n
			}
		}
		d.srv = nil
	}
	if d.st != nil {
		if d.o.KeepDB {
			logf("kept the %s database (%s)", d.kind, redact(d.st.ProductURL()))
		} else {
			err = errors.Join(err, d.st.Close(context.Background()))
		}
		d.st = nil
	}
	return err
}

// countBusy counts the lines of the server's log that tell of SQLite's lock being busy.
func countBusy(logPath string) int {
	b, err := os.ReadFile(logPath)
	if err != nil {
		return -1
	}
	n := 0
	for line := range strings.Lines(string(b)) {
		if strings.Contains(line, "SQLITE_BUSY") || strings.Contains(line, "database is locked") {
			n++
		}
	}
	return n
}

// runScenarios measures (a)–(d) in an order that keeps each one honest: the list scenarios run
// once the history is loaded and before the payment pool adds more invoices. The ceiling (f) and
// the payments' set-up follow once every database has run these (runCeilingAndPayments).
func (d *dbRun) runScenarios(ctx context.Context) error {
	o, rep, a, st, cpu := d.o, d.rep, d.a, d.st, d.cpu
	measure := func(cfg loadConfig, key, label string, fn op) {
		if !o.wants(key) {
			return
		}
		logf("running %s with %d clients (%s warm-up + %s)", label, cfg.Concurrency, cfg.Warmup, cfg.Duration)
		rep.Scenarios = append(rep.Scenarios, measured(ctx, cpu, cfg, key, label, fn))
	}

	// The ceiling is /healthz: a constant answer through the same router and middleware, with no
	// database; the production router has no route kept only for the benchmark.
	measure(o.Load, "constant", "(a) GET /healthz (ceiling)", a.getOp("/healthz", nil))
	measure(o.Load, "checkout", "(b) GET /api/v1/checkout/{token}", a.getOp("/api/v1/checkout/"+url.PathEscape(d.checkoutToken), nil))
	if o.wants("create") {
		// How many creations a PostgreSQL commit held (SQLite exports no such counters).
		counters := []string{"securelink_postgres_invoice_creation_commits_total", "securelink_postgres_grouped_invoice_creations_total"}
		before := a.metrics(ctx, counters...)
		measure(o.Load, "create", "(c) POST /api/v1/invoices", a.createOp())
		after := a.metrics(ctx, counters...)
		if commits := after[counters[0]] - before[counters[0]]; commits > 0 {
			s := &rep.Scenarios[len(rep.Scenarios)-1]
			s.Note = strings.TrimPrefix(s.Note+fmt.Sprintf("; invoice creations per commit: %.2f",
				(after[counters[1]]-before[counters[1]])/commits), "; ")
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if !o.wants("list") {
		return nil
	}

	logf("bulk-loading %s invoices", formatCount(int64(o.Invoices)))
	history, err := bulkLoadInvoices(ctx, st, d.demo.MerchantID, o.Invoices, seedHistory)
	if err != nil {
		return err
	}
	rep.BulkLoadSeconds = history.Took.Seconds()
	if err := st.QueryRow(ctx, "SELECT count(*) FROM invoices WHERE merchant_id = $1", d.demo.MerchantID).Scan(&rep.InvoicesStored); err != nil {
		return fmt.Errorf("count invoices: %w", err)
	}
	logf("%s invoices stored (bulk load took %.1f s: %s)", formatCount(rep.InvoicesStored), history.Took.Seconds(), strings.Join(history.Phases, ", "))
	auth := a.auth()
	lists := []struct{ key, label, query string }{
		{"list", "(d) GET /api/v1/invoices?limit=20", "limit=20"},
		{"list_paid", "(d) GET /api/v1/invoices?limit=20&status=paid", "limit=20&status=paid"},
		{"list_q_common", "(d) …?limit=20&q=<common surname>", "limit=20&q=" + url.QueryEscape(history.CommonName)},
		{"list_q_rare", "(d) …?limit=20&q=<one customer's e-mail>", "limit=20&q=" + url.QueryEscape(history.RareEmail)},
	}
	for _, l := range lists {
		measure(o.Load, l.key, l.label, a.getOp("/api/v1/invoices?"+l.query, auth))
	}
	// With 32 clients a request's latency is mostly its wait for a CPU (32 / requests per second);
	// one client alone shows what the 100,000 rows themselves cost each query.
	serial := loadConfig{Concurrency: 1, Warmup: min(o.Load.Warmup, time.Second), Duration: o.SerialDuration}
	for _, l := range lists {
		measure(serial, l.key+"_1client", l.label, a.getOp("/api/v1/invoices?"+l.query, auth))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if o.Million {
		if err := runMillion(ctx, rep, a, st, d.demo.MerchantID, history.RareEmail, serial, measure); err != nil {
			return err
		}
	}
	return nil
}

// runCeilingAndPayments measures (f), then sets up (e) and (g) for payInTurns, or measures (g)
// alone when the payments are not run.
func (d *dbRun) runCeilingAndPayments(ctx context.Context) error {
	o, rep, st, cpu := d.o, d.rep, d.st, d.cpu
	if !o.wants("pay") && !o.wants("commit") && !o.wants("floor") {
		return nil
	}
	logf("running (f) INSERT+COMMIT ceiling with %d clients (%s warm-up + %s)", o.Load.Concurrency, o.Load.Warmup, o.Load.Duration)
	before := cpu.sample(ctx)
	commit, err := commitCeiling(ctx, st, o.Load)
	if err != nil {
		return err
	}
	rep.Scenarios = append(rep.Scenarios, newScenarioReport("commit", "(f) INSERT+COMMIT transactions (ceiling of e)", o.Load.Concurrency, commit).
		withCPU(cpu.sample(ctx).since(before), commit.Iterations()))

	switch {
	case o.wants("pay"):
		return d.preparePayments(ctx)
	case o.wants("floor"):
		return runFloor(ctx, o, rep, st, cpu)
	}
	return nil
}

// floorLabel names (g), the floor of (e): its required steps with no product logic (floor.go).
const floorLabel = "(g) floor of e: its HTTP hops and commits, no product logic"

// paymentsLabel names (e).
const paymentsLabel = "(e) payments: tokenise + pay (automatic capture)"

// runFloor measures (g) alone, when the payments are not run (-only floor, or no pay route).
func runFloor(ctx context.Context, o options, rep *report, st benchStore, cpu *cpuSampler) (err error) {
	f, err := startFloor(ctx, st, o.Load.Concurrency)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.close(context.WithoutCancel(ctx))) }()
	logf("running %s with %d clients (%s warm-up + %s)", floorLabel, o.Load.Concurrency, o.Load.Warmup, o.Load.Duration)
	rep.Scenarios = append(rep.Scenarios, measured(ctx, cpu, o.Load, "floor", floorLabel, f.floorOp(newClient(o.Load.Concurrency))))
	return ctx.Err()
}

// payTurns is how many turns the payments (e) and their floor (g) take on each database. They
// alternate, a slice of the measured time each: the payments and floor of one database, then those
// of the next, and so on, so that their ratios compare them on the same machine. On a shared
// machine one minute's speed is not the next one's: measured one after the other, the payments of
// one unchanged binary came out at 17 % to 30 % of their floor within an hour.
const payTurns = 5

// turnWarmup is the warm-up of every turn after the first, whose connections and caches are warm.
const turnWarmup = 250 * time.Millisecond

// payMetricNames are the server's counters summed over the turns of payments.
var payMetricNames = []string{
	"securelink_sqlite_checkpoints_total", "securelink_sqlite_wal_restarts_total", "securelink_sqlite_wal_restart_seconds_total",
	"securelink_sqlite_commits_total", "securelink_sqlite_committed_writes_total",
	"securelink_postgres_group_commits_total", "securelink_postgres_grouped_transactions_total",
	"securelink_postgres_grouped_round_trips_total", "go_sql_wait_count_total", "go_sql_wait_duration_seconds_total",
}

// paymentTurns are one database's payments (e) and floor (g), measured turn by turn.
type paymentTurns struct {
	floor              *floorStack
	payOp, floorOp     op
	turn               loadConfig
	pay, floorRun      loadResult
	payEach, floorEach []loadResult // each turn's, for their p99s
	payEachCPU         []cpuUsage   // each turn's, for the CPU others used meanwhile
	payCPU, floorCPU   cpuUsage
	counters           map[string]float64
	restartsEach       []turnRestarts // each turn's WAL restarts (SQLite)
	worst              drained
}

// closeFloor stops the floor's servers and drops its table, once.
func (p *paymentTurns) closeFloor(ctx context.Context) error {
	if p.floor == nil {
		return nil
	}
	f := p.floor
	p.floor = nil
	return f.close(ctx)
}

// preparePayments loads a pool of open invoices, checks that paying works at all and starts the
// floor, for payInTurns.
func (d *dbRun) preparePayments(ctx context.Context) error {
	o, rep, a, st, cpu := d.o, d.rep, d.a, d.st, d.cpu
	logf("pre-creating %s open invoices for the payment scenario", formatCount(int64(o.PayPool)))
	payable, err := bulkLoadInvoices(ctx, st, d.demo.MerchantID, o.PayPool, seedPayable)
	if err != nil {
		return err
	}
	tokens := make(chan string, len(payable.Tokens))
	for _, t := range payable.Tokens {
		tokens <- t
	}
	if _, err := a.pay(ctx, <-tokens); err != nil {
		if errors.Is(err, errPayMissing) {
			logf("(e) skipped: %v", err)
			note := "POST /api/v1/checkout/{token}/pay is not routed yet"
			var se *statusError
			if errors.As(err, &se) {
				note += fmt.Sprintf(" (it answers HTTP %d)", se.Status)
			}
			rep.Scenarios = append(rep.Scenarios, scenarioReport{Key: "pay", Label: paymentsLabel, Clients: o.Load.Concurrency, Note: note})
			return runFloor(ctx, o, rep, st, cpu)
		}
		logf("(e) the first payment failed (%v); measuring anyway", err)
	}
	f, err := startFloor(ctx, st, o.Load.Concurrency)
	if err != nil {
		return err
	}
	d.payments = &paymentTurns{floor: f, payOp: a.payOp(tokens), floorOp: f.floorOp(newClient(o.Load.Concurrency)),
		turn:     loadConfig{Concurrency: o.Load.Concurrency, Warmup: o.Load.Warmup, Duration: o.Load.Duration / payTurns},
		counters: map[string]float64{}}
	return nil
}

// payInTurns measures the payments (e) and their floor (g) of every database set up for them, in
// payTurns turns each, the databases alternating, then adds them to each database's report.
func payInTurns(ctx context.Context, runs []*dbRun) error {
	var paying []*dbRun
	var kinds []string
	for _, d := range runs {
		if d.payments != nil {
			paying, kinds = append(paying, d), append(kinds, d.kind)
		}
	}
	if len(paying) == 0 {
		return nil
	}
	first := paying[0].payments.turn
	on := "on " + kinds[0]
	if len(kinds) > 1 {
		on = "alternating " + strings.Join(kinds, " and ")
	}
	logf("running %s and %s with %d clients, in %d turns each, %s (%s warm-up, then %s warm-up + %s a turn)",
		paymentsLabel, floorLabel, first.Concurrency, payTurns, on, first.Warmup, turnWarmup, first.Duration)
	if err := alternate(ctx, paying, (*dbRun).payTurn); err != nil {
		return err
	}
	for _, d := range paying {
		d.finishPayments()
		if err := d.payments.closeFloor(context.WithoutCancel(ctx)); err != nil {
			return fmt.Errorf("%s: %w", d.kind, err)
		}
	}
	return ctx.Err()
}

// alternate takes payTurns turns of each run, one run's turn after another's, and leaves out a
// run whose pool of invoices ran dry.
func alternate(ctx context.Context, runs []*dbRun, turn func(*dbRun, context.Context) error) error {
	for n := 1; n <= payTurns && ctx.Err() == nil; n++ {
		for _, d := range runs {
			if d.payments.pay.Exhaust { // its pool of invoices ran dry
				continue
			}
			if err := turn(d, ctx); err != nil {
				return fmt.Errorf("%s: %w", d.kind, err)
			}
		}
	}
	return nil
}

// payTurn measures one turn of payments, then one of their floor.
func (d *dbRun) payTurn(ctx context.Context) error {
	p, a, st, cpu := d.payments, d.a, d.st, d.cpu
	n := len(p.payEach) + 1
	countersBefore := a.metrics(ctx, payMetricNames...)
	// The e-mails and webhooks a turn's payments leave to the background are their cost: the
	// turn ends when the dispatcher has caught up, so the floor's turn does not pay for them.
	r, used, err := costed(ctx, cpu, p.turn, fmt.Sprintf("pay-%d", n), p.payOp, func() error {
		left, err := drainEvents(ctx, st)
		p.worst = p.worst.worse(left)
		return err
	})
	if err != nil {
		return err
	}
	p.pay, p.payCPU, p.payEach, p.payEachCPU = p.pay.join(r), p.payCPU.plus(used), append(p.payEach, r), append(p.payEachCPU, used)
	turnCounters := map[string]float64{}
	for name, after := range a.metrics(ctx, payMetricNames...) {
		if v, ok := countersBefore[name]; ok {
			p.counters[name] += after - v
			turnCounters[name] = after - v
		}
	}
	if _, ok := turnCounters["securelink_sqlite_wal_restarts_total"]; ok {
		p.restartsEach = append(p.restartsEach, turnRestarts{n: int64(turnCounters["securelink_sqlite_wal_restarts_total"]),
			held: time.Duration(turnCounters["securelink_sqlite_wal_restart_seconds_total"] * float64(time.Second))})
	}

	r, used, _ = costed(ctx, cpu, p.turn, fmt.Sprintf("floor-%d", n), p.floorOp, nil)
	p.floorRun, p.floorCPU, p.floorEach = p.floorRun.join(r), p.floorCPU.plus(used), append(p.floorEach, r)
	p.turn.Warmup = turnWarmup
	return nil
}

// turnRestarts are the WAL restarts of one turn and how long their tries held the writer.
type turnRestarts struct {
	n    int64
	held time.Duration
}

// finishPayments adds the payments (e) and their floor (g), all turns joined, to the report.
func (d *dbRun) finishPayments() {
	p := d.payments
	pay, counters, worst := p.pay, p.counters, p.worst
	s := newScenarioReport("pay", paymentsLabel, d.o.Load.Concurrency, pay).withCPU(p.payCPU, pay.Iterations()).withTurns(p.payEach)
	s.EventBacklog, s.EventBacklogAfter1s = &worst.atEnd, &worst.after1s
	diskRead := float64(p.payCPU.DiskRead) / (1 << 20)
	s.DiskReadMB = &diskRead
	// On PostgreSQL: how often a request (or job) waited for a pooled connection, and how long.
	if waits, ok := counters["go_sql_wait_count_total"]; ok && s.OK > 0 {
		s.PoolWaits = &poolWaitReport{PerPayment: waits / float64(s.OK)}
		if waits > 0 {
			s.PoolWaits.AverageMS = counters["go_sql_wait_duration_seconds_total"] * 1000 / waits
		}
		s.Note += fmt.Sprintf("; waits for a pooled connection: %.2f per payment, %.1f ms each on average", s.PoolWaits.PerPayment, s.PoolWaits.AverageMS)
	}
	s.Note += fmt.Sprintf("; read from disk during its turns: %.1f MB", diskRead)
	s = s.withOthers(p.payEachCPU, d.rep.CPUs)
	s.Note = strings.TrimPrefix(s.Note+fmt.Sprintf("; events not yet dispatched when a turn ended: at most %d, a second later: at most %d (all dispatched %.0f ms after the turn at the latest)",
		worst.atEnd, worst.after1s, float64(worst.took.Microseconds())/1000), "; ")
	// On SQLite the checkpointer runs every second: the turns hold several, and p99 includes them.
	if n, ok := counters["securelink_sqlite_checkpoints_total"]; ok {
		checkpoints := int64(n)
		s.Checkpoints = &checkpoints
		s.Note += fmt.Sprintf("; WAL checkpoints during its turns: %d", checkpoints)
		if r := int64(counters["securelink_sqlite_wal_restarts_total"]); r > 0 {
			s.WALRestarts = &r
			s.Note += fmt.Sprintf(", of which WAL restarts: %d holding the writer %.1f ms each on average", r, counters["securelink_sqlite_wal_restart_seconds_total"]*1000/float64(r))
		}
		if lite, ok := d.st.(*sqliteStore); ok {
			s.Note += fmt.Sprintf(" (WAL now %.1f MB)", float64(lite.walSize())/(1<<20))
		}
		if len(p.restartsEach) > 0 {
			var named []string
			for _, r := range p.restartsEach {
				named = append(named, fmt.Sprintf("%d (%.0f ms)", r.n, float64(r.held.Microseconds())/1000))
			}
			s.Note += "; WAL restarts by turn, with the time their tries held the writer: " + strings.Join(named, " / ")
		}
		if n := counters["securelink_sqlite_commits_total"]; n > 0 {
			s.Note += fmt.Sprintf("; write transactions per commit: %.2f", counters["securelink_sqlite_committed_writes_total"]/n)
		}
	}
	if n := counters["securelink_postgres_group_commits_total"]; n > 0 {
		s.Note += fmt.Sprintf("; payment transactions per commit: %.2f, round trips per payment transaction: %.2f",
			counters["securelink_postgres_grouped_transactions_total"]/n,
			counters["securelink_postgres_grouped_round_trips_total"]/counters["securelink_postgres_grouped_transactions_total"])
	}
	d.rep.Scenarios = append(d.rep.Scenarios, s,
		newScenarioReport("floor", floorLabel, d.o.Load.Concurrency, p.floorRun).withCPU(p.floorCPU, p.floorRun.Iterations()).withTurns(p.floorEach))
}

// drained is what the dispatcher had left when a turn of payments ended.
type drained struct {
	atEnd, after1s int64         // events not yet dispatched at the turn's end, and a second later
	took           time.Duration // until none was left
}

// worse is the larger of each figure of d and e.
func (d drained) worse(e drained) drained {
	return drained{atEnd: max(d.atEnd, e.atEnd), after1s: max(d.after1s, e.after1s), took: max(d.took, e.took)}
}

// drainEvents waits until the dispatcher has reached every event, for at most drainLimit.
func drainEvents(ctx context.Context, st benchStore) (drained, error) {
	const drainLimit = 10 * time.Second
	start := time.Now()
	left, err := countUndispatched(ctx, st)
	if err != nil {
		return drained{}, err
	}
	d := drained{atEnd: left, after1s: -1}
	for left > 0 && time.Since(start) < drainLimit {
		time.Sleep(20 * time.Millisecond)
		if left, err = countUndispatched(ctx, st); err != nil {
			return drained{}, err
		}
		if d.after1s < 0 && time.Since(start) >= time.Second {
			d.after1s = left
		}
	}
	d.took = time.Since(start)
	if d.after1s < 0 { // none was left within the second
		d.after1s = 0
	}
	if left > 0 {
		logf("the dispatcher still had %d events %s after a turn of payments", left, drainLimit)
	}
	return d, nil
}

// countUndispatched counts the events the dispatcher has not reached.
func countUndispatched(ctx context.Context, st benchStore) (int64, error) {
	var n int64
	if err := st.QueryRow(ctx, "SELECT count(*) FROM event_queue").Scan(&n); err != nil {
		return 0, fmt.Errorf("count undispatched events: %w", err)
	}
	return n, nil
}

// millionInvoices is how many invoices the -million lists run with.
const millionInvoices = 1_000_000

// runMillion bulk-loads the merchant's history up to a million invoices and repeats the one-client
// lists (plain, status filter, one customer's e-mail: the same e-mail as at 100,000, still one
// invoice among a million).
func runMillion(ctx context.Context, rep *report, a *api, st benchStore, merchantID, rareEmail string, serial loadConfig,
	measure func(cfg loadConfig, key, label string, fn op)) error {
	more := millionInvoices - int(rep.InvoicesStored)
	if more <= 0 {
		return nil
	}
	logf("bulk-loading %s more invoices (to %s)", formatCount(int64(more)), formatCount(millionInvoices))
	loaded, err := bulkLoadInvoices(ctx, st, merchantID, more, seedHistory)
	if err != nil {
		return err
	}
	rep.MillionLoadSeconds = loaded.Took.Seconds()
	if err := st.QueryRow(ctx, "SELECT count(*) FROM invoices WHERE merchant_id = $1", merchantID).Scan(&rep.MillionStored); err != nil {
		return fmt.Errorf("count invoices: %w", err)
	}
	logf("%s invoices stored (bulk load took %.1f s: %s)", formatCount(rep.MillionStored), loaded.Took.Seconds(), strings.Join(loaded.Phases, ", "))
	auth := a.auth()
	for _, l := range []struct{ key, label, query string }{
		{"list_1client_1m", "(d) GET /api/v1/invoices?limit=20", "limit=20"},
		{"list_paid_1client_1m", "(d) GET /api/v1/invoices?limit=20&status=paid", "limit=20&status=paid"},
		{"list_q_rare_1client_1m", "(d) …?limit=20&q=<one customer's e-mail>", "limit=20&q=" + url.QueryEscape(rareEmail)},
	} {
		measure(serial, l.key, l.label+" at 1,000,000", a.getOp("/api/v1/invoices?"+l.query, auth))
	}
	return ctx.Err()
}

// measured runs one scenario and reads its CPU cost around it.
func measured(ctx context.Context, cpu *cpuSampler, cfg loadConfig, key, label string, fn op) scenarioReport {
	r, used, _ := costed(ctx, cpu, cfg, key, fn, nil)
	return newScenarioReport(key, label, cfg.Concurrency, r).withCPU(used, r.Iterations())
}

// costed runs one scenario (or a turn of one), profiled under key, and reads the CPU it used.
// settle, if set, runs after the load and before the closing reading: the wait for work the
// scenario left to the background, which is its cost too.
func costed(ctx context.Context, cpu *cpuSampler, cfg loadConfig, key string, fn op, settle func() error) (loadResult, cpuUsage, error) {
	before := cpu.sample(ctx)
	stopProfile := cpu.profile(ctx, key, cfg)
	r := runLoad(ctx, cfg, fn)
	stopProfile()
	var err error
	if settle != nil {
		err = settle()
	}
	return r, cpu.sample(ctx).since(before), err
}

// checkoutBudget runs the checkout's bundle size check when the checkout is built and node is there.
func checkoutBudget(ctx context.Context, repo string) *budgetReport {
	dir := filepath.Join(repo, "frontend-pay")
	if _, err := os.Stat(filepath.Join(dir, "scripts", "size-check.mjs")); err != nil {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "dist", "index.html")); err != nil {
		logf("checkout budget skipped: frontend-pay/dist is not built")
		return nil
	}
	if _, err := exec.LookPath("node"); err != nil {
		logf("checkout budget skipped: node is not installed")
		return nil
	}
	cmd := exec.CommandContext(ctx, "node", "scripts/size-check.mjs")
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	b := &budgetReport{Within: runErr == nil, Output: out.String(), Figure: "(no summary line; see output)"}
	for line := range strings.Lines(out.String()) {
		if strings.HasPrefix(line, "checkout first load") {
			b.Figure = strings.TrimSpace(line)
		}
	}
	return b
}
