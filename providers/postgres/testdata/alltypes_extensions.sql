-- Extension types and a foreign table for the all-types fixture: load only where
-- pg_available_extensions lists citext, hstore and postgres_fdw (tests check first).
-- Stable path: providers/postgres/testdata/alltypes_extensions.sql.
SET client_min_messages = warning;
CREATE SCHEMA exttypes;
CREATE EXTENSION IF NOT EXISTS citext SCHEMA exttypes;
CREATE EXTENSION IF NOT EXISTS hstore SCHEMA exttypes;
CREATE TABLE exttypes.tagged (
    id     integer PRIMARY KEY,
    email  exttypes.citext NOT NULL,
    attrs  exttypes.hstore
);
INSERT INTO exttypes.tagged VALUES (1, 'Ada@Example.com', 'a=>1, b=>NULL'), (2, 'x', NULL);

-- A foreign table (postgres_fdw; the server is never contacted: foreign
-- tables are introspected, not scanned).
CREATE EXTENSION IF NOT EXISTS postgres_fdw SCHEMA exttypes;
CREATE SERVER elsewhere FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '192.0.2.1', dbname 'remote');
CREATE FOREIGN TABLE exttypes.remote_orders (id integer, total numeric(10,2)) SERVER elsewhere;
