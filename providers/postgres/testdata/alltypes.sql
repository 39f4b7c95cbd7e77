-- pgsnow all-types fixture (PostgreSQL 14 or later: numeric 'Infinity' and
-- multiranges need 14). Stable path: providers/postgres/testdata/alltypes.sql.
-- Introspection, type-mapping and end-to-end tests load it into an empty
-- database (pgtest.ExecScript). It needs no extension; citext and hstore
-- live in alltypes_extensions.sql, loaded only where available. PostGIS is
-- not installed on the test machines, so geometry/geography are not covered.
--
-- Everything is in schema public, plus schema "Sales" (mixed case) to
-- exercise quoted schema names. Row values are fixed so that profiles and
-- reports are deterministic.

SET client_min_messages = warning;
SET TimeZone = 'UTC';

-- User-defined types ------------------------------------------------------
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive_amount AS numeric(12,2) NOT NULL CHECK (VALUE > 0);
CREATE DOMAIN us_postal AS text CHECK (VALUE ~ '^[0-9]{5}$');
CREATE DOMAIN int_list AS integer[];
CREATE TYPE address AS (street text, city text, zip us_postal);
CREATE TYPE unused_pair AS (a integer, b text);
COMMENT ON TYPE mood IS 'how it went';

-- Every scalar type of FIDELITY.md's table -------------------------------
CREATE TABLE all_scalars (
    id               integer PRIMARY KEY,
    c_smallint       smallint,
    c_integer        integer,
    c_bigint         bigint,
    c_numeric_12_2   numeric(12,2),
    c_numeric        numeric,
    c_numeric_50_10  numeric(50,10),
    c_real           real,
    c_double         double precision,
    c_money          money,
    c_text           text,
    c_varchar_40     varchar(40),
    c_varchar        varchar,
    c_char_5         char(5),
    c_uuid           uuid,
    c_bytea          bytea,
    c_boolean        boolean,
    c_date           date,
    c_timestamp      timestamp,
    c_timestamp_3    timestamp(3),
    c_timestamptz    timestamptz,
    c_time           time,
    c_timetz         timetz,
    c_interval       interval,
    c_interval_ds    interval day to second(3),
    c_json           json,
    c_jsonb          jsonb,
    c_int_array      integer[],
    c_text_2d        text[][],
    c_int4range      int4range,
    c_tstzrange      tstzrange,
    c_int4multirange int4multirange,
    c_inet           inet,
    c_cidr           cidr,
    c_macaddr        macaddr,
    c_bit_8          bit(8),
    c_varbit_16      bit varying(16),
    c_tsvector       tsvector,
    c_tsquery        tsquery,
    c_xml            xml,
    c_oid            oid,
    c_pg_lsn         pg_lsn,
    c_point          point
);
COMMENT ON TABLE all_scalars IS 'one column per PostgreSQL type family';
COMMENT ON COLUMN all_scalars.c_money IS 'money: extract as numeric';

INSERT INTO all_scalars VALUES
-- 1: ordinary values
(1, 1, 2, 3, 1234.56, 12.5, 1.5, 1.25, 2.5, 12.34, 'hello', 'varchar', 'unbounded', 'ab',
 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\xdeadbeef', true, '2024-02-29', '2024-02-29 12:34:56.789012',
 '2024-02-29 12:34:56.789', '2024-02-29 12:34:56.789012+00', '12:34:56', '12:34:56+02', '1 year 2 mons 3 days 04:05:06',
 '1 day 02:03:04.5', '{"a": 1, "b": [true, null]}', '{"a": 1, "b": [true, null]}', '{1,2,3}', '{{a,b},{c,d}}',
 '[1,10)', '[2024-01-01 00:00:00+00,2024-12-31 00:00:00+00)', '{[1,3),[5,7)}', '192.168.0.1/24', '10.0.0.0/8',
 '08:00:2b:01:02:03', B'10101010', B'101', 'a fat cat', 'fat & cat', '<a>1</a>', 42, '16/B374D848', '(1,2)'),
