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

// DefaultLease is how long an in-flight record holds its key without being renewed
// (SECURELINK_IDEMPOTENCY_LEASE). A running request renews it every Lease/3, so only a request that
// died (process killed, connection dropped) lets it run out; then a retry with the same key and
// body takes the key over and runs.
const DefaultLease = 60 * time.Second

// Record is what is remembered of one key.
type Record struct {
	Scope       string
	Key         string
	RequestHash string
	// Running is true while the request that began it holds the lease.
	Running bool
	// Claim names the request that holds the key; only it renews, finishes or releases the record.
	Claim          string
	LeaseUntil     time.Time
	ResponseStatus int
	ResponseBody   []byte
	CreatedAt      time.Time
}

// Store keeps records; Begin must be atomic across replicas (a unique key in the database).
type Store interface {
	// Begin claims the key for a new request with a lease until now+lease and reports started=true.
	// A record whose lease ran out is taken over by a request with the same hash (started=true);
	// otherwise the existing, unexpired record is returned with started=false (Running false once
	// its lease ran out).
	Begin(ctx context.Context, scope, key, requestHash string, now time.Time, lease time.Duration) (rec Record, started bool, err error)
	// Renew extends the lease of the claim to until; it reports false when the claim lost the key.
	Renew(ctx context.Context, scope, key, claim string, until time.Time) (bool, error)
	// Finish stores the response of the request that holds the claim.
	Finish(ctx context.Context, scope, key, claim string, status int, body []byte) error
	// Abort forgets a key whose request (holding the claim) failed on our side, so a retry runs again.
	Abort(ctx context.Context, scope, key, claim string) error
	// Purge deletes records older than before.
	Purge(ctx context.Context, before time.Time) (int64, error)
}
