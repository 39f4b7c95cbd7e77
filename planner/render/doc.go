// Package render shows a plan.Plan to people and programs: Terraform-style
// text for the terminal (ANSI colours only when asked), markdown made for a
// pull-request comment, and the versioned JSON form. It reads the plan
// only; it never computes changes.
//
// Text symbols (docs/plan-json.md, "Text symbols"):
//
//   - create                 -     destroy
//     ~     update in place        -/+   replace (destroy, then create)
//     <=    load data              -/<=  empty the table, then load again
//     !     drift (changed in Snowflake outside pgsnow) or a warning
package render
