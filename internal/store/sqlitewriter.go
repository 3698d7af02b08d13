package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
)

// SQLite as a server database. SQLite lets one connection write at a time; readers in WAL mode never
// wait for it. So the embedded database is opened as:
//
//   - one writer connection that writes reach through writeQueue, in arrival order, each giving up
//     with its request's context, background jobs in a lane of their own that yields to requests;
//   - a pool of read-only connections (query_only) that plain SELECTs outside a transaction use;
//   - checkpoints run by a background goroutine on a connection of their own (PASSIVE: they never
//     take the writer lock), never by a payer's commit (wal_autocheckpoint is off on the writer).
//
// sqlitePool routes each statement; GORM sees one ConnPool, so the store code is the same for both
// dialects. Network calls never run inside a write transaction (the PSP is called between them), so
// the writer is held only for the statements themselves.

// SQLite settings of the embedded database.
const (
	// sqliteBusyTimeoutMS only matters when another process (such as `securelink migrate`) writes
	// the same file: within this process writes queue in Go and never meet SQLite's busy handler.
	sqliteBusyTimeoutMS = 10_000
	// sqliteJournalSizeLimit truncates the WAL back to this size when it restarts.
	sqliteJournalSizeLimit = 64 << 20
	// SQLiteCheckpointEvery is how often the checkpointer copies the WAL into the database file.
	SQLiteCheckpointEvery = time.Second
	// sqliteTruncateAbove is the WAL size past which the checkpointer also truncates it, taking its
	// turn in the background lane of the writer queue.
	sqliteTruncateAbove = 256 << 20
	// sqliteJobMaxWait is the longest a background write yields to requests' writes.
	sqliteJobMaxWait = 50 * time.Millisecond
)

// sqliteDSN is the driver's DSN for path with the pragmas every connection gets, plus extra.
func sqliteDSN(path string, extra ...string) string {
	q := []string{
		fmt.Sprintf("_pragma=busy_timeout(%d)", sqliteBusyTimeoutMS),
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(NORMAL)",
	}
	return "file:" + path + "?" + strings.Join(append(q, extra...), "&")
}

// sqliteServer is the embedded database's connections and its checkpointer.
type sqliteServer struct {
	path       string
	writer     *sql.DB // one connection
	readers    *sql.DB // query_only connections
	checkpoint *sql.DB // one connection for PASSIVE checkpoints
	queue      *writeQueue

	stop        context.CancelFunc
	done        chan struct{}
	checkpoints atomic.Int64
	closeOnce   sync.Once
}

