package store_test

import (
	"context"
	"testing"
	"time"

	"securelink/internal/store"
)

// E-mails stored as their messages have no text until they are rendered, which SQL cannot do:
// undoing the migration that brought messages is refused while one exists, and works once none do.
func TestEmailMessagesMigrationRefusesToLoseText(t *testing.T) {
	const beforeMessages, messages = 25, 26
	atVersion(t, messages, func(t *testing.T, ctx context.Context, db *store.DB) {
		at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
		if err := db.Gorm.Exec(`INSERT INTO emails (id, merchant_id, kind, to_addr, subject, text_body, html_body, message, locale, status, created_at, updated_at)
				VALUES ('em_1', 'mer_1', 'receipt', 'ana@example.com', 'Receipt', '', '', '{"kind":"receipt","locale":"en"}', 'en', 'held', ?, ?)`, at, at).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.MigrateTo(ctx, beforeMessages); err == nil {
			t.Fatal("the migration was undone while an e-mail had only its message")
		}
		var kept int64
		if err := db.Gorm.Raw("SELECT count(*) FROM emails WHERE message <> ''").Scan(&kept).Error; err != nil || kept != 1 {
			t.Fatalf("after the refusal: %d e-mails with a message (%v), want 1", kept, err)
		}
		if err := db.Gorm.Exec("DELETE FROM emails").Error; err != nil {
			t.Fatal(err)
		}
		if err := db.MigrateTo(ctx, beforeMessages); err != nil {
			t.Fatalf("undoing the migration with no e-mail stored as a message: %v", err)
		}
		if err := db.MigrateTo(ctx, messages); err != nil {
			t.Fatal(err)
		}
	})
}
