# External OAuth with a token an agent keeps fresh in a file, a local state
# file next to the spec, and sources given by parts.
source "postgres" "app" {
  host     = "db.internal"
  database = "app"
  user     = "readonly"
}

target "snowflake" "main" {
  account  = "xy12345"
  database = "ANALYTICS"
  auth {
    method     = "oauth"
    token_file = "/var/run/secrets/snowflake/token"
  }
}

state "local" {
  path = "state/prod.pgsnow.state"
}

table "app.public.events" {
  chunk_rows = 1
  where      = "kind IN ('a', 'b')"
}
