package main

import (
	"fmt"
	"io"
	"strings"
)

// benchReport is a whole run: one report per database, their comparison, the checkout budget.
type benchReport struct {
	Runs           []*report     `json:"runs"`
	Comparison     []compareRow  `json:"comparison"`
	Targets        []targetCheck `json:"targets"` // across the databases
	CheckoutBudget *budgetReport `json:"checkout_budget,omitempty"`
	// FirstLoads are the checkout's first load under a throttled network: an earlier binary's, then this one's.
	FirstLoads []*firstLoad `json:"first_loads,omitempty"`
}

// compareRow is one figure on each database, in the order of Runs.
type compareRow struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

func (b *benchReport) run(kind string) (*report, bool) {
	for _, r := range b.Runs {
		if r.Database == kind {
			return r, true
		}
	}
	return nil, false
}

// compare builds the side-by-side figures of the payments, creation and lists, and checks the
// targets that compare the databases: SQLite pays at least as fast as PostgreSQL, with a p99 no
// higher.
func (b *benchReport) compare() {
	b.Comparison, b.Targets = nil, nil
	row := func(name string, f func(r *report) string) {
		c := compareRow{Name: name}
		for _, r := range b.Runs {
			c.Values = append(c.Values, f(r))
		}
		b.Comparison = append(b.Comparison, c)
	}
	fig := func(key string, f func(s scenarioReport) string) func(r *report) string {
		return func(r *report) string {
			s, ok := r.scenario(key)
			if !ok || !s.Available || s.OK == 0 {
				return "—"
			}
			return f(s)
		}
	}
	payCallP99 := func(s scenarioReport) string {
		if s.PayCall == nil {
			return "—"
		}
		return fmt.Sprintf("%.1f ms", s.PayCall.P99)
	}
	row("payments per s (e)", fig("pay", func(s scenarioReport) string { return fmt.Sprintf("%.0f", s.PerSecond) }))
	row("pay p99 (POST …/pay)", fig("pay", payCallP99))
	row("floor (g) per s", fig("floor", func(s scenarioReport) string { return fmt.Sprintf("%.0f", s.PerSecond) }))
	row("floor (g) pay p99", fig("floor", payCallP99))
	row("payments as % of the floor", func(r *report) string {
		pay, ok1 := r.scenario("pay")
		floor, ok2 := r.scenario("floor")
		if !ok1 || !ok2 || floor.PerSecond == 0 {
			return "—"
		}
		return fmt.Sprintf("%.0f %%", 100*pay.PerSecond/floor.PerSecond)
	})
	row("pay p99 / floor p99", func(r *report) string {
		pay, ok1 := r.scenario("pay")
		floor, ok2 := r.scenario("floor")
		if !ok1 || !ok2 || pay.PayCall == nil || floor.PayCall == nil || floor.PayCall.P99 == 0 {
			return "—"
		}
		return fmt.Sprintf("%.1f×", pay.PayCall.P99/floor.PayCall.P99)
	})
	cpu := func(part func(c *cpuReport) float64) func(s scenarioReport) string {
		return func(s scenarioReport) string {
			if s.CPU == nil {
				return "—"
			}
			return fmt.Sprintf("%.3f", part(s.CPU))
		}
	}
	row("CPU ms per payment: server (SQLite inside it)", fig("pay", cpu(func(c *cpuReport) float64 { return c.Server })))
	row("CPU ms per payment: PostgreSQL backends", fig("pay", cpu(func(c *cpuReport) float64 { return c.Postgres })))
	row("CPU ms per payment: bench (payers, gateway calls)", fig("pay", cpu(func(c *cpuReport) float64 { return c.Bench })))
	row("events undispatched after a turn / 1 s later (most)", fig("pay", func(s scenarioReport) string {
		if s.EventBacklog == nil || s.EventBacklogAfter1s == nil {
			return "—"
		}
		return fmt.Sprintf("%d / %d", *s.EventBacklog, *s.EventBacklogAfter1s)
	}))
	row("WAL checkpoints inside the payments' turns", fig("pay", func(s scenarioReport) string {
		if s.Checkpoints == nil {
			return "—"
		}
		if s.WALRestarts != nil {
			return fmt.Sprintf("%d (%d WAL restarts)", *s.Checkpoints, *s.WALRestarts)
		}
		return fmt.Sprint(*s.Checkpoints)
	}))
	row("invoice creation per s (one merchant) (c)", fig("create", func(s scenarioReport) string { return fmt.Sprintf("%.0f", s.PerSecond) }))
	row("invoice creation / payments", func(r *report) string {
		create, ok1 := r.scenario("create")
		pay, ok2 := r.scenario("pay")
		if !ok1 || !ok2 || pay.PerSecond == 0 {
			return "—"
		}
		return fmt.Sprintf("%.2f", create.PerSecond/pay.PerSecond)
	})
	for _, l := range []struct{ key, name string }{{"list", "plain"}, {"list_paid", "status=paid"}, {"list_q_rare", "one e-mail"}} {
		row("list 1 client p99, "+l.name+" (→ at 1,000,000: -million)", func(r *report) string {
			at100k, ok := r.scenario(l.key + "_1client")
			if !ok {
				return "—"
			}
			out := fmt.Sprintf("%.1f ms", at100k.Latency.P99)
			if at1m, ok := r.scenario(l.key + "_1client_1m"); ok {
				out += fmt.Sprintf(" → %.1f ms", at1m.Latency.P99)
			}
			return out
		})
	}
	row("SQLITE_BUSY lines in the server log", func(r *report) string {
		if r.SQLiteBusy == nil {
			return "—"
		}
		return fmt.Sprint(*r.SQLiteBusy)
	})

	lite, ok1 := b.run(dbSQLite)
	pg, ok2 := b.run(dbPostgres)
	if !ok1 || !ok2 {
		return
	}
	lp, okL := lite.scenario("pay")
	pp, okP := pg.scenario("pay")
	if !okL || !okP || pp.PerSecond == 0 || lp.PayCall == nil || pp.PayCall == nil {
		b.Targets = append(b.Targets, targetCheck{Name: "SQLite vs PostgreSQL payments", Want: "both measured", Got: "a payment scenario is missing", Status: targetNotAvailable})
		return
	}
	b.Targets = append(b.Targets,
		check("SQLite payments/s vs PostgreSQL's", "≥ 1×", fmt.Sprintf("%.0f / %.0f per s = %.2f×", lp.PerSecond, pp.PerSecond, lp.PerSecond/pp.PerSecond),
			lp.PerSecond >= pp.PerSecond),
		check("SQLite pay p99 vs PostgreSQL's", "≤ 1×", fmt.Sprintf("%.1f / %.1f ms = %.2f×", lp.PayCall.P99, pp.PayCall.P99, lp.PayCall.P99/pp.PayCall.P99),
			lp.PayCall.P99 <= pp.PayCall.P99))
}

