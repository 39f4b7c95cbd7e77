source "postgres" { # ERROR: Missing name for source
  dsn = env("PGSNOW_SOURCE_DSN")
}

source "postgres" "app" {
  dsn = env("PGSNOW_SOURCE_DSN")
}
target "bigquery" "main" { # ERROR: Unsupported target type
  account  = "xy12345"
  database = "ANALYTICS"
  user     = "LOADER"
  auth {
    method   = "password"
    password = env("SNOWFLAKE_PASSWORD")
  }
}
