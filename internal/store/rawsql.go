package store

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm/schema"
)

// A payment's statements are written in SQL, once for both dialects, instead of being built by
// GORM on every call: building them (reflection over each row's columns, the update maps, the
// callbacks) took a sixth of the server's CPU per payment. Row inserts still take their columns
// from the row type's GORM schema, so a column added to the type is written without a second list
// to keep in step.

// sqlText is a statement with ? placeholders and its PostgreSQL spelling ($1, $2, …).
type sqlText struct{ q, pg string }

// sqlOf spells q for both dialects. q holds no ? other than its placeholders.
func sqlOf(q string) sqlText {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return sqlText{q: q, pg: b.String()}
}

// in is the statement as the dialect spells it.
func (t sqlText) in(dialect string) string {
	if dialect == DialectPostgres {
		return t.pg
	}
	return t.q
}

// spelled caches sqlOf of statements put together at run time from constant parts.
var spelled sync.Map

// cachedSQL is sqlOf(q), spelled once per distinct q.
func cachedSQL(q string) sqlText {
	if t, ok := spelled.Load(q); ok {
		return t.(sqlText)
	}
	t := sqlOf(q)
	spelled.Store(q, t)
	return t
}

// rowInsert inserts rows of one type with every column of its GORM schema.
type rowInsert struct {
	table   string
	columns string
	// columnNames are the columns unquoted, for COPY.
	columnNames []string
	fields      []*schema.Field
	// texts caches the statement per number of rows.
	texts sync.Map
}

// insertOf reads a row type's schema once; it panics on a type GORM cannot map, which the first
// test of the store finds.
func insertOf(row interface{ TableName() string }) *rowInsert {
	s, err := schema.Parse(row, &scannedSchemas, schema.NamingStrategy{})
	if err != nil {
		panic(fmt.Sprintf("store: schema of %T: %v", row, err))
	}
	ri := &rowInsert{table: row.TableName()}
	names := make([]string, 0, len(s.Fields))
	for _, f := range s.Fields {
		if f.DBName == "" || !f.Creatable {
			continue
		}
		ri.fields = append(ri.fields, f)
		ri.columnNames = append(ri.columnNames, f.DBName)
		names = append(names, `"`+f.DBName+`"`)
	}
	ri.columns = strings.Join(names, ",")
	return ri
}

// statement is the INSERT of n rows with their arguments. Zero CreatedAt and UpdatedAt are set to
// now, as GORM's Create sets them.
func (ri *rowInsert) statement(rows []reflect.Value, now time.Time) (sqlText, []any) {
	n := len(rows)
	t, ok := ri.texts.Load(n)
	if !ok {
		one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(ri.fields)), ",") + ")"
		t = sqlOf("INSERT INTO " + ri.table + " (" + ri.columns + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+",", n), ","))
		ri.texts.Store(n, t)
	}
	args := make([]any, 0, n*len(ri.fields))
	for _, rv := range rows {
		args = ri.appendValues(args, rv, now)
	}
	return t.(sqlText), args
}

// appendValues appends the row's values in the insert's column order. Zero CreatedAt and UpdatedAt
// are now, as GORM's Create sets them.
func (ri *rowInsert) appendValues(args []any, rv reflect.Value, now time.Time) []any {
	ctx := context.Background()
	for _, f := range ri.fields {
		v, zero := f.ValueOf(ctx, rv)
		if zero && (f.AutoCreateTime > 0 || f.AutoUpdateTime > 0) && f.FieldType == reflect.TypeOf(time.Time{}) {
			v = now
		}
		args = append(args, v)
	}
	return args
}

// statementOf is statement over a slice of rows of the inserted type.
func statementOf[Row any](ri *rowInsert, rows []Row, now time.Time) (sqlText, []any) {
	values := make([]reflect.Value, len(rows))
	for i := range rows {
		values[i] = reflect.ValueOf(rows[i])
	}
	return ri.statement(values, now)
}

// insertOne is the INSERT of one row (a pointer to it or the row itself).
func (ri *rowInsert) insertOne(row any, now time.Time) (sqlText, []any) {
	return ri.statement([]reflect.Value{reflect.Indirect(reflect.ValueOf(row))}, now)
}
