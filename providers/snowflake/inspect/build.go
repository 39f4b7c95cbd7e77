package inspect

import (
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

const infoSchema = "INFORMATION_SCHEMA"

// Build turns the rows of the eight queries into the model. Rows of
// INFORMATION_SCHEMA itself are left out. Columns and constraints whose
// table is not listed (dropped between two queries) are dropped with it.
func Build(name string, r Rows) (*Database, error) {
	d := &Database{Name: name, Exists: len(r.Schemata) > 0}
	schemas := map[string]*Schema{}
	for _, x := range r.Schemata {
		if x.Name == infoSchema {
			continue
		}
		s := &Schema{Name: x.Name, Comment: x.Comment.String, Transient: yes(x.Transient)}
		schemas[x.Name] = s
		d.Schemas = append(d.Schemas, s)
	}
	get := func(schema string) *Schema { return schemas[schema] }

	tables := map[[2]string]*Table{}
	for _, x := range r.Tables {
		s := get(x.Schema)
		if s == nil || x.Type == "VIEW" || x.Type == "MATERIALIZED VIEW" {
			continue // views come from VIEWS
		}
		t := &Table{Schema: x.Schema, Name: x.Name, Type: x.Type, Transient: yes(x.Transient), Comment: x.Comment.String,
			Columns: []Column{}, Constraints: []Constraint{}}
		if x.RowCount.Valid {
			t.RowCount = &x.RowCount.Int64
		}
		if x.Bytes.Valid {
			t.Bytes = &x.Bytes.Int64
		}
		tables[[2]string{x.Schema, x.Name}] = t
		s.Tables = append(s.Tables, t)
	}
	views := map[[2]string]*View{}
	for _, x := range r.Views {
		s := get(x.Schema)
		if s == nil {
			continue
		}
		v := &View{Schema: x.Schema, Name: x.Name, Definition: x.Definition.String, Secure: yes(x.Secure), Comment: x.Comment.String}
		views[[2]string{x.Schema, x.Name}] = v
		s.Views = append(s.Views, v)
	}
	for _, x := range r.Columns {
		c, err := column(x)
		if err != nil {
			return nil, err
		}
		key := [2]string{x.Schema, x.Table}
		if t := tables[key]; t != nil {
			t.Columns = append(t.Columns, c)
		} else if v := views[key]; v != nil {
			v.Columns = append(v.Columns, c)
		}
	}
	for _, x := range r.Constraints {
		if t := tables[[2]string{x.Schema, x.Table}]; t != nil {
			t.Constraints = append(t.Constraints, Constraint{Name: x.Name, Type: x.Type})
		}
	}
	for _, x := range r.Sequences {
		if s := get(x.Schema); s != nil {
			s.Sequences = append(s.Sequences, &Sequence{Schema: x.Schema, Name: x.Name, Start: x.Start.String,
				Increment: x.Increment.String, Next: x.Next.String, Comment: x.Comment.String})
		}
	}
	for _, x := range r.Stages {
		if s := get(x.Schema); s != nil {
			s.Stages = append(s.Stages, &Stage{Schema: x.Schema, Name: x.Name, Type: x.Type.String, URL: x.URL.String, Comment: x.Comment.String})
		}
	}
	for _, x := range r.FileFormats {
		if s := get(x.Schema); s != nil {
			s.FileFormats = append(s.FileFormats, &FileFormat{Schema: x.Schema, Name: x.Name, Type: x.Type.String, Comment: x.Comment.String})
		}
	}
	sortModel(d)
	return d, nil
}

// sortModel fixes the order whatever order the server returned: byte-wise
// by name (Snowflake's ORDER BY collation may differ), columns by position.
func sortModel(d *Database) {
	sort.Slice(d.Schemas, func(i, j int) bool { return d.Schemas[i].Name < d.Schemas[j].Name })
	for _, s := range d.Schemas {
		sort.Slice(s.Tables, func(i, j int) bool { return s.Tables[i].Name < s.Tables[j].Name })
		sort.Slice(s.Views, func(i, j int) bool { return s.Views[i].Name < s.Views[j].Name })
		sort.Slice(s.Sequences, func(i, j int) bool { return s.Sequences[i].Name < s.Sequences[j].Name })
		sort.Slice(s.Stages, func(i, j int) bool { return s.Stages[i].Name < s.Stages[j].Name })
		sort.Slice(s.FileFormats, func(i, j int) bool { return s.FileFormats[i].Name < s.FileFormats[j].Name })
		for _, t := range s.Tables {
			sort.SliceStable(t.Columns, func(i, j int) bool { return t.Columns[i].Position < t.Columns[j].Position })
			sort.Slice(t.Constraints, func(i, j int) bool { return t.Constraints[i].Name < t.Constraints[j].Name })
		}
		for _, v := range s.Views {
			sort.SliceStable(v.Columns, func(i, j int) bool { return v.Columns[i].Position < v.Columns[j].Position })
		}
	}
}

func column(x ColumnRow) (Column, error) {
	typ, err := CanonicalType(x)
	if err != nil {
		return Column{}, err
	}
	var nullable bool
	switch strings.ToUpper(x.Nullable) {
	case "YES":
		nullable = true
	case "NO":
	default:
		return Column{}, fmt.Errorf("snowflake inspect: %s.%s.%s: IS_NULLABLE is %q, want YES or NO", x.Schema, x.Table, x.Name, x.Nullable)
	}
	return Column{Name: x.Name, Position: int(x.Position), Type: typ, DataType: x.DataType, Nullable: nullable,
		Default: x.Default.String, Identity: yes(x.Identity), Comment: x.Comment.String}, nil
}

// Snowflake's documented defaults when a modifier is not reported.
const (
	defaultVarchar   = 16777216
	defaultBinary    = 8388608
	defaultPrecision = 38
	defaultFrac      = 9
)

// CanonicalType renders a COLUMNS row's type as lang/sftype.Type.String
// does: NUMBER(p,s), VARCHAR(n), BINARY(n), TIMESTAMP_TZ(p), else the name.
// DATA_TYPE TEXT is VARCHAR; FIXED (SHOW COLUMNS spelling) is NUMBER.
func CanonicalType(x ColumnRow) (string, error) {
	dt := strings.ToUpper(strings.TrimSpace(x.DataType))
	switch dt {
	case "":
		return "", fmt.Errorf("snowflake inspect: %s.%s.%s: empty DATA_TYPE", x.Schema, x.Table, x.Name)
	case "TEXT", "VARCHAR", "STRING":
		return fmt.Sprintf("VARCHAR(%d)", or(x.Length, defaultVarchar)), nil
	case "NUMBER", "FIXED", "DECIMAL", "NUMERIC":
		return fmt.Sprintf("NUMBER(%d,%d)", or(x.Precision, defaultPrecision), or(x.Scale, 0)), nil
	case "BINARY":
		return fmt.Sprintf("BINARY(%d)", or(x.Length, defaultBinary)), nil
	case "TIME", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP_TZ":
		return fmt.Sprintf("%s(%d)", dt, or(x.DatetimePrecision, defaultFrac)), nil
	case "REAL", "DOUBLE", "DOUBLE PRECISION", "FLOAT4", "FLOAT8":
		return "FLOAT", nil
	}
	return dt, nil
}

// or is n's value, or def when n is NULL.
func or(n sql.NullInt64, def int64) int64 {
	if n.Valid {
		return n.Int64
	}
	return def
}
