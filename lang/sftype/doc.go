// Package sftype parses Snowflake data type strings ("NUMBER(18,2)",
// "varchar(100)", "TIMESTAMP_TZ(3)", aliases such as "DECIMAL" or "TEXT")
// into a canonical Type, checking the limits Snowflake documents, so a type
// override in a spec fails at validate time rather than at CREATE TABLE.
package sftype
