package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Group commit on the embedded database. A SQLite commit writes every page its transaction changed
// to the WAL, and the writes of concurrent payments change many of the same pages (the newest leaf
// of each index, the tables' inner pages): written once per commit, they were most of the 40 pages
// a payment wrote. So while requests wait for the writer, a finished write does not commit: it
// releases its savepoint and hands the open transaction to the next waiting request, and the
// group's last write commits for all of them. Each write still returns only once its group has
// committed, and a write that fails rolls back to its own savepoint alone.
const (
	// sqliteGroupMaxWrites and sqliteGroupMaxAge bound a group, and so how long its first write
	// waits for the commit beyond its own turn.
	sqliteGroupMaxWrites = 16
	sqliteGroupMaxAge    = 4 * time.Millisecond
	// groupSavepoint is the savepoint each write of a group runs in.
	groupSavepoint = "securelink_write"
)

// writeGroup is one transaction on the writer that consecutive writes share. Only the holder of the
// writer's turn touches it, until done is closed.
type writeGroup struct {
	tx      *sql.Tx
	started time.Time
	writes  int
	done    chan struct{} // closed once the transaction has committed or failed
	err     error         // why it did not commit; read after done
}

// finish tells the group's writes how the transaction ended.
func (g *writeGroup) finish(err error) {
	g.err = err
	close(g.done)
}

// joinGroup gives a write that holds the writer's turn a savepoint of its own in the open group's
// transaction, beginning one when none is open.
func (s *sqliteServer) joinGroup(ctx context.Context, opts *sql.TxOptions) (*writeGroup, error) {
	if s.group == nil {
		s.writerStmts.prepareWanted(ctx) // the connection is free only between groups
		// The transaction outlives the context of the write that began it: database/sql would roll
		// it back when that request ends, with the other writes of the group in it.
		tx, err := s.writer.BeginTx(context.WithoutCancel(ctx), opts)
		if err != nil {
			return nil, err
		}
		s.group = &writeGroup{tx: tx, started: time.Now(), done: make(chan struct{})}
	}
	g := s.group
	if _, err := g.tx.ExecContext(context.WithoutCancel(ctx), "SAVEPOINT "+groupSavepoint); err != nil {
		s.abortGroup(err)
		return nil, fmt.Errorf("store: begin a write: %w", err)
	}
	g.writes++
	return g, nil
}

// endWrite ends a write of group g: kept, its savepoint is released into the group's transaction
// and it returns once the group has committed; otherwise its savepoint is rolled back. Either way
// the turn then passes on (endTurn).
func (s *sqliteServer) endWrite(g *writeGroup, keep bool) error {
	ctx := context.Background()
	var err error
	if keep {
		if _, err = g.tx.ExecContext(ctx, "RELEASE "+groupSavepoint); err != nil {
			err = fmt.Errorf("store: commit: %w", err)
			keep = false
		}
	}
	if !keep {
		_, rbErr := g.tx.ExecContext(ctx, "ROLLBACK TO "+groupSavepoint)
		if rbErr == nil {
			_, rbErr = g.tx.ExecContext(ctx, "RELEASE "+groupSavepoint)
		}
		if rbErr != nil {
			// SQLite rolls the whole transaction back on some errors (a full disk, an I/O error):
			// the savepoint went with it, and so did the group's earlier writes, which learn it
			// from the group's error.
			s.abortGroup(rbErr)
		}
	}
	s.endTurn()
	if !keep {
		return err
	}
	<-g.done
	return g.err
}

// endTurn ends the holder's turn at the writer. While a group's transaction is open and young, the
// turn passes straight to the next waiting request, which joins it; otherwise the group commits
// first and the turn goes to whoever is next (a write from the jobs' lane or the WAL's restart
// never joins; a dispatch batch's later writes wait with the requests and do).
func (s *sqliteServer) endTurn() {
	if g := s.group; g != nil && g.writes < s.groupMaxWrites && time.Since(g.started) < s.groupMaxAge &&
		s.queue.passOn() {
		return
	}
	s.commitGroup()
	s.queue.release()
}

// commitGroup commits the open group's transaction, if any, and tells its writes how it went. The
// caller holds the writer's turn.
func (s *sqliteServer) commitGroup() {
	g := s.group
	if g == nil {
		return
	}
	s.group = nil
	err := g.tx.Commit()
	if err != nil {
		err = fmt.Errorf("store: commit: %w", err)
	}
	s.groupCommits.Add(1)
	s.groupedWrites.Add(int64(g.writes))
	g.finish(err)
}

// abortGroup rolls the open group's transaction back after err, which its writes then return.
func (s *sqliteServer) abortGroup(err error) {
	g := s.group
	s.group = nil
	_ = g.tx.Rollback() // it may be gone already; err says why
	g.finish(fmt.Errorf("store: the write transaction was rolled back: %w", err))
}
