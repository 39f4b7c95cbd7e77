source "postgres" "app" {
  dsn        = env("PGSNOW_SOURCE_DSN")
  schemas    = ["public", "public"] # ERROR: listed twice
  schema_map = { billing = "BILLING", public = "" } # ERROR: not in this source's schemas
  # ERROR: must be 1 to 255 characters
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
