package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
	"modernc.org/sqlite"
)

// SQLite as a server database. SQLite lets one connection write at a time; readers in WAL mode never
// wait for it. So the embedded database is opened as:
//
//   - one writer connection that writes reach through writeQueue, in arrival order, each giving up
//     with its request's context, background jobs in a lane of their own that yields to requests;
//   - group commit: while requests wait, consecutive write transactions share one transaction on
//     the writer, each in a savepoint of its own, and commit together (sqlitegroup.go);
//   - a pool of read-only connections (query_only) that plain SELECTs outside a transaction use;
//   - checkpoints run by a background goroutine on a connection of their own (PASSIVE: they never
//     take the writer lock), never by a payer's commit (wal_autocheckpoint is off on the writer);
//     the WAL's restart alone takes the writer, briefly, as a background job;
//   - the query planner's statistics are counted on the read pool and written in one short turn of
//     the writer (sqlitestats.go): SQLite's own ANALYZE would hold the writer for the whole count;
//   - statements stay prepared (stmtCache), since compiling one costs about as much as running it;
//   - the WAL and the link-token index stay mapped into the server, so that the kernel keeps them
//     in memory (sqlitewarm.go).
//
// sqlitePool routes each statement; GORM sees one ConnPool, so the store code is the same for both
// dialects. Network calls never run inside a write transaction (the PSP is called between them), so
// the writer is held only for the statements themselves.

// SQLite settings of the embedded database.
const (
	// sqliteBusyTimeoutMS only matters when another process (such as `securelink migrate`) writes
	// the same file: within this process writes queue in Go and never meet SQLite's busy handler.
	sqliteBusyTimeoutMS = 10_000
	// sqliteJournalSizeLimit truncates the WAL back to this size when it restarts. Under heavy load
	// a second of WAL is about 100 MB: with a limit below that, every restart truncated the file and
	// the next second's writes grew it again, block by block (64 MB: 10-20 % fewer payments a
	// second and more CPU per payment than 256 MB, where the file is rewritten in place).
	sqliteJournalSizeLimit = 256 << 20
	// SQLiteCheckpointEvery is how often the checkpointer copies the WAL into the database file.
	SQLiteCheckpointEvery = time.Second
	// SQLiteStatisticsEvery is how often the query planner's statistics are brought up to date.
	SQLiteStatisticsEvery = time.Hour
	// sqliteRestartAfterFrames is the WAL length (64 MB of 4-KB pages) past which the checkpointer
	// also makes the WAL start over, taking its turn in the background lane of the writer queue.
	// Readers always hold a snapshot under load, so a WAL that is only ever copied (PASSIVE) never
	// starts over by itself and grows without end. Each restart holds every waiting payer for its
	// syncs (3-9 ms). At 16 MB the WAL was past it at every second's check under load (12 restarts
	// in 13 s of payments), so about 2 % of payments waited for one; at 64 MB restarts come half as
	// often, and the WAL reaches about 140 MB at 1,700 payments a second, below
	// sqliteJournalSizeLimit. In five pay-only runs taken in turns with the 16 MB build: 1,666
	// against 1,552 payments a second and a pay p99 of 49 against 55 ms, on average.
	sqliteRestartAfterFrames = 16384
	// sqliteCatchUpPasses bounds the copying passes before a restart, and sqliteRestartTailFrames
	// is few enough frames written during a pass (1 MB) for the restart to copy with the writer held.
	sqliteCatchUpPasses     = 4
	sqliteRestartTailFrames = 256
	// sqliteRestartWaitMS is how long a restart waits for readers on old frames, holding the writer.
	sqliteRestartWaitMS = 20
	// sqliteJobMaxWait is the longest a background write yields to requests' writes.
	sqliteJobMaxWait = 50 * time.Millisecond
)

