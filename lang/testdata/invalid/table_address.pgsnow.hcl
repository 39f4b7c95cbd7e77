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

table "app.public.tmp_*" { # ERROR: glob character
}

table "app.orders" { # ERROR: must have three parts
}

table "app..orders" { # ERROR: empty schema name
}
