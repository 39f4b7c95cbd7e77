-- Extension types for the all-types fixture: load only where
-- pg_available_extensions lists citext and hstore (tests check first).
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
