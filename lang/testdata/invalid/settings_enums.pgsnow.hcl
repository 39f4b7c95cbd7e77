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
  format          = "avro" # ERROR: "format" must be one of "csv", "parquet"
  compression     = "lz4" # ERROR: Invalid compression
  identifier_case = "lower" # ERROR: Invalid identifier_case
  chunk_by        = "id" # ERROR: Invalid chunk_by
}
