package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// report is everything one run on one database measured; it is printed as a table.
type report struct {
	Database        string    `json:"database"` // sqlite or postgres
	StartedAt       time.Time `json:"started_at"`
	GoVersion       string    `json:"go_version"`
	CPUs            int       `json:"cpus"`
	Version         string    `json:"database_version"`
	Concurrency     int       `json:"concurrency"`
	WarmupSeconds   float64   `json:"warmup_seconds"`
	DurationSeconds float64   `json:"duration_seconds"`
	InvoicesStored  int64     `json:"invoices_stored"` // when the list scenarios ran
	BulkLoadSeconds float64   `json:"bulk_load_seconds"`
	// MillionStored and MillionLoadSeconds are the -million lists' store and its extra bulk load.
	MillionStored      int64   `json:"million_stored,omitempty"`
	MillionLoadSeconds float64 `json:"million_load_seconds,omitempty"`
	// SQLiteBusy counts the server log's lines that tell of SQLITE_BUSY (SQLite only).
	SQLiteBusy *int `json:"sqlite_busy_log_lines,omitempty"`
	// LoadAverageStart and LoadAverageEnd are /proc/loadavg around the run.
	LoadAverageStart string           `json:"load_average_start"`
	LoadAverageEnd   string           `json:"load_average_end"`
	Scenarios        []scenarioReport `json:"scenarios"`
	Targets          []targetCheck    `json:"targets"`
}

// scenarioReport is one row of the table.
type scenarioReport struct {
	Key           string         `json:"key"`
	Label         string         `json:"label"`
	Clients       int            `json:"clients"`
	Available     bool           `json:"available"`
	Note          string         `json:"note,omitempty"`
	OK            int            `json:"ok"`
	Errors        int            `json:"errors"`
	PerSecond     float64        `json:"per_second"`
	WindowSeconds float64        `json:"window_seconds"`
	Latency       latencyReport  `json:"latency_ms"`
	PayCall       *latencyReport `json:"pay_call_latency_ms,omitempty"`
	CPU           *cpuReport     `json:"cpu_ms_per_op,omitempty"`
	ErrorSamples  []string       `json:"error_samples,omitempty"`
	// EventBacklog is the most events the background had not dispatched when a turn of payments
	// ended, and EventBacklogAfter1s the most a second later.
	EventBacklog        *int64 `json:"event_backlog,omitempty"`
	EventBacklogAfter1s *int64 `json:"event_backlog_after_1s,omitempty"`
	// Checkpoints is how many WAL checkpoints SQLite's checkpointer ran during the scenario (the
	// payments' turns).
	Checkpoints *int64 `json:"sqlite_checkpoints,omitempty"`
	// WALRestarts is how many of them also started the WAL over, holding the writer.
	WALRestarts *int64 `json:"sqlite_wal_restarts,omitempty"`
	// PoolWaits is how the server's PostgreSQL pool kept requests waiting during the scenario.
	PoolWaits *poolWaitReport `json:"pool_waits,omitempty"`
	// PayCallP99ByTurn is the pay call's p99 in each turn of a scenario measured in turns: one
	// slow turn among quick ones is the machine's minute, all of them slow is the code.
	PayCallP99ByTurn []float64 `json:"pay_call_p99_by_turn_ms,omitempty"`
	// DiskReadMB is what the server and the PostgreSQL backends read from disk during the payments'
	// turns, rather than from the page cache: a payment's pages read back from disk hold up every
	// payment queued behind it.
	DiskReadMB *float64 `json:"disk_read_mb,omitempty"`
	// OthersCPUByTurn is the share of the machine's CPUs, in percent, that other processes used
	// in each turn (cpuUsage.othersShare): a slow turn with a busy neighbour is the machine's.
	OthersCPUByTurn []float64 `json:"others_cpu_percent_by_turn,omitempty"`
}

// withOthers records the CPU share other processes used in each turn, and names it in the note.
func (s scenarioReport) withOthers(turns []cpuUsage, cpus int) scenarioReport {
	var named []string
	for _, u := range turns {
		share := u.othersShare(cpus)
		if share < 0 {
			return s
		}
		s.OthersCPUByTurn = append(s.OthersCPUByTurn, 100*share)
		named = append(named, fmt.Sprintf("%.0f", 100*share))
	}
	if len(named) > 0 {
		s.Note += "; CPU other processes used by turn: " + strings.Join(named, " / ") + " %"
	}
	return s
}

