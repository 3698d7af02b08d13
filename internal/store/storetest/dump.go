package storetest

import (
	"database/sql"
	"fmt"
	"testing"

	"securelink/internal/store"
)

// Cell is one value of one row: where it was (table.column) and its text.
type Cell struct{ Where, Value string }

// TextValues reads every column of every row of every table, as text, so a test can prove what a
// database does not hold (card numbers, NUL bytes).
func TextValues(t testing.TB, db *store.DB) []Cell {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table'"
	if db.Dialect == store.DialectPostgres {
		q = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
	}
	var tables []string
	rows, err := db.SQL.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	var out []Cell
	for _, table := range tables {
		out = append(out, tableValues(t, db.SQL, table)...)
	}
	return out
}

func tableValues(t testing.TB, db *sql.DB, table string) []Cell {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM "` + table + `"`)
	if err != nil {
		t.Fatalf("scan %s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []Cell
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			var s string
			switch x := v.(type) {
			case nil:
				continue
			case []byte:
				s = string(x)
			default:
				s = fmt.Sprint(x)
			}
			out = append(out, Cell{Where: table + "." + cols[i], Value: s})
		}
	}
	return out
}
