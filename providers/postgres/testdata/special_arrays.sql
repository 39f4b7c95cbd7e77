-- Arrays whose elements Snowflake cannot hold as scalars (array_to_json
-- turns NaN, Infinity, infinite dates and 24:00:00 into strings). Loaded
-- after alltypes.sql (it uses the domain positive_amount); kept apart so
-- that the all-types fixture other packages' golden files depend on stays
-- unchanged. Stable path: providers/postgres/testdata/special_arrays.sql.
SET client_min_messages = warning;
SET TimeZone = 'UTC';

CREATE TABLE special_arrays (
    id       integer PRIMARY KEY,
    nums     numeric[],
    floats   double precision[],
    days     date[],
    stamps   timestamptz[],
    times    time[],
    amounts  positive_amount[]
);
INSERT INTO special_arrays VALUES
(1, '{1.5,2}', '{1.5}', '{2024-01-01}', '{"2024-01-01 00:00:00+00"}', '{12:00:00}', '{1.00}'),
(2, '{NaN,1}', '{Infinity}', '{infinity}', '{"0044-03-15 00:00:00+00 BC"}', '{24:00:00}', NULL),
(3, '{{1,-Infinity},{2,3}}', '{{NaN,1},{2,3}}', '{10000-01-01}', NULL, NULL, '{2.50}');

ANALYZE special_arrays;
