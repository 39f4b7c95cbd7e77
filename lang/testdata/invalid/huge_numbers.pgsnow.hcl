source "postgres" "app" {
  dsn = env("PGSNOW_SOURCE_DSN")
}

target "snowflake" "main" {
  account  = "xy12345"
  database = "ANALYTICS"
  user     = "LOADER"
  auth {
    method   = "password"
    password = env("SNOWFLAKE_PASSWORD")
  }
}

# Printing these as strings would take minutes: they are refused up front.
settings {
  format      = 1e99999999 # ERROR: Number out of range
  spill_dir   = "${1e-99999999}" # ERROR: Number out of range
  parallelism = 1e400 # ERROR: Number out of range
  chunk_rows  = 1e300 # ERROR: Invalid chunk_rows
}

source "postgres" "other" {
  dsn     = env("PGSNOW_SOURCE_DSN")
  schemas = [for s in ["a", "b"] : s] # ERROR: for expressions
  include_tables = ["%{for t in ["a"]}${t}%{endfor}"] # ERROR: Unsupported expression
}
