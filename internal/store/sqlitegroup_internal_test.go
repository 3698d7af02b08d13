package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
)

// groupedWrite is one write of TestGroupCommit: the note it inserts and how its transaction ends.
type groupedWrite struct {
	id       int
	fails    bool // its function returns an error after inserting
	breaks   bool // it ends the writer's transaction itself, as SQLite does on a full disk
	cancels  bool // its request ends while it writes
	wantKept bool
	wantErr  bool
}

// queueWrites holds the writer, queues each write in order behind it and then lets them run, so
// that they share groups; it returns each write's error once all have returned.
func queueWrites(t *testing.T, g *gorm.DB, s *sqliteServer, writes []groupedWrite) []error {
	t.Helper()
	if err := s.queue.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	errs := make([]error, len(writes))
	var wg sync.WaitGroup
	for i, w := range writes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			errs[i] = g.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
				if w.cancels {
					cancel()
				}
				if err := tx.Exec("INSERT INTO notes (id, body) VALUES (?, 'x')", w.id).Error; err != nil {
					return err
				}
				if w.breaks {
					if err := tx.Exec("ROLLBACK").Error; err != nil {
						return err
					}
				}
				if w.fails {
					return errors.New("refused")
				}
				return nil
			})
			// Once its commit has returned, the write is there for every reader.
			if errs[i] == nil {
				var n int
				if err := s.readers.QueryRow("SELECT count(*) FROM notes WHERE id = ?", w.id).Scan(&n); err != nil || n != 1 {
					errs[i] = errors.Join(errors.New("a committed write is not visible to readers"), err)
				}
			}
		}()
		waitQueued(t, s.queue, i+1, 0) // in this order
	}
	s.queue.release()
	wg.Wait()
	return errs
}

func TestGroupCommit(t *testing.T) {
	tests := []struct {
		name        string
		writes      []groupedWrite
		wantGrouped bool // fewer commits than writes
	}{
		{"writes queued together commit together", []groupedWrite{
			{id: 1, wantKept: true}, {id: 2, wantKept: true}, {id: 3, wantKept: true}, {id: 4, wantKept: true},
		}, true},
		{"a failed write rolls back alone", []groupedWrite{
			{id: 1, wantKept: true}, {id: 2, fails: true, wantErr: true}, {id: 3, wantKept: true},
			{id: 3, wantErr: true}, // the same id again: a unique violation, in the same group as the first
			{id: 4, wantKept: true},
		}, true},
		{"a request that ends while it writes undoes nothing of the others", []groupedWrite{
			{id: 1, wantKept: true}, {id: 2, cancels: true, wantKept: true}, {id: 3, wantKept: true},
		}, true},
		{"a write that loses the transaction fails its group, and the writer goes on", []groupedWrite{
			{id: 1, wantErr: true}, {id: 2, breaks: true, wantErr: true}, {id: 3, wantKept: true}, {id: 4, wantKept: true},
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, s := openScratchSQLite(t)
			s.groupMaxAge = time.Minute // the group ends only when no request waits
			errs := queueWrites(t, g, s, tt.writes)
			for i, w := range tt.writes {
				if (errs[i] != nil) != w.wantErr {
					t.Errorf("write %d (note %d): error %v, want error %v", i, w.id, errs[i], w.wantErr)
				}
			}
			var kept []int
			if err := g.Raw("SELECT id FROM notes ORDER BY id").Scan(&kept).Error; err != nil {
				t.Fatal(err)
			}
			var want []int
			for _, w := range tt.writes {
				if w.wantKept {
					want = append(want, w.id)
				}
			}
			if len(kept) != len(want) {
				t.Fatalf("notes %v, want %v", kept, want)
			}
			for i := range want {
				if kept[i] != want[i] {
					t.Fatalf("notes %v, want %v", kept, want)
				}
			}
			st := s.stats(t)
			if tt.wantGrouped && st.Commits >= st.CommittedWrites {
				t.Errorf("%d commits for %d writes: the queued writes did not share a commit", st.Commits, st.CommittedWrites)
			}
			if s.group != nil {
				t.Error("a group's transaction is still open after every write returned")
			}
		})
	}
}

// stats is the server's SQLiteStats.
func (s *sqliteServer) stats(t *testing.T) SQLiteStats {
	t.Helper()
	st, ok := (&DB{sqlite: s}).SQLiteStats()
	if !ok {
		t.Fatal("no SQLite stats")
	}
	return st
}

func TestGroupCommitWaitsForNoOne(t *testing.T) {
	// A write alone commits at once: the group ends when no request waits, whatever its bounds.
	g, s := openScratchSQLite(t)
	s.groupMaxAge = time.Hour
	before := s.stats(t)
	done := make(chan error, 1)
	go func() {
		done <- g.Transaction(func(tx *gorm.DB) error { return tx.Exec("INSERT INTO notes (id, body) VALUES (1, 'x')").Error })
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a lone write waited for a group that nobody joined")
	}
	if err := g.Transaction(func(tx *gorm.DB) error {
		return tx.Exec("INSERT INTO notes (id, body) VALUES (2, 'x')").Error
	}); err != nil {
		t.Fatal(err)
	}
	after := s.stats(t)
	if after.CommittedWrites-before.CommittedWrites != after.Commits-before.Commits {
		t.Errorf("lone transactions shared a commit: %+v then %+v", before, after)
	}
}
