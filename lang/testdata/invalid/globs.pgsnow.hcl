source "postgres" "app" {
  dsn            = env("PGSNOW_SOURCE_DSN")
  include_tables = ["public.[a-"] # ERROR: Invalid glob pattern
  exclude_tables = ["orders"] # WARNING: Pattern never matches
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

source "postgres" "other" {
  dsn            = env("PGSNOW_SOURCE_DSN")
  schemas        = ["public", "sales"]
  include_tables = ["sales.*", "pubic.*"] # WARNING: names schema "pubic"
}