// withTurns records the pay call's p99 of each turn, and names them in the note.
func (s scenarioReport) withTurns(turns []loadResult) scenarioReport {
	var named []string
	for _, t := range turns {
		if t.Part == nil {
			return s
		}
		p99 := ms(t.Part.P99)
		s.PayCallP99ByTurn = append(s.PayCallP99ByTurn, p99)
		named = append(named, fmt.Sprintf("%.1f", p99))
	}
	if len(named) > 0 {
		s.Note = strings.TrimPrefix(s.Note+"; pay p99 by turn: "+strings.Join(named, " / ")+" ms", "; ")
	}
	return s
}

// poolWaitReport is the waits for a pooled PostgreSQL connection, counted by the server.
type poolWaitReport struct {
	PerPayment float64 `json:"per_payment"`
	AverageMS  float64 `json:"average_ms"`
}

// cpuReport is the CPU time one iteration cost, warm-up included, in milliseconds.
type cpuReport struct {
	Server   float64 `json:"server"`
	Postgres float64 `json:"postgres"`
	Bench    float64 `json:"bench"`
}

// withCPU adds the CPU cost per iteration to a row.
func (s scenarioReport) withCPU(u cpuUsage, iterations int) scenarioReport {
	if iterations > 0 {
		per := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(iterations) }
		s.CPU = &cpuReport{Server: per(u.Server), Postgres: per(u.Postgres), Bench: per(u.Bench)}
	}
	return s
}

// latencyReport is latencyStats in milliseconds.
type latencyReport struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func toLatencyReport(s latencyStats) latencyReport {
	return latencyReport{P50: ms(s.P50), P90: ms(s.P90), P99: ms(s.P99), Max: ms(s.Max)}
}

// newScenarioReport turns a load result into a row.
func newScenarioReport(key, label string, clients int, r loadResult) scenarioReport {
	s := scenarioReport{Key: key, Label: label, Clients: clients, Available: true, OK: r.OK, Errors: r.Errors, PerSecond: r.Rate(),
		WindowSeconds: r.Window.Seconds(), Latency: toLatencyReport(r.Latency), ErrorSamples: r.Samples}
	if r.Part != nil {
		p := toLatencyReport(*r.Part)
		s.PayCall = &p
	}
	if r.Exhaust {
		s.Note = fmt.Sprintf("the pool of invoices ran dry: measured over %.1f s", r.Window.Seconds())
	}
	return s
}

// Target outcomes.
const (
	targetMet          = "MET"
	targetMissed       = "MISSED"
	targetNotAvailable = "NOT AVAILABLE"
	// targetReference is a figure printed beside the targets to explain them, not a target.
	targetReference = "FOR REFERENCE"
)

// targetCheck is one target and how the run did against it.
type targetCheck struct {
	Name   string `json:"name"`
	Want   string `json:"want"`
	Got    string `json:"got"`
	Status string `json:"status"`
}

func check(name, want, got string, met bool) targetCheck {
	status := targetMissed
	if met {
		status = targetMet
	}
	return targetCheck{Name: name, Want: want, Got: got, Status: status}
}

// budgetReport is the checkout bundle size check.
type budgetReport struct {
	Figure string `json:"figure"` // the script's summary line
	Within bool   `json:"within_budget"`
	Output string `json:"output"`
}

// scenario returns the row with key, if the run has it.
func (r *report) scenario(key string) (scenarioReport, bool) {
	for _, s := range r.Scenarios {
		if s.Key == key {
			return s, true
		}
	}
	return scenarioReport{}, false
}

// Targets of the payments and lists, as ratios within one run.
const (
	targetFloorShare      = 0.25 // PostgreSQL payments/s at least this share of the floor's
	targetFloorP99        = 3.0  // PostgreSQL pay p99 at most this many times the floor's
	targetCreateShare     = 1.0 / 3
	targetListP99ms       = 20.0
	targetMillionP99Ratio = 1.5
)

// referenceUnless is check's outcome when the target applies, else the figure for reference.
func referenceUnless(applies bool, c targetCheck) targetCheck {
	if !applies {
		c.Status = targetReference
	}
	return c
}

