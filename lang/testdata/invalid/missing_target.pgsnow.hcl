source "postgres" "app" { # ERROR: Missing target block
  dsn = env("PGSNOW_SOURCE_DSN")
}
