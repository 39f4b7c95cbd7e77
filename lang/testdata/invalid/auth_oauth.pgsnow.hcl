source "postgres" "app" {
  dsn = env("PGSNOW_SOURCE_DSN")
}
target "snowflake" "main" {
  account  = "xy12345"
  database = "ANALYTICS"
  auth { # ERROR: needs "authorization_url"
    method        = "oauth" # ERROR: exactly one of token, token_file, or client_id
    token         = env("SNOWFLAKE_TOKEN")
    client_id     = "abc"
    token_url     = "not a url" # ERROR: must be an http(s) URL
  }
}