// sqliteDSN is the driver's DSN for path with the pragmas every connection gets, plus extra.
func sqliteDSN(path string, extra ...string) string {
	q := []string{
		fmt.Sprintf("_pragma=busy_timeout(%d)", sqliteBusyTimeoutMS),
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(NORMAL)",
		// Times as "2006-01-02 15:04:05.999999999-07:00", which sorts and compares as text.
		"_time_format=sqlite",
	}
	return "file:" + path + "?" + strings.Join(append(q, extra...), "&")
}

// openSQLiteDB is a database/sql handle on dsn through modernc.org/sqlite's driver, without
// registering a driver name.
func openSQLiteDB(dsn string) (*sql.DB, error) {
	c, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}

// sqliteServer is the embedded database's connections and its checkpointer.
type sqliteServer struct {
	path string
	// dbFile is the database file, open for syncFiles for as long as the server runs: closing any
	// descriptor of it would drop the locks SQLite's connections hold on it, since POSIX locks
	// belong to the process. Nil when it could not be opened: the restarts then sync on their own.
	dbFile *os.File
	// mapping is the server's read-only mapping of dbFile that keeps the token index in memory,
	// nil when the file could not be mapped; walFile and walMapping keep the WAL in memory, opened
	// by the first pass that finds the WAL (sqlitewarm.go).
	mapping    *fileMapping
	walFile    *os.File
	walMapping *fileMapping
	writer     *sql.DB // one connection
	readers    *sql.DB // query_only connections
	checkpoint *sql.DB // one connection for PASSIVE checkpoints
	queue      *writeQueue
	// Prepared statements of the writer and of the read pool.
	writerStmts, readerStmts *stmtCache

	stop        context.CancelFunc
	loops       sync.WaitGroup // the checkpointer, the statistics (sqlitestats.go) and the mapping passes (sqlitewarm.go)
	checkpoints atomic.Int64
	// indexPasses counts the passes that mapped the token index, and indexPagesMapped and
	// walPagesMapped are how many pages of it and of the WAL the last ones held mapped
	// (sqlitewarm.go).
	indexPasses, indexPagesMapped, walPagesMapped atomic.Int64
	// WAL restarts and the time they held the writer.
	restarts, restartNanos atomic.Int64
	// restartAfterFrames is sqliteRestartAfterFrames (tests make it smaller).
	restartAfterFrames int64
	// group is the write transaction open on the writer (see writeGroup); only the turn's holder
	// touches it. Commits of groups, and the writes they held.
	group                       *writeGroup
	groupMaxWrites              int
	groupMaxAge                 time.Duration
	groupCommits, groupedWrites atomic.Int64
	// statisticsRead, when set (tests), runs after each count the statistics take on the read pool.
	statisticsRead func()
	closeOnce      sync.Once
}

