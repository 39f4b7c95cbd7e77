source "postgres" "app" {
  dsn = env("PGSNOW_SOURCE_DSN")
}

target "snowflake" "main" {
  account  = "xy12345.us-east-1"
  database = "ANALYTICS"
  user     = "LOADER"
  auth {
    method           = "keypair"
    private_key_path = "keys/rsa_key.p8" # relative to the spec directory
    passphrase       = env("SNOWFLAKE_PASSPHRASE")
  }
}
