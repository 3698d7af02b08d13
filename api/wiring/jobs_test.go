package wiring

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// TestJobsWorkOffABacklogInSmallSteps: a job that finds work runs again after Again, not after
// Every, until it finds none.
func TestJobsWorkOffABacklogInSmallSteps(t *testing.T) {
	var runs atomic.Int32
	backlog := 3
	a := &App{Jobs: []Job{{Name: "drain", Every: time.Hour, Again: time.Millisecond,
		Run: func(ctx context.Context) (bool, error) {
			runs.Add(1)
			if backlog == 0 {
				return false, nil
			}
			backlog--
			return true, nil
		}}}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a.RunJobs(ctx)
	deadline := time.Now().Add(10 * time.Second)
	for runs.Load() < 4 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	// Three rounds with work and the one that found none; the next is an hour away.
	time.Sleep(50 * time.Millisecond)
	if got := runs.Load(); got != 4 {
		t.Errorf("the job ran %d times, want 4", got)
	}
}
