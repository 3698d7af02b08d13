package store

import (
	"context"
	"fmt"
)

// sqlitePurgeRowsPerWrite bounds the rows one of purge's deletes takes on SQLite: 500 request-log
// entries took 1.5 ms on a quiet machine.
const sqlitePurgeRowsPerWrite = 250

// purge deletes the rows of table that match where and returns how many it deleted. The hourly
// purges can find a day's rows at once (a busy merchant's idempotency keys and request logs): on
// PostgreSQL one DELETE, which holds no lock a payer waits for; on SQLite every payer waits for the
// one writer while a statement holds it, so there the rows go in deletes of at most
// sqlitePurgeRowsPerWrite, the first waiting as background work and the rest with the requests.
func (db *DB) purge(ctx context.Context, table, where string, args ...any) (int64, error) {
	if db.sqlite == nil {
		res := db.conn(ctx).Exec("DELETE FROM "+table+" WHERE "+where, args...)
		if res.Error != nil {
			return 0, fmt.Errorf("store: purge %s: %w", table, res.Error)
		}
		return res.RowsAffected, nil
	}
	q := fmt.Sprintf("DELETE FROM %[1]s WHERE rowid IN (SELECT rowid FROM %[1]s WHERE %[2]s LIMIT %[3]d)", table, where, sqlitePurgeRowsPerWrite)
	var total int64
	for later := inArrivalOrder(ctx); ; ctx = later {
		res := db.conn(ctx).Exec(q, args...)
		if res.Error != nil {
			return total, fmt.Errorf("store: purge %s: %w", table, res.Error)
		}
		total += res.RowsAffected
		if res.RowsAffected < sqlitePurgeRowsPerWrite {
			return total, nil
		}
	}
}
