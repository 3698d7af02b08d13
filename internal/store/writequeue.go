package store

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// writeQueue hands SQLite's one writer connection to one write at a time, in arrival order. A
// write waits here in Go instead of in SQLite's busy handler, which sleeps and retries, so writers
// never thrash over the lock and never see SQLITE_BUSY. (database/sql's own wait for a free
// connection is not in arrival order, and neither is sync.Mutex.)
//
// Background work (event dispatch, expiry, reconciliation, purges) waits in a second lane: it gets
// the writer when no request waits, or once it has waited jobMaxWait, so that payers go first but a
// busy minute cannot starve the jobs whose work payers are waiting for (receipts, webhooks). The
// WAL's restart alone goes ahead of everyone (aheadOfAll): it holds the writer for as long as it
// takes to copy what was written while it waited.
type writeQueue struct {
	jobMaxWait time.Duration
	// endTurn ends a turn that came as its waiter gave up; release when nil (SQLite's ends the
	// open group's transaction too).
	endTurn func()

	mu       sync.Mutex
	busy     bool
	front    waiters // the WAL's restart
	requests waiters // requests of payers, merchants and integrators
	jobs     waiters // background jobs

	// Counters for /metrics.
	granted   atomic.Int64
	waitNanos atomic.Int64
	gaveUp    atomic.Int64
}

// writeLane is the queue a write waits in.
type writeLane int

const (
	laneRequest writeLane = iota
	laneJob
	laneFront
)

// laneKey carries the lane a context's writes wait in; requests' contexts carry none.
type laneKey struct{}

// InBackground marks ctx as background work: its writes on SQLite yield to requests' writes.
func InBackground(ctx context.Context) context.Context {
	return context.WithValue(ctx, laneKey{}, laneJob)
}

// inArrivalOrder marks ctx as a background batch's write after its first: it waits with the
// requests, in arrival order, so that a batch split into short transactions cannot fall behind.
func inArrivalOrder(ctx context.Context) context.Context {
	return context.WithValue(ctx, laneKey{}, laneRequest)
}

// aheadOfAll marks ctx as the WAL's restart: its write goes before every waiting one.
func aheadOfAll(ctx context.Context) context.Context {
	return context.WithValue(ctx, laneKey{}, laneFront)
}

func laneOf(ctx context.Context) writeLane {
	lane, _ := ctx.Value(laneKey{}).(writeLane) // laneRequest when unmarked
	return lane
}

// waiter is one write waiting for its turn; ready is closed when the turn is its.
type waiter struct {
	ready chan struct{}
	since time.Time
}

// waiters is a FIFO of waiters.
type waiters struct{ list []*waiter }

func (w *waiters) push(x *waiter) { w.list = append(w.list, x) }
func (w *waiters) len() int       { return len(w.list) }
func (w *waiters) head() *waiter  { return w.list[0] }

func (w *waiters) pop() *waiter {
	x := w.list[0]
	w.list[0] = nil
	w.list = w.list[1:]
	if len(w.list) == 0 {
		w.list = nil // let the backing array go once drained
	}
	return x
}

// remove takes x out of the queue and reports whether it was there.
func (w *waiters) remove(x *waiter) bool {
	for i, y := range w.list {
		if y == x {
			w.list = append(w.list[:i], w.list[i+1:]...)
			return true
		}
	}
	return false
}

// acquire waits for the writer, in arrival order within its lane. It gives up when ctx ends.
func (q *writeQueue) acquire(ctx context.Context) error {
	lane := laneOf(ctx)
	start := time.Now()
	q.mu.Lock()
	// The restart goes straight in when the writer is free, a request when no other request waits,
	// a job only when nobody waits.
	free := !q.busy && q.front.len() == 0 &&
		(lane == laneFront || q.requests.len() == 0 && (lane == laneRequest || q.jobs.len() == 0))
	if free {
		q.busy = true
		q.mu.Unlock()
		q.granted.Add(1)
		return nil
	}
	w := &waiter{ready: make(chan struct{}), since: start}
	switch lane {
	case laneFront:
		q.front.push(w)
	case laneJob:
		q.jobs.push(w)
	case laneRequest:
		q.requests.push(w)
	}
	q.mu.Unlock()

	select {
	case <-w.ready:
		q.granted.Add(1)
		q.waitNanos.Add(int64(time.Since(start)))
		return nil
	case <-ctx.Done():
	}
	q.mu.Lock()
	removed := q.requests.remove(w) || q.jobs.remove(w) || q.front.remove(w)
	q.mu.Unlock()
	if !removed {
		// The turn came as ctx ended: pass it on.
		<-w.ready
		if q.endTurn != nil {
			q.endTurn()
		} else {
			q.release()
		}
	}
	q.gaveUp.Add(1)
	return fmt.Errorf("store: waiting for the database writer: %w", context.Cause(ctx))
}

// nextLane is the lane whose head gets the writer next, nil when nobody waits. The caller holds mu.
func (q *writeQueue) nextLane() *waiters {
	switch {
	case q.front.len() > 0:
		return &q.front
	case q.jobs.len() > 0 && (q.requests.len() == 0 || time.Since(q.jobs.head().since) >= q.jobMaxWait):
		return &q.jobs
	case q.requests.len() > 0:
		return &q.requests
	}
	return nil
}

// release hands the writer to the next waiter, or marks it free.
//
// Having handed it on, the caller yields its processor: Go runs the goroutine it has just woken
// next on this processor, but only once the caller blocks, and a caller that has just committed a
// group goes on to answer its request first. Meanwhile the writer stood idle with every payer
// queued behind it. In a trace of 2 s of payments on 2 CPUs the writer was held for 1.35 s and
// stood handed on but idle for 0.34-0.43 s; with the yield, 0.06-0.08 s.
func (q *writeQueue) release() {
	q.mu.Lock()
	next := q.nextLane()
	if next == nil {
		q.busy = false
		q.mu.Unlock()
		return
	}
	close(next.pop().ready) // busy stays true: the turn passes straight to next
	q.mu.Unlock()
	runtime.Gosched()
}

// passOn hands the writer straight to the next waiter, as release would, when that is a request,
// and reports whether it did. Otherwise (nobody waits, or the WAL's restart or a job is next) the
// caller still holds the writer.
func (q *writeQueue) passOn() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.nextLane() != &q.requests {
		return false
	}
	close(q.requests.pop().ready) // busy stays true
	return true
}

// WriteQueueStats is what the writer queue has done since start.
type WriteQueueStats struct {
	Granted  int64         // writes that got the writer
	Waited   time.Duration // their total wait
	GaveUp   int64         // writes whose context ended while they waited
	Requests int           // requests waiting now
	Jobs     int           // background writes waiting now
	Restarts int           // WAL restarts waiting now (at most one)
}

func (q *writeQueue) stats() WriteQueueStats {
	q.mu.Lock()
	r, j, f := q.requests.len(), q.jobs.len(), q.front.len()
	q.mu.Unlock()
	return WriteQueueStats{Granted: q.granted.Load(), Waited: time.Duration(q.waitNanos.Load()), GaveUp: q.gaveUp.Load(),
		Requests: r, Jobs: j, Restarts: f}
}
