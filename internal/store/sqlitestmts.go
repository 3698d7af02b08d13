package store

import (
	"container/list"
	"context"
	"database/sql"
	"sync"
)

// sqliteStmtCacheSize is how many statements each of the embedded database's handles keeps
// prepared. The store sends a few dozen distinct statements; lists with IN (…) of varying length
// add more, and the least recently used make room for them.
const sqliteStmtCacheSize = 256

// stmtCache keeps one handle's statements prepared, by query text. Compiling a statement is a large
// part of what a short SQLite statement costs, and the driver only keeps the compiled program of
// a prepared statement.
//
// A statement is prepared with the handle itself, which needs one of its connections free. On the
// writer, whose one connection a transaction holds, a statement first met inside a transaction runs
// unprepared and is remembered; the next time the writer is free (prepareWanted, at the start of the
// next write turn) it is prepared. Inside a transaction a prepared statement is then reused through
// Tx.StmtContext, which finds it already compiled on the writer's connection.
type stmtCache struct {
	db  *sql.DB
	max int

	mu     sync.Mutex
	lru    *list.List // of *cachedStmt, most recently used first
	byText map[string]*list.Element
	wanted map[string]struct{}
}

type cachedStmt struct {
	query string
	stmt  *sql.Stmt
}

func newStmtCache(db *sql.DB, max int) *stmtCache {
	return &stmtCache{db: db, max: max, lru: list.New(), byText: map[string]*list.Element{}, wanted: map[string]struct{}{}}
}

// lookup is the prepared statement of query, or nil.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byText[query]; ok {
		c.lru.MoveToFront(e)
		return e.Value.(*cachedStmt).stmt
	}
	return nil
}

// get is query's prepared statement, preparing it on a miss. The handle must have a connection to
// spare (not the writer inside a transaction).
func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	if st := c.lookup(query); st != nil {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return c.add(query, st), nil
}

// add keeps st for query (or the one another caller kept first) and closes what falls out.
func (c *stmtCache) add(query string, st *sql.Stmt) *sql.Stmt {
	c.mu.Lock()
	if e, ok := c.byText[query]; ok {
		c.mu.Unlock()
		st.Close()
		return e.Value.(*cachedStmt).stmt
	}
	delete(c.wanted, query)
	c.byText[query] = c.lru.PushFront(&cachedStmt{query: query, stmt: st})
	var evicted []*sql.Stmt
	for c.lru.Len() > c.max {
		old := c.lru.Remove(c.lru.Back()).(*cachedStmt)
		delete(c.byText, old.query)
		evicted = append(evicted, old.stmt)
	}
	c.mu.Unlock()
	// database/sql closes a statement only once the rows read through it are closed.
	for _, s := range evicted {
		s.Close()
	}
	return st
}

// want remembers query for prepareWanted.
func (c *stmtCache) want(query string) {
	c.mu.Lock()
	if len(c.wanted) < c.max {
		c.wanted[query] = struct{}{}
	}
	c.mu.Unlock()
}

// prepareWanted prepares the statements first met inside a transaction. The caller holds the
// writer's turn outside a transaction, so the connection is free. A statement that fails to prepare
// is forgotten: it will fail again, and report why, where it runs.
func (c *stmtCache) prepareWanted(ctx context.Context) {
	c.mu.Lock()
	if len(c.wanted) == 0 {
		c.mu.Unlock()
		return
	}
	queries := make([]string, 0, len(c.wanted))
	for q := range c.wanted {
		queries = append(queries, q)
	}
	clear(c.wanted)
	c.mu.Unlock()
	for _, q := range queries {
		if st, err := c.db.PrepareContext(ctx, q); err == nil {
			c.add(q, st)
		}
	}
}

// close closes every kept statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for e := c.lru.Front(); e != nil; e = e.Next() {
		e.Value.(*cachedStmt).stmt.Close()
	}
	c.lru.Init()
	clear(c.byText)
}
