package postgres

import "strings"

// The introspection queries. Each reads one catalog aspect for the whole
// database (or for all selected relations at once, passed as an oid[]),
// so the number of round trips does not depend on the number of tables.
// Version-specific columns are guarded with the server_version_num read
// first; supported: PostgreSQL 12 (120000) through 17.

const qServer = `
SELECT current_setting('server_version_num')::int,
       current_setting('server_version'),
       current_database(),
       pg_encoding_to_char(d.encoding),
       d.datcollate,
       current_user
FROM pg_database d
WHERE d.datname = current_database()`

const qSchemas = `
SELECT n.oid, n.nspname, pg_get_userbyid(n.nspowner),
       coalesce(obj_description(n.oid, 'pg_namespace'), ''),
       has_schema_privilege(n.oid, 'USAGE')
FROM pg_namespace n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
ORDER BY n.nspname`

// qRelations lists the relations of the selected schemas, cheaply: the
// name filter runs in Go on this list before anything else is read.
// Relations that belong to an extension (e.g. PostGIS's
// spatial_ref_sys) are not the user's data and are left out.
const qRelations = `
SELECT c.oid, n.nspname, c.relname, c.relkind::text, c.relpersistence::text, c.relispartition
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.oid = ANY($1)
  AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname`

// qRelationDetails reads sizes of main forks only (heap, TOAST heap,
// each index): every size is a stat() per file, and the free-space and
// visibility maps and the TOAST index add many files but few bytes.
const qRelationDetails = `
SELECT c.oid,
       c.reltuples::bigint,
       CASE WHEN c.relkind IN ('r', 'm') THEN pg_relation_size(c.oid) ELSE 0 END,
       CASE WHEN c.reltoastrelid <> 0 THEN pg_relation_size(c.reltoastrelid) ELSE 0 END,
       coalesce((SELECT sum(pg_relation_size(i.indexrelid)) FROM pg_index i WHERE i.indrelid = c.oid), 0)::bigint,
       coalesce(d.description, ''),
       coalesce(CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, ''),
       coalesce(CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END, ''),
       ARRAY(SELECT pn.nspname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
             JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid ORDER BY i.inhseqno),
       ARRAY(SELECT p.relname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
             WHERE i.inhrelid = c.oid ORDER BY i.inhseqno),
       EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class ch ON ch.oid = i.inhrelid
               WHERE i.inhparent = c.oid AND NOT ch.relispartition),
       c.relrowsecurity,
       coalesce(CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END, ''),
       c.relispopulated,
       has_table_privilege(c.oid, 'SELECT') AND has_schema_privilege(c.relnamespace, 'USAGE'),
       greatest(pg_stat_get_last_vacuum_time(c.oid), pg_stat_get_last_autovacuum_time(c.oid)),
       greatest(pg_stat_get_last_analyze_time(c.oid), pg_stat_get_last_autoanalyze_time(c.oid))
FROM pg_class c
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE c.oid = ANY($1)`

const qColumns = `
SELECT a.attrelid, a.attname, a.attnum, a.atttypid, a.atttypmod, a.attndims, a.attnotnull,
       coalesce(CASE WHEN a.atthasdef THEN pg_get_expr(ad.adbin, ad.adrelid) END, ''),
       a.attidentity::text, a.attgenerated::text,
       coalesce(CASE WHEN a.attcollation <> t.typcollation THEN co.collname END, ''),
       coalesce(d.description, ''),
       format_type(a.atttypid, a.atttypmod)
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_description d ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
WHERE a.attrelid = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`

