source "postgres" "app" {
  dsn            = env("PGSNOW_SOURCE_DSN") # or host/port/database/user/password
  schemas        = ["public", "billing"]
  include_tables = ["*"] # glob on schema.table
  exclude_tables = ["public.tmp_*"]
  schema_map     = { public = "APP" } # optional target schema names
}

target "snowflake" "main" {
  account   = "xy12345"
  database  = "ANALYTICS"
  warehouse = "LOAD_WH"
  role      = "LOADER"
  user      = "LOADER"
  host      = "127.0.0.1" # optional endpoint override (emulator, private link)
  port      = 8085
  protocol  = "http"

  # HCL allows one attribute per line, so the auth block spans several lines.
  auth {
    method   = "password" # also "oauth", "keypair"
    password = env("SNOWFLAKE_PASSWORD")
  }
}

state "local" { path = "pgsnow.state" } # also state "postgres" { dsn = … }

settings {
  parallelism     = 4      # 1..16
  format          = "csv"  # csv | parquet
  compression     = "zstd" # zstd | gzip | none
  chunk_rows      = 1000000
  chunk_size      = "200MB"
  identifier_case = "upper" # upper | preserve
}

table "app.public.orders" {
  chunk_rows = 250000
  where      = "created_at >= '2020-01-01'"
  column "amount" { type = "NUMBER(18,2)" }
}

type_override "money" { type = "NUMBER(19,4)" }
