source "postgres" "app" {
  dsn = env("PGSNOW_SOURCE_DSN")
}
target "snowflake" "main" { # ERROR: needs "user" for keypair authentication
  account  = "xy12345"
  database = "ANALYTICS"
  auth {
    method           = "keypair"
    private_key_path = "no/such/key.p8" # ERROR: Private key file not found
  }
}

target "snowflake" "second" { # ERROR: Duplicate target block
  account  = "xy12345"
  database = "ANALYTICS"
  user     = "LOADER"
  auth {
    method      = "keypair"
    private_key = "s3cret-not-a-pem" # ERROR: must be a PEM-encoded private key # WARNING: Secret written into the spec
  }
}
