// Package sfload implements the data side of the emulator's COPY INTO:
// file-format and copy option parsing with Snowflake's defaults, reading a
// staged file (CSV by Snowflake's rules, or Parquet) with decompression,
// coercing every value with package sftype, and writing accepted rows as
// PostgreSQL COPY text for the core to stream into its backing table.
//
// Reference pages: https://docs.snowflake.com/en/sql-reference/sql/create-file-format
// and https://docs.snowflake.com/en/sql-reference/sql/copy-into-table.
package sfload
