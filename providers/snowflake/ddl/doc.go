// Package ddl renders Snowflake DDL for the objects pgsnow creates:
// schemas, the file format and stage pgsnow loads through, sequences,
// tables (with informational PK/UNIQUE/FK constraints, defaults and
// comments) and views. Input is plain data already in Snowflake terms
// (the planner's type mapping fills it in); output is deterministic and in
// dependency order, every identifier quoted. It imports only ident.
package ddl