// openSQLite opens the writer, the read pool and the checkpointer on the SQLite file at path.
func openSQLite(path string, cfg *gorm.Config) (*gorm.DB, *sqliteServer, error) {
	// The writer first: it puts the file in WAL mode before any reader opens it. _txlock=immediate:
	// a transaction takes the write lock at BEGIN, so nothing can make it fail half-way for
	// another process's writer. temp_store=MEMORY keeps the journal of each group member's
	// savepoint in memory: past 64 KB SQLite wrote it to a file, a system call per page changed,
	// and that was an eighth of the server's CPU in a payment, all of it holding the writer
	// (without it: 1,624-1,753 payments/s and 0.75-0.82 ms of CPU each; with it 2,113-2,191/s
	// and 0.63-0.65 ms). Migrations set it back to files while they run (DB.Migrate).
	writer, err := openSQLiteDB(sqliteDSN(path, "_pragma=journal_mode(WAL)", "_pragma=wal_autocheckpoint(0)", "_pragma=temp_store(MEMORY)",
		fmt.Sprintf("_pragma=journal_size_limit(%d)", sqliteJournalSizeLimit), "_txlock=immediate"))
	if err != nil {
		return nil, nil, err
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxIdleTime(0)
	writer.SetConnMaxLifetime(0)
	if err := writer.Ping(); err != nil {
		writer.Close()
		return nil, nil, err
	}
	readers, err := openSQLiteDB(sqliteDSN(path, "_pragma=query_only(1)"))
	if err != nil {
		writer.Close()
		return nil, nil, err
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	readers.SetMaxOpenConns(n)
	readers.SetMaxIdleConns(n)
	checkpoint, err := openSQLiteDB(sqliteDSN(path))
	if err != nil {
		writer.Close()
		readers.Close()
		return nil, nil, err
	}
	checkpoint.SetMaxOpenConns(1)

	// Statistics gathered elsewhere (an ANALYZE from the sqlite3 shell) keep no samples either.
	if err := dropPlannerSamples(context.Background(), writer); err != nil {
		writer.Close()
		readers.Close()
		checkpoint.Close()
		return nil, nil, err
	}
	dbFile, err := os.Open(path)
	if err != nil {
		dbFile = nil
	}
	var mapping *fileMapping
	if dbFile != nil {
		if mapping, err = mapFile(dbFile); err != nil && !errors.Is(err, errNoMapping) {
			slog.Warn("sqlite: the token index and the WAL are left to the system's cache", "err", err)
		}
	}
	s := &sqliteServer{path: path, dbFile: dbFile, mapping: mapping, writer: writer, readers: readers, checkpoint: checkpoint,
		queue:          &writeQueue{jobMaxWait: sqliteJobMaxWait},
		groupMaxWrites: sqliteGroupMaxWrites, groupMaxAge: sqliteGroupMaxAge, restartAfterFrames: sqliteRestartAfterFrames,
		writerStmts: newStmtCache(writer, sqliteStmtCacheSize), readerStmts: newStmtCache(readers, sqliteStmtCacheSize)}
	s.queue.endTurn = s.endTurn
	g, err := gorm.Open(sqliteDialect{pool: &sqlitePool{s: s}}, cfg)
	if err != nil {
		s.close()
		return nil, nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	s.stop = stop
	s.loops.Add(3)
	// Checkpoints every second: PASSIVE never waits for a lock, so writers and readers go on
	// meanwhile; once the WAL is longer than restartAfterFrames it also starts over
	// (checkpointOnce). The planner statistics a minute after start, when migrations are long
	// done, then every SQLiteStatisticsEvery (sqlitestats.go).
	go func() {
		defer s.loops.Done()
		repeat(ctx, SQLiteCheckpointEvery, SQLiteCheckpointEvery, "sqlite checkpoint", s.checkpointOnce)
	}()
	go func() {
		defer s.loops.Done()
		repeat(ctx, time.Minute, SQLiteStatisticsEvery, "sqlite planner statistics", s.refreshStatistics)
	}()
	go func() {
		defer s.loops.Done()
		s.warmLoop(ctx)
	}()
	return g, s, nil
}

// close stops the checkpointer and the mapping passes, and closes every connection.
func (s *sqliteServer) close() error {
	var err error
	s.closeOnce.Do(func() {
		if s.stop != nil {
			s.stop()
			s.loops.Wait()
		}
		s.writerStmts.close()
		s.readerStmts.close()
		err = errors.Join(s.checkpoint.Close(), s.readers.Close(), s.writer.Close())
		if s.mapping != nil {
			err = errors.Join(err, s.mapping.close())
		}
		if s.walMapping != nil {
			err = errors.Join(err, s.walMapping.close(), s.walFile.Close())
		}
		if s.dbFile != nil { // after SQLite's connections, whose locks it would drop
			err = errors.Join(err, s.dbFile.Close())
		}
	})
	return err
}

// repeat runs work first after start, then every interval (a run that outlasts it skips the
// turns it missed), until ctx ends, and logs its failures as what.
func repeat(ctx context.Context, first, interval time.Duration, what string, work func(context.Context) error) {
	wait := time.NewTimer(first)
	defer wait.Stop()
	select {
	case <-ctx.Done():
		return
	case <-wait.C:
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := work(ctx); err != nil && ctx.Err() == nil {
			slog.Warn(what, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// plannerStatistics is the content of sqlite_stat1, to tell whether an analysis changed it.
func plannerStatistics(ctx context.Context, db *sql.DB) (string, error) {
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'").Scan(&n); err != nil || n == 0 {
		return "", err
	}
	var stats string
	err := db.QueryRowContext(ctx, `SELECT coalesce(group_concat(tbl || ' ' || coalesce(idx, '') || ' ' || coalesce(stat, ''), char(10)), '')
		FROM (SELECT * FROM sqlite_stat1 ORDER BY tbl, idx)`).Scan(&stats)
	return stats, err
}

// ReloadPlannerStatistics has every connection to the database plan with the statistics now
// stored. A connection reads sqlite_stat1 when it loads the schema, and loads the schema again
// only when the schema changes: an ANALYZE on one connection leaves the others planning with what
// they read when they opened, for as long as they stay open (the read pool's connections, for the
// life of the process). A view created and dropped in one transaction changes the schema, so
// each connection reads the schema and the statistics again before its next statement.
func ReloadPlannerStatistics(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	for _, q := range []string{
		"CREATE VIEW securelink_reload_statistics AS SELECT 1",
		"DROP VIEW securelink_reload_statistics",
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("reload planner statistics: %w", err)
		}
	}
	return tx.Commit()
}

// dropPlannerSamples empties sqlite_stat4 (see refreshStatistics), when it has rows; the
// connection it runs on then plans with what is left (ANALYZE sqlite_schema), the others once
// the statistics are reloaded (ReloadPlannerStatistics).
func dropPlannerSamples(ctx context.Context, db *sql.DB) error {
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat4'").Scan(&n); err != nil || n == 0 {
		return err
	}
	if err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM sqlite_stat4)").Scan(&n); err != nil || n == 0 {
		return err
	}
	_, err := db.ExecContext(ctx, "DELETE FROM sqlite_stat4; ANALYZE sqlite_schema")
	return err
}

func (s *sqliteServer) checkpointOnce(ctx context.Context) error {
	var busy, logFrames, copied int64
	if err := s.checkpoint.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logFrames, &copied); err != nil {
		return err
	}
	s.checkpoints.Add(1)
	if logFrames < s.restartAfterFrames {
		return nil
	}
	// The bulk of the copying is done. The restart copies, with the writer held, whatever is still
	// uncopied, and the database file's sync then writes it to disk: on a disk writing 185 MB/s
	// each MB of WAL held every payer for about 5 ms (restarts held the writer 50-85 ms under load
	// with one pass). So passes without the writer go on until one finds little written since the
	// last, and the restart then takes the writer ahead of every waiting write, so that nothing more
	// is written meanwhile. Readers still on old frames are waited for only briefly: if one outlasts
	// that, the WAL goes on growing until the next second's try.
	for pass := 0; pass < sqliteCatchUpPasses; pass++ {
		before := logFrames
		if err := s.checkpoint.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logFrames, &copied); err != nil {
			return err
		}
		if logFrames-before < sqliteRestartTailFrames {
			break
		}
	}
	if err := s.syncFiles(); err != nil {
		return err
	}
	if err := s.queue.acquire(aheadOfAll(ctx)); err != nil {
		return err
	}
	defer s.queue.release()
	s.commitGroup()
	start := time.Now()
	conn, err := s.writer.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", sqliteRestartWaitMS)); err != nil {
		return err
	}
	err = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(RESTART)").Scan(&busy, &logFrames, &copied)
	if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA busy_timeout = %d", sqliteBusyTimeoutMS)); rerr != nil && err == nil {
		err = rerr
	}
	s.restartNanos.Add(int64(time.Since(start)))
	if err != nil {
		return err
	}
	if busy == 0 { // else a reader outlasted the wait: the WAL goes on until the next try
		s.restarts.Add(1)
	}
	return nil
}

