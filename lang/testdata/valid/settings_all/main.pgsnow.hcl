source "postgres" "app" {
  host     = "127.0.0.1"
  database = "app"
  user     = "postgres"
  password = trimspace(file("password.txt"))
  schemas  = ["public", "Sales"]
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
  parallelism            = env("PGSNOW_TEST_PARALLEL")
  format                 = "parquet"
  compression            = "snappy"
  chunk_rows             = 500000
  chunk_size             = "1.5GiB"
  chunk_by               = "primary_key"
  identifier_case        = "preserve"
  keep_files             = true
  spill_dir              = "/var/tmp/pgsnow"
  stage_encryption       = "snowflake_sse"
  profile                = false
  profile_sample_percent = 2.5
  retry {
    attempts    = 8
    min_backoff = "250ms"
    max_backoff = "1m"
  }
}

table "app.Sales.\"odd.name\"" {
  chunk_size             = "64MiB"
  chunk_by               = "ctid"
  profile                = true
  profile_sample_percent = 100
  target_name            = "ODD_NAME"
  where                  = "(region = 'EU' OR region = 'it''s') AND id > 0"
  column "Amount" {
    type        = "DECIMAL(10,2)"
    allow_lossy = true
    target_name = "AMOUNT_EUR"
  }
  column "payload" {
    type = "variant"
  }
}

type_override "int4" {
  type = "NUMBER(10,0)"
}

type_override "timestamptz" {
  type = "TIMESTAMP_TZ(6)"
}

type_override "billing.currency" {
  type        = "VARCHAR(3)"
  allow_lossy = false
}
