package main

import (
	"context"
	"errors"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// errExhausted tells the runner that an operation has nothing left to work on (the pool of
// pre-created invoices is empty): the scenario ends early and its window is cut to that moment.
var errExhausted = errors.New("work pool exhausted")

// op is one timed iteration of a scenario, run by worker number worker. It may return part, the
// latency of the step the scenario's target is about (the pay call inside tokenise+pay); zero
// means the whole iteration is the figure.
type op func(ctx context.Context, worker int) (part time.Duration, err error)

// loadConfig is how hard and how long a scenario runs.
type loadConfig struct {
	Concurrency int
	Warmup      time.Duration
	Duration    time.Duration
}

// loadResult is what one scenario measured after its warm-up.
type loadResult struct {
	OK        int
	Errors    int
	Window    time.Duration // the measured time: Duration, or less when the pool ran dry
	Latency   latencyStats  // of every successful iteration
	Part      *latencyStats // of the returned parts, when the op reports any
	Samples   []string      // a few distinct error messages, warm-up included
	Exhaust   bool          // the pool ran dry before the end
	WarmupOK  int           // successful iterations during the warm-up (not counted)
	WarmupErr int           // failed iterations during the warm-up (not counted)
	// latencies and parts are the measured iterations' own figures, kept so that results of
	// several runs can be joined (join) and summarised as one.
	latencies, parts []time.Duration
}

// Iterations is every iteration run, warm-up included.
func (r loadResult) Iterations() int { return r.OK + r.Errors + r.WarmupOK + r.WarmupErr }

// Rate is the successful iterations per second in the measured window.
func (r loadResult) Rate() float64 {
	if r.Window <= 0 {
		return 0
	}
	return float64(r.OK) / r.Window.Seconds()
}

// latencyStats summarises a set of latencies.
type latencyStats struct {
	P50, P90, P99, Max time.Duration
}

// workerTally is one worker's own record, merged after the run so workers never share a lock.
type workerTally struct {
	latencies []time.Duration
	parts     []time.Duration
	errors    int
	warmupOK  int
	warmupErr int
}

// runLoad runs op from cfg.Concurrency workers for the warm-up and then the measured duration.
// Only iterations that start inside the measured window count; a worker starts no iteration after
// the window closes, so the last ones may finish slightly late but are still counted.
func runLoad(ctx context.Context, cfg loadConfig, fn op) loadResult {
	start := time.Now()
	measureFrom := start.Add(cfg.Warmup)
	end := measureFrom.Add(cfg.Duration)
	ctx, cancel := context.WithDeadline(ctx, end.Add(30*time.Second))
	defer cancel()

	var (
		exhaustedAt atomic.Int64 // UnixNano of the first errExhausted; 0 while work remains
		samplesMu   sync.Mutex
		samples     []string
		wg          sync.WaitGroup
	)
	tallies := make([]workerTally, cfg.Concurrency)
	for w := range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := &tallies[w]
			for {
				began := time.Now()
				if !began.Before(end) || exhaustedAt.Load() != 0 || ctx.Err() != nil {
					return
				}
				part, err := fn(ctx, w)
				took := time.Since(began)
				if errors.Is(err, errExhausted) {
					exhaustedAt.CompareAndSwap(0, began.UnixNano())
					return
				}
				if err != nil {
					// Warm-up errors are not counted, but their messages still explain a bad run.
					if began.Before(measureFrom) {
						t.warmupErr++
					} else {
						t.errors++
					}
					samplesMu.Lock()
					if len(samples) < 3 && !slices.Contains(samples, err.Error()) {
						samples = append(samples, err.Error())
					}
					samplesMu.Unlock()
					continue
				}
				if began.Before(measureFrom) {
					t.warmupOK++
					continue
				}
				t.latencies = append(t.latencies, took)
				if part > 0 {
					t.parts = append(t.parts, part)
				}
			}
		}()
	}
	wg.Wait()

	res := loadResult{Window: cfg.Duration, Samples: samples}
	if at := exhaustedAt.Load(); at != 0 {
		res.Exhaust = true
		res.Window = max(time.Unix(0, at).Sub(measureFrom), 0)
	}
	var latencies, parts []time.Duration
	for _, t := range tallies {
		latencies = append(latencies, t.latencies...)
		parts = append(parts, t.parts...)
		res.Errors += t.errors
		res.WarmupOK += t.warmupOK
		res.WarmupErr += t.warmupErr
	}
	res.latencies, res.parts = latencies, parts
	res.summarise()
	return res
}

// summarise sets OK and the latency figures from the kept latencies and parts.
func (r *loadResult) summarise() {
	r.OK = len(r.latencies)
	r.Latency = summarise(r.latencies)
	r.Part = nil
	if len(r.parts) > 0 {
		p := summarise(r.parts)
		r.Part = &p
	}
}

// join is r and o taken as one run: their iterations, windows and errors added up, their
// percentiles read off all their latencies together.
func (r loadResult) join(o loadResult) loadResult {
	out := loadResult{
		Errors:    r.Errors + o.Errors,
		Window:    r.Window + o.Window,
		Exhaust:   r.Exhaust || o.Exhaust,
		WarmupOK:  r.WarmupOK + o.WarmupOK,
		WarmupErr: r.WarmupErr + o.WarmupErr,
		latencies: slices.Concat(r.latencies, o.latencies),
		parts:     slices.Concat(r.parts, o.parts),
		Samples:   slices.Clone(r.Samples),
	}
	for _, s := range o.Samples {
		if len(out.Samples) < 3 && !slices.Contains(out.Samples, s) {
			out.Samples = append(out.Samples, s)
		}
	}
	out.summarise()
	return out
}

// summarise sorts latencies in place and reads the percentiles off them.
func summarise(latencies []time.Duration) latencyStats {
	if len(latencies) == 0 {
		return latencyStats{}
	}
	slices.Sort(latencies)
	return latencyStats{
		P50: percentile(latencies, 0.50),
		P90: percentile(latencies, 0.90),
		P99: percentile(latencies, 0.99),
		Max: latencies[len(latencies)-1],
	}
}

// percentile is the nearest-rank percentile p (0 < p ≤ 1) of sorted latencies.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}
