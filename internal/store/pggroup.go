package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"
)

// Group commit on PostgreSQL. A payment takes two short transactions: the claim with the attempt
// before the PSP call, the settlement after it. Those that arrive while others are being committed
// wait for them and then run one after another in one shared transaction, whose statements keep
// travelling together (pipelined) and which commits once: at most pgGroupLanes groups are in
// flight, and whoever finds every lane busy joins the next group. A transaction that arrives alone
// goes at once, as before. On two CPUs with 32 concurrent payers, grouping cut the CPU per payment
// (server, PostgreSQL and bench) by a quarter to a third: most of a lone transaction's cost was its
// own round trips, wake-ups and commit.
//
// A group is one transaction, so when one member fails (a claim finds its invoice taken, a guard
// finds its payment already settled, a write breaks a constraint) the group is rolled back and
// each member runs again alone: only that one fails. When the COMMIT went out and no answer came
// back, the group may have been kept: every member's caller hears the error, as it would alone,
// and nothing runs again. The members' first queries (the claims, which read the invoice they
// claim) go together in the group's first round trip, then the members run one after another. A
// member's reads see the writes of the members before it, and its claim those of the claims
// before it; claims and settlements touch rows of their own payment, invoice and link (and a
// reusable link's count of payments, which adds up within a group as it does across
// transactions), so this changes none of their outcomes, and two members that want one invoice (a
// payer's double click) fail the group and are then judged alone.
//
// A merchant's invoice creations group the same way on a queue of their own (keyedGroups), their
// numberings being their first queries.
const (
	// pgGroupLanes is how many groups may be in flight at once, so that one held up (by a row
	// lock, a slow commit) does not hold up every payment, and pgGroupMaxMembers bounds a group,
	// whose members run one after another. In alternating pay-only bench runs on two CPUs, with the
	// claims of a group in one round trip: 6 members on 4 lanes (4.5 a commit) reached 41–43 % of
	// the floor with a pay p99 of 1.8–2.0 times the floor's; 10 on 3 lanes (6 a commit) 46–48 % and
	// 1.5–1.75×; 16 on 2 lanes (8.7 a commit) 48–51 % and 1.3–1.6×, with the least CPU per payment;
	// 32 on 2 lanes formed smaller groups (7.5 a commit) and did no better.
	pgGroupLanes      = 2
	pgGroupMaxMembers = 16

	// A merchant's invoice creations group on a queue of their own with one lane (keyedGroups):
	// their numbering locks the merchant's row, so a second group in flight would only wait for the
	// first's commit while holding a connection. A group of creations takes two round trips however
	// many it holds (the numberings, then the inserts with the COMMIT), so it may be as large as the
	// bench's 32 concurrent clients of one merchant.
	creationGroupMaxMembers = 32
)

var (
	errLeadGroup = errors.New("store: lead the next group")
	errRunAlone  = errors.New("store: run alone")
)

// pgGroupCommit is the queue of transactions waiting for a lane.
type pgGroupCommit struct {
	// maxLanes bounds the groups in flight, maxMembers a group's members.
	maxLanes, maxMembers int
	counts               *groupCounts

	mu      sync.Mutex
	lanes   int // groups in flight
	waiting []*pgGroupMember
}

// groupCounts count the commits of one kind of group commit and the transactions they held,
// roundTrips the round trips of those commits' transactions, their COMMITs included.
type groupCounts struct {
	commits, committed, roundTrips atomic.Int64
}

// stats are the counts as GroupCommitStats.
func (c *groupCounts) stats() GroupCommitStats {
	return GroupCommitStats{Commits: c.commits.Load(), Transactions: c.committed.Load(), RoundTrips: c.roundTrips.Load()}
}

// newPaymentGroups is the group commit of payments' claims and settlements.
func newPaymentGroups() *pgGroupCommit {
	return &pgGroupCommit{maxLanes: pgGroupLanes, maxMembers: pgGroupMaxMembers, counts: &groupCounts{}}
}

// keyedGroups gives each key its own group commit of one lane, made when a transaction first
// wants it and dropped once none does.
//
// For invoice creations the key is the merchant, whose row their numbering locks: PostgreSQL does
// not queue waiters on a row lock in order (when the holder commits, every waiter wakes and races
// for the row, and under a burst some lose round after round: p99 above 400 ms for 32 concurrent
// creations, the races costing more CPU than the inserts), so the creations wait here in arrival
// order instead, and those that waited go together, leaving the row lock to decide only between
// replicas.
type keyedGroups struct {
	maxMembers int
	counts     groupCounts

	mu     sync.Mutex
	queues map[string]*keyedQueue
}

// keyedQueue is one key's group commit and how many transactions use it.
type keyedQueue struct {
	*pgGroupCommit
	users int
}