// openSQLite opens the writer, the read pool and the checkpointer on the SQLite file at path.
func openSQLite(path string, cfg *gorm.Config) (*gorm.DB, *sqliteServer, error) {
	// The writer first: it puts the file in WAL mode before any reader opens it. _txlock=immediate:
	// a transaction takes the write lock at BEGIN, so nothing can make it fail half-way for
	// another process's writer.
	writer, err := sql.Open(sqlite.DriverName, sqliteDSN(path, "_pragma=journal_mode(WAL)", "_pragma=wal_autocheckpoint(0)",
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
	readers, err := sql.Open(sqlite.DriverName, sqliteDSN(path, "_pragma=query_only(1)"))
	if err != nil {
		writer.Close()
		return nil, nil, err
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	readers.SetMaxOpenConns(n)
	readers.SetMaxIdleConns(n)
	checkpoint, err := sql.Open(sqlite.DriverName, sqliteDSN(path))
	if err != nil {
		writer.Close()
		readers.Close()
		return nil, nil, err
	}
	checkpoint.SetMaxOpenConns(1)

	s := &sqliteServer{path: path, writer: writer, readers: readers, checkpoint: checkpoint,
		queue: &writeQueue{jobMaxWait: sqliteJobMaxWait}, done: make(chan struct{})}
	g, err := gorm.Open(&sqlite.Dialector{Conn: &sqlitePool{s: s}}, cfg)
	if err != nil {
		s.close()
		return nil, nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	s.stop = stop
	go s.checkpointLoop(ctx)
	return g, s, nil
}

// close stops the checkpointer and closes every connection.
func (s *sqliteServer) close() error {
	var err error
	s.closeOnce.Do(func() {
		if s.stop != nil {
			s.stop()
			<-s.done
		}
		err = errors.Join(s.checkpoint.Close(), s.readers.Close(), s.writer.Close())
	})
	return err
}

// checkpointLoop copies committed pages from the WAL into the database file every
// SQLiteCheckpointEvery. PASSIVE never waits for a lock: writers and readers go on meanwhile, and
// once everything is copied the next write starts the WAL again from its beginning. Only when the
// WAL has grown past sqliteTruncateAbove (readers kept it from restarting) is it truncated, in the
// background lane of the writer queue.
func (s *sqliteServer) checkpointLoop(ctx context.Context) {
	defer close(s.done)
	t := time.NewTicker(SQLiteCheckpointEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := s.checkpointOnce(ctx); err != nil && ctx.Err() == nil {
			slog.Warn("sqlite checkpoint", "err", err)
		}
	}
}

func (s *sqliteServer) checkpointOnce(ctx context.Context) error {
	var busy, logFrames, copied int64
	if err := s.checkpoint.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logFrames, &copied); err != nil {
		return err
	}
	s.checkpoints.Add(1)
	fi, err := os.Stat(s.path + "-wal")
	if err != nil || fi.Size() < sqliteTruncateAbove {
		return nil
	}
	bg := InBackground(ctx)
	if err := s.queue.acquire(bg); err != nil {
		return err
	}
	defer s.queue.release()
	return s.writer.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &copied)
}

// SQLiteStats is what the embedded database's writer queue and checkpointer have done.
type SQLiteStats struct {
	WriteQueueStats
	Checkpoints int64
}

// SQLiteStats reports the writer queue and checkpoints; ok is false on PostgreSQL.
func (db *DB) SQLiteStats() (SQLiteStats, bool) {
	if db.sqlite == nil {
		return SQLiteStats{}, false
	}
	return SQLiteStats{WriteQueueStats: db.sqlite.queue.stats(), Checkpoints: db.sqlite.checkpoints.Load()}, true
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

func (p *sqlitePool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := p.s.queue.acquire(ctx); err != nil {
		return nil, err
	}
	defer p.s.queue.release()
	return p.s.writer.ExecContext(ctx, query, args...)
}

// QueryContext runs a SELECT on a reader; a statement that writes (UPDATE … RETURNING) takes its
// turn at the writer. The turn ends when the statement has run: the rows it returns hold the
// connection, so the next write waits in database/sql until they are read, and only it waits there.
func (p *sqlitePool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if readOnlyStatement(query) {
		return p.s.readers.QueryContext(ctx, query, args...)
	}
	if err := p.s.queue.acquire(ctx); err != nil {
		return nil, err
	}
	defer p.s.queue.release()
	return p.s.writer.QueryContext(ctx, query, args...)
}

func (p *sqlitePool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if readOnlyStatement(query) {
		return p.s.readers.QueryRowContext(ctx, query, args...)
	}
	if err := p.s.queue.acquire(ctx); err != nil {
		// *sql.Row carries no error of its own making: ask the writer with a dead context, which
		// returns a Row whose Scan reports it.
		dead, cancel := context.WithCancelCause(ctx)
		cancel(err)
		return p.s.writer.QueryRowContext(dead, query, args...)
	}
	defer p.s.queue.release()
	return p.s.writer.QueryRowContext(ctx, query, args...)
}

// BeginTx waits for the writer and starts a transaction on it; the turn ends at commit or rollback.
func (p *sqlitePool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	if err := p.s.queue.acquire(ctx); err != nil {
		return nil, err
	}
	tx, err := p.s.writer.BeginTx(ctx, opts)
	if err != nil {
		p.s.queue.release()
		return nil, err
	}
	return &sqliteTx{Tx: tx, release: p.s.queue.release}, nil
}

// sqliteTx is a write transaction holding the writer's turn.
type sqliteTx struct {
	*sql.Tx
	release func()
	once    sync.Once
}

var (
	_ gorm.ConnPool    = (*sqliteTx)(nil)
	_ gorm.TxCommitter = (*sqliteTx)(nil)
)

func (t *sqliteTx) Commit() error {
	defer t.once.Do(t.release)
	return t.Tx.Commit()
}

func (t *sqliteTx) Rollback() error {
	defer t.once.Do(t.release)
	return t.Tx.Rollback()
}
