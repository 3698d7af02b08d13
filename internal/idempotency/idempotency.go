// Package idempotency keeps the first response to a request made with an Idempotency-Key, so a
// retried request is answered the same way instead of being done twice.
package idempotency

import (
	"context"
	"time"
)

// TTL is how long a key is remembered.
const TTL = 24 * time.Hour

// MaxKeyLength bounds an Idempotency-Key.
const MaxKeyLength = 255

// Record is what is remembered of one key.
type Record struct {
	Scope          string
	Key            string
	RequestHash    string
	Running        bool
	ResponseStatus int
	ResponseBody   []byte
	CreatedAt      time.Time
}

// Store keeps records; Begin must be atomic across replicas (a unique key in the database).
type Store interface {
	// Begin claims the key for a new request and reports started=true, or returns the existing,
	// unexpired record with started=false.
	Begin(ctx context.Context, scope, key, requestHash string, now time.Time) (rec Record, started bool, err error)
	// Finish stores the response of a request that began.
	Finish(ctx context.Context, scope, key string, status int, body []byte) error
	// Abort forgets a key whose request failed on our side, so a retry runs again.
	Abort(ctx context.Context, scope, key string) error
	// Purge deletes records older than before.
	Purge(ctx context.Context, before time.Time) (int64, error)
}
