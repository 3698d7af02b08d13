package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"
)

// Group commit on PostgreSQL. A payment's settlement is a transaction of writes alone (the
// attempt, payment, invoice, links and events): it reads nothing back. Such transactions that
// arrive while others are being committed wait for them and then share one transaction, one round
// trip and one COMMIT: at most pgGroupLanes groups are in flight, and whoever finds every lane busy
// joins the next group. On two CPUs with 32 concurrent payers this cut the CPU per payment by about
// a fifth (server and PostgreSQL alike), most of it the per-transaction round trip, wake-ups and
// commit that a lone settlement paid for itself. A lone write goes at once, as before.
//
// A group is one transaction, so one failed write (a guard that found its row already settled)
// rolls back them all; each then runs again alone and only the failed one fails. When the COMMIT
// went out and no answer came back, the group may have been kept: every write's caller hears the
// error, as it would alone, and nothing is run again.
const (
	// pgGroupLanes is how many groups may be in flight at once, so that one held up (by a row
	// lock, a slow commit) does not hold up every settlement.
	pgGroupLanes = 2
	// pgGroupMaxWrites bounds a group: its statements, and what one failure makes run again.
	pgGroupMaxWrites = 32
)

var (
	errLeadGroup = errors.New("store: lead the next group")
	errRunAlone  = errors.New("store: run alone")
)

// pgGroupCommit is the queue of write-only transactions waiting for a lane.
type pgGroupCommit struct {
	mu      sync.Mutex
	lanes   int // groups in flight
	waiting []*pgGroupMember
	// commits and committed count the groups committed and the transactions they held.
	commits, committed atomic.Int64
}

// pgGroupMember is one caller's transaction function and where it hears the outcome.
type pgGroupMember struct {
	fn   func(*pipeTx) error
	done chan error
}

// GroupCommitStats are the counts of PostgreSQL's group commit since the process started.
type GroupCommitStats struct {
	// Commits is how many groups committed; Writes how many write-only transactions they held.
	Commits, Writes int64
}

// GroupCommitStats reports the group commit's counts; ok is false on SQLite, which groups its
// writes on the writer (SQLiteStats).
func (db *DB) GroupCommitStats() (s GroupCommitStats, ok bool) {
	if db.pgGroups == nil {
		return s, false
	}
	return GroupCommitStats{Commits: db.pgGroups.commits.Load(), Writes: db.pgGroups.committed.Load()}, true
}

// groupedWrites runs fn, which may only queue writes (ExecSQL), in a pipelined transaction it may
// share with other callers' (see above). It returns once that transaction has ended. A write that
// goes alone gives up when ctx ends, as pipelined does; once it shares a group, it is carried out
// even if ctx has ended (callers use this for outcomes that must be recorded whatever becomes of the
// request). On SQLite, and inside a transaction the caller opened, it is pipelined (SQLite's writer
// groups commits its own way).
func (db *DB) groupedWrites(ctx context.Context, fn func(*pipeTx) error) error {
	alone := func(p *pipeTx) error { p.writesOnly = true; return fn(p) }
	q := db.pgGroups
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); q == nil || inTx {
		return db.pipelined(ctx, alone)
	}
	w := &pgGroupMember{fn: fn, done: make(chan error, 1)}
	q.mu.Lock()
	if q.lanes < pgGroupLanes {
		q.lanes++
		q.mu.Unlock()
		return db.leadGroup(ctx, w)
	}
	q.waiting = append(q.waiting, w)
	q.mu.Unlock()
	switch err := <-w.done; {
	case errors.Is(err, errLeadGroup):
		return db.leadGroup(ctx, w)
	case errors.Is(err, errRunAlone):
		return db.commitAlone(ctx, fn)
	default:
		return err
	}
}

// leadGroup runs first and the writes waiting behind it as one group on first's lane, then hands
// the lane to the next waiting write, if any.
func (db *DB) leadGroup(ctx context.Context, first *pgGroupMember) error {
	q := db.pgGroups
	q.mu.Lock()
	n := min(len(q.waiting), pgGroupMaxWrites-1)
	group := make([]*pgGroupMember, 0, n+1)
	group = append(append(group, first), q.waiting[:n]...)
	q.waiting = append([]*pgGroupMember(nil), q.waiting[n:]...)
	q.mu.Unlock()

	defer q.handOff()
	return db.commitGroup(ctx, group)
}

// handOff gives a lane whose group has ended to the first waiting write, or frees it.
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

// commitGroup runs the group's writes in one transaction and tells each member but the first how it
// ended; it returns the first's outcome.
func (db *DB) commitGroup(ctx context.Context, group []*pgGroupMember) error {
	if len(group) == 1 {
		return db.commitAlone(ctx, group[0].fn)
	}
	var tx *pipeTx
	// The group is everyone's: the leader's request ending must not cut it short.
	err := db.pipelined(context.WithoutCancel(ctx), func(p *pipeTx) error {
		tx, p.writesOnly = p, true
		for _, w := range group {
			if err := queueMember(w.fn, p); err != nil {
				return err
			}
		}
		return nil
	})
	switch {
	case err == nil:
		db.pgGroups.counted(len(group))
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
		// Rolled back: each write runs again on its own, so one failure is its caller's alone.
		for _, w := range group[1:] {
			w.done <- errRunAlone
		}
		return db.commitAlone(ctx, group[0].fn)
	}
}

// commitAlone runs one write-only transaction on its own.
func (db *DB) commitAlone(ctx context.Context, fn func(*pipeTx) error) error {
	err := db.pipelined(ctx, func(p *pipeTx) error { p.writesOnly = true; return fn(p) })
	if err == nil {
		db.pgGroups.counted(1)
	}
	return err
}

// counted counts a commit that held writes write-only transactions.
func (q *pgGroupCommit) counted(writes int) {
	q.commits.Add(1)
	q.committed.Add(int64(writes))
}

// queueMember queues one member's writes in the group's transaction. A member that panics fails the
// group instead of the leader's request, so that every member runs again alone (and the panic
// happens again in its own request), and no member is left waiting for an answer.
func queueMember(fn func(*pipeTx) error, p *pipeTx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("store: a grouped write panicked: %v", r)
		}
	}()
	return fn(p)
}