// checkTargets compares one database's rows with the targets.
func (r *report) checkTargets() {
	r.Targets = nil
	pg := r.Database == dbPostgres
	ceiling, okCeiling := r.scenario("constant")
	checkout, okCheckout := r.scenario("checkout")
	if okCeiling && okCheckout && ceiling.PerSecond > 0 {
		ratio := checkout.PerSecond / ceiling.PerSecond
		r.Targets = append(r.Targets, check("checkout view vs the bare route", "≥ 50 % of the ceiling's requests/s",
			fmt.Sprintf("%.0f / %.0f req/s = %.0f %%", checkout.PerSecond, ceiling.PerSecond, 100*ratio), ratio >= 0.5))
	}
	for _, s := range r.Scenarios {
		if !strings.HasPrefix(s.Key, "list") {
			continue
		}
		stored := r.InvoicesStored
		if strings.HasSuffix(s.Key, "_1m") {
			stored = r.MillionStored
		}
		r.Targets = append(r.Targets, check(fmt.Sprintf("list, %s invoices, %s: %s", formatCount(stored), clients(s.Clients), strings.TrimPrefix(s.Label, "(d) ")),
			fmt.Sprintf("p99 < %.0f ms", targetListP99ms), fmt.Sprintf("p99 %.1f ms", s.Latency.P99), s.OK > 0 && s.Latency.P99 < targetListP99ms))
		if base, ok := r.scenario(strings.TrimSuffix(s.Key, "_1m")); ok && strings.HasSuffix(s.Key, "_1m") && base.Latency.P99 > 0 {
			ratio := s.Latency.P99 / base.Latency.P99
			r.Targets = append(r.Targets, check("  … its p99 at 1,000,000 vs at "+formatCount(r.InvoicesStored), fmt.Sprintf("≤ %.1f×", targetMillionP99Ratio),
				fmt.Sprintf("%.1f / %.1f ms = %.2f×", s.Latency.P99, base.Latency.P99, ratio), ratio <= targetMillionP99Ratio))
		}
	}
	pay, okPay := r.scenario("pay")
	if !okPay || !pay.Available || pay.OK == 0 {
		r.Targets = append(r.Targets, targetCheck{Name: "payments", Want: "a successful payment", Got: "pay endpoint not available or no payment", Status: targetNotAvailable})
		return
	}
	floor, okFloor := r.scenario("floor")
	if okFloor && floor.PerSecond > 0 {
		share := pay.PerSecond / floor.PerSecond
		r.Targets = append(r.Targets, referenceUnless(pg, check("payments/s vs the floor (g)", fmt.Sprintf("≥ %.0f %% (PostgreSQL)", 100*targetFloorShare),
			fmt.Sprintf("%.0f / %.0f per s = %.0f %%", pay.PerSecond, floor.PerSecond, 100*share), share >= targetFloorShare)))
		if pay.PayCall != nil && floor.PayCall != nil && floor.PayCall.P99 > 0 {
			ratio := pay.PayCall.P99 / floor.PayCall.P99
			r.Targets = append(r.Targets, referenceUnless(pg, check("pay p99 vs the floor's pay p99", fmt.Sprintf("≤ %.0f× (PostgreSQL)", targetFloorP99),
				fmt.Sprintf("%.1f / %.1f ms = %.1f×", pay.PayCall.P99, floor.PayCall.P99, ratio), ratio <= targetFloorP99)))
			// Every payer starts its next payment as soon as the last one ends, so a payment's
			// latency is the number of payers over the rate: the pay p99 falls only as fast as the
			// rate rises. With the latencies' spread as measured, the p99 target asks for this rate.
			if ratio > targetFloorP99 {
				asked := pay.PerSecond * ratio / targetFloorP99
				r.Targets = append(r.Targets, targetCheck{Name: "  … payments/s that p99 target asks for, at this run's spread", Want: "(no target of its own)",
					Got: fmt.Sprintf("about %.0f per s = %.0f %% of the floor", asked, 100*asked/floor.PerSecond), Status: targetReference})
			}
		}
		if commit, ok := r.scenario("commit"); ok && commit.PerSecond > 0 {
			r.Targets = append(r.Targets, targetCheck{Name: "floor of a payment (g) vs INSERT+COMMIT/s", Want: "(no target: what the machine allows)",
				Got: fmt.Sprintf("%.0f / %.0f per s = 1/%.1f", floor.PerSecond, commit.PerSecond, commit.PerSecond/floor.PerSecond), Status: targetReference})
		}
	}
	if create, ok := r.scenario("create"); ok && create.PerSecond > 0 {
		share := create.PerSecond / pay.PerSecond
		r.Targets = append(r.Targets, referenceUnless(pg, check("invoice creation (one merchant) vs payments", "≥ 1/3 of payments/s (PostgreSQL)",
			fmt.Sprintf("%.0f / %.0f per s = %.2f", create.PerSecond, pay.PerSecond, share), share >= targetCreateShare)))
	}
	r.Targets = append(r.Targets, check("payments without an error", "0 errors", fmt.Sprintf("%d errors", pay.Errors), pay.Errors == 0))
	if r.SQLiteBusy != nil {
		r.Targets = append(r.Targets, check("SQLITE_BUSY in the server log", "none", fmt.Sprintf("%d lines", *r.SQLiteBusy), *r.SQLiteBusy == 0))
	}
}

