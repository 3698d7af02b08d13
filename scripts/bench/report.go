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

// report is everything one run measured; it is printed as a table and written as JSON.
type report struct {
	StartedAt       time.Time `json:"started_at"`
	GoVersion       string    `json:"go_version"`
	CPUs            int       `json:"cpus"`
	Postgres        string    `json:"postgres_version"`
	Concurrency     int       `json:"concurrency"`
	WarmupSeconds   float64   `json:"warmup_seconds"`
	DurationSeconds float64   `json:"duration_seconds"`
	InvoicesStored  int64     `json:"invoices_stored"` // when the list scenarios ran
	BulkLoadSeconds float64   `json:"bulk_load_seconds"`
	// LoadAverageStart and LoadAverageEnd are /proc/loadavg around the run.
	LoadAverageStart string           `json:"load_average_start"`
	LoadAverageEnd   string           `json:"load_average_end"`
	Scenarios        []scenarioReport `json:"scenarios"`
	Targets          []targetCheck    `json:"targets"`
	CheckoutBudget   *budgetReport    `json:"checkout_budget,omitempty"`
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
	// EventBacklog is how many events the background had not dispatched when the scenario ended.
	EventBacklog *int64 `json:"event_backlog,omitempty"`
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

// checkTargets compares the rows with the targets of the backbone and payments issues.
func (r *report) checkTargets() {
	r.Targets = nil
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
		r.Targets = append(r.Targets, check(fmt.Sprintf("list, %s invoices, %s: %s", formatCount(r.InvoicesStored), clients(s.Clients), strings.TrimPrefix(s.Label, "(d) ")),
			"p99 < 20 ms", fmt.Sprintf("p99 %.1f ms", s.Latency.P99), s.OK > 0 && s.Latency.P99 < 20))
	}
	pay, okPay := r.scenario("pay")
	commit, okCommit := r.scenario("commit")
	switch {
	case !okPay || !pay.Available:
		r.Targets = append(r.Targets,
			targetCheck{Name: "payments/s vs INSERT+COMMIT/s", Want: "≥ 1/3 of the ceiling", Got: "pay endpoint not available", Status: targetNotAvailable},
			targetCheck{Name: "pay latency", Want: "p99 < 100 ms", Got: "pay endpoint not available", Status: targetNotAvailable})
	default:
		if okCommit && commit.PerSecond > 0 {
			ratio := pay.PerSecond / commit.PerSecond
			got := fmt.Sprintf("%.0f / %.0f per s", pay.PerSecond, commit.PerSecond)
			if ratio > 0 {
				got += fmt.Sprintf(" = 1/%.1f", 1/ratio)
			}
			r.Targets = append(r.Targets, check("payments/s vs INSERT+COMMIT/s", "≥ 1/3 of the ceiling", got, ratio >= 1.0/3))
			if floor, ok := r.scenario("floor"); ok && floor.PerSecond > 0 {
				got := fmt.Sprintf("%.0f / %.0f per s = 1/%.1f; the product reaches %.0f %% of its floor",
					floor.PerSecond, commit.PerSecond, commit.PerSecond/floor.PerSecond, 100*pay.PerSecond/floor.PerSecond)
				r.Targets = append(r.Targets, targetCheck{Name: "floor of a payment (g) vs INSERT+COMMIT/s", Want: "(no target: what the machine allows)",
					Got: got, Status: targetReference})
			}
		}
		if pay.PayCall != nil {
			r.Targets = append(r.Targets, check("pay latency (POST …/pay)", "p99 < 100 ms",
				fmt.Sprintf("p99 %.1f ms", pay.PayCall.P99), pay.OK > 0 && pay.PayCall.P99 < 100))
		} else {
			r.Targets = append(r.Targets, check("pay latency (POST …/pay)", "p99 < 100 ms", "no successful payment", false))
		}
	}
	if r.CheckoutBudget != nil {
		r.Targets = append(r.Targets, check("checkout first load", "≤ 35 KB gzipped", r.CheckoutBudget.Figure, r.CheckoutBudget.Within))
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
	fmt.Fprintf(w, "\nSecureLink benchmark — %d concurrent clients, %.0f s per scenario after %.0f s warm-up, loopback, %d CPUs, PostgreSQL %s\n",
		r.Concurrency, r.DurationSeconds, r.WarmupSeconds, r.CPUs, r.Postgres)
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
	if r.CheckoutBudget != nil {
		fmt.Fprintf(w, "\nCheckout budget (frontend-pay/scripts/size-check.mjs): %s\n", r.CheckoutBudget.Figure)
	}
	fmt.Fprintf(w, "\nTargets\n")
	for _, t := range r.Targets {
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
func (r *report) writeJSON(path string) error {
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
