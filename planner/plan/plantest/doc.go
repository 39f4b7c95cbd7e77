// Package plantest builds plans by hand for tests: a small Builder and the
// reference scenarios (empty target, no changes, column added, table
// dropped behind pgsnow's back, new table, lossy override, destroy) that
// the plan round-trip tests and the renderer golden tests share. The
// planner's own tests can compare what it computes with these.
package plantest
