source "postgres" "app" {
  dsn     = env("PGSNOW_SOURCE_DSN")
  shemas  = ["public"] # ERROR: Unsupported argument
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
  paralellism = 4 # ERROR: Unsupported argument
}