-- 2: every column NULL
(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
 NULL, NULL, NULL, NULL, NULL),
-- 3: special values Snowflake cannot hold, empty string, backslash, \N
(3, -32768, -2147483648, -9223372036854775808, -9999999999.99, 'NaN', 'NaN', 'NaN', '-Infinity', -92233720368547758.08,
 '', 'ends with a backslash \', '\N', '', '00000000-0000-0000-0000-000000000000', '', false, '0044-03-15 BC',
 'infinity', '-infinity', '-infinity', '24:00:00', '24:00:00+00', '-178000000 years', '-1 day -00:00:00.001',
 '{"a": 1, "a": 2}', '{"n": 12345678901234567890, "small": 0.000000000000000000001}', '[0:2]={1,2,3}',
 '[0:1][5:6]={{a,b},{c,d}}', 'empty', 'empty', '{}', '::1', '::/0', '00:00:00:00:00:00', B'00000000', B'',
 '', '!x', '<a/>', 0, '0/0', '(0,0)'),
-- 4: more out-of-range values
(4, 32767, 2147483647, 9223372036854775807, 9999999999.99, 'Infinity', 123456789012345678901234567890.1234567890,
 'Infinity', 'NaN', 92233720368547758.07, repeat('x', 1000), 'x', 'x', 'x', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
 decode(repeat('ff', 500), 'hex'), true, '10000-01-01', '10000-01-01 00:00:00', '0001-01-01 00:00:00', 'infinity',
 '00:00:00', '00:00:00-12', '178000000 years', '0', '[1.00000000000000000001]', '{"n": 1.0000000000000001}',
 '{{1,2},{3,4}}', '{}', '(,)', '(,)', '{(,)}', '255.255.255.255', '0.0.0.0/0', 'ff:ff:ff:ff:ff:ff', B'11111111',
 B'1111111111111111', repeat('word ', 10)::tsvector, 'a | b', '<b>2</b>', 4294967295, 'FFFFFFFF/FFFFFFFF', '(-1.5,1e300)'),
