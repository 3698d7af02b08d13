package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The query planner's statistics of the embedded database, kept up to date without holding the
// writer. SQLite's own ANALYZE reads every index of a table inside a write transaction: at a
// million invoices it held the writer, and so every payer, for 4.7 s, and no checkpoint could
// restart the WAL meanwhile. So the counts are taken here on the read pool, one short read
// at a time while payers go on writing, and only the finished rows are written, in one background
// turn of the writer that lasts a few statements.

// plannerStat is one row of sqlite_stat1: index is empty for a table's own row count.
type plannerStat struct {
	table, index, stat string
}

// refreshStatistics brings the query planner's statistics up to date for the tables that need it,
// as SQLite advises a long-running server to do (PRAGMA optimize decides which: a table never
// analysed, or one that grew or shrank tenfold since), and keeps only the per-index statistics.
// The samples ANALYZE also collects (sqlite_stat4) let a bound value steer a statement's plan, so
// SQLite compiles every statement that touches a sampled index again each time it runs (it was an
// eighth of the server's CPU in a payment); the store's lookups are equalities on selective
// indexes, which the per-index statistics plan as well.
func (s *sqliteServer) refreshStatistics(ctx context.Context) error {
	tables, err := s.tablesToAnalyse(ctx)
	if err != nil || len(tables) == 0 {
		return err
	}
	var stats []plannerStat
	var byANALYZE []string // tables with an index these counts cannot reproduce
	for _, table := range tables {
		rows, ok, err := s.tableStatistics(ctx, table)
		if err != nil {
			return fmt.Errorf("statistics of %s: %w", table, err)
		}
		if !ok {
			byANALYZE = append(byANALYZE, table)
			continue
		}
		stats = append(stats, rows...)
	}

	if err := s.queue.acquire(InBackground(ctx)); err != nil {
		return err
	}
	defer s.queue.release()
	s.commitGroup()
	before, err := plannerStatistics(ctx, s.writer)
	if err != nil {
		return err
	}
	if err := writePlannerStatistics(ctx, s.writer, tables, byANALYZE, stats); err != nil {
		return err
	}
	if err := dropPlannerSamples(ctx, s.writer); err != nil {
		return err
	}
	after, err := plannerStatistics(ctx, s.writer)
	if err != nil || after == before {
		return err
	}
	return ReloadPlannerStatistics(ctx, s.writer)
}

// analyseStatement is a statement PRAGMA optimize would run: ANALYZE "schema"."table".
var analyseStatement = regexp.MustCompile(`^ANALYZE "((?:[^"]|"")+)"\."((?:[^"]|"")+)"$`)

// tablesToAnalyse asks SQLite which tables of the main database need new statistics, without
// analysing them (PRAGMA optimize's debug bit 0x1; 0x2: tables that would benefit; 0x10000: every
// table, not only those this connection queried; no 0x10 bit, so no analysis_limit: statistics
// from a bounded sample misjudge a leading merchant_id on a one-merchant database as selective,
// which made the text search plan 6× slower). It asks the writer, in a background turn: PRAGMA
// optimize takes the write lock even to only list the tables (a read-only connection gets
// SQLITE_READONLY, another one would wait in SQLite's busy handler for the writer), and it decides
// from the statistics the connection it runs on has loaded. Listing only reads each table's size
// from its b-tree's first pages.
func (s *sqliteServer) tablesToAnalyse(ctx context.Context) ([]string, error) {
	if err := s.queue.acquire(InBackground(ctx)); err != nil {
		return nil, err
	}
	defer s.queue.release()
	s.commitGroup()
	rows, err := s.writer.QueryContext(ctx, "PRAGMA optimize = 0x10003")
	if err != nil {
		return nil, fmt.Errorf("PRAGMA optimize: %w", err)
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var statement string
		if err := rows.Scan(&statement); err != nil {
			return nil, err
		}
		m := analyseStatement.FindStringSubmatch(strings.TrimSpace(statement))
		if m == nil || m[1] != "main" {
			continue // such as the closing ANALYZE sqlite_schema that reloads what was gathered
		}
		tables = append(tables, strings.ReplaceAll(m[2], `""`, `"`))
	}
	return tables, rows.Err()
}

