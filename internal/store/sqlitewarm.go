package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// Keeping the link-token index in memory. A payment's claim finds its link by the link's token, and
// so does every opening of a checkout. Tokens are random, so at a million links each lookup lands on
// a leaf of the index that no recent lookup has read. SQLite keeps few pages of its own: a reader's
// cache is dropped whenever the database changes, and the writer's holds 2 MB. So those leaves live
// in the kernel's page cache, which may take back file pages nobody has read for a while (on the
// machines this was measured on, the kernel's DAMON pageout drops unmapped file pages idle for about
// a minute). A leaf gone from it is read from disk inside the writer's turn, and every payer waits
// behind that read. PostgreSQL keeps such pages in its shared buffers.
//
// So a background reader walks the whole index every sqliteWarmEvery, in steps of
// sqliteWarmStepEntries entries. Each step is a read transaction of its own, so that none holds a
// snapshot long enough to delay the WAL's restart, and none takes the writer. The walk reads the
// old links' leaves as well as the open ones': which leaf holds an open link's token is known only
// by reading the index.
const (
	// sqliteWarmEvery is well inside the minute after which the kernel may drop an idle page.
	sqliteWarmEvery = 30 * time.Second
	// sqliteWarmStepEntries is how many index entries a step reads (about 50 leaves).
	sqliteWarmStepEntries = 4096
	// sqliteWarmPause comes between two steps. A walk of a million links reads 246 steps in about
	// 200 ms of one CPU; paused, it spreads over about 2.7 s instead of taking a CPU from the
	// payers for 200 ms at a stretch.
	sqliteWarmPause = 10 * time.Millisecond
)

// warmTokenStep reads the next step of the token index, in the index's order, and returns the last
// token it read (NULL past the end). It reads the index alone (a covering index search).
const warmTokenStep = `SELECT max(token) FROM (SELECT token FROM links WHERE token > ? ORDER BY token LIMIT ?)`

// warmLoop walks the token index every sqliteWarmEvery until ctx ends.
func (s *sqliteServer) warmLoop(ctx context.Context) {
	t := time.NewTicker(sqliteWarmEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := s.warmTokenIndex(ctx); err != nil && ctx.Err() == nil {
			slog.Warn("sqlite token index walk", "err", err)
		}
	}
}

// warmTokenIndex reads every entry of the link-token index on the read pool and returns how many
// steps that took.
func (s *sqliteServer) warmTokenIndex(ctx context.Context) (steps int, err error) {
	last := ""
	for {
		// The read pool's prepared statement, asked for at each step: the cache may close one it
		// drops meanwhile.
		st, err := s.readerStmts.get(ctx, warmTokenStep)
		if err != nil {
			return steps, fmt.Errorf("store: walk the token index: %w", err)
		}
		var next sql.NullString
		if err := st.QueryRowContext(ctx, last, sqliteWarmStepEntries).Scan(&next); err != nil {
			return steps, fmt.Errorf("store: walk the token index: %w", err)
		}
		steps++
		if !next.Valid {
			s.indexWalks.Add(1)
			return steps, nil
		}
		last = next.String
		select {
		case <-ctx.Done():
			return steps, ctx.Err()
		case <-time.After(sqliteWarmPause):
		}
	}
}
