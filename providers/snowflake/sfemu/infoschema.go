package sfemu

// infoSchemaSQL installs one set-returning function per INFORMATION_SCHEMA
// view; the translator turns DB.INFORMATION_SCHEMA.X into sfemu_fn.is_x('DB').
// Column names and type names follow
// https://docs.snowflake.com/en/sql-reference/info-schema (views COLUMNS,
// TABLES, SCHEMATA, SEQUENCES, VIEWS, TABLE_CONSTRAINTS, DATABASES, STAGES,
// FILE_FORMATS, LOAD_HISTORY).
const infoSchemaSQL = `
-- sf_type_family('NUMBER(38,0)') = 'NUMBER'; sf_type_arg('NUMBER(38,0)', 2) = 0.
CREATE OR REPLACE FUNCTION sfemu_fn.sf_type_family(t text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $f$ SELECT regexp_replace(t, '\s*\(.*$', '') $f$;
CREATE OR REPLACE FUNCTION sfemu_fn.sf_type_arg(t text, n int) RETURNS bigint
  LANGUAGE sql IMMUTABLE AS $f$ SELECT (regexp_split_to_array(substring(t from '\((.*)\)'), '\s*,\s*'))[n]::bigint $f$;
CREATE OR REPLACE FUNCTION sfemu_fn.sf_row_count(s text, t text) RETURNS bigint LANGUAGE plpgsql STABLE AS $f$
DECLARE n bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM %I.%I', s, t) INTO n;
  RETURN n;
END $f$;

CREATE OR REPLACE FUNCTION sfemu_fn.is_databases(db text) RETURNS TABLE (
  "DATABASE_NAME" text, "DATABASE_OWNER" text, "IS_TRANSIENT" text, "COMMENT" text,
  "CREATED" timestamptz, "LAST_ALTERED" timestamptz, "RETENTION_TIME" bigint, "TYPE" text)
LANGUAGE sql STABLE AS $f$
  SELECT name, owner, 'NO', comment, created, created, 1, 'STANDARD' FROM sfemu_meta.databases ORDER BY name $f$;

CREATE OR REPLACE FUNCTION sfemu_fn.is_schemata(db text) RETURNS TABLE (
  "CATALOG_NAME" text, "SCHEMA_NAME" text, "SCHEMA_OWNER" text, "IS_TRANSIENT" text, "IS_MANAGED_ACCESS" text,
  "RETENTION_TIME" bigint, "DEFAULT_CHARACTER_SET_CATALOG" text, "DEFAULT_CHARACTER_SET_SCHEMA" text,
  "DEFAULT_CHARACTER_SET_NAME" text, "SQL_PATH" text, "CREATED" timestamptz, "LAST_ALTERED" timestamptz, "COMMENT" text)
LANGUAGE sql STABLE AS $f$
  SELECT s.db, s.name, NULL, 'NO', 'NO', 1, NULL, NULL, NULL, NULL, s.created, s.created, s.comment
    FROM sfemu_meta.schemas s WHERE s.db = $1
  UNION ALL
  SELECT d.name, 'INFORMATION_SCHEMA', NULL, 'NO', 'NO', 1, NULL, NULL, NULL, NULL, d.created, d.created,
         'Views describing the contents of schemas in this database'
    FROM sfemu_meta.databases d WHERE d.name = $1
  ORDER BY 2 $f$;

CREATE OR REPLACE FUNCTION sfemu_fn.is_tables(db text) RETURNS TABLE (
  "TABLE_CATALOG" text, "TABLE_SCHEMA" text, "TABLE_NAME" text, "TABLE_OWNER" text, "TABLE_TYPE" text,
  "IS_TRANSIENT" text, "CLUSTERING_KEY" text, "ROW_COUNT" bigint, "BYTES" bigint, "RETENTION_TIME" bigint,
  "CREATED" timestamptz, "LAST_ALTERED" timestamptz, "AUTO_CLUSTERING_ON" text, "COMMENT" text)
LANGUAGE sql STABLE AS $f$
  SELECT s.db, s.name, o.name, NULL, CASE o.kind WHEN 'TABLE' THEN 'BASE TABLE' ELSE 'VIEW' END,
         CASE WHEN o.options = 'TRANSIENT' THEN 'YES' ELSE 'NO' END, NULL,
         CASE WHEN o.kind = 'TABLE' THEN sfemu_fn.sf_row_count(o.pgschema, o.name) END,
         CASE WHEN o.kind = 'TABLE' THEN pg_total_relation_size(format('%I.%I', o.pgschema, o.name)::regclass) END,
         CASE WHEN o.kind = 'TABLE' THEN 1 END, o.created, o.created,
         CASE WHEN o.kind = 'TABLE' THEN 'NO' END, o.comment
    FROM sfemu_meta.objects o JOIN sfemu_meta.schemas s ON s.pgschema = o.pgschema
   WHERE s.db = $1 AND o.kind IN ('TABLE', 'VIEW')
   ORDER BY 2, 3 $f$;

CREATE OR REPLACE FUNCTION sfemu_fn.is_columns(db text) RETURNS TABLE (
  "TABLE_CATALOG" text, "TABLE_SCHEMA" text, "TABLE_NAME" text, "COLUMN_NAME" text, "ORDINAL_POSITION" bigint,
  "COLUMN_DEFAULT" text, "IS_NULLABLE" text, "DATA_TYPE" text, "CHARACTER_MAXIMUM_LENGTH" bigint,
  "CHARACTER_OCTET_LENGTH" bigint, "NUMERIC_PRECISION" bigint, "NUMERIC_PRECISION_RADIX" bigint,
  "NUMERIC_SCALE" bigint, "DATETIME_PRECISION" bigint, "IS_IDENTITY" text, "COMMENT" text)
LANGUAGE sql STABLE AS $f$
  SELECT s.db, s.name, m.tbl, m.name,
         row_number() OVER (PARTITION BY m.pgschema, m.tbl ORDER BY a.attnum),
         pg_get_expr(d.adbin, d.adrelid), CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END,
         CASE sfemu_fn.sf_type_family(m.sftype) WHEN 'VARCHAR' THEN 'TEXT' ELSE sfemu_fn.sf_type_family(m.sftype) END,
         CASE WHEN sfemu_fn.sf_type_family(m.sftype) IN ('VARCHAR', 'BINARY') THEN sfemu_fn.sf_type_arg(m.sftype, 1) END,
         CASE sfemu_fn.sf_type_family(m.sftype)
           WHEN 'VARCHAR' THEN least(sfemu_fn.sf_type_arg(m.sftype, 1) * 4, greatest(16777216, sfemu_fn.sf_type_arg(m.sftype, 1)))
           WHEN 'BINARY' THEN sfemu_fn.sf_type_arg(m.sftype, 1) END,
         CASE sfemu_fn.sf_type_family(m.sftype) WHEN 'NUMBER' THEN sfemu_fn.sf_type_arg(m.sftype, 1) END,
         CASE sfemu_fn.sf_type_family(m.sftype) WHEN 'NUMBER' THEN 10 END,
         CASE sfemu_fn.sf_type_family(m.sftype) WHEN 'NUMBER' THEN sfemu_fn.sf_type_arg(m.sftype, 2) END,
         CASE WHEN sfemu_fn.sf_type_family(m.sftype) IN ('TIME', 'TIMESTAMP_NTZ', 'TIMESTAMP_LTZ', 'TIMESTAMP_TZ')
              THEN sfemu_fn.sf_type_arg(m.sftype, 1) END,
         'NO', m.comment
    FROM sfemu_meta.columns m
    JOIN sfemu_meta.schemas s ON s.pgschema = m.pgschema
    JOIN pg_namespace n ON n.nspname = m.pgschema
    JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = m.tbl
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = m.name
    LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
   WHERE s.db = $1
   ORDER BY 2, 3, a.attnum $f$;

CREATE OR REPLACE FUNCTION sfemu_fn.is_sequences(db text) RETURNS TABLE (
  "SEQUENCE_CATALOG" text, "SEQUENCE_SCHEMA" text, "SEQUENCE_NAME" text, "SEQUENCE_OWNER" text, "DATA_TYPE" text,
  "NUMERIC_PRECISION" bigint, "NUMERIC_PRECISION_RADIX" bigint, "NUMERIC_SCALE" bigint, "START_VALUE" text,
  "MINIMUM_VALUE" text, "MAXIMUM_VALUE" text, "NEXT_VALUE" text, "INCREMENT" text, "CYCLE_OPTION" text,
  "CREATED" timestamptz, "LAST_ALTERED" timestamptz, "ORDERED" text, "COMMENT" text)
LANGUAGE sql STABLE AS $f$
  SELECT s.db, s.name, o.name, NULL, 'NUMBER', 38, 10, 0, q.start_value::text, q.min_value::text, q.max_value::text,
         coalesce(q.last_value + q.increment_by, q.start_value)::text, q.increment_by::text,
         CASE WHEN q.cycle THEN 'YES' ELSE 'NO' END, o.created, o.created, 'NO', o.comment
    FROM sfemu_meta.objects o JOIN sfemu_meta.schemas s ON s.pgschema = o.pgschema
    JOIN pg_sequences q ON q.schemaname = o.pgschema AND q.sequencename = o.name
   WHERE s.db = $1 AND o.kind = 'SEQUENCE' ORDER BY 2, 3 $f$;

CREATE OR REPLACE FUNCTION sfemu_fn.is_views(db text) RETURNS TABLE (
  "TABLE_CATALOG" text, "TABLE_SCHEMA" text, "TABLE_NAME" text, "TABLE_OWNER" text, "VIEW_DEFINITION" text,
  "CHECK_OPTION" text, "IS_UPDATABLE" text, "INSERTABLE_INTO" text, "IS_SECURE" text,
  "CREATED" timestamptz, "LAST_ALTERED" timestamptz, "COMMENT" text)
LANGUAGE sql STABLE AS $f$
  SELECT s.db, s.name, o.name, NULL, o.options, 'NONE', 'NO', 'NO', 'NO', o.created, o.created, o.comment
    FROM sfemu_meta.objects o JOIN sfemu_meta.schemas s ON s.pgschema = o.pgschema
   WHERE s.db = $1 AND o.kind = 'VIEW' ORDER BY 2, 3 $f$;

CREATE OR REPLACE FUNCTION sfemu_fn.is_table_constraints(db text) RETURNS TABLE (
  "CONSTRAINT_CATALOG" text, "CONSTRAINT_SCHEMA" text, "CONSTRAINT_NAME" text, "TABLE_CATALOG" text,
  "TABLE_SCHEMA" text, "TABLE_NAME" text, "CONSTRAINT_TYPE" text, "IS_DEFERRABLE" text,
  "INITIALLY_DEFERRED" text, "ENFORCED" text, "COMMENT" text, "CREATED" timestamptz, "LAST_ALTERED" timestamptz, "RELY" text)
LANGUAGE sql STABLE AS $f$
  SELECT s.db, s.name, c.name, s.db, s.name, c.tbl, c.kind, 'NO', 'NO', 'NO', NULL, o.created, o.created, 'NO'
    FROM sfemu_meta.constraints c JOIN sfemu_meta.schemas s ON s.pgschema = c.pgschema
    LEFT JOIN sfemu_meta.objects o ON o.pgschema = c.pgschema AND o.name = c.tbl AND o.kind = 'TABLE'
   WHERE s.db = $1 ORDER BY 2, 6, 3 $f$;

CREATE OR REPLACE FUNCTION sfemu_fn.is_stages(db text) RETURNS TABLE (
  "STAGE_CATALOG" text, "STAGE_SCHEMA" text, "STAGE_NAME" text, "STAGE_URL" text, "STAGE_REGION" text,
  "STAGE_TYPE" text, "STAGE_OWNER" text, "COMMENT" text, "CREATED" timestamptz, "LAST_ALTERED" timestamptz)
LANGUAGE sql STABLE AS $f$
  SELECT s.db, s.name, o.name, NULL, NULL, 'Internal Named', NULL, o.comment, o.created, o.created
    FROM sfemu_meta.objects o JOIN sfemu_meta.schemas s ON s.pgschema = o.pgschema
   WHERE s.db = $1 AND o.kind = 'STAGE' ORDER BY 2, 3 $f$;

CREATE OR REPLACE FUNCTION sfemu_fn.is_file_formats(db text) RETURNS TABLE (
  "FILE_FORMAT_CATALOG" text, "FILE_FORMAT_SCHEMA" text, "FILE_FORMAT_NAME" text, "FILE_FORMAT_OWNER" text,
  "FILE_FORMAT_TYPE" text, "CREATED" timestamptz, "LAST_ALTERED" timestamptz, "COMMENT" text)
LANGUAGE sql STABLE AS $f$
  SELECT s.db, s.name, o.name, NULL, coalesce(upper(substring(o.options from '(?i)TYPE\s*=\s*''?(\w+)')), 'CSV'),
         o.created, o.created, o.comment
    FROM sfemu_meta.objects o JOIN sfemu_meta.schemas s ON s.pgschema = o.pgschema
   WHERE s.db = $1 AND o.kind = 'FILE FORMAT' ORDER BY 2, 3 $f$;

CREATE OR REPLACE FUNCTION sfemu_fn.is_load_history(db text) RETURNS TABLE (
  "SCHEMA_NAME" text, "FILE_NAME" text, "TABLE_NAME" text, "LAST_LOAD_TIME" timestamptz, "STATUS" text,
  "ROW_COUNT" bigint, "ROW_PARSED" bigint)
LANGUAGE sql STABLE AS $f$
  SELECT s.name, coalesce(h.display, h.file), h.tbl, h.loaded_at, 'LOADED', h.rows_loaded, h.rows_loaded
    FROM sfemu_meta.load_history h JOIN sfemu_meta.schemas s ON s.pgschema = h.pgschema
   WHERE s.db = $1 ORDER BY h.loaded_at $f$;
`