// qTypes returns every type the selected columns use, followed
// transitively (array elements, domain bases, composite fields, range
// subtypes), plus the free-standing enums, domains and composite types
// of the selected schemas.
func qTypes(version int) string {
	multirange := "0::oid"
	if version >= 140000 {
		// pg_range.rngmultitypid exists from PostgreSQL 14.
		multirange = "coalesce((SELECT r.rngsubtype FROM pg_range r WHERE r.rngmultitypid = t.oid), 0)"
	}
	return strings.ReplaceAll(`
WITH RECURSIVE seed(oid) AS (
    SELECT a.atttypid FROM pg_attribute a
    WHERE a.attrelid = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
  UNION
    SELECT t.oid FROM pg_type t
    WHERE t.typnamespace = ANY($2)
      AND (t.typtype IN ('e', 'd')
           OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c'))
), rec(oid) AS (
    SELECT oid FROM seed
  UNION
    SELECT x.oid
    FROM rec JOIN pg_type t ON t.oid = rec.oid
    CROSS JOIN LATERAL (
        SELECT t.typelem WHERE t.typelem <> 0 AND t.typlen = -1
      UNION ALL
        SELECT t.typbasetype WHERE t.typtype = 'd'
      UNION ALL
        SELECT a.atttypid FROM pg_attribute a
        WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
      UNION ALL
        SELECT r.rngsubtype FROM pg_range r WHERE r.rngtypid = t.oid
      UNION ALL
        SELECT MULTIRANGE WHERE t.typtype = 'm'
    ) x(oid)
    WHERE x.oid <> 0
)
SELECT t.oid, n.nspname, t.typname, t.typtype::text, t.typcategory::text,
       format_type(t.oid, NULL),
       CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN t.typelem ELSE 0 END,
       t.typbasetype, t.typtypmod, t.typndims, t.typnotnull, coalesce(t.typdefault, ''),
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) ELSE '' END,
       coalesce(e.extname, ''),
       ARRAY(SELECT l.enumlabel::text FROM pg_enum l WHERE l.enumtypid = t.oid ORDER BY l.enumsortorder),
       ARRAY(SELECT k.conname::text FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname),
       ARRAY(SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname),
       ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
       ARRAY(SELECT a.atttypid FROM pg_attribute a WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
       ARRAY(SELECT a.atttypmod FROM pg_attribute a WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
       ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
       CASE t.typtype WHEN 'r' THEN coalesce((SELECT r.rngsubtype FROM pg_range r WHERE r.rngtypid = t.oid), 0)
                      WHEN 'm' THEN MULTIRANGE ELSE 0 END,
       coalesce(obj_description(t.oid, 'pg_type'), ''),
       t.typtype = 'c' AND coalesce((SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c', false),
       t.typnamespace = ANY($2)
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_depend dep ON dep.classid = 'pg_type'::regclass AND dep.objid = t.oid AND dep.deptype = 'e'
LEFT JOIN pg_extension e ON e.oid = dep.refobjid
WHERE t.oid IN (SELECT oid FROM rec)`, "MULTIRANGE", multirange)
}

// qConstraints: the clones PostgreSQL adds on the referencing table for
// each partition of a referenced partitioned table share the parent's
// conrelid and are skipped; constraints inherited from a parent table
// are kept and marked.
const qConstraints = `
SELECT c.conrelid, c.conname, c.contype::text, pg_get_constraintdef(c.oid),
       ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o),
       coalesce(fn.nspname, ''), coalesce(f.relname, ''),
       ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o),
       c.confupdtype::text, c.confdeltype::text, c.confmatchtype::text,
       c.condeferrable, c.condeferred, c.convalidated,
       (c.conparentid <> 0 OR NOT c.conislocal)
FROM pg_constraint c
LEFT JOIN pg_class f ON f.oid = c.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = f.relnamespace
WHERE c.conrelid = ANY($1) AND c.contype IN ('p', 'u', 'f', 'c', 'x')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint p WHERE p.oid = c.conparentid AND p.conrelid = c.conrelid)
ORDER BY c.conrelid, c.conname`

const qIndexes = `
SELECT i.indrelid, ic.relname, am.amname, i.indisunique, i.indisprimary, i.indisvalid,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k),
       coalesce(pg_get_expr(i.indpred, i.indrelid, true), ''),
       pg_get_indexdef(i.indexrelid),
       coalesce(con.conname, '')
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
WHERE i.indrelid = ANY($1)
ORDER BY i.indrelid, ic.relname`

const qSequences = `
SELECT c.oid, n.nspname, c.relname, format_type(s.seqtypid, NULL),
       s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
       CASE WHEN has_sequence_privilege(c.oid, 'SELECT,USAGE') THEN pg_sequence_last_value(c.oid) END,
       coalesce(tn.nspname, ''), coalesce(t.relname, ''), coalesce(a.attname, ''), coalesce(dep.deptype::text, ''),
       coalesce(obj_description(c.oid, 'pg_class'), '')
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend dep ON dep.classid = 'pg_class'::regclass AND dep.objid = c.oid
     AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
LEFT JOIN pg_class t ON t.oid = dep.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
WHERE c.oid = ANY($1)
ORDER BY n.nspname, c.relname`

const qTriggers = `
SELECT t.tgrelid, t.tgname, pg_get_triggerdef(t.oid), t.tgenabled <> 'D'
FROM pg_trigger t
WHERE t.tgrelid = ANY($1) AND NOT t.tgisinternal
ORDER BY t.tgrelid, t.tgname`

const qRules = `
SELECT r.ev_class, r.rulename, pg_get_ruledef(r.oid)
FROM pg_rewrite r
WHERE r.ev_class = ANY($1) AND r.rulename <> '_RETURN'
ORDER BY r.ev_class, r.rulename`

const qRoutines = `
SELECT n.nspname, p.proname, p.prokind::text, pg_get_function_identity_arguments(p.oid), l.lanname,
       coalesce(CASE WHEN p.prokind IN ('f', 'w') THEN pg_get_function_result(p.oid) END, '')
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE n.oid = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
ORDER BY n.nspname, p.proname, 4`

const qExtensions = `
SELECT e.extname, e.extversion, n.nspname
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
ORDER BY e.extname`
