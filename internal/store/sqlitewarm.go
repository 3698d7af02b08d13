package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"
)

// Keeping the pages payments read in memory. SQLite reads its files with read system calls into
// caches of its own that hold few pages: a reader's cache is dropped whenever the database changes,
// and the writer's holds 2 MB. So what a payment reads lives in the kernel's page cache, which may
// take back file pages that no process has mapped, however recently they were read: on the
// machines this was measured on, the kernel's DAMON pageout drops unmapped file pages in any
// stretch of memory that looks idle for about a minute, and a stretch holds far more than one
// file's pages. PostgreSQL keeps its pages in shared buffers, which are mapped memory. Two kinds of
// page matter to payments:
//
//   - the WAL's: a WAL frame is a page and a 24-byte header, so frames straddle the file's memory
//     pages, and writing one into a page the kernel no longer holds first reads that page from
//     disk, inside the writer's turn, with every payer waiting. The WAL starts over from its
//     beginning, so after a quiet minute the next commits read back what they overwrite: in a
//     block-level trace of a full `-million` run, 37 of the 42 MB the SQLite server read from disk
//     during its payments were the WAL's, most of them in its first turn;
//   - the link-token index's: a payment's claim finds its link by the link's token, as every
//     opening of a checkout does, and tokens are random, so at a million links each lookup lands
//     on a leaf no recent lookup has read. A walk of the whole index through SQLite every 30 s kept
//     it 97-100 % in the page cache, at about 200 ms of CPU a walk of a million links.
//
// So the server maps the database file and its WAL into its own memory, read-only, and touches
// the token index's pages and all the WAL's through those mappings. A page a process has mapped is
// not one that pageout takes; under real memory pressure the kernel still reclaims it as it would
// any other. SQLite's own mapping (mmap_size) would not do: a connection drops it whenever another
// commits, so under load it maps nothing for long.
//
// Every sqliteWarmEvery a pass lists the index's pages from its interior pages alone (read through
// sqlite_dbpage, a level of the tree a read transaction, never taking the writer) and touches them
// and the WAL: the first pass reads them from disk, later ones only map what splits and the WAL's
// growth added since.
const (
	// sqliteWarmEvery is well inside the minute after which the kernel may drop a new page.
	sqliteWarmEvery = 10 * time.Second
	// sqliteMaxIndexDepth bounds the levels a pass descends, against a damaged file: a b-tree of
	// 4-KB pages is a handful of levels deep at billions of entries.
	sqliteMaxIndexDepth = 20
)

// tokenIndexRoot is the root page of the links table's unique index on token, found by its column
// rather than by the name SQLite gave it.
const tokenIndexRoot = `SELECT rootpage FROM sqlite_schema WHERE type = 'index' AND name = (
	SELECT il.name FROM pragma_index_list('links') AS il JOIN pragma_index_info(il.name) AS ii
	WHERE il."unique" AND ii.name = 'token' AND (SELECT count(*) FROM pragma_index_info(il.name)) = 1)`

// dbPage is one page of the database as it stands in the read transaction's snapshot.
const dbPage = `SELECT data FROM sqlite_dbpage WHERE pgno = ?`

// errNoMapping: the database file cannot be mapped here (no file, or a platform without mmap).
var errNoMapping = errors.New("store: the database file is not mapped")

