package store

import (
	"context"
	"sync"
)

// keyedMutex serialises work per key (a merchant's invoice numbering) inside this process.
//
// The database already serialises it through the merchant row's lock, but PostgreSQL does not queue
// waiters on a row lock in order: when the holder commits, every waiter wakes and races for the row,
// and under a burst some lose round after round (p99 above 400 ms for 32 concurrent creates, and the
// races cost more CPU than the inserts). Waiting here first, in arrival order, leaves the database
// lock to decide only between replicas.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyedLock
}

type keyedLock struct {
	slot  chan struct{} // holds one token while the key is taken; blocked senders queue in order
	users int           // goroutines holding or waiting for the key
}

// lock takes the key's lock, or gives up with ctx's error; unlock releases it.
func (k *keyedMutex) lock(ctx context.Context, key string) (unlock func(), err error) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyedLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyedLock{slot: make(chan struct{}, 1)}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()

	release := func() {
		k.mu.Lock()
		if l.users--; l.users == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
	select {
	case l.slot <- struct{}{}:
		return func() { <-l.slot; release() }, nil
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}
