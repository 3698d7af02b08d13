package store

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// waitQueued blocks until the queue holds n requests (a WAL restart counted as one) and m jobs.
func waitQueued(t *testing.T, q *writeQueue, n, m int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if s := q.stats(); s.Requests+s.Restarts == n && s.Jobs == m {
			return
		}
	}
	t.Fatalf("queue never held %d requests and %d jobs: %+v", n, m, q.stats())
}

func TestWriteQueueOrder(t *testing.T) {
	tests := []struct {
		name     string
		lanes    []writeLane // in arrival order, while the writer is held
		jobWait  time.Duration
		wantTurn []int // indexes of lanes in the order they get the writer
	}{
		{"requests in arrival order", []writeLane{laneRequest, laneRequest, laneRequest, laneRequest}, time.Hour, []int{0, 1, 2, 3}},
		{"jobs after waiting requests", []writeLane{laneJob, laneRequest, laneJob, laneRequest}, time.Hour, []int{1, 3, 0, 2}},
		{"a job that waited long enough goes first", []writeLane{laneJob, laneRequest, laneRequest}, 0, []int{0, 1, 2}},
		{"the WAL's restart goes before everyone", []writeLane{laneJob, laneRequest, laneFront, laneRequest}, 0, []int{2, 0, 1, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &writeQueue{jobMaxWait: tt.jobWait}
			if err := q.acquire(context.Background()); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var order []int
			var wg sync.WaitGroup
			requests, jobs := 0, 0
			for i, lane := range tt.lanes {
				ctx := context.Background()
				switch lane {
				case laneJob:
					ctx = InBackground(ctx)
					jobs++
				case laneFront:
					ctx = aheadOfAll(ctx)
					requests++
				case laneRequest:
					requests++
				}
				wg.Go(func() {
					if err := q.acquire(ctx); err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					order = append(order, i)
					mu.Unlock()
					q.release()
				})
				waitQueued(t, q, requests, jobs) // arrival order is the order of this loop
			}
			q.release()
			wg.Wait()
			if len(order) != len(tt.wantTurn) {
				t.Fatalf("order %v, want %v", order, tt.wantTurn)
			}
			for i := range order {
				if order[i] != tt.wantTurn[i] {
					t.Fatalf("order %v, want %v", order, tt.wantTurn)
				}
			}
			if s := q.stats(); s.Granted != int64(len(tt.lanes)+1) || s.Requests+s.Jobs+s.Restarts != 0 {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

func TestWriteQueueGivesUpWithTheContext(t *testing.T) {
	q := &writeQueue{jobMaxWait: time.Hour}
	if err := q.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := q.acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("acquire with an ending context: %v, want DeadlineExceeded", err)
	}
	if s := q.stats(); s.GaveUp != 1 || s.Requests != 0 {
		t.Fatalf("stats %+v: the waiter that gave up must leave the queue", s)
	}
	q.release()
	// The writer is free again: the next write goes straight in.
	if err := q.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	q.release()
}

// TestReleaseLetsTheNextWriteRunFirst: on one processor, the write that is handed the writer runs
// before the goroutine that released it goes on. Otherwise the writer stands idle, every payer
// queued behind it, for as long as the releaser takes to answer its request.
func TestReleaseLetsTheNextWriteRunFirst(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	q := &writeQueue{jobMaxWait: time.Hour}
	const rounds = 200
	ranFirst := 0
	for range rounds {
		if err := q.acquire(context.Background()); err != nil {
			t.Fatal(err)
		}
		var ran atomic.Bool
		done := make(chan struct{})
		go func() {
			defer close(done)
			if err := q.acquire(context.Background()); err != nil {
				t.Error(err)
				return
			}
			ran.Store(true)
			q.release()
		}()
		for q.stats().Requests == 0 {
			runtime.Gosched()
		}
		q.release()
		if ran.Load() {
			ranFirst++
		}
		<-done
	}
	// Go's scheduler looks at its global queue, where the yielding releaser waits, once in 61
	// rounds: allow for that, and for the race detector's shuffling.
	if ranFirst < rounds*9/10 {
		t.Fatalf("the next write ran before its releaser went on in %d of %d handovers, want at least 90%%", ranFirst, rounds)
	}
}

func TestReadOnlyStatement(t *testing.T) {
	tests := []struct {
		sql  string
		want bool
	}{
		{"SELECT * FROM invoices", true},
		{"  select count(*) FROM payments", true},
		{"(SELECT 1) UNION (SELECT 2)", true},
		{"UPDATE invoices SET status = 'processing' RETURNING *", false},
		{"INSERT INTO events (id) VALUES (?) RETURNING id", false},
		{"WITH x AS (SELECT 1) DELETE FROM events", false},
		{"PRAGMA wal_checkpoint(PASSIVE)", false},
		{"sel", false},
	}
	for _, tt := range tests {
		if got := readOnlyStatement(tt.sql); got != tt.want {
			t.Errorf("readOnlyStatement(%q) = %v, want %v", tt.sql, got, tt.want)
		}
	}
}
