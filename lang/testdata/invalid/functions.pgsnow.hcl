source "postgres" "app" {
  dsn = env() # ERROR: Not enough function arguments
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
  spill_dir = env("PGSNOW_TEST_EMPTY_VAR") # ERROR: must not be empty
  format    = upper("csv") # ERROR: Call to unknown function
  compression = var.compression # ERROR: Variables not allowed
}
