source "postgres" "app" {
  dsn = env("PGSNOW_SOURCE_DSN")
}

target "snowflake" "main" {
  account  = "xy12345"
  database = "ANALYTICS"
  user     = "LOADER"
  auth {
    method      = "keypair"
    private_key = file("rsa_key.p8")
  }
}

state "local" {}
