package load

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

// Transform is a COPY transformation: the target columns and, for each,
// the SELECT item that computes it from the staged file
// (https://docs.snowflake.com/en/user-guide/data-load-transform).
// pgsnow loads Parquet files this way (planner/typemap.Table.ParquetSelect):
// MATCH_BY_COLUMN_NAME would load a Parquet string into a VARIANT column
// as a JSON string, and Snowflake refuses MATCH_BY_COLUMN_NAME together
// with a transformation. NULL_IF does not apply to a transformation, so
// no text can turn into NULL.
type Transform struct {
	Columns []string // target column names, exact (quoted in the statement)
	Select  []string // one SELECT item per column, over the file's $1
}

func (t *Transform) check() error {
	switch {
	case t == nil:
		return nil
	case len(t.Columns) == 0:
		return errors.New("a transformation needs columns")
	case len(t.Columns) != len(t.Select):
		return fmt.Errorf("a transformation has %d columns and %d SELECT items", len(t.Columns), len(t.Select))
	}
	for i, s := range t.Select {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("column %s has an empty SELECT item", t.Columns[i])
		}
	}
	return nil
}

// sql is COPY INTO t (cols) FROM (SELECT items FROM @stage/prefix)
// FILES = ('name') FILE_FORMAT = (…) ON_ERROR = ABORT_STATEMENT.
func (t *Transform) sql(c Copy) string {
	cols := make([]string, len(t.Columns))
	for i, n := range t.Columns {
		cols[i] = ident.Quote(n)
	}
	return fmt.Sprintf("COPY INTO %s (%s) FROM (SELECT %s FROM %s) FILES = ('%s') FILE_FORMAT = (%s) ON_ERROR = ABORT_STATEMENT",
		c.Table.Quoted(), strings.Join(cols, ", "), strings.Join(t.Select, ", "), c.Stage.Ref(c.Prefix), c.Name, c.FileFormat)
}
