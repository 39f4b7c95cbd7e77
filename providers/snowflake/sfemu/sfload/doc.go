// Package sfload implements the data side of the emulator's COPY INTO:
// file-format and copy option parsing with Snowflake's defaults
// (ParseFileFormatOptions, ParseCopyOptions), and Convert, which reads one
// staged file — CSV by Snowflake's rules or Parquet, decompressed per
// COMPRESSION — coerces every value with package sftype and writes the
// accepted rows as PostgreSQL COPY text for the core to stream into its
// backing table.
//
// The CSV reader is written from Snowflake's documentation, not from RFC
// 4180 or PostgreSQL's rules: ESCAPE_UNENCLOSED_FIELD defaults to backslash,
// NULL_IF defaults to \N and is matched against the field as written,
// EMPTY_FIELD_AS_NULL applies to unenclosed fields only, blank lines are
// errors unless SKIP_BLANK_LINES, SKIP_HEADER counts physical lines, and the
// default record delimiter is the logical newline (\n or \r\n). Where the
// documentation is silent the choice is written next to the code.
//
// Convert streams: memory is bounded by the largest record, not the file.
//
// Reference pages: https://docs.snowflake.com/en/sql-reference/sql/create-file-format
// and https://docs.snowflake.com/en/sql-reference/sql/copy-into-table.
package sfload
