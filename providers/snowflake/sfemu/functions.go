package sfemu

// functionsSQL installs Snowflake functions that PostgreSQL lacks or spells
// differently. Each follows the Snowflake reference page of the same name
// (https://docs.snowflake.com/en/sql-reference/functions/<name>).
const functionsSQL = `
-- An earlier emulator version declared IFF on anyelement; both would be ambiguous.
DROP FUNCTION IF EXISTS sfemu_fn.iff(boolean, anyelement, anyelement);
CREATE OR REPLACE FUNCTION sfemu_fn.iff(boolean, anycompatible, anycompatible) RETURNS anycompatible
  LANGUAGE sql IMMUTABLE AS 'SELECT CASE WHEN $1 THEN $2 ELSE $3 END';

-- TO_NUMBER(expr, 'XXXX'): X digits read hexadecimal; other formats go to PostgreSQL's to_number.
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_number(v text, fmt text) RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $f$
DECLARE r numeric := 0; d int;
BEGIN
  IF v IS NULL OR fmt IS NULL THEN RETURN NULL; END IF;
  IF fmt ~* '^X+$' THEN
    IF length(v) > length(fmt) OR v = '' THEN
      RAISE EXCEPTION 'invalid input syntax for type numeric: "%"', v USING ERRCODE = '22P02';
    END IF;
    FOR i IN 1..length(v) LOOP
      d := strpos('0123456789abcdef', lower(substr(v, i, 1))) - 1;
      IF d < 0 THEN RAISE EXCEPTION 'invalid input syntax for type numeric: "%"', v USING ERRCODE = '22P02'; END IF;
      r := r * 16 + d;
    END LOOP;
    RETURN r;
  END IF;
  RETURN to_number(v, fmt);
END $f$;
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_number(v text) RETURNS numeric
  LANGUAGE sql IMMUTABLE AS 'SELECT round($1::numeric, 0)::numeric(38,0)';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_number(v numeric) RETURNS numeric
  LANGUAGE sql IMMUTABLE AS 'SELECT round($1, 0)::numeric(38,0)';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_number(v text, p int, s int) RETURNS numeric
  LANGUAGE sql IMMUTABLE AS 'SELECT round($1::numeric, $3)';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_number(v numeric, p int, s int) RETURNS numeric
  LANGUAGE sql IMMUTABLE AS 'SELECT round($1, $3)';

CREATE OR REPLACE FUNCTION sfemu_fn.sf_parse_json(text) RETURNS jsonb
  LANGUAGE sql IMMUTABLE STRICT AS 'SELECT $1::jsonb';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_try_parse_json(v text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $f$
BEGIN
  RETURN v::jsonb;
EXCEPTION WHEN others THEN
  RETURN NULL;
END $f$;

CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_varchar(text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT $1';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_varchar(bytea) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT upper(encode($1, ''hex''))';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_varchar(boolean) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT CASE WHEN $1 THEN ''true'' ELSE ''false'' END';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_varchar(anyelement) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT $1::text';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_varchar(numeric, text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT trim(to_char($1, $2))';
-- Snowflake date/time format elements that PostgreSQL's to_char spells
-- differently: FF<n> (fractional seconds; FF alone is FF9), TZH:TZM kept.
CREATE OR REPLACE FUNCTION sfemu_fn.sf_pg_format(f text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
  SELECT replace(replace(replace(replace(regexp_replace(f, 'FF(?![0-9])', 'FF9', 'g'),
    'FF9', 'US"000"'), 'FF6', 'US'), 'FF3', 'MS'), 'FF0', '') $f$;
-- Default output formats (TIMESTAMP_OUTPUT_FORMAT 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM',
-- TIME_OUTPUT_FORMAT 'HH24:MI:SS', https://docs.snowflake.com/en/sql-reference/parameters).
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_varchar(timestamp) RETURNS text LANGUAGE sql STABLE AS 'SELECT to_char($1, ''YYYY-MM-DD HH24:MI:SS.MS'')';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_varchar(timestamptz) RETURNS text LANGUAGE sql STABLE AS 'SELECT to_char($1, ''YYYY-MM-DD HH24:MI:SS.MS TZHTZM'')';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_varchar(date) RETURNS text LANGUAGE sql STABLE AS 'SELECT to_char($1, ''YYYY-MM-DD'')';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_varchar(time) RETURNS text LANGUAGE sql STABLE AS 'SELECT to_char($1, ''HH24:MI:SS'')';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_varchar(timestamp, text) RETURNS text LANGUAGE sql STABLE AS 'SELECT to_char($1, sfemu_fn.sf_pg_format($2))';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_varchar(timestamptz, text) RETURNS text LANGUAGE sql STABLE AS 'SELECT to_char($1, sfemu_fn.sf_pg_format($2))';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_varchar(date, text) RETURNS text LANGUAGE sql STABLE AS 'SELECT to_char($1, sfemu_fn.sf_pg_format($2))';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_varchar(time, text) RETURNS text LANGUAGE sql STABLE AS 'SELECT to_char($1, sfemu_fn.sf_pg_format($2))';

CREATE OR REPLACE FUNCTION sfemu_fn.sf_hex_encode(text) RETURNS text
  LANGUAGE sql IMMUTABLE AS 'SELECT upper(encode(convert_to($1, ''UTF8''), ''hex''))';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_hex_encode(bytea) RETURNS text
  LANGUAGE sql IMMUTABLE AS 'SELECT upper(encode($1, ''hex''))';
-- HEX_ENCODE(<input>, <case>): case 1 is upper case (the default), 0 lower case.
CREATE OR REPLACE FUNCTION sfemu_fn.sf_hex_encode(text, integer) RETURNS text
  LANGUAGE sql IMMUTABLE AS 'SELECT CASE $2 WHEN 0 THEN encode(convert_to($1, ''UTF8''), ''hex'') WHEN 1 THEN upper(encode(convert_to($1, ''UTF8''), ''hex'')) END';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_hex_encode(bytea, integer) RETURNS text
  LANGUAGE sql IMMUTABLE AS 'SELECT CASE $2 WHEN 0 THEN encode($1, ''hex'') WHEN 1 THEN upper(encode($1, ''hex'')) END';

CREATE OR REPLACE FUNCTION sfemu_fn.sf_md5(text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT md5($1)';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_md5(bytea) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT md5($1)';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_sha2(text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT encode(sha256(convert_to($1, ''UTF8'')), ''hex'')';

-- CONVERT_TIMEZONE(src, tgt, ntz) and CONVERT_TIMEZONE(tgt, ltz/tz).
CREATE OR REPLACE FUNCTION sfemu_fn.sf_convert_timezone(text, text, timestamp) RETURNS timestamp
  LANGUAGE sql IMMUTABLE AS 'SELECT ($3 AT TIME ZONE $1) AT TIME ZONE $2';
-- The two-argument form returns a TIMESTAMP_TZ in the target zone; PostgreSQL
-- cannot carry the zone, so this returns the wall-clock time there (what
-- TO_CHAR and TO_VARCHAR then print, as in Snowflake).
DROP FUNCTION IF EXISTS sfemu_fn.sf_convert_timezone(text, timestamptz);
CREATE OR REPLACE FUNCTION sfemu_fn.sf_convert_timezone(text, timestamptz) RETURNS timestamp
  LANGUAGE sql STABLE AS 'SELECT $2 AT TIME ZONE $1';

-- SUBSTR: position 0 counts as 1 and negative positions count from the end.
CREATE OR REPLACE FUNCTION sfemu_fn.sf_substr(s text, pos numeric, len numeric DEFAULT NULL) RETURNS text
  LANGUAGE sql IMMUTABLE AS $f$
  SELECT CASE
    WHEN s IS NULL OR pos IS NULL THEN NULL
    WHEN len IS NOT NULL AND len <= 0 THEN ''
    WHEN pos < 0 AND -pos > length(s) THEN ''
    ELSE substr(s, (CASE WHEN pos > 0 THEN pos WHEN pos = 0 THEN 1 ELSE length(s) + pos + 1 END)::int,
                coalesce(len, length(s) + 1)::int) END $f$;
CREATE OR REPLACE FUNCTION sfemu_fn.sf_contains(text, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS 'SELECT strpos($1, $2) > 0';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_uuid_string() RETURNS text
  LANGUAGE sql VOLATILE AS 'SELECT gen_random_uuid()::text';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_binary(text) RETURNS bytea LANGUAGE sql IMMUTABLE AS 'SELECT decode($1, ''hex'')';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_binary(text, text) RETURNS bytea LANGUAGE sql IMMUTABLE AS
  'SELECT CASE upper($2) WHEN ''HEX'' THEN decode($1, ''hex'') WHEN ''BASE64'' THEN decode($1, ''base64'') ELSE convert_to($1, ''UTF8'') END';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_date(text) RETURNS date LANGUAGE sql IMMUTABLE AS 'SELECT $1::date';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_date(timestamp) RETURNS date LANGUAGE sql IMMUTABLE AS 'SELECT $1::date';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_to_boolean(text) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1::boolean';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_typeof(jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT upper(jsonb_typeof($1))';
CREATE OR REPLACE FUNCTION sfemu_fn.sf_count_if_step(bigint, boolean) RETURNS bigint
  LANGUAGE sql IMMUTABLE AS 'SELECT $1 + CASE WHEN $2 THEN 1 ELSE 0 END';
CREATE OR REPLACE AGGREGATE sfemu_fn.sf_count_if(boolean) (
  SFUNC = sfemu_fn.sf_count_if_step, STYPE = bigint, INITCOND = '0');
`
