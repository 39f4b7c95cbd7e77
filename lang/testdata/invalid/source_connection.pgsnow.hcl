source "postgres" "a" {
  dsn  = env("PGSNOW_SOURCE_DSN")
  host = "db.internal" # ERROR: cannot be used together with dsn
}

source "postgres" "b" { # ERROR: Missing required argument
  host = "db.internal"
  port = 70000 # ERROR: Invalid port
  sslmode = "sometimes" # ERROR: Invalid sslmode
}

source "postgres" "c" { # ERROR: needs "dsn" or host
  schemas = []  # ERROR: at least one schema
}

source "postgres" "d" {
  dsn = "mysql://u@h/db" # ERROR: scheme must be postgres://
}

source "mysql" "e" { # ERROR: Unsupported source type
  dsn = "host=h user='unterminated" # ERROR: unterminated quoted value
}

source "postgres" "my.db" { # ERROR: Invalid source name
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

source "postgres" "f" { # ERROR: needs "dsn" or host
  dsn = null
}

source "postgres" "g" {
  dsn = "postgres://u@h/db\n" # ERROR: trailing white space
}
