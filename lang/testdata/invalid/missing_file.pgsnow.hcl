source "postgres" "app" {
  dsn = file("no/such/dsn.txt") # ERROR: does not exist
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
