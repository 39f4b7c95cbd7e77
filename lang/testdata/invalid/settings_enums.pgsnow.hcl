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
  spill_dir       = "/tmp"
  stage_encryption = "none" # ERROR: Invalid stage_encryption
}

table "app.public.orders" {
  # A mistaken env() in a non-secret attribute: the value is not shown.
  chunk_by = env("SNOWFLAKE_PASSWORD") # ERROR: (a value from env() or file(), not shown)
  column "x" {
    type = trimspace(env("SNOWFLAKE_PASSWORD")) # ERROR: (a value from env() or file(), not shown) is not a valid Snowflake type
  }
}
