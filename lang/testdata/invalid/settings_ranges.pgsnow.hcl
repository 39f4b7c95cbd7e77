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
  parallelism            = 40 # ERROR: Invalid parallelism
  chunk_rows             = 0 # ERROR: Invalid chunk_rows
  profile_sample_percent = 0 # ERROR: Invalid profile_sample_percent
}