func clients(n int) string {
	if n == 1 {
		return "1 client"
	}
	return fmt.Sprintf("%d clients", n)
}

func formatCount(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// print writes the table and the target checks.
func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "\nSecureLink benchmark on %s — %d concurrent clients, %.0f s per scenario after %.0f s warm-up, loopback, %d CPUs\n",
		r.Version, r.Concurrency, r.DurationSeconds, r.WarmupSeconds, r.CPUs)
	fmt.Fprintf(w, "Load average before / after: %s / %s", r.LoadAverageStart, r.LoadAverageEnd)
	// Only the figure before counts: during the run the bench's own load raises it.
	if busy(r.LoadAverageStart, r.CPUs) {
		fmt.Fprintf(w, " — the machine was busy with other work: treat the figures as a lower bound")
	}
	fmt.Fprintf(w, "\n\n%-58s %7s %8s %8s %8s %8s %7s %7s │ %-23s\n", "", "", "", "", "", "", "", "", "CPU ms per iteration")
	fmt.Fprintf(w, "%-58s %7s %8s %8s %8s %8s %7s %7s │ %7s %7s %7s\n", "scenario", "clients", "per s", "p50 ms", "p99 ms", "max ms", "ok", "errors", "server", "pg", "bench")
	fmt.Fprintln(w, strings.Repeat("─", 148))
	for _, s := range r.Scenarios {
		if !s.Available {
			fmt.Fprintf(w, "%-58s %7d %s\n", s.Label, s.Clients, "  not available: "+s.Note)
			continue
		}
		row := func(label string, l latencyReport, cpu *cpuReport) {
			fmt.Fprintf(w, "%-58s %7d %8.0f %8.2f %8.2f %8.2f %7d %7d │", label, s.Clients, s.PerSecond, l.P50, l.P99, l.Max, s.OK, s.Errors)
			if cpu != nil {
				fmt.Fprintf(w, " %7.3f %7.3f %7.3f", cpu.Server, cpu.Postgres, cpu.Bench)
			}
			fmt.Fprintln(w)
		}
		row(s.Label, s.Latency, s.CPU)
		if s.PayCall != nil {
			label := "    of which POST /api/v1/checkout/{token}/pay"
			if s.Key == "floor" {
				label = "    of which POST /pay"
			}
			row(label, *s.PayCall, nil)
		}
		if s.Note != "" {
			fmt.Fprintf(w, "    note: %s\n", s.Note)
		}
		for _, e := range s.ErrorSamples {
			fmt.Fprintf(w, "    error: %s\n", e)
		}
	}
	fmt.Fprintf(w, "\nTargets on %s\n", r.Database)
	printTargets(w, r.Targets)
}

func printTargets(w io.Writer, targets []targetCheck) {
	for _, t := range targets {
		fmt.Fprintf(w, "  %-15s %-75s want %-36s got %s\n", "["+t.Status+"]", t.Name, t.Want, t.Got)
	}
}

// busy tells whether a /proc/loadavg figure says more work was waiting than there are CPUs.
func busy(loadAverage string, cpus int) bool {
	var one float64
	if _, err := fmt.Sscan(loadAverage, &one); err != nil {
		return false
	}
	return one > float64(cpus)
}

// writeJSON stores the report at path, creating its folder.
func (r *benchReport) writeJSON(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode the report: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
