source "postgres" "app" {
  dsn = env("PGSNOW_SOURCE_DSN")
}

# A public client (no client_secret): `pgsnow login` obtains the token in a
# browser and caches it; other commands use the cached token.
target "snowflake" "main" {
  account  = "xy12345"
  database = "ANALYTICS"
  user     = "LOADER"
  auth {
    method            = "oauth"
    token_url         = "https://login.example.com/oauth2/token"
    authorization_url = "https://login.example.com/oauth2/authorize"
    client_id         = "pgsnow-cli"
    scopes            = ["session:role:LOADER", "offline_access"]
  }
}