// acquire is key's queue, which the caller uses until it calls release.
func (k *keyedGroups) acquire(key string) (q *pgGroupCommit, release func()) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.queues == nil {
		k.queues = map[string]*keyedQueue{}
	}
	kq := k.queues[key]
	if kq == nil {
		kq = &keyedQueue{pgGroupCommit: &pgGroupCommit{maxLanes: 1, maxMembers: k.maxMembers, counts: &k.counts}}
		k.queues[key] = kq
	}
	kq.users++
	return kq.pgGroupCommit, func() {
		k.mu.Lock()
		defer k.mu.Unlock()
		if kq.users--; kq.users == 0 {
			delete(k.queues, key)
		}
	}
}

// pgGroupMember is one caller's transaction function and where it hears the outcome.
type pgGroupMember struct {
	// first, when set, is the query fn starts with: in a group every member's first query goes in
	// the group's first round trip, so that a member does not wait for one round trip of each member
	// before it (a claim reads the invoice it claims), and fn finds its answer in first's dest.
	first *firstQuery
	fn    func(*pipeTx) error
	done  chan error
}

// firstQuery is the query a grouped transaction starts with (pgGroupMember.first).
type firstQuery struct {
	what string // what the query does, for its errors
	t    sqlText
	args []any
	// dest is a pointer to where the rows go (as QuerySQL's); it is set to its zero value before
	// each run, so that a run that finds no row does not see an earlier run's.
	dest any
}

// reset empties q's dest.
func (q *firstQuery) reset() { reflect.ValueOf(q.dest).Elem().SetZero() }

// run is the member's transaction on its own: its first query, then fn.
func (w *pgGroupMember) run(p *pipeTx) error {
	if q := w.first; q != nil {
		q.reset()
		if err := p.QuerySQL(q.t, q.args, q.dest); err != nil {
			return fmt.Errorf("store: %s: %w", q.what, err)
		}
	}
	return w.fn(p)
}

// GroupCommitStats are the counts of PostgreSQL's group commit since the process started.
type GroupCommitStats struct {
	// Commits is how many commits there were; Transactions how many grouped transactions they held;
	// RoundTrips how many round trips to PostgreSQL their transactions took, COMMITs included.
	Commits, Transactions, RoundTrips int64
}

// GroupCommitStats reports the group commit's counts of payments' transactions; ok is false on
// SQLite, which groups its writes on the writer (SQLiteStats).
func (db *DB) GroupCommitStats() (s GroupCommitStats, ok bool) {
	if db.pgGroups == nil {
		return s, false
	}
	return db.pgGroups.counts.stats(), true
}

// CreationGroupStats reports the counts of invoice creations' group commit, as GroupCommitStats.
func (db *DB) CreationGroupStats() (s GroupCommitStats, ok bool) {
	if db.creationGroups == nil {
		return s, false
	}
	return db.creationGroups.counts.stats(), true
}

// grouped runs fn in a pipelined transaction it may share with other callers' (see above), after
// first (when not nil: fn finds its rows in first's dest). It returns once that transaction has
// ended; fn may run more than once, each time in a transaction that was then rolled back, so it
// must not act outside the database. A transaction that waits for a group or goes alone gives up
// when ctx ends, as pipelined does, having written nothing; once it shares a group, it is carried
// out even if ctx has ended, as if its COMMIT had gone out. On SQLite, and inside a transaction the
// caller opened, it is pipelined (SQLite's writer groups commits its own way).
func (db *DB) grouped(ctx context.Context, first *firstQuery, fn func(*pipeTx) error) error {
	return db.groupedOn(ctx, db.pgGroups, first, fn)
}

// groupedByKey is grouped on key's own queue (keyedGroups), one group in flight per key; on SQLite
// (groups nil) it is pipelined.
func (db *DB) groupedByKey(ctx context.Context, groups *keyedGroups, key string, first *firstQuery, fn func(*pipeTx) error) error {
	if groups == nil {
		return db.groupedOn(ctx, nil, first, fn)
	}
	q, release := groups.acquire(key)
	defer release()
	return db.groupedOn(ctx, q, first, fn)
}

// groupedOn is grouped on the queue q (nil: pipelined alone).
func (db *DB) groupedOn(ctx context.Context, q *pgGroupCommit, first *firstQuery, fn func(*pipeTx) error) error {
	w := &pgGroupMember{first: first, fn: fn, done: make(chan error, 1)}
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); q == nil || inTx {
		return db.pipelined(ctx, w.run)
	}
	q.mu.Lock()
	if q.lanes < q.maxLanes {
		q.lanes++
		q.mu.Unlock()
		return db.leadGroup(ctx, q, w)
	}
	q.waiting = append(q.waiting, w)
	q.mu.Unlock()
	var err error
	select {
	case err = <-w.done:
	case <-ctx.Done():
		if q.leave(w) {
			return fmt.Errorf("store: waiting for a group commit: %w", context.Cause(ctx))
		}
		// A group took it, or the lane came to it, as ctx ended: what follows goes as it would
		// have (a group is everyone's; a lane handed on leads a group or frees the lane).
		err = <-w.done
	}
	switch {
	case errors.Is(err, errLeadGroup):
		return db.leadGroup(ctx, q, w)
	case errors.Is(err, errRunAlone):
		return db.commitAlone(ctx, q, w.run)
	default:
		return err
	}
}

