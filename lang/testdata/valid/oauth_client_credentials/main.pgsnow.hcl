source "postgres" "app" {
  dsn = env("PGSNOW_SOURCE_DSN")
}

target "snowflake" "main" {
  account  = "xy12345"
  database = "ANALYTICS"
  user     = "LOADER"
  auth {
    method        = "oauth"
    issuer        = "https://example.okta.com/oauth2/default"
    client_id     = "0oa1b2c3d4"
    client_secret = env("OKTA_CLIENT_SECRET")
    scopes        = ["session:role:LOADER"]
  }
}
