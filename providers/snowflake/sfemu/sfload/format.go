package sfload

// FileFormat holds every CSV and Parquet option of CREATE FILE FORMAT with
// Snowflake's defaults (https://docs.snowflake.com/en/sql-reference/sql/create-file-format).
type FileFormat struct {
	Type        string // CSV | PARQUET
	Compression string // AUTO | GZIP | ZSTD | NONE (| BZ2 | BROTLI | DEFLATE | RAW_DEFLATE accepted, not all readable) ; PARQUET: AUTO | SNAPPY | NONE …

	RecordDelimiter, FieldDelimiter string // "" means NONE
	FileExtension                   string
	MultiLine                       bool // default TRUE: enclosed fields may span lines
	Comment                         string
	ParseHeader                     bool
	SkipHeader                      int
	SkipBlankLines                  bool
	DateFormat, TimeFormat          string
	TimestampFormat                 string
	BinaryFormat                    string // HEX | BASE64 | UTF8
	Escape                          string // "" means NONE
	EscapeUnenclosedField           string // "" means NONE; default "\\"
	TrimSpace                       bool
	FieldOptionallyEnclosedBy       string // "" means NONE
	NullIf                          []string
	ErrorOnColumnCountMismatch      bool
	ReplaceInvalidCharacters        bool
	EmptyFieldAsNull                bool
	SkipByteOrderMark               bool
	Encoding                        string

	// Parquet-only options.
	BinaryAsText         bool
	UseLogicalType       bool
	UseVectorizedScanner bool
}

// DefaultFileFormat returns Snowflake's defaults for TYPE = typ (CSV when empty).
func DefaultFileFormat(typ string) FileFormat {
	if typ == "" {
		typ = "CSV"
	}
	return FileFormat{
		Type:                       typ,
		Compression:                "AUTO",
		RecordDelimiter:            "\n",
		MultiLine:                  true,
		FieldDelimiter:             ",",
		DateFormat:                 "AUTO",
		TimeFormat:                 "AUTO",
		TimestampFormat:            "AUTO",
		BinaryFormat:               "HEX",
		EscapeUnenclosedField:      `\`,
		NullIf:                     []string{`\N`},
		ErrorOnColumnCountMismatch: true,
		EmptyFieldAsNull:           true,
		SkipByteOrderMark:          true,
		Encoding:                   "UTF8",
		BinaryAsText:               true,
		UseLogicalType:             true,
	}
}
