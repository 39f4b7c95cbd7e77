source "postgres" "app" {
  dsn = env("PGSNOW_SOURCE_DSN")
}
target "snowflake" "main" {
  account  = "xy12345"
  database = "ANALYTICS"
  user     = "LOADER"
  auth {
    method   = "password"
    password = "hunter2" # WARNING: Secret written into the spec
    token    = env("SNOWFLAKE_TOKEN") # ERROR: cannot be used with method = "password"
  }
}
