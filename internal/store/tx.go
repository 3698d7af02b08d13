package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// txKey carries the transaction a use case opened (InTx) to every store call made with its context.
type txKey struct{}

// InTx runs fn in one database transaction: every store call fn makes with the context it receives
// joins it, so an action and its audit-log row commit together or not at all. Nested calls join the
// outer transaction.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	err := db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// conn is the handle a store call uses: the caller's transaction when it runs inside InTx, otherwise
// the pool.
func (db *DB) conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	return db.Gorm.WithContext(ctx)
}