-- 5: a second negative infinity for numeric (PostgreSQL 14+)
(5, NULL, NULL, NULL, NULL, '-Infinity', 0.0000000001, 'Infinity', 'Infinity', NULL, NULL, NULL, NULL, NULL, NULL,
 NULL, NULL, 'infinity', '-infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

-- Enums, domains, composites ----------------------------------------------
CREATE TABLE typed_things (
    id         integer PRIMARY KEY,
    feeling    mood NOT NULL DEFAULT 'ok',
    feelings   mood[],
    amount     positive_amount,
    zip        us_postal,
    home       address,
    homes      address[],
    numbers    int_list
);
INSERT INTO typed_things VALUES
(1, 'happy', '{sad,happy}', 10.50, '12345', ROW('1 Main St', 'Springfield', '54321'),
 ARRAY[ROW('a', 'b', '11111')::address], '{1,2}'),
(2, 'sad', NULL, 0.01, NULL, NULL, NULL, '[0:1]={7,8}');

-- Partitioned table with a default partition -------------------------------
CREATE TABLE measurements (
    id       bigint NOT NULL,
    logdate  date NOT NULL,
    reading  numeric(8,3),
    PRIMARY KEY (id, logdate)
) PARTITION BY RANGE (logdate);
CREATE TABLE measurements_2023 PARTITION OF measurements FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurements_other PARTITION OF measurements DEFAULT;
INSERT INTO measurements VALUES (1, '2023-06-01', 1.5), (2, '2024-06-01', 2.5), (3, '1999-01-01', NULL),
    (4, 'infinity', 4.25);

-- Classic inheritance (no primary key on the parent) ---------------------
CREATE TABLE cities (
    name        text NOT NULL,
    population  integer
);
CREATE TABLE capitals (
    state char(2)
) INHERITS (cities);
INSERT INTO cities VALUES ('Springfield', 100000);
INSERT INTO capitals VALUES ('Sacramento', 500000, 'CA');

-- Identity, generated, serial, defaults, sequences ----------------------
CREATE TABLE people (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    first_name  text NOT NULL,
    last_name   text NOT NULL,
    full_name   text GENERATED ALWAYS AS (first_name || ' ' || last_name) STORED,
    badge       serial,
    created_at  timestamptz NOT NULL DEFAULT now(),
    token       uuid DEFAULT gen_random_uuid(),
    invoice_no  integer
);
CREATE SEQUENCE invoice_numbers START 1000 INCREMENT 10;
ALTER TABLE people ALTER COLUMN invoice_no SET DEFAULT nextval('invoice_numbers');
INSERT INTO people (first_name, last_name, created_at) VALUES ('Ada', 'Lovelace', '2024-01-01 00:00:00+00'),
    ('Alan', 'Turing', '2024-01-02 00:00:00+00');
COMMENT ON COLUMN people.full_name IS 'generated from first_name and last_name';

-- CHECK and EXCLUDE (a range exclusion needs no extension) ----------------
CREATE TABLE bookings (
    id      integer PRIMARY KEY,
    room    integer NOT NULL,
    during  tsrange NOT NULL,
    price   numeric(10,2) CHECK (price >= 0),
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (during WITH &&),
    CONSTRAINT bookings_room_positive CHECK (room > 0)
);
INSERT INTO bookings VALUES (1, 101, '[2024-01-01 14:00,2024-01-03 11:00)', 250.00);

-- Quoted mixed-case and reserved names; a collision after case mapping ---
CREATE TABLE "Order" (
    "Id"        integer PRIMARY KEY,
    "select"    text,
    "CamelCase" integer,
    "from"      date,
    "group"     text
);
CREATE TABLE "select" (id integer PRIMARY KEY, "user" text);
CREATE TABLE "order" (id integer PRIMARY KEY);
CREATE TABLE "ORDER" (id integer PRIMARY KEY);
INSERT INTO "Order" VALUES (1, 'x', 2, '2024-01-01', 'g');

CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."Region Totals" (
    region  text PRIMARY KEY,
    total   numeric(14,2)
);
INSERT INTO "Sales"."Region Totals" VALUES ('north', 10.00);

-- A foreign key, an unlogged table, a table without a key ----------------
CREATE TABLE orders (
    id         integer PRIMARY KEY,
    person_id  bigint REFERENCES people (id) ON DELETE CASCADE,
    total      numeric(10,2) NOT NULL DEFAULT 0
);
CREATE UNLOGGED TABLE scratch (k text PRIMARY KEY, v jsonb);
CREATE TABLE events_no_pk (happened_at timestamptz, payload jsonb);
INSERT INTO events_no_pk VALUES ('2024-05-05 05:05:05+00', '{"id": 1}');

-- A wide table (over 500 columns) ----------------------------------------
DO $$
BEGIN
    EXECUTE 'CREATE TABLE wide_table (id integer PRIMARY KEY, '
        || (SELECT string_agg(format('c%s integer', i), ', ') FROM generate_series(1, 520) i) || ')';
END
$$;

-- Views, materialized view, function, trigger, rule ----------------------
CREATE VIEW people_names AS SELECT id, full_name FROM people;
CREATE MATERIALIZED VIEW measurement_totals AS
    SELECT date_trunc('year', logdate) AS year, sum(reading) AS total FROM measurements GROUP BY 1;

CREATE FUNCTION touch_people() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.last_name := trim(NEW.last_name);
    RETURN NEW;
END
$$;
CREATE TRIGGER people_touch BEFORE INSERT OR UPDATE ON people FOR EACH ROW EXECUTE FUNCTION touch_people();
CREATE RULE bookings_keep AS ON DELETE TO bookings DO INSTEAD NOTHING;

ANALYZE;
