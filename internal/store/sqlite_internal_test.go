package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// openScratchSQLite opens the embedded database's connections on a new file with one table.
func openScratchSQLite(t *testing.T) (*gorm.DB, *sqliteServer) {
	t.Helper()
	g, s, err := openSQLite(filepath.Join(t.TempDir(), "scratch.db"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.close() })
	if err := g.Exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	return g, s
}

// walFrames is how many frames the WAL holds now.
func walFrames(t *testing.T, s *sqliteServer) int64 {
	t.Helper()
	var busy, frames, copied int64
	if err := s.checkpoint.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
		t.Fatal(err)
	}
	return frames
}

func TestWALStartsOverWhileReadersRead(t *testing.T) {
	g, s := openScratchSQLite(t)
	ctx := context.Background()
	// The test runs the checkpointer's steps itself: the background one, once a second, would
	// otherwise start the WAL over while the test is still filling it.
	s.stop()
	s.loops.Wait()
	s.restartAfterFrames = 4096 // a quarter of the product's, for a shorter test

	// Readers keep a snapshot open nearly all the time, as under load, which is what keeps a
	// WAL that is only ever copied from starting over by itself. Each reads the newest row (from
	// the WAL while it has not been copied), briefly, as the product's reads do: a read that
	// outlasts the restart's wait every time (a count over the whole table, under the race
	// detector on a slow machine) rightly keeps the WAL from starting over.
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				var n int64
				if err := g.Raw("SELECT coalesce(max(id), 0) FROM notes").Scan(&n).Error; err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	defer func() { close(stop); readers.Wait() }()

	body := strings.Repeat("x", 6000) // two pages a row
	write := func(n int) {
		for i := range n {
			if err := g.Transaction(func(tx *gorm.DB) error {
				return tx.Exec("INSERT INTO notes (body) VALUES (?)", fmt.Sprint(i, body)).Error
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(int(s.restartAfterFrames / 2)) // each commit adds at least two frames
	if f := walFrames(t, s); f < s.restartAfterFrames {
		t.Fatalf("the WAL holds %d frames, want at least %d before the checkpointer runs", f, s.restartAfterFrames)
	}

	// A reader may outlast the restart's short wait; the checkpointer then tries again next second.
	// A restart that waited out every reader still only lets the next commit write the WAL from its
	// start: a reader that read the WAL's state just before the restart and took its lock just after
	// it reads old frames when that commit comes, and the commit then appends (rarely, on a loaded
	// machine). The WAL is then still long, and the next second's restart tries again; so does this.
	rows := int64(s.restartAfterFrames / 2)
	for round := 0; ; round++ {
		if round == 5 {
			t.Fatalf("after five restarts and ten commits each the WAL holds %d frames; it never started over", walFrames(t, s))
		}
		restarted := s.restarts.Load()
		for try := 0; s.restarts.Load() == restarted; try++ {
			if try == 20 {
				t.Fatal("the WAL never started over in 20 tries")
			}
			if err := s.checkpointOnce(ctx); err != nil {
				t.Fatal(err)
			}
		}
		write(10)
		rows += 10
		if walFrames(t, s) <= 100 {
			break
		}
	}
	var n int64
	if err := g.Raw("SELECT count(*) FROM notes").Scan(&n).Error; err != nil || n != rows {
		t.Errorf("rows after the restart = %d (%v), want %d", n, err, rows)
	}
	if st, _ := (&DB{sqlite: s}).SQLiteStats(); st.WALRestarts < 1 || st.RestartsHeld <= 0 {
		t.Errorf("stats = %+v, want a restart and the time it held the writer", st)
	}
}

func TestStatementsStayPrepared(t *testing.T) {
	g, s := openScratchSQLite(t)
	insert := "INSERT INTO notes (body) VALUES (?)"
	count := "SELECT count(*) FROM notes WHERE body = ?"

	// First met inside a transaction: it runs unprepared, and is prepared at the writer's next turn.
	for i := range 3 {
		if err := g.Transaction(func(tx *gorm.DB) error { return tx.Exec(insert, "in a transaction").Error }); err != nil {
			t.Fatalf("insert %d: %v", i, err)
		}
		if i == 0 && s.writerStmts.lookup(insert) != nil {
			t.Error("a statement first met inside a transaction was prepared while the transaction held the writer")
		}
	}
	if s.writerStmts.lookup(insert) == nil {
		t.Error("the insert was not kept prepared after its first transaction")
	}
	// Outside a transaction, through the cache on both sides.
	if err := g.Exec(insert, "alone").Error; err != nil {
		t.Fatal(err)
	}
	for body, want := range map[string]int64{"in a transaction": 3, "alone": 1, "never": 0} {
		var n int64
		if err := g.Raw(count, body).Scan(&n).Error; err != nil || n != want {
			t.Errorf("count(%q) = %d (%v), want %d", body, n, err, want)
		}
	}
	if s.readerStmts.lookup(count) == nil {
		t.Error("the read was not kept prepared")
	}

	// A statement that does not compile reports why, wherever it runs, and is not kept.
	bad := "INSERT INTO no_such_table VALUES (?)"
	if err := g.Exec(bad, 1).Error; err == nil || !strings.Contains(err.Error(), "no_such_table") {
		t.Errorf("bad insert: %v", err)
	}
	if err := g.Transaction(func(tx *gorm.DB) error { return tx.Exec(bad, 1).Error }); err == nil {
		t.Error("bad insert in a transaction succeeded")
	}
	if err := g.Exec(insert, "after").Error; err != nil {
		t.Fatal(err)
	}
	if s.writerStmts.lookup(bad) != nil {
		t.Error("a statement that does not compile was kept")
	}
}

// Each write of a group runs in a savepoint, whose journal of the pages it changes is kept in
// memory on the writer (temp_store): on disk it cost a write system call per page, on the writer,
// an eighth of the server's CPU in a payment. A write that fails after changing many pages (far
// more than the 64 KB SQLite keeps in memory otherwise) still rolls back alone.
func TestSavepointJournalInMemory(t *testing.T) {
	g, s := openScratchSQLite(t)
	var store int
	if err := s.writer.QueryRow("PRAGMA temp_store").Scan(&store); err != nil || store != 2 {
		t.Fatalf("the writer's temp_store = %d (%v), want 2 (memory)", store, err)
	}
	body := strings.Repeat("x", 1000)
	if err := g.Exec("INSERT INTO notes (body) VALUES (?)", "kept").Error; err != nil {
		t.Fatal(err)
	}
	failed := errors.New("the write fails after its inserts")
	err := g.Transaction(func(tx *gorm.DB) error {
		for range 2000 {
			if err := tx.Exec("INSERT INTO notes (body) VALUES (?)", body).Error; err != nil {
				return err
			}
		}
		if err := tx.Exec("UPDATE notes SET body = 'changed'").Error; err != nil {
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("transaction: %v, want its own error", err)
	}
	var bodies []string
	if err := g.Raw("SELECT body FROM notes").Scan(&bodies).Error; err != nil || len(bodies) != 1 || bodies[0] != "kept" {
		t.Fatalf("rows after the rollback: %d (%v), want only the one kept", len(bodies), err)
	}
}

func TestStatementCacheEvictsTheLeastRecentlyUsed(t *testing.T) {
	_, s := openScratchSQLite(t)
	c := newStmtCache(s.readers, 2)
	defer c.close()
	ctx := context.Background()
	query := func(q string) int64 {
		st, err := c.get(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		if err := st.QueryRowContext(ctx).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	q1, q2, q3 := "SELECT 1", "SELECT 2", "SELECT 3"
	query(q1)
	query(q2)
	query(q1) // q2 is now the least recently used
	rows, err := func() (*sql.Rows, error) { st, _ := c.get(ctx, q2); return st.QueryContext(ctx) }()
	if err != nil {
		t.Fatal(err)
	}
	query(q3) // evicts q1 (q2 was used just now), and q2's open rows are safe either way
	if got := query(q3); got != 3 {
		t.Errorf("q3 = %d", got)
	}
	var n int64
	if !rows.Next() || rows.Scan(&n) != nil || n != 2 {
		t.Errorf("rows read through a kept statement: %d", n)
	}
	rows.Close()
	if c.lookup(q1) != nil || c.lookup(q3) == nil || c.lru.Len() != 2 {
		t.Errorf("kept q1=%v q3=%v, %d statements; want q1 evicted, q3 kept, 2 statements", c.lookup(q1) != nil, c.lookup(q3) != nil, c.lru.Len())
	}
}

func TestPlannerStatisticsKeepNoSamples(t *testing.T) {
	g, s := openScratchSQLite(t)
	if err := g.Exec("CREATE INDEX notes_body ON notes (body)").Error; err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		if err := g.Exec("INSERT INTO notes (body) VALUES (?)", fmt.Sprint("note ", i%20)).Error; err != nil {
			t.Fatal(err)
		}
	}
	count := func(table string) (n int64) {
		t.Helper()
		if err := g.Raw("SELECT count(*) FROM " + table).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	// The hourly refresh analyses what needs it (here: never analysed) and keeps the per-index
	// statistics only.
	if err := s.refreshStatistics(context.Background()); err != nil {
		t.Fatal(err)
	}
	if count("sqlite_stat1") == 0 {
		t.Error("the refresh gathered no statistics")
	}
	if n := count("sqlite_stat4"); n != 0 {
		t.Errorf("the refresh left %d samples", n)
	}

	// As after a full ANALYZE from outside: samples are there, and the next open drops them.
	if _, err := s.writer.Exec("PRAGMA analysis_limit = 0; ANALYZE"); err != nil {
		t.Fatal(err)
	}
	if count("sqlite_stat4") == 0 {
		t.Fatal("ANALYZE kept no samples; this SQLite has no STAT4 and the test proves nothing")
	}
	if err := dropPlannerSamples(context.Background(), s.writer); err != nil {
		t.Fatal(err)
	}
	if n := count("sqlite_stat4"); n != 0 {
		t.Errorf("%d samples left", n)
	}
	if count("sqlite_stat1") == 0 {
		t.Error("dropping the samples dropped the per-index statistics too")
	}
}

// TestRefreshedStatisticsReachEveryConnection: the read pool's connections stay open for the life
// of the process, and a connection reads the planner statistics only when it loads the schema. The
// hourly refresh must reach them, or they plan a grown table with what it held when they opened.
func TestRefreshedStatisticsReachEveryConnection(t *testing.T) {
	g, s := openScratchSQLite(t)
	ctx := context.Background()
	exec := func(q string) {
		t.Helper()
		if err := g.Exec(q).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("CREATE TABLE pairs (id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b INTEGER NOT NULL)")
	exec("CREATE INDEX pairs_a ON pairs (a)")
	exec("CREATE INDEX pairs_b ON pairs (b)")
	// At first a tells the rows apart and b does not.
	exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) INSERT INTO pairs (a, b) SELECT i, i % 2 FROM n")
	if err := s.refreshStatistics(ctx); err != nil {
		t.Fatal(err)
	}
	plan := func(c *sql.Conn) string {
		t.Helper()
		var n int
		// A statement that reads the table checks the schema first; EXPLAIN alone does not.
		if err := c.QueryRowContext(ctx, "SELECT count(*) FROM pairs WHERE a = 3").Scan(&n); err != nil {
			t.Fatal(err)
		}
		var id, parent, unused int
		var detail string
		if err := c.QueryRowContext(ctx, "EXPLAIN QUERY PLAN SELECT * FROM pairs WHERE a = 1 AND b = 7").Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		return detail
	}
	readers := make([]*sql.Conn, 2)
	for i := range readers {
		c, err := s.readers.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		readers[i] = c
		if got := plan(c); !strings.Contains(got, "pairs_a") {
			t.Fatalf("reader %d plans %q before the table changed; want pairs_a", i, got)
		}
	}
	writerPlans(t, s, plan, "pairs_a")
	// Then the table grows fifty-fold, and now b tells the rows apart and a does not.
	exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO pairs (a, b) SELECT i % 2, 1000 + i FROM n")
	if err := s.refreshStatistics(ctx); err != nil {
		t.Fatal(err)
	}
	for i, c := range readers {
		if got := plan(c); !strings.Contains(got, "pairs_b") {
			t.Errorf("reader %d, open since before the refresh, plans %q; want pairs_b", i, got)
		}
	}
	writerPlans(t, s, plan, "pairs_b")
}

// writerPlans checks the writer's plan too: it writes the statistics, and a connection that
// changes the schema itself does not read it again.
func writerPlans(t *testing.T, s *sqliteServer, plan func(*sql.Conn) string, index string) {
	t.Helper()
	w, err := s.writer.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if got := plan(w); !strings.Contains(got, index) {
		t.Errorf("the writer plans %q after the refresh; want %s", got, index)
	}
}
