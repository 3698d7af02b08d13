package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 0.99, 0},
		{"one value", []time.Duration{7}, 0.5, 7},
		{"p50 of 1..100 ms", hundred, 0.50, 50 * time.Millisecond},
		{"p99 of 1..100 ms", hundred, 0.99, 99 * time.Millisecond},
		{"p100 is the max", hundred, 1, 100 * time.Millisecond},
		{"p99 of two is the larger", []time.Duration{1, 2}, 0.99, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

func TestRunLoadCountsOnlyTheMeasuredWindow(t *testing.T) {
	cfg := loadConfig{Concurrency: 4, Warmup: 100 * time.Millisecond, Duration: 300 * time.Millisecond}
	var calls atomic.Int64
	res := runLoad(context.Background(), cfg, func(ctx context.Context, _ int) (time.Duration, error) {
		n := calls.Add(1)
		time.Sleep(2 * time.Millisecond)
		if n%10 == 0 {
			return 0, errors.New("every tenth call fails")
		}
		return time.Millisecond, nil
	})
	if res.OK == 0 || res.Errors == 0 {
		t.Fatalf("OK = %d, Errors = %d; want both > 0", res.OK, res.Errors)
	}
	if counted := int64(res.OK + res.Errors + res.WarmupOK); counted > calls.Load() {
		t.Errorf("counted %d iterations but only %d ran", counted, calls.Load())
	}
	if res.WarmupOK == 0 {
		t.Errorf("WarmupOK = 0: warm-up iterations were counted as measured ones")
	}
	if res.Window != cfg.Duration || res.Exhaust {
		t.Errorf("Window = %v, Exhaust = %v; want the full %v", res.Window, res.Exhaust, cfg.Duration)
	}
	// 4 workers doing ~2 ms iterations for 0.3 s: well under 4/2ms = 2000/s, well over 100/s.
	if rate := res.Rate(); rate < 100 || rate > 2000 {
		t.Errorf("Rate = %.0f/s, want between 100 and 2000", rate)
	}
	if res.Latency.P50 < 2*time.Millisecond || res.Part == nil || res.Part.P99 != time.Millisecond {
		t.Errorf("Latency = %+v, Part = %+v; want p50 ≥ 2 ms and every part 1 ms", res.Latency, res.Part)
	}
	if len(res.Samples) != 1 || !strings.Contains(res.Samples[0], "tenth") {
		t.Errorf("Samples = %q, want the one distinct error", res.Samples)
	}
}

func TestRunLoadStopsWhenThePoolRunsDry(t *testing.T) {
	cfg := loadConfig{Concurrency: 2, Warmup: 0, Duration: 5 * time.Second}
	pool := make(chan string, 50)
	for range cap(pool) {
		pool <- "token"
	}
	started := time.Now()
	res := runLoad(context.Background(), cfg, func(context.Context, int) (time.Duration, error) {
		select {
		case <-pool:
			time.Sleep(time.Millisecond)
			return 0, nil
		default:
			return 0, errExhausted
		}
	})
	if took := time.Since(started); took > 2*time.Second {
		t.Errorf("runLoad took %v after the pool ran dry, want it to stop at once", took)
	}
	if !res.Exhaust || res.OK != 50 || res.Window >= cfg.Duration {
		t.Errorf("Exhaust = %v, OK = %d, Window = %v; want true, 50, less than %v", res.Exhaust, res.OK, res.Window, cfg.Duration)
	}
}

func TestJoinedTurnsAreOneRun(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, n := range v {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	turn := func(lat []time.Duration, errs int, samples ...string) loadResult {
		r := loadResult{Window: time.Second, Errors: errs, WarmupOK: 2, latencies: lat, parts: lat, Samples: samples}
		r.summarise()
		return r
	}
	// A fast turn and a slow one: the joined p99 is the slow turn's tail, not an average of p99s.
	fast := turn(ms(1, 1, 1, 1, 1, 1, 1, 1, 1, 2), 0, "a")
	slow := turn(ms(10, 10, 10, 10, 10, 10, 10, 10, 10, 90), 1, "a", "b")
	var all loadResult
	for _, r := range []loadResult{fast, slow, fast} {
		all = all.join(r)
	}
	if all.OK != 30 || all.Errors != 1 || all.WarmupOK != 6 || all.Window != 3*time.Second {
		t.Errorf("OK %d, Errors %d, WarmupOK %d, Window %v; want 30, 1, 6, 3s", all.OK, all.Errors, all.WarmupOK, all.Window)
	}
	if rate := all.Rate(); rate != 10 {
		t.Errorf("Rate = %v, want 10/s (30 in 3 s)", rate)
	}
	if all.Latency.P99 != 90*time.Millisecond || all.Latency.P50 != time.Millisecond || all.Latency.P90 != 10*time.Millisecond || all.Part == nil || all.Part.Max != 90*time.Millisecond {
		t.Errorf("Latency %+v, Part %+v; want p50 1 ms, p90 10 ms, p99 90 ms over all 30", all.Latency, all.Part)
	}
	if strings.Join(all.Samples, ",") != "a,b" {
		t.Errorf("Samples = %q, want each distinct error once", all.Samples)
	}
	if all.Exhaust || !all.join(loadResult{Exhaust: true}).Exhaust {
		t.Errorf("Exhaust: a run is exhausted when one of its turns is")
	}
}

func TestDatabasesTakeTheirPaymentTurnsAlternately(t *testing.T) {
	lite := &dbRun{kind: dbSQLite, payments: &paymentTurns{}}
	pg := &dbRun{kind: dbPostgres, payments: &paymentTurns{}}
	var order []string
	turns := map[string]int{}
	err := alternate(context.Background(), []*dbRun{lite, pg}, func(d *dbRun, _ context.Context) error {
		order = append(order, d.kind)
		turns[d.kind]++
		// SQLite's pool runs dry in its second turn: PostgreSQL goes on alone.
		d.payments.pay.Exhaust = d.kind == dbSQLite && turns[d.kind] == 2
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "sqlite postgres sqlite postgres postgres postgres postgres"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("turns in the order %q, want %q", got, want)
	}

	failing := errors.New("the server went away")
	pg.payments.pay.Exhaust = false
	err = alternate(context.Background(), []*dbRun{pg}, func(*dbRun, context.Context) error { return failing })
	if !errors.Is(err, failing) || !strings.HasPrefix(err.Error(), "postgres: ") {
		t.Errorf("error %v, want the turn's error named after its database", err)
	}
}

func TestPaymentsAreSetUpOnceEveryDatabaseRanItsScenarios(t *testing.T) {
	var steps []string
	open := func(_ context.Context, kind string) (*dbRun, error) {
		steps = append(steps, "open "+kind)
		return &dbRun{kind: kind}, nil
	}
	step := func(what string) func(*dbRun, context.Context) error {
		return func(d *dbRun, _ context.Context) error {
			steps = append(steps, what+" "+d.kind)
			return nil
		}
	}
	runs, err := setUpAll(context.Background(), []string{dbSQLite, dbPostgres}, open, step("scenarios"), step("payments"))
	if err != nil {
		t.Fatal(err)
	}
	want := "open sqlite, scenarios sqlite, open postgres, scenarios postgres, payments sqlite, payments postgres"
	if got := strings.Join(steps, ", "); got != want {
		t.Errorf("steps %q, want %q", got, want)
	}
	if len(runs) != 2 {
		t.Errorf("%d runs, want 2", len(runs))
	}

	// A failure stops the set-up and still hands back what was opened, to be closed.
	failing := errors.New("no database")
	runs, err = setUpAll(context.Background(), []string{dbSQLite, dbPostgres}, open, step("scenarios"),
		func(d *dbRun, _ context.Context) error { return failing })
	if !errors.Is(err, failing) || !strings.HasPrefix(err.Error(), "sqlite: ") || len(runs) != 2 {
		t.Errorf("error %v with %d runs, want the first set-up's error named after its database, with both runs", err, len(runs))
	}
}

func TestReadBytesOf(t *testing.T) {
	for _, c := range []struct {
		io   string
		want int64
	}{
		{"rchar: 2012\nwchar: 0\nsyscr: 7\nsyscw: 0\nread_bytes: 1232896\nwrite_bytes: 4096\ncancelled_write_bytes: 0\n", 1232896},
		{"rchar: 2012\nwrite_bytes: 4096\n", 0},
		{"", 0},
	} {
		if got := readBytesOf(c.io); got != c.want {
			t.Errorf("readBytesOf(%q) = %d, want %d", c.io, got, c.want)
		}
	}
}

// The machine's CPU time adds up the busy columns of /proc/stat's first line, and the others'
// share is what is left of it once the measured processes' time is taken away.
func TestMachineCPUAndOthersShare(t *testing.T) {
	for _, c := range []struct {
		stat string
		want time.Duration
	}{
		// user 100, nice 2, system 30, idle 900, iowait 50, irq 1, softirq 5, steal 12: 150 ticks.
		{"cpu  100 2 30 900 50 1 5 12 0 0\ncpu0 50 1 15 450 25 0 2 6 0 0\n", 1500 * time.Millisecond},
		{"cpu0 100 2 30 900 50 1 5 12 0 0\n", 0},
		{"cpu  100 2 30\n", 0},
		{"", 0},
	} {
		if got := machineCPUOf(c.stat); got != c.want {
			t.Errorf("machineCPUOf(%q) = %v, want %v", c.stat, got, c.want)
		}
	}
	for _, c := range []struct {
		u    cpuUsage
		want float64
	}{
		// 2 s on 2 CPUs, of which the measured processes used 2.5 s and everything 3 s.
		{cpuUsage{Server: 2 * time.Second, Bench: 500 * time.Millisecond, Machine: 3 * time.Second, Wall: 2 * time.Second}, 0.125},
		{cpuUsage{Server: 2 * time.Second, Postgres: time.Second, Machine: 2 * time.Second, Wall: 2 * time.Second}, 0},
		{cpuUsage{Server: time.Second, Wall: 2 * time.Second}, -1},
	} {
		if got := c.u.othersShare(2); got != c.want {
			t.Errorf("%+v.othersShare(2) = %v, want %v", c.u, got, c.want)
		}
	}
}

func TestDatabaseURL(t *testing.T) {
	tests := []struct {
		admin, want string
		wantErr     bool
	}{
		{"postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "postgres://postgres@127.0.0.1:5432/bench_x?sslmode=disable", false},
		{"postgresql://u:p@localhost/", "postgresql://u:p@localhost/bench_x", false},
		{"mysql://localhost/test", "", true},
	}
	for _, tt := range tests {
		got, err := databaseURL(tt.admin, "bench_x")
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("databaseURL(%q) = %q, %v; want %q, error %v", tt.admin, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestTargetsMarkMissingPaymentsNotAvailable(t *testing.T) {
	r := &report{Database: dbPostgres, InvoicesStored: 100_000, Scenarios: []scenarioReport{
		{Key: "constant", Available: true, PerSecond: 1000},
		{Key: "checkout", Available: true, PerSecond: 400},
		{Key: "list", Label: "(d) GET /api/v1/invoices?limit=20", Available: true, OK: 10, Latency: latencyReport{P99: 12}},
		{Key: "commit", Available: true, PerSecond: 900},
		{Key: "pay", Available: false},
	}}
	r.checkTargets()
	want := []string{targetMissed, targetMet, targetNotAvailable}
	if len(r.Targets) != len(want) {
		t.Fatalf("got %d targets, want %d: %+v", len(r.Targets), len(want), r.Targets)
	}
	for i, tc := range r.Targets {
		if tc.Status != want[i] {
			t.Errorf("target %q: %s, want %s", tc.Name, tc.Status, want[i])
		}
	}
}

func TestProcessCPUReadsThisProcess(t *testing.T) {
	deadline := time.Now().Add(50 * time.Millisecond)
	for x := 0; time.Now().Before(deadline); x++ {
		_ = x * x // burn some CPU so there is something to read
	}
	if got := processCPU(os.Getpid()); got <= 0 {
		t.Errorf("processCPU(self) = %v, want > 0", got)
	}
	if got := processCPU(-1); got != 0 {
		t.Errorf("processCPU(-1) = %v, want 0", got)
	}
}

func TestCPUSampleSinceCountsNewBackendsInFull(t *testing.T) {
	start := cpuSample{server: time.Second, self: time.Second, serverRead: 1000,
		backends: map[int]processUse{10: {cpu: time.Second, read: 100}, 11: {cpu: 2 * time.Second, read: 50}}}
	end := cpuSample{server: 3 * time.Second, self: 4 * time.Second, serverRead: 1500,
		backends: map[int]processUse{10: {cpu: 2 * time.Second, read: 300}, 12: {cpu: 500 * time.Millisecond, read: 40}}}
	got := end.since(start)
	want := cpuUsage{Server: 2 * time.Second, Postgres: 1500 * time.Millisecond, Bench: 3 * time.Second, DiskRead: 500 + 200 + 40}
	if got != want {
		t.Errorf("since = %+v, want %+v", got, want)
	}
}

func TestTargetsOfPaymentsAreRatiosWithinTheRun(t *testing.T) {
	rows := []scenarioReport{
		{Key: "create", Available: true, OK: 10, PerSecond: 100},
		{Key: "pay", Available: true, OK: 10, PerSecond: 300, PayCall: &latencyReport{P99: 60}},
		{Key: "floor", Available: true, OK: 10, PerSecond: 1000, PayCall: &latencyReport{P99: 25}},
		{Key: "list_1client", Available: true, OK: 10, Latency: latencyReport{P99: 4}},
		{Key: "list_1client_1m", Available: true, OK: 10, Latency: latencyReport{P99: 7}},
	}
	busy := 0
	for _, tt := range []struct {
		db   string
		want map[string]string
	}{
		{dbPostgres, map[string]string{"payments/s vs the floor (g)": targetMet, "pay p99 vs the floor's pay p99": targetMet,
			"invoice creation (one merchant) vs payments": targetMet, "  … its p99 at 1,000,000 vs at 100,000": targetMissed}},
		{dbSQLite, map[string]string{"payments/s vs the floor (g)": targetReference, "SQLITE_BUSY in the server log": targetMet}},
	} {
		r := &report{Database: tt.db, InvoicesStored: 100_000, MillionStored: 1_000_000, Scenarios: rows}
		if tt.db == dbSQLite {
			r.SQLiteBusy = &busy
		}
		r.checkTargets()
		got := map[string]string{}
		for _, c := range r.Targets {
			got[c.Name] = c.Status
		}
		for name, status := range tt.want {
			if got[name] != status {
				t.Errorf("%s: target %q is %q, want %q (all: %+v)", tt.db, name, got[name], status, r.Targets)
			}
		}
	}
	// A pay p99 of 4.5× the floor's at 300/s asks for 1.5 times the rate: 450/s, 45 % of a floor of 1,000/s.
	slow := append([]scenarioReport(nil), rows...)
	slow[1].PayCall = &latencyReport{P99: 112.5}
	r := &report{Database: dbPostgres, Scenarios: slow}
	r.checkTargets()
	asked := ""
	for _, c := range r.Targets {
		if strings.Contains(c.Name, "p99 target asks for") {
			asked = c.Got
		}
	}
	if asked != "about 450 per s = 45 % of the floor" {
		t.Errorf("the rate the p99 target asks for: %q", asked)
	}
	lite := &report{Database: dbSQLite, Scenarios: []scenarioReport{{Key: "pay", Available: true, OK: 1, PerSecond: 320, PayCall: &latencyReport{P99: 50}}}}
	pg := &report{Database: dbPostgres, Scenarios: rows}
	b := &benchReport{Runs: []*report{lite, pg}}
	b.compare()
	if len(b.Targets) != 2 || b.Targets[0].Status != targetMet || b.Targets[1].Status != targetMet {
		t.Errorf("SQLite 320/s p99 50 ms vs PostgreSQL 300/s p99 60 ms: %+v, want both met", b.Targets)
	}
	if len(b.Comparison) == 0 || len(b.Comparison[0].Values) != 2 {
		t.Errorf("comparison rows: %+v", b.Comparison)
	}
}

func TestTurnsNameTheirPayP99(t *testing.T) {
	turn := func(p99 time.Duration) loadResult {
		return loadResult{Part: &latencyStats{P99: p99}}
	}
	s := scenarioReport{Note: "measured in turns"}.withTurns([]loadResult{turn(41200 * time.Microsecond), turn(95 * time.Millisecond)})
	if fmt.Sprint(s.PayCallP99ByTurn) != "[41.2 95]" {
		t.Errorf("PayCallP99ByTurn = %v, want [41.2 95]", s.PayCallP99ByTurn)
	}
	if s.Note != "measured in turns; pay p99 by turn: 41.2 / 95.0 ms" {
		t.Errorf("Note = %q", s.Note)
	}
	// A scenario whose op reports no pay call has no figures by turn.
	if s := (scenarioReport{}).withTurns([]loadResult{{}}); s.PayCallP99ByTurn != nil || s.Note != "" {
		t.Errorf("without pay calls: %+v", s)
	}
}

// A run whose product cannot start cleans up after itself and says why, instead of crashing the
// bench: the cleanup once met the nil run an early return had made of it.
func TestOpenRunThatFailsCleansUp(t *testing.T) {
	dir := t.TempDir()
	o := options{Out: dir + "/bench.json", ServerLog: dir + "/server.log", Load: loadConfig{Concurrency: 1}}
	_, err := openRun(context.Background(), o, dir+"/no-such-binary", dbSQLite)
	if err == nil {
		t.Fatal("openRun with a missing binary succeeded")
	}
	left, _ := os.ReadDir(dir)
	for _, e := range left {
		if strings.HasPrefix(e.Name(), "bench-sqlite-") {
			t.Errorf("the SQLite database %s was left behind", e.Name())
		}
	}
}
