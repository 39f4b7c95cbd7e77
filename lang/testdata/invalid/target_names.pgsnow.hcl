source "postgres" "app" {
  dsn        = env("PGSNOW_SOURCE_DSN")
  schemas    = ["public", "archive"]
  schema_map = { archive = "PUBLIC" }
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
  target_name = "ORDERS"
  column "a" { target_name = "X" }
  column "b" { target_name = "X" } # ERROR: Duplicate target column
}

# archive is mapped onto PUBLIC, so this lands on PUBLIC.ORDERS too.
table "app.archive.orders_2019" {
  target_name = "ORDERS" # ERROR: would both be loaded into PUBLIC.ORDERS
}
