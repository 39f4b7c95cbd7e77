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

settings {
  chunk_size = "10GB" # ERROR: must be between 1MB and 5GB
}

table "app.public.a" {
  chunk_size = "200 megabytes" # ERROR: is not a size
}

table "app.public.b" {
  chunk_size = "0.5B" # ERROR: not a whole number of bytes
}

table "app.public.c" {
  chunk_size = 1000 # ERROR: Invalid chunk_size
}
