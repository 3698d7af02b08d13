package store

import (
	"context"

	"gorm.io/gorm"
)

// Reading ahead of a write on the embedded database. One connection writes, so whatever a write
// waits for inside its turn, every write queued behind it waits for too. Most pages a payment
// writes are the newest of their tables and indexes, which every write reads; but a payment's
// claim finds its link by the link's token, which is random, so it lands on a leaf of the token
// index that no recent write has read. Once the kernel has taken that page out of its cache (some
// machines reclaim the cache of files nobody read for a minute), the claim reads it back from disk
// with the writer held. In a bench run at a million invoices the writer made 12,368 reads of that
// index during the payments' turns, 399 of them from disk, 387 ms in all, and every other index
// together far less. warmForWrite reads such pages on a reader first, outside the writer's turn,
// so that the write finds them in the kernel's cache. PostgreSQL needs none of it: each backend
// waits for its own reads, and a read ahead would cost a round trip.

// warmForWrite runs the read-only query t on one of the embedded database's readers and drops what
// it returns. It does nothing on PostgreSQL and inside a transaction the caller opened (that
// already holds the writer). A failed read ahead is ignored: the write that follows reads the same
// pages and reports its own errors.
func (db *DB) warmForWrite(ctx context.Context, t sqlText, args ...any) {
	if db.sqlite == nil {
		return
	}
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); inTx {
		return
	}
	st, err := db.sqlite.readerStmts.get(ctx, t.q)
	if err != nil {
		return
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return
	}
	for rows.Next() {
	}
	_ = rows.Close()
	db.sqlite.warmReads.Add(1)
}