// tableStatistics counts, on the read pool, what ANALYZE would write for table: for each index,
// its entries and, for each prefix of its key columns, how many entries share one value of it on
// average, rounded up (SQLite's formula); and the table's row count when no index covers every
// row. ok is false when an index is on an expression or compares with another collation than
// BINARY, which GROUP BY on the column would not reproduce.
func (s *sqliteServer) tableStatistics(ctx context.Context, table string) (stats []plannerStat, ok bool, err error) {
	type index struct {
		name, where string
		partial     bool
		columns     []string
	}
	var indexes []index
	var definitions []string // each partial index's CREATE INDEX statement
	list, err := s.readers.QueryContext(ctx, `SELECT l.name, l.partial, coalesce(m.sql, '')
		FROM pragma_index_list(?) l LEFT JOIN sqlite_schema m ON m.type = 'index' AND m.name = l.name`, table)
	if err != nil {
		return nil, false, err
	}
	for list.Next() {
		var ix index
		var definition string
		if err := list.Scan(&ix.name, &ix.partial, &definition); err != nil {
			list.Close()
			return nil, false, err
		}
		indexes = append(indexes, ix)
		definitions = append(definitions, definition)
	}
	list.Close()
	if err := list.Err(); err != nil {
		return nil, false, err
	}

	fullIndex := false
	for i := range indexes {
		ix := &indexes[i]
		if ix.columns, ok, err = s.indexColumns(ctx, ix.name); err != nil || !ok {
			return nil, false, err
		}
		if !ix.partial {
			fullIndex = true
			continue
		}
		where, found := partialIndexWhere(definitions[i])
		if !found {
			return nil, false, nil
		}
		ix.where = " WHERE " + where
	}

	count := func(q string) (int64, error) {
		var n int64
		err := s.readers.QueryRowContext(ctx, q).Scan(&n)
		if s.statisticsRead != nil {
			s.statisticsRead()
		}
		return n, err
	}
	from := quoteIdentifier(table)
	tableRows, err := count("SELECT count(*) FROM " + from)
	if err != nil {
		return nil, false, err
	}
	if !fullIndex && tableRows > 0 {
		stats = append(stats, plannerStat{table: table, stat: strconv.FormatInt(tableRows, 10)})
	}
	for _, ix := range indexes {
		scan := from + " INDEXED BY " + quoteIdentifier(ix.name) + ix.where
		entries := tableRows
		if ix.partial {
			if entries, err = count("SELECT count(*) FROM " + scan); err != nil {
				return nil, false, err
			}
		}
		if entries == 0 && !ix.partial {
			continue // as ANALYZE: nothing for the indexes of an empty table, zeros for an empty partial index
		}
		stat := []string{strconv.FormatInt(entries, 10)}
		for k := 1; k <= len(ix.columns); k++ {
			if entries == 0 { // a partial index that holds nothing yet
				stat = append(stat, "0")
				continue
			}
			distinct, err := count("SELECT count(*) FROM (SELECT 1 FROM " + scan + " GROUP BY " + strings.Join(ix.columns[:k], ", ") + ")")
			if err != nil {
				return nil, false, err
			}
			stat = append(stat, strconv.FormatInt(rowsPerKey(entries, distinct), 10))
		}
		stats = append(stats, plannerStat{table: table, index: ix.name, stat: strings.Join(stat, " ")})
	}
	return stats, true, nil
}

// indexColumns is the quoted key columns of an index, in order; ok is false when one is an
// expression or the rowid, or compares with another collation than BINARY.
func (s *sqliteServer) indexColumns(ctx context.Context, index string) (columns []string, ok bool, err error) {
	rows, err := s.readers.QueryContext(ctx, "SELECT cid, coalesce(name, ''), coalesce(coll, '') FROM pragma_index_xinfo(?) WHERE key ORDER BY seqno", index)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var cid int
		var name, coll string
		if err := rows.Scan(&cid, &name, &coll); err != nil {
			return nil, false, err
		}
		if cid < 0 || !strings.EqualFold(coll, "BINARY") {
			return nil, false, nil
		}
		columns = append(columns, quoteIdentifier(name))
	}
	return columns, true, rows.Err()
}

// rowsPerKey is how many of entries one value matches on average among distinct values, as
// ANALYZE writes it: rounded up, except that a little over one is one.
func rowsPerKey(entries, distinct int64) int64 {
	n := (entries + distinct - 1) / distinct
	if n == 2 && entries*10 <= distinct*11 {
		n = 1
	}
	return n
}

// writePlannerStatistics replaces the statistics of tables with stats, and has SQLite analyse the
// tables in byANALYZE itself. It runs on the writer, holding it.
func writePlannerStatistics(ctx context.Context, writer *sql.DB, tables, byANALYZE []string, stats []plannerStat) error {
	// Creates the statistics tables when there are none yet, and analyses nothing.
	if _, err := writer.ExecContext(ctx, "ANALYZE sqlite_schema"); err != nil {
		return err
	}
	tx, err := writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	for _, table := range tables {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sqlite_stat1 WHERE tbl = ?", table); err != nil {
			return err
		}
	}
	for _, st := range stats {
		var index any
		if st.index != "" {
			index = st.index
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", st.table, index, st.stat); err != nil {
			return err
		}
	}
	for _, table := range byANALYZE {
		if _, err := tx.ExecContext(ctx, "ANALYZE "+quoteIdentifier(table)); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	// The writer loads what it wrote: a connection reads the statistics when it loads the schema,
	// and one that changes the schema itself (ReloadPlannerStatistics) does not load it again.
	_, err = writer.ExecContext(ctx, "ANALYZE sqlite_schema")
	return err
}

// partialIndexWhere is the condition of a partial index, from its CREATE INDEX statement: what
// follows WHERE after the parenthesised list of columns.
func partialIndexWhere(definition string) (string, bool) {
	depth := 0
	var quote byte
	for i := 0; i < len(definition); i++ {
		c := definition[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0 // a doubled quote closes and opens again
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '[':
			quote = ']'
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth > 0 {
				continue
			}
			rest := strings.TrimSpace(definition[i+1:])
			if len(rest) <= len("WHERE") || !strings.EqualFold(rest[:len("WHERE")], "WHERE") {
				return "", false
			}
			if c := rest[len("WHERE")]; c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '(' {
				return "", false
			}
			return strings.TrimSpace(rest[len("WHERE"):]), true
		}
	}
	return "", false
}

// quoteIdentifier quotes an SQL identifier.
func quoteIdentifier(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
