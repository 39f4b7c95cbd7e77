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

table "app.public.orders" {
  column "amount" { type = "NUMBER(18,2)" }
  column "amount" { type = "NUMBER(18,4)" } # ERROR: Duplicate column block
}

table "app.public.orders" { # ERROR: Duplicate table block
}
