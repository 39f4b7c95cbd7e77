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

state "postgres" { # ERROR: needs "dsn"
  table = "pgsnow state" # ERROR: must be a plain identifier
  path  = "x" # ERROR: Unsupported argument
}