// syncFiles writes to disk what the kernel still holds of the database file and the WAL, before
// the restart takes the writer. The restart's checkpoint syncs both files with the writer held, and
// under load those syncs took 5-20 ms (a restart copying 25 frames held every payer for 15 ms);
// synced here first, they leave the restart only what was written since (2-7 ms).
func (s *sqliteServer) syncFiles() error {
	if s.dbFile == nil {
		return nil
	}
	// The database file first: only checkpoints write it, so nothing is added meanwhile, while
	// payers go on writing the WAL.
	if err := s.dbFile.Sync(); err != nil {
		return fmt.Errorf("sync the database file: %w", err)
	}
	// SQLite holds no lock on the WAL file itself, so this descriptor may come and go.
	wal, err := os.Open(s.path + "-wal")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer wal.Close()
	if err := wal.Sync(); err != nil {
		return fmt.Errorf("sync the WAL: %w", err)
	}
	return nil
}

// SQLiteStats is what the embedded database's writer queue and checkpointer have done.
type SQLiteStats struct {
	WriteQueueStats
	Checkpoints int64
	// WALRestarts is how many times the WAL started over; RestartsHeld is how long the tries held the
	// writer, those that found a reader in the way included.
	WALRestarts  int64
	RestartsHeld time.Duration
	// Commits is how many write transactions committed, and CommittedWrites the transactions of
	// the store's callers they held (group commit).
	Commits, CommittedWrites int64
	// TokenIndexPasses is how many times the server mapped the link-token index's pages, and
	// TokenIndexPagesMapped and WALPagesMapped how many pages of it and of the WAL the last passes
	// held mapped (sqlitewarm.go).
	TokenIndexPasses, TokenIndexPagesMapped, WALPagesMapped int64
}

