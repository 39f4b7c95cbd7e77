source "postgres" "app" {
  dsn     = env("PGSNOW_SOURCE_DSN")
  schemas = "public" # ERROR: list of string required
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

settings {
  parallelism = "four" # ERROR: a number is required
  keep_files  = "maybe" # ERROR: a bool is required
  chunk_rows  = 1.5 # ERROR: must be a whole number
}

source "postgres" "other" {
  dsn            = env("PGSNOW_SOURCE_DSN")
  include_tables = "public.*" # ERROR: list of string required
}
