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

settings {
  retry {
    min_backoff = "10s"
    max_backoff = "2s" # ERROR: must not exceed max_backoff
  }
}