// print writes each database's table and targets, then the comparison.
func (b *benchReport) print(w io.Writer) {
	for _, r := range b.Runs {
		r.print(w)
	}
	if b.CheckoutBudget != nil {
		fmt.Fprintf(w, "\nCheckout budget (frontend-pay/scripts/size-check.mjs): %s\n", b.CheckoutBudget.Figure)
		printTargets(w, []targetCheck{check("checkout first load", "≤ 35 KB brotli", b.CheckoutBudget.Figure, b.CheckoutBudget.Within)})
	}
	if len(b.Runs) == 0 {
		return
	}
	fmt.Fprintf(w, "\nSide by side (one run; ratios are the figures to compare across machines)\n")
	fmt.Fprintf(w, "  %-52s", "")
	for _, r := range b.Runs {
		fmt.Fprintf(w, " %28s", r.Database)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "  "+strings.Repeat("─", 52+29*len(b.Runs)))
	for _, c := range b.Comparison {
		fmt.Fprintf(w, "  %-52s", c.Name)
		for _, v := range c.Values {
			fmt.Fprintf(w, " %28s", v)
		}
		fmt.Fprintln(w)
	}
	if len(b.Targets) > 0 {
		fmt.Fprintf(w, "\nTargets across the databases\n")
		printTargets(w, b.Targets)
	}
}
