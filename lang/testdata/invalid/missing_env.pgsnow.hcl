source "postgres" "app" {
  dsn = env("PGSNOW_TEST_UNSET") # ERROR: The environment variable PGSNOW_TEST_UNSET is not set # ERROR: Missing environment variable
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
