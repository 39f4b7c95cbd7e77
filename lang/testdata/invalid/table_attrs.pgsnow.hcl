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
  where                  = "1=1; DROP TABLE orders" # ERROR: without ';'
  chunk_by               = "random" # ERROR: Invalid chunk_by
  profile_sample_percent = 101 # ERROR: Invalid profile_sample_percent
  target_name            = "" # ERROR: must not be empty
  column "id" {
    type        = 42 # ERROR: unknown Snowflake type "42"
    allow_lossy = "yes" # ERROR: a bool is required
    nullable    = true # ERROR: Unsupported argument
  }
}

table "app.public.items" {
  where = "price > (1" # ERROR: unbalanced '('
}

table "app.public.notes" {
  where = "x = 1 -- all" # ERROR: -- comment
}