// SQLiteStats reports the writer queue and checkpoints; ok is false on PostgreSQL.
func (db *DB) SQLiteStats() (SQLiteStats, bool) {
	if db.sqlite == nil {
		return SQLiteStats{}, false
	}
	return SQLiteStats{WriteQueueStats: db.sqlite.queue.stats(), Checkpoints: db.sqlite.checkpoints.Load(),
		WALRestarts: db.sqlite.restarts.Load(), RestartsHeld: time.Duration(db.sqlite.restartNanos.Load()),
		Commits: db.sqlite.groupCommits.Load(), CommittedWrites: db.sqlite.groupedWrites.Load(),
		TokenIndexPasses: db.sqlite.indexPasses.Load(), TokenIndexPagesMapped: db.sqlite.indexPagesMapped.Load(),
		WALPagesMapped: db.sqlite.walPagesMapped.Load()}, true
}

// readOnlyStatement tells whether query only reads, so that it may run on a read-only connection.
// Anything else (including WITH, which may wrap a write) goes to the writer.
func readOnlyStatement(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	return len(q) >= 6 && strings.EqualFold(q[:6], "select")
}

// sqlitePool is the ConnPool GORM uses on SQLite: reads outside a transaction go to the read pool,
// everything else waits for the writer.
type sqlitePool struct{ s *sqliteServer }

var (
	_ gorm.ConnPool         = (*sqlitePool)(nil)
	_ gorm.ConnPoolBeginner = (*sqlitePool)(nil)
	_ gorm.GetDBConnector   = (*sqlitePool)(nil)
)

// GetDBConn is the writer, for migrations and gorm.DB.DB().
func (p *sqlitePool) GetDBConn() (*sql.DB, error) { return p.s.writer, nil }

func (p *sqlitePool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.s.writer.PrepareContext(ctx, query)
}

// writerTurn waits for the writer's turn for a statement of its own (the caller releases it),
// commits the group's transaction open before it and, the connection being free, prepares the
// statements last met inside transactions.
func (p *sqlitePool) writerTurn(ctx context.Context) error {
	if err := p.s.queue.acquire(ctx); err != nil {
		return err
	}
	p.s.commitGroup()
	p.s.writerStmts.prepareWanted(ctx)
	return nil
}

