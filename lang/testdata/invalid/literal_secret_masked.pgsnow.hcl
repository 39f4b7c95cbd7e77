# A password written literally in the spec never appears in a diagnostic
# snippet: the test checks the printed diagnostics for "hunter2".
source "postgres" "app" { password = "hunter2" } # ERROR: needs "dsn" or host # WARNING: Secret written into the spec

target "snowflake" "main" {
  account  = "xy12345"
  database = "ANALYTICS"
  user     = "LOADER"
  auth {
    method   = "password"
    password = "hunter2" # WARNING: Secret written into the spec
    token    = "hunter2" # ERROR: cannot be used with method = "password"
  }
}

state "postgres" {
  dsn = "postgres://u:hunter2@h/db" # WARNING: Secret written into the spec
  table = "bad table" # ERROR: Invalid table
}

settings {
  passwrod = "hunter2" # ERROR: Unsupported argument
}