// warmLoop keeps the token index and the WAL mapped, now and every sqliteWarmEvery until ctx ends.
func (s *sqliteServer) warmLoop(ctx context.Context) {
	t := time.NewTicker(sqliteWarmEvery)
	defer t.Stop()
	for {
		if _, err := s.mapTokenIndex(ctx); err != nil && ctx.Err() == nil && !errors.Is(err, errNoMapping) {
			slog.Warn("sqlite token index mapping", "err", err)
		}
		if _, err := s.mapWAL(); err != nil && !errors.Is(err, errNoMapping) {
			slog.Warn("sqlite WAL mapping", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// mapWAL touches every page of the WAL through the server's mapping of it, mapping it first if
// the WAL exists by now, and returns how many memory pages it holds mapped. Where the database
// file could not be mapped, neither is the WAL, rather than opening it at every pass to find out.
func (s *sqliteServer) mapWAL() (int, error) {
	if s.mapping == nil {
		return 0, errNoMapping
	}
	if s.walMapping == nil {
		f, err := os.Open(s.path + "-wal")
		if errors.Is(err, fs.ErrNotExist) {
			return 0, nil
		}
		if err != nil {
			return 0, fmt.Errorf("store: open the WAL: %w", err)
		}
		m, err := mapFile(f)
		if err != nil {
			return 0, errors.Join(err, f.Close())
		}
		s.walFile, s.walMapping = f, m
	}
	n, err := s.walMapping.touchAll()
	if err != nil {
		return 0, err
	}
	s.walPagesMapped.Store(int64(n))
	return n, nil
}

// mapTokenIndex touches every page of the link-token index through the server's mapping of the
// database file and returns how many it holds mapped (0 before the links table exists).
func (s *sqliteServer) mapTokenIndex(ctx context.Context) (int, error) {
	if s.mapping == nil {
		return 0, errNoMapping
	}
	pages, pageSize, err := s.tokenIndexPages(ctx)
	if err != nil {
		return 0, err
	}
	mapped, err := s.mapping.touch(pages, pageSize)
	if err != nil {
		return mapped, err
	}
	s.indexPasses.Add(1)
	s.indexPagesMapped.Store(int64(mapped))
	return mapped, nil
}

// tokenIndexPages lists the pages of the link-token index: its root, its interior pages and its
// leaves. It reads the interior pages alone: every leaf of a b-tree sits at the same depth, so
// once the first child of a level is a leaf, all of that level are.
func (s *sqliteServer) tokenIndexPages(ctx context.Context) (pages []uint32, pageSize int, err error) {
	conn, err := s.readers.Conn(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list the token index's pages: %w", err)
	}
	defer conn.Close()
	var root uint32
	switch err := conn.QueryRowContext(ctx, tokenIndexRoot).Scan(&root); {
	case errors.Is(err, sql.ErrNoRows):
		return nil, 0, nil // not migrated yet
	case err != nil:
		return nil, 0, fmt.Errorf("store: find the token index: %w", err)
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pageSize); err != nil {
		return nil, 0, fmt.Errorf("store: page size: %w", err)
	}
	level := []uint32{root}
	for depth := 0; ; depth++ {
		if depth == sqliteMaxIndexDepth {
			return nil, 0, fmt.Errorf("store: the token index is deeper than %d levels", sqliteMaxIndexDepth)
		}
		pages = append(pages, level...)
		next, leaves, err := readIndexLevel(ctx, conn, level)
		if err != nil {
			return nil, 0, err
		}
		if leaves || len(next) == 0 {
			return pages, pageSize, nil
		}
		_, firstIsLeaf, err := readIndexLevel(ctx, conn, next[:1])
		if err != nil {
			return nil, 0, err
		}
		if firstIsLeaf {
			return append(pages, next...), pageSize, nil
		}
		level = next
	}
}

// readIndexLevel reads the pages of one level of an index in one read transaction and returns
// their children, or leaves true when they are leaves.
func readIndexLevel(ctx context.Context, conn *sql.Conn, level []uint32) (children []uint32, leaves bool, err error) {
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, false, fmt.Errorf("store: read the token index: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a read transaction: nothing to keep
	st, err := tx.PrepareContext(ctx, dbPage)
	if err != nil {
		return nil, false, fmt.Errorf("store: read the token index: %w", err)
	}
	defer st.Close()
	for i, pgno := range level {
		var data []byte
		if err := st.QueryRowContext(ctx, pgno).Scan(&data); err != nil {
			return nil, false, fmt.Errorf("store: read page %d of the token index: %w", pgno, err)
		}
		kids, leaf, err := indexPageChildren(data, pgno)
		if err != nil {
			return nil, false, err
		}
		if i == 0 {
			leaves = leaf
		} else if leaf != leaves {
			return nil, false, fmt.Errorf("store: page %d of the token index: leaves and interior pages on one level", pgno)
		}
		children = append(children, kids...)
	}
	return children, leaves, nil
}

// SQLite's b-tree page kinds (the first byte of a page's header) for an index.
const (
	indexInteriorPage = 0x02
	indexLeafPage     = 0x0a
)

// indexPageChildren reads an index b-tree page: the child pages an interior page points to, or
// leaf true. Page 1 starts with the 100-byte file header.
func indexPageChildren(page []byte, pgno uint32) (children []uint32, leaf bool, err error) {
	hdr := 0
	if pgno == 1 {
		hdr = 100
	}
	bad := func(why string) error { return fmt.Errorf("store: page %d of the token index: %s", pgno, why) }
	if len(page) < hdr+12 {
		return nil, false, bad("too short")
	}
	switch page[hdr] {
	case indexLeafPage:
		return nil, true, nil
	case indexInteriorPage:
	default:
		return nil, false, bad(fmt.Sprintf("kind %#x is not an index page", page[hdr]))
	}
	cells := int(binary.BigEndian.Uint16(page[hdr+3:]))
	if hdr+12+2*cells > len(page) {
		return nil, false, bad("more cells than fit")
	}
	children = make([]uint32, 0, cells+1)
	for i := range cells {
		at := int(binary.BigEndian.Uint16(page[hdr+12+2*i:]))
		if at+4 > len(page) {
			return nil, false, bad("a cell past the page's end")
		}
		children = append(children, binary.BigEndian.Uint32(page[at:]))
	}
	children = append(children, binary.BigEndian.Uint32(page[hdr+8:])) // the right-most child
	for _, c := range children {
		if c == 0 {
			return nil, false, bad("a child page 0")
		}
	}
	return children, false, nil
}
