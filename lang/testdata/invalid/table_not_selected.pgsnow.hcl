source "postgres" "app" {
  dsn            = env("PGSNOW_SOURCE_DSN")
  exclude_tables = ["public.tmp_*"]
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

table "app.public.tmp_x" { # ERROR: Table not selected by its source
}

table "app.billing.invoices" { # ERROR: does not migrate billing.invoices
}
