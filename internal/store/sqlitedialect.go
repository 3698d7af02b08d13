package store

import (
	"errors"
	"strconv"

	"gorm.io/gorm"
	"gorm.io/gorm/callbacks"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/migrator"
	"gorm.io/gorm/schema"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteDialect is GORM's view of the embedded database. It only builds statements: connections
// come from sqlitePool, and the schema from the versioned migrations, so GORM's migrator is never
// asked to create anything. It exists so that the store runs on modernc.org/sqlite's driver, whose
// prepared statements keep their compiled program (see sqlitePool's statement cache).
type sqliteDialect struct{ pool gorm.ConnPool }

var (
	_ gorm.Dialector                     = sqliteDialect{}
	_ gorm.ErrorTranslator               = sqliteDialect{}
	_ gorm.SavePointerDialectorInterface = sqliteDialect{}
)

func (sqliteDialect) Name() string { return "sqlite" }

func (d sqliteDialect) Initialize(db *gorm.DB) error {
	db.ConnPool = d.pool
	// SQLite has had RETURNING since 3.35; the driver's library is far newer.
	callbacks.RegisterDefaultCallbacks(db, &callbacks.Config{
		CreateClauses:        []string{"INSERT", "VALUES", "ON CONFLICT", "RETURNING"},
		UpdateClauses:        []string{"UPDATE", "SET", "FROM", "WHERE", "RETURNING"},
		DeleteClauses:        []string{"DELETE", "FROM", "WHERE", "RETURNING"},
		LastInsertIDReversed: true,
	})
	// SQLite has no LIMIT-less OFFSET (LIMIT -1 means none) and no row locks (its writer is one).
	db.ClauseBuilders["LIMIT"] = func(c clause.Clause, b clause.Builder) {
		l, ok := c.Expression.(clause.Limit)
		if !ok {
			c.Build(b)
			return
		}
		n := -1
		if l.Limit != nil && *l.Limit >= 0 {
			n = *l.Limit
		}
		if n >= 0 || l.Offset > 0 {
			b.WriteString("LIMIT " + strconv.Itoa(n))
		}
		if l.Offset > 0 {
			b.WriteString(" OFFSET " + strconv.Itoa(l.Offset))
		}
	}
	db.ClauseBuilders["FOR"] = func(c clause.Clause, b clause.Builder) {
		if _, ok := c.Expression.(clause.Locking); ok {
			return
		}
		c.Build(b)
	}
	return nil
}

func (d sqliteDialect) Migrator(db *gorm.DB) gorm.Migrator {
	return migrator.Migrator{Config: migrator.Config{DB: db, Dialector: d}}
}

func (sqliteDialect) DefaultValueOf(*schema.Field) clause.Expression {
	return clause.Expr{SQL: "NULL"}
}

func (sqliteDialect) BindVarTo(w clause.Writer, _ *gorm.Statement, _ any) { w.WriteByte('?') }

// QuoteTo quotes an identifier (a.b as "a"."b"); the store's names never hold quotes themselves.
func (sqliteDialect) QuoteTo(w clause.Writer, name string) {
	w.WriteByte('"')
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '.':
			w.WriteString(`"."`)
		case '"':
			w.WriteString(`""`)
		default:
			w.WriteByte(name[i])
		}
	}
	w.WriteByte('"')
}

func (sqliteDialect) Explain(sql string, vars ...any) string {
	return logger.ExplainSQL(sql, nil, `'`, vars...)
}

func (sqliteDialect) DataTypeOf(f *schema.Field) string {
	switch f.DataType {
	case schema.Bool, schema.Int, schema.Uint:
		return "integer"
	case schema.Float:
		return "real"
	case schema.String:
		return "text"
	case schema.Time:
		return "datetime"
	case schema.Bytes:
		return "blob"
	}
	return string(f.DataType)
}

func (sqliteDialect) SavePoint(tx *gorm.DB, name string) error {
	return tx.Exec("SAVEPOINT " + name).Error
}

func (sqliteDialect) RollbackTo(tx *gorm.DB, name string) error {
	return tx.Exec("ROLLBACK TO SAVEPOINT " + name).Error
}

// Translate turns SQLite's constraint failures into GORM's error kinds.
func (sqliteDialect) Translate(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return gorm.ErrDuplicatedKey
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return gorm.ErrForeignKeyViolated
	}
	return err
}
