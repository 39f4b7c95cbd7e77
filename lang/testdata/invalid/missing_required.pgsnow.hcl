source "postgres" "app" {
  dsn = env("PGSNOW_SOURCE_DSN")
}
target "snowflake" "main" { # ERROR: needs "database" # ERROR: needs "auth" block
  account = "xy12345"
  user    = "LOADER"
}
