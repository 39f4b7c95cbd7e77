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
  format      = "parquet"
  compression = "gzip" # ERROR: Parquet pages are compressed with "zstd" or "snappy"; "gzip" is for CSV files.
}
