package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// statisticsFixture fills the scratch database with tables whose indexes cover what the counted
// statistics must get right: NULLs, unique and partial indexes (one matching nothing), descending
// and text primary keys, a table with no index, one with only a partial index, an empty table,
// values a little over one row per key, and indexes on an expression and with another collation,
// which SQLite analyses itself.
func statisticsFixture(t *testing.T, s *sqliteServer) {
	t.Helper()
	for _, q := range []string{
		`CREATE TABLE people (id TEXT PRIMARY KEY, merchant INTEGER NOT NULL, email TEXT, status TEXT NOT NULL, score INTEGER, ref INTEGER, created_at TEXT)`,
		`CREATE UNIQUE INDEX people_email ON people (merchant, email)`,
		`CREATE INDEX people_status ON people (merchant, status, id DESC)`,
		`CREATE INDEX people_open ON people (created_at) WHERE status = 'open'`,
		`CREATE UNIQUE INDEX people_set_email ON people (email) WHERE email <> ''`,
		`CREATE INDEX people_score ON people (score)`,
		`CREATE INDEX people_ref ON people (ref)`,
		`CREATE INDEX people_none ON people (score) WHERE status = 'archived'`,
		`CREATE TABLE "odd ""name""" (id INTEGER PRIMARY KEY, v INTEGER)`,
		`CREATE INDEX "odd (index)" ON "odd ""name""" (v) WHERE v > 3`,
		`CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT)`,
		`CREATE TABLE empty (id INTEGER PRIMARY KEY, a INTEGER)`,
		`CREATE INDEX empty_a ON empty (a)`,
		`CREATE INDEX empty_some ON empty (a) WHERE a > 2`,
		`CREATE TABLE flags (id INTEGER PRIMARY KEY, v INTEGER)`,
		`CREATE INDEX flags_none ON flags (v, id) WHERE v < 0`,
		`CREATE TABLE words (id INTEGER PRIMARY KEY, word TEXT NOT NULL)`,
		`CREATE INDEX words_lower ON words (lower(word))`,
		`CREATE INDEX words_nocase ON words (word COLLATE NOCASE)`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
		 INSERT INTO people SELECT 'p' || i, i % 7, CASE WHEN i % 5 = 0 THEN NULL ELSE 'e' || i END,
		   CASE i % 3 WHEN 0 THEN 'open' WHEN 1 THEN 'paid' ELSE 'void' END, CASE WHEN i % 4 = 0 THEN NULL ELSE i % 800 END, i % 2900,
		   '2026-12-' || (i % 28) FROM n`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO "odd ""name""" (v) SELECT i % 9 FROM n`,
		`INSERT INTO flags (v) VALUES (1), (2), (2)`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) INSERT INTO tags (name) SELECT 't' || i FROM n`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO words (word) SELECT CASE i % 2 WHEN 0 THEN 'W' ELSE 'w' END || (i % 40) FROM n`,
	} {
		if _, err := s.writer.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// storedStatistics is sqlite_stat1 of tables, a line per row, sorted.
func storedStatistics(t *testing.T, db *sql.DB, tables ...string) []string {
	t.Helper()
	rows, err := db.Query("SELECT tbl, coalesce(idx, ''), stat FROM sqlite_stat1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var st plannerStat
		if err := rows.Scan(&st.table, &st.index, &st.stat); err != nil {
			t.Fatal(err)
		}
		if slices.Contains(tables, st.table) {
			lines = append(lines, st.table+" | "+st.index+" | "+st.stat)
		}
	}
	slices.Sort(lines)
	return lines
}

// TestCountedStatisticsMatchANALYZE: the statistics counted on the read pool are, row for row,
// what SQLite's own ANALYZE writes.
func TestCountedStatisticsMatchANALYZE(t *testing.T) {
	_, s := openScratchSQLite(t)
	statisticsFixture(t, s)
	ctx := context.Background()
	counted := []string{"notes", "people", `odd "name"`, "tags", "empty", "flags"}
	var lines []string
	for _, table := range counted {
		stats, ok, err := s.tableStatistics(ctx, table)
		if err != nil || !ok {
			t.Fatalf("%s: ok=%v, %v", table, ok, err)
		}
		for _, st := range stats {
			lines = append(lines, st.table+" | "+st.index+" | "+st.stat)
		}
	}
	slices.Sort(lines)
	if _, ok, err := s.tableStatistics(ctx, "words"); ok || err != nil {
		t.Errorf("words, indexed on an expression and with NOCASE: ok=%v, %v; want left to ANALYZE", ok, err)
	}

	if _, err := s.writer.Exec("PRAGMA analysis_limit = 0; ANALYZE"); err != nil {
		t.Fatal(err)
	}
	want := storedStatistics(t, s.writer, counted...)
	if !slices.Equal(lines, want) {
		t.Errorf("counted statistics:\n%s\nANALYZE wrote:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	// The fixture must reach the cases it is there for.
	for _, line := range []string{"people | people_open | 1000 ", "tags |  | 40", `odd "name" |  | 50`, "people | people_score | 3000 ", "people | people_ref | 3000 1"} {
		if !slices.ContainsFunc(want, func(w string) bool { return strings.HasPrefix(w, line) }) {
			t.Errorf("ANALYZE wrote no line %q: the fixture misses a case", line)
		}
	}
	for _, line := range []string{"people | people_none | 0 0", "empty | empty_some | 0 0", "flags | flags_none | 0 0 0"} {
		if !slices.Contains(want, line) {
			t.Errorf("ANALYZE wrote no line %q for an empty partial index: the fixture misses a case", line)
		}
	}
}

// TestStatisticsRefreshWritesWhatOptimizeWould: the hourly refresh, from PRAGMA optimize's choice
// of tables to the rows it writes, leaves the statistics SQLite's own PRAGMA optimize would,
// without samples (the indexes on an expression and with NOCASE are analysed by SQLite itself).
func TestStatisticsRefreshWritesWhatOptimizeWould(t *testing.T) {
	_, s := openScratchSQLite(t)
	statisticsFixture(t, s)
	if err := s.refreshStatistics(context.Background()); err != nil {
		t.Fatal(err)
	}
	tables := []string{"people", `odd "name"`, "tags", "words", "empty", "flags"}
	got := storedStatistics(t, s.writer, tables...)
	var samples int
	if err := s.writer.QueryRow("SELECT count(*) FROM sqlite_stat4").Scan(&samples); err != nil || samples != 0 {
		t.Errorf("the refresh left %d samples (%v)", samples, err)
	}
	// What SQLite's own PRAGMA optimize writes from the same start, holding the writer throughout.
	_, own := openScratchSQLite(t)
	statisticsFixture(t, own)
	if _, err := own.writer.Exec("PRAGMA optimize = 0x10002"); err != nil {
		t.Fatal(err)
	}
	if want := storedStatistics(t, own.writer, tables...); !slices.Equal(got, want) {
		t.Errorf("the refresh wrote:\n%s\nPRAGMA optimize writes:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(got) < 10 {
		t.Errorf("the refresh wrote only %d rows", len(got))
	}
}

// TestStatisticsRefreshLetsPayersWrite: while the refresh counts, the writer is free. A write made
// while the refresh is held between two of its counts completes at once.
func TestStatisticsRefreshLetsPayersWrite(t *testing.T) {
	g, s := openScratchSQLite(t)
	statisticsFixture(t, s)
	paused, resume := make(chan struct{}), make(chan struct{})
	first := true
	s.statisticsRead = func() {
		if first {
			first = false
			close(paused)
			<-resume
		}
	}
	done := make(chan error, 1)
	go func() { done <- s.refreshStatistics(context.Background()) }()
	select {
	case <-paused:
	case err := <-done:
		t.Fatalf("the refresh ended without counting anything: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := g.WithContext(ctx).Exec("INSERT INTO notes (body) VALUES ('written during the refresh')").Error
	close(resume)
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatal("a write waited for the refresh's counts")
	} else if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestPartialIndexWhere(t *testing.T) {
	for _, tc := range []struct {
		definition, want string
		ok               bool
	}{
		{"CREATE INDEX a ON t (x) WHERE status = 'open'", "status = 'open'", true},
		{"CREATE UNIQUE INDEX a ON t (x, lower(y))\n  where y <> ''", "y <> ''", true},
		{`CREATE INDEX "a (b)" ON "t ""x""" ([c)], "d)") WHERE c > 3`, "c > 3", true},
		{"CREATE INDEX a ON t (x)", "", false},
		{"CREATE INDEX a ON t (x) WHEREVER", "", false},
	} {
		got, ok := partialIndexWhere(tc.definition)
		if got != tc.want || ok != tc.ok {
			t.Errorf("partialIndexWhere(%q) = %q, %v; want %q, %v", tc.definition, got, ok, tc.want, tc.ok)
		}
	}
}
