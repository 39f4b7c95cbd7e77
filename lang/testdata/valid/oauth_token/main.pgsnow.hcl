source "postgres" "app" {
  dsn = env("PGSNOW_SOURCE_DSN")
}

target "snowflake" "main" {
  account  = "xy12345"
  database = "ANALYTICS"
  role     = "LOADER"
  auth {
    method = "oauth"
    token  = env("SNOWFLAKE_TOKEN")
  }
}
