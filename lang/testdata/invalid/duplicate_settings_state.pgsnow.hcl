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

settings {}
settings {} # ERROR: Duplicate settings block
state "local" {}
state "local" { # ERROR: Duplicate state block
  path = "other.state"
}