func (p *sqlitePool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := p.writerTurn(ctx); err != nil {
		return nil, err
	}
	defer p.s.queue.release()
	st, err := p.s.writerStmts.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// QueryContext runs a SELECT on a reader; a statement that writes (UPDATE … RETURNING) takes its
// turn at the writer. The turn ends when the statement has run: the rows it returns hold the
// connection, so the next write waits in database/sql until they are read, and only it waits there.
func (p *sqlitePool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if readOnlyStatement(query) {
		st, err := p.s.readerStmts.get(ctx, query)
		if err != nil {
			return nil, err
		}
		return st.QueryContext(ctx, args...)
	}
	if err := p.writerTurn(ctx); err != nil {
		return nil, err
	}
	defer p.s.queue.release()
	st, err := p.s.writerStmts.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (p *sqlitePool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if readOnlyStatement(query) {
		if st, err := p.s.readerStmts.get(ctx, query); err == nil {
			return st.QueryRowContext(ctx, args...)
		}
		return p.s.readers.QueryRowContext(ctx, query, args...) // reports why it could not be prepared
	}
	if err := p.writerTurn(ctx); err != nil {
		// *sql.Row carries no error of its own making: ask the writer with a dead context, which
		// returns a Row whose Scan reports it.
		dead, cancel := context.WithCancelCause(ctx)
		cancel(err)
		return p.s.writer.QueryRowContext(dead, query, args...)
	}
	defer p.s.queue.release()
	if st, err := p.s.writerStmts.get(ctx, query); err == nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.s.writer.QueryRowContext(ctx, query, args...)
}

// BeginTx waits for the writer and gives the write a savepoint of its own in the group's
// transaction (see writeGroup); the turn ends at commit or rollback.
func (p *sqlitePool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	if err := p.s.queue.acquire(ctx); err != nil {
		return nil, err
	}
	g, err := p.s.joinGroup(ctx, opts)
	if err != nil {
		p.s.endTurn()
		return nil, err
	}
	return &sqliteTx{s: p.s, g: g}, nil
}

// sqliteTx is one write of a group's transaction (its savepoint), holding the writer's turn. It
// runs the writer's prepared statements where it has them. Its statements run to the end even when
// the request's context ends meanwhile: SQLite answers an interrupted write by rolling back the
// whole transaction, which is also the writes before this one in the group.
type sqliteTx struct {
	s    *sqliteServer
	g    *writeGroup
	done bool
}

var (
	_ gorm.ConnPool    = (*sqliteTx)(nil)
	_ gorm.TxCommitter = (*sqliteTx)(nil)
)

func (t *sqliteTx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.g.tx.PrepareContext(context.WithoutCancel(ctx), query)
}

func (t *sqliteTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = context.WithoutCancel(ctx)
	if st := t.s.writerStmts.lookup(query); st != nil {
		return t.g.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	t.s.writerStmts.want(query)
	return t.g.tx.ExecContext(ctx, query, args...)
}

func (t *sqliteTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = context.WithoutCancel(ctx)
	if st := t.s.writerStmts.lookup(query); st != nil {
		return t.g.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	t.s.writerStmts.want(query)
	return t.g.tx.QueryContext(ctx, query, args...)
}

func (t *sqliteTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	ctx = context.WithoutCancel(ctx)
	if st := t.s.writerStmts.lookup(query); st != nil {
		return t.g.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	t.s.writerStmts.want(query)
	return t.g.tx.QueryRowContext(ctx, query, args...)
}

// Commit keeps the write in the group and returns once the group's transaction has committed.
func (t *sqliteTx) Commit() error {
	if t.done {
		return sql.ErrTxDone
	}
	t.done = true
	return t.s.endWrite(t.g, true)
}

// Rollback undoes the write alone; the group's other writes go on.
func (t *sqliteTx) Rollback() error {
	if t.done {
		return sql.ErrTxDone
	}
	t.done = true
	return t.s.endWrite(t.g, false)
}
