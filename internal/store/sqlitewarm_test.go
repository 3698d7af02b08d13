package store_test

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"securelink/internal/domain"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// seedLinks stores one merchant's invoice with n links, each with a token of its own.
func seedLinks(t *testing.T, db *store.DB, n int) {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	mer, inv := domain.NewID("mer"), domain.NewID("inv")
	linksSQL := `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO links (id, invoice_id, merchant_id, token, status, expires_at, created_at)
		SELECT 'lnk_' || i, ?, ?, lower(hex(randomblob(16))), 'active', ?, ? FROM n`
	linksArgs := []any{n, inv, mer, now.Add(time.Hour), now}
	if db.Dialect == store.DialectPostgres {
		linksSQL = `INSERT INTO links (id, invoice_id, merchant_id, token, status, expires_at, created_at)
			SELECT 'lnk_' || i, ?, ?, md5(random()::text), 'active', ?, ? FROM generate_series(1, ?) AS i`
		linksArgs = []any{inv, mer, now.Add(time.Hour), now, n}
	}
	stmts := []struct {
		q    string
		args []any
	}{
		{"INSERT INTO merchants (id, name, created_at, updated_at) VALUES (?, 'M', ?, ?)", []any{mer, now, now}},
		{`INSERT INTO invoices (id, merchant_id, number, status, customer_name, customer_email, currency, amount_total, amount_vat,
			capture_mode, locale, expires_at, created_at, updated_at) VALUES (?, ?, 'INV-1', 'open', 'A', 'a@example.com', 'RSD', 100, 0,
			'automatic', 'en', ?, ?, ?)`, []any{inv, mer, now.Add(time.Hour), now, now}},
		{linksSQL, linksArgs},
	}
	for _, s := range stmts {
		if err := db.Gorm.Exec(s.q, s.args...).Error; err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
}

// The server keeps every page of the link-token index and of the WAL mapped into its memory: it
// finds the index's pages from its interior pages on the read pool, never taking the writer, and
// touches each through its own read-only mappings of the database file and the WAL.
func TestTokenIndexAndWALStayMapped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const links = 10_000 // an index three levels deep
		seedLinks(t, db, links)
		if _, isSQLite := db.SQLiteStats(); !isSQLite {
			if index, wal, _, ok, err := db.KeepMapped(ctx); ok || err != nil || index != 0 || wal != 0 {
				t.Fatalf("PostgreSQL mapped files: %d index and %d WAL pages, ok %v, err %v", index, wal, ok, err)
			}
			return
		}
		// The index's pages are mapped once the file holds them, out of the WAL; the WAL then
		// starts over, and the next writes fill its first pages again.
		if err := db.Gorm.Exec("PRAGMA wal_checkpoint(RESTART)").Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Exec("UPDATE links SET status = 'active' WHERE id <= 'lnk_5'").Error; err != nil {
			t.Fatal(err)
		}
		before, _ := db.SQLiteStats()
		index, wal, path, _, err := db.KeepMapped(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var want, leaves, depth int
		if err := db.Gorm.Raw(`SELECT count(*), sum(pagetype = 'leaf'), max(length(path) - length(replace(path, '/', '')))
			FROM dbstat WHERE name = 'sqlite_autoindex_links_2'`).Row().Scan(&want, &leaves, &depth); err != nil {
			t.Fatal(err)
		}
		if depth < 2 {
			t.Fatalf("the token index is %d levels below its root; the test wants at least 2", depth)
		}
		if index != want {
			t.Errorf("mapped %d pages of the index, want its %d (%d leaves)", index, want, leaves)
		}
		walInfo, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		if pageSize := int64(os.Getpagesize()); walInfo.Size() == 0 || int64(wal) != (walInfo.Size()+pageSize-1)/pageSize {
			t.Errorf("mapped %d memory pages of the WAL, want all of its %d bytes", wal, walInfo.Size())
		}
		after, _ := db.SQLiteStats()
		if after.TokenIndexPasses != before.TokenIndexPasses+1 || after.TokenIndexPagesMapped != int64(index) || after.WALPagesMapped != int64(wal) {
			t.Errorf("passes counted %d → %d, pages mapped %d and %d; want one more pass and %d and %d pages",
				before.TokenIndexPasses, after.TokenIndexPasses, after.TokenIndexPagesMapped, after.WALPagesMapped, index, wal)
		}
		if after.Granted != before.Granted {
			t.Errorf("the pass took the writer %d times", after.Granted-before.Granted)
		}
		if runtime.GOOS != "linux" {
			return
		}
		// The kernel's account of the process's mappings of each file: at least those pages.
		if rss := mappedKB(t, path); rss < int64(index*4) {
			t.Errorf("the server maps %d KB of the database file, want at least the index's %d KB", rss, index*4)
		}
		if rss := mappedKB(t, path+"-wal"); rss*1024 < walInfo.Size() {
			t.Errorf("the server maps %d KB of the WAL, want all of its %d bytes", rss, walInfo.Size())
		}
	})
}

// mappedKB is how much of the file at path the process has mapped and in memory (/proc/self/smaps).
func mappedKB(t *testing.T, path string) int64 {
	t.Helper()
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	var kb int64
	in := false
	for _, line := range strings.Split(string(smaps), "\n") {
		fields := strings.Fields(line)
		switch {
		case len(fields) >= 6 && strings.Contains(fields[0], "-"):
			in = fields[len(fields)-1] == path
		case in && len(fields) == 3 && fields[0] == "Rss:":
			n, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			kb += n
		}
	}
	return kb
}
