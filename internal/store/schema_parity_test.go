package store_test

import (
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// dialectOnlyIndexes are indexes one dialect has on purpose, with the reason.
var dialectOnlyIndexes = map[string]string{
	// PostgreSQL's trigram index for invoice search; SQLite has no trigram index and scans.
	"invoice_search.invoice_search_text": store.DialectPostgres,
}

// schema describes a migrated database: "table.column" → "null"/"not null", and
// "table.index" → "unique (a, b)" or "(a, b)".
type schema struct {
	columns map[string]string
	indexes map[string]string
}

func querySchema(t *testing.T, db *sql.DB, dialect string) schema {
	t.Helper()
	s := schema{columns: map[string]string{}, indexes: map[string]string{}}
	rows := func(q string, args ...any) [][]string {
		r, err := db.Query(q, args...)
		if err != nil {
			t.Fatalf("%s: %s: %v", dialect, q, err)
		}
		defer r.Close()
		cols, _ := r.Columns()
		var out [][]string
		for r.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.Scan(ptrs...); err != nil {
				t.Fatalf("%s: scan: %v", dialect, err)
			}
			row := make([]string, len(cols))
			for i, v := range vals {
				row[i] = v.String
			}
			out = append(out, row)
		}
		if err := r.Err(); err != nil {
			t.Fatalf("%s: %v", dialect, err)
		}
		return out
	}
	nullness := func(notNull bool) string {
		if notNull {
			return "not null"
		}
		return "null"
	}
	switch dialect {
	case store.DialectSQLite:
		for _, tbl := range rows(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version'`) {
			name := tbl[0]
			// A primary key column is never null in PostgreSQL; SQLite reports it as nullable unless declared.
			for _, c := range rows(`SELECT name, "notnull", pk FROM pragma_table_info(?)`, name) {
				s.columns[name+"."+c[0]] = nullness(c[1] == "1" || c[2] != "0")
			}
			// Only indexes made by CREATE INDEX (origin c): constraint indexes have generated names.
			for _, ix := range rows(`SELECT name, "unique" FROM pragma_index_list(?) WHERE origin = 'c'`, name) {
				var cols []string
				for _, c := range rows(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, ix[0]) {
					cols = append(cols, c[0])
				}
				s.indexes[name+"."+ix[0]] = indexShape(ix[1] == "1", cols)
			}
		}
	case store.DialectPostgres:
		for _, c := range rows(`SELECT table_name, column_name, is_nullable FROM information_schema.columns
			WHERE table_schema = 'public' AND table_name <> 'goose_db_version'`) {
			s.columns[c[0]+"."+c[1]] = nullness(c[2] == "NO")
		}
		// Indexes that back no constraint (primary keys and UNIQUE constraints have generated names).
		for _, ix := range rows(`SELECT t.relname, i.relname, x.indisunique,
				array_to_string(ARRAY(SELECT pg_get_indexdef(x.indexrelid, k + 1, true) FROM generate_subscripts(x.indkey, 1) AS k ORDER BY k), ',')
			FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
			JOIN pg_namespace n ON n.oid = t.relnamespace
			WHERE n.nspname = 'public' AND t.relname <> 'goose_db_version'
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`) {
			s.indexes[ix[0]+"."+ix[1]] = indexShape(ix[2] == "true", strings.Split(ix[3], ","))
		}
	}
	return s
}

func indexShape(unique bool, cols []string) string {
	shape := "(" + strings.Join(cols, ", ") + ")"
	if unique {
		return "unique " + shape
	}
	return shape
}

// diff lists what a has that b lacks or has otherwise.
func diff(what string, a, b map[string]string, aName, bName string, skip func(string) bool) []string {
	var out []string
	for k, v := range a {
		if skip != nil && skip(k) {
			continue
		}
		switch w, ok := b[k]; {
		case !ok:
			out = append(out, fmt.Sprintf("%s %s only in %s", what, k, aName))
		case w != v && aName < bName:
			out = append(out, fmt.Sprintf("%s %s: %s %s, %s %s", what, k, aName, v, bName, w))
		}
	}
	return out
}

// TestSchemaParity migrates both dialects and compares their tables, columns, nullability and
// indexes by name, so a migration written for one dialect only fails here.
func TestSchemaParity(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	lite := querySchema(t, storetest.New(t, store.DialectSQLite).SQL, store.DialectSQLite)
	pg := querySchema(t, storetest.New(t, store.DialectPostgres).SQL, store.DialectPostgres)
	if len(lite.columns) == 0 || len(pg.columns) == 0 {
		t.Fatalf("no columns read: sqlite %d, postgres %d", len(lite.columns), len(pg.columns))
	}
	onlyIn := func(dialect string) func(string) bool {
		return func(k string) bool { return dialectOnlyIndexes[k] == dialect }
	}
	var problems []string
	problems = append(problems, diff("column", lite.columns, pg.columns, "sqlite", "postgres", nil)...)
	problems = append(problems, diff("column", pg.columns, lite.columns, "postgres", "sqlite", nil)...)
	problems = append(problems, diff("index", lite.indexes, pg.indexes, "sqlite", "postgres", onlyIn(store.DialectSQLite))...)
	problems = append(problems, diff("index", pg.indexes, lite.indexes, "postgres", "sqlite", onlyIn(store.DialectPostgres))...)
	for k, d := range dialectOnlyIndexes {
		if _, ok := map[string]schema{store.DialectSQLite: lite, store.DialectPostgres: pg}[d].indexes[k]; !ok {
			problems = append(problems, fmt.Sprintf("index %s is listed as %s-only but %s lacks it", k, d, d))
		}
	}
	slices.Sort(problems)
	if len(problems) > 0 {
		t.Errorf("the dialects' schemas differ:\n%s", strings.Join(problems, "\n"))
	}
	keys := make([]string, 0, len(pg.indexes))
	for k := range pg.indexes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t.Logf("%d columns, %d indexes compared", len(pg.columns), len(keys))
}
