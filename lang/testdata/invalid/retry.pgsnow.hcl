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
    attempts    = 0 # ERROR: Invalid attempts
    min_backoff = "5 seconds" # ERROR: must be a duration
  }
  retry { # ERROR: Duplicate retry block
  }
}
