# A password written literally in the spec never appears in a diagnostic
# snippet: the test checks the printed diagnostics for "hunter2".
source "postgres" "app" { password = "hunter2" } # ERROR: needs "dsn" or host

target "snowflake" "main" {
  account  = "xy12345"
  database = "ANALYTICS"
  user     = "LOADER"
  auth {
    method   = "password"
    password = "hunter2" # the literal is masked
    token    = "hunter2" # ERROR: cannot be used with method = "password"
  }
}

state "postgres" {
  dsn = "postgres://u:hunter2@h/db" # ok
  table = "bad table" # ERROR: Invalid table
}