// leave takes w out of the queue, unless a group or a lane has taken it already.
func (q *pgGroupCommit) leave(w *pgGroupMember) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, waiting := range q.waiting {
		if waiting == w {
			q.waiting = slices.Delete(q.waiting, i, i+1)
			return true
		}
	}
	return false
}

// leadGroup runs first and the transactions waiting behind it as one group on first's lane, then
// hands the lane to the next waiting one, if any.
func (db *DB) leadGroup(ctx context.Context, q *pgGroupCommit, first *pgGroupMember) error {
	q.mu.Lock()
	n := min(len(q.waiting), q.maxMembers-1)
	group := make([]*pgGroupMember, 0, n+1)
	group = append(append(group, first), q.waiting[:n]...)
	q.waiting = append([]*pgGroupMember(nil), q.waiting[n:]...)
	q.mu.Unlock()
	defer q.handOff()
	return db.commitGroup(ctx, q, group)
}

// handOff gives a lane whose group has ended to the first waiting transaction, or frees it.
func (q *pgGroupCommit) handOff() {
	q.mu.Lock()
	if len(q.waiting) == 0 {
		q.lanes--
		q.mu.Unlock()
		return
	}
	next := q.waiting[0]
	q.waiting = q.waiting[1:]
	q.mu.Unlock()
	next.done <- errLeadGroup
}

// commitGroup runs the group's members in one transaction and tells each member but the first how
// it ended; it returns the first's outcome.
func (db *DB) commitGroup(ctx context.Context, q *pgGroupCommit, group []*pgGroupMember) error {
	if len(group) == 1 {
		return db.commitAlone(ctx, q, group[0].run)
	}
	var tx *pipeTx
	// The group is everyone's: the leader's request ending must not cut it short.
	err := db.pipelined(context.WithoutCancel(ctx), func(p *pipeTx) error {
		tx = p
		// Every member's first query in one round trip, in the members' order (each sees the
		// writes of the queries before it, not those of the members' functions), then the
		// functions one after another.
		var firsts []pipeQuery
		for _, w := range group {
			if q := w.first; q != nil {
				q.reset()
				firsts = append(firsts, pipeQuery{sql: q.t.pg, args: q.args, dest: q.dest})
			}
		}
		if len(firsts) > 0 {
			if err := p.roundTripAll(firsts); err != nil {
				return err
			}
		}
		for _, w := range group {
			if err := runMember(w.fn, p); err != nil {
				return err
			}
		}
		return nil
	})
	switch {
	case err == nil:
		q.counts.counted(len(group), tx.roundTrips)
		for _, w := range group[1:] {
			w.done <- nil
		}
		return nil
	case tx != nil && tx.commitSent && !tx.refused:
		// The COMMIT went out unanswered (it may have been kept): the outcome is the callers' to
		// hear, as it would be alone.
		for _, w := range group[1:] {
			w.done <- err
		}
		return err
	default:
		// Rolled back: each member runs again on its own, so one failure is its caller's alone.
		for _, w := range group[1:] {
			w.done <- errRunAlone
		}
		return db.commitAlone(ctx, q, group[0].run)
	}
}

// commitAlone runs one transaction of the group commit on its own.
func (db *DB) commitAlone(ctx context.Context, q *pgGroupCommit, fn func(*pipeTx) error) error {
	var tx *pipeTx
	err := db.pipelined(ctx, func(p *pipeTx) error {
		tx = p
		return fn(p)
	})
	if err == nil {
		q.counts.counted(1, tx.roundTrips)
	}
	return err
}

// counted counts a commit that held n transactions and took roundTrips round trips.
func (c *groupCounts) counted(n, roundTrips int) {
	c.commits.Add(1)
	c.committed.Add(int64(n))
	c.roundTrips.Add(int64(roundTrips))
}

// runMember runs one member in the group's transaction. A member that panics fails the group
// instead of the leader's request, so that every member runs again alone (and the panic happens
// again in its own request), and no member is left waiting for an answer.
func runMember(fn func(*pipeTx) error, p *pipeTx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("store: a grouped transaction panicked: %v", r)
		}
	}()
	return fn(p)
}
