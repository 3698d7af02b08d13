package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestKeyedMutex(t *testing.T) {
	t.Run("one holder per key, others free", func(t *testing.T) {
		var k keyedMutex
		ctx := context.Background()
		unlockA, err := k.lock(ctx, "a")
		if err != nil {
			t.Fatal(err)
		}
		// Another key is not held up.
		unlockB, err := k.lock(ctx, "b")
		if err != nil {
			t.Fatal(err)
		}
		unlockB()
		// The same key waits until released, and gives up with its context.
		short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		defer cancel()
		if _, err := k.lock(short, "a"); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("second lock of a held key: %v, want the deadline", err)
		}
		unlockA()
		unlockA2, err := k.lock(ctx, "a")
		if err != nil {
			t.Fatalf("after release: %v", err)
		}
		unlockA2()
		if len(k.locks) != 0 {
			t.Errorf("%d keys kept after every lock was released", len(k.locks))
		}
	})

	t.Run("mutual exclusion under contention", func(t *testing.T) {
		var k keyedMutex
		var wg sync.WaitGroup
		inside, most := 0, 0
		var mu sync.Mutex
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				unlock, err := k.lock(context.Background(), "m")
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				inside++
				most = max(most, inside)
				mu.Unlock()
				time.Sleep(100 * time.Microsecond)
				mu.Lock()
				inside--
				mu.Unlock()
				unlock()
			}()
		}
		wg.Wait()
		if most != 1 || len(k.locks) != 0 {
			t.Errorf("at most %d inside at once (want 1), %d keys left", most, len(k.locks))
		}
	})
}
