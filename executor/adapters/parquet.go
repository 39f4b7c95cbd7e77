package adapters

import (
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/postgres/extract"
	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

// parquetTable sets up a Parquet load as planner/typemap decided: native
// fields only where Snowflake reads them back exactly, PostgreSQL's text
// (the CSV extraction) for every other column, and a COPY transformation
// that casts or parses each field into its column. The file is staged
// with COMPRESSION NONE: its pages carry their own codec (load.Upload).
func parquetTable(t *Table, mt *typemap.Table) {
	t.Extract.Columns = t.Extract.Columns[:0]
	t.Extract.ParquetText = nil
	tr := &load.Transform{}
	for _, d := range mt.Columns {
		t.Extract.Columns = append(t.Extract.Columns, extract.Column{Name: d.Target, Expr: d.ParquetExtract()})
		if !d.ParquetNative() {
			t.Extract.ParquetText = append(t.Extract.ParquetText, d.Target)
		}
		tr.Columns = append(tr.Columns, d.Target)
		tr.Select = append(tr.Select, d.ParquetLoad())
	}
	t.Compression = "NONE"
	t.FileFormat = fileFormat(typemap.ParquetFileFormatOptions())
	t.Transform = tr
}
