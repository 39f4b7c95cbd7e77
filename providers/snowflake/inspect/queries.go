package inspect

import (
	"database/sql"
	"fmt"
	"strings"

	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

// Each query reads one INFORMATION_SCHEMA view of the database (%s is the
// quoted database name). Columns are those documented at
// https://docs.snowflake.com/en/sql-reference/info-schema; FILE_FORMATS is
// read for identity and type only (its option columns are not compared:
// pgsnow recognises its own formats by the DDL hash in the state).
const (
	qSchemata    = `SELECT SCHEMA_NAME, IS_TRANSIENT, COMMENT FROM %s.INFORMATION_SCHEMA.SCHEMATA ORDER BY SCHEMA_NAME`
	qTables      = `SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, IS_TRANSIENT, ROW_COUNT, BYTES, COMMENT FROM %s.INFORMATION_SCHEMA.TABLES ORDER BY TABLE_SCHEMA, TABLE_NAME`
	qColumns     = `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, IS_IDENTITY, COMMENT FROM %s.INFORMATION_SCHEMA.COLUMNS ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`
	qSequences   = `SELECT SEQUENCE_SCHEMA, SEQUENCE_NAME, START_VALUE, INCREMENT, NEXT_VALUE, COMMENT FROM %s.INFORMATION_SCHEMA.SEQUENCES ORDER BY SEQUENCE_SCHEMA, SEQUENCE_NAME`
	qViews       = `SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION, IS_SECURE, COMMENT FROM %s.INFORMATION_SCHEMA.VIEWS ORDER BY TABLE_SCHEMA, TABLE_NAME`
	qConstraints = `SELECT TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE FROM %s.INFORMATION_SCHEMA.TABLE_CONSTRAINTS ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME`
	qStages      = `SELECT STAGE_SCHEMA, STAGE_NAME, STAGE_TYPE, STAGE_URL, COMMENT FROM %s.INFORMATION_SCHEMA.STAGES ORDER BY STAGE_SCHEMA, STAGE_NAME`
	qFileFormats = `SELECT FILE_FORMAT_SCHEMA, FILE_FORMAT_NAME, FILE_FORMAT_TYPE, COMMENT FROM %s.INFORMATION_SCHEMA.FILE_FORMATS ORDER BY FILE_FORMAT_SCHEMA, FILE_FORMAT_NAME`
)

// Queries are the statements Inspect runs for database db, in order.
func Queries(db string) []string {
	q := ident.Quote(db)
	var out []string
	for _, s := range []string{qSchemata, qTables, qColumns, qSequences, qViews, qConstraints, qStages, qFileFormats} {
		out = append(out, fmt.Sprintf(s, q))
	}
	return out
}

// Rows read from each view; nullable cells are sql.Null*. Tests build
// these by hand to check the mapping without a server.
type (
	SchemaRow struct {
		Name      string
		Transient sql.NullString
		Comment   sql.NullString
	}
	TableRow struct {
		Schema, Name, Type string
		Transient          sql.NullString
		RowCount, Bytes    sql.NullInt64
		Comment            sql.NullString
	}
	ColumnRow struct {
		Schema, Table, Name string
		Position            int64
		Default             sql.NullString
		Nullable            string
		DataType            string
		Length              sql.NullInt64
		Precision, Scale    sql.NullInt64
		DatetimePrecision   sql.NullInt64
		Identity            sql.NullString
		Comment             sql.NullString
	}
	SequenceRow struct {
		Schema, Name           string
		Start, Increment, Next sql.NullString
		Comment                sql.NullString
	}
	ViewRow struct {
		Schema, Name string
		Definition   sql.NullString
		Secure       sql.NullString
		Comment      sql.NullString
	}
	ConstraintRow struct {
		Schema, Table, Name, Type string
	}
	StageRow struct {
		Schema, Name string
		Type, URL    sql.NullString
		Comment      sql.NullString
	}
	FileFormatRow struct {
		Schema, Name string
		Type         sql.NullString
		Comment      sql.NullString
	}
)

// Rows are everything the queries returned.
type Rows struct {
	Schemata    []SchemaRow
	Tables      []TableRow
	Columns     []ColumnRow
	Sequences   []SequenceRow
	Views       []ViewRow
	Constraints []ConstraintRow
	Stages      []StageRow
	FileFormats []FileFormatRow
}

// scanTargets returns, for query i, a new row and the pointers to scan into.
func (r *Rows) scan(i int, sc func(dest ...any) error) error {
	switch i {
	case 0:
		var x SchemaRow
		if err := sc(&x.Name, &x.Transient, &x.Comment); err != nil {
			return err
		}
		r.Schemata = append(r.Schemata, x)
	case 1:
		var x TableRow
		if err := sc(&x.Schema, &x.Name, &x.Type, &x.Transient, &x.RowCount, &x.Bytes, &x.Comment); err != nil {
			return err
		}
		r.Tables = append(r.Tables, x)
	case 2:
		var x ColumnRow
		if err := sc(&x.Schema, &x.Table, &x.Name, &x.Position, &x.Default, &x.Nullable, &x.DataType,
			&x.Length, &x.Precision, &x.Scale, &x.DatetimePrecision, &x.Identity, &x.Comment); err != nil {
			return err
		}
		r.Columns = append(r.Columns, x)
	case 3:
		var x SequenceRow
		if err := sc(&x.Schema, &x.Name, &x.Start, &x.Increment, &x.Next, &x.Comment); err != nil {
			return err
		}
		r.Sequences = append(r.Sequences, x)
	case 4:
		var x ViewRow
		if err := sc(&x.Schema, &x.Name, &x.Definition, &x.Secure, &x.Comment); err != nil {
			return err
		}
		r.Views = append(r.Views, x)
	case 5:
		var x ConstraintRow
		if err := sc(&x.Schema, &x.Table, &x.Name, &x.Type); err != nil {
			return err
		}
		r.Constraints = append(r.Constraints, x)
	case 6:
		var x StageRow
		if err := sc(&x.Schema, &x.Name, &x.Type, &x.URL, &x.Comment); err != nil {
			return err
		}
		r.Stages = append(r.Stages, x)
	case 7:
		var x FileFormatRow
		if err := sc(&x.Schema, &x.Name, &x.Type, &x.Comment); err != nil {
			return err
		}
		r.FileFormats = append(r.FileFormats, x)
	}
	return nil
}

var viewNames = []string{"SCHEMATA", "TABLES", "COLUMNS", "SEQUENCES", "VIEWS", "TABLE_CONSTRAINTS", "STAGES", "FILE_FORMATS"}

func yes(s sql.NullString) bool { return s.Valid && strings.EqualFold(s.String, "YES") }
