source "postgres" "app" {
  dsn = env("PGSNOW_SOURCE_DSN")
}
target "snowflake" "main" {
  account  = "xy 12345" # ERROR: Invalid account
  database = "ANALYTICS"
  protocol = "ftp" # ERROR: Invalid protocol
  auth {
    method = "ldap" # ERROR: "method" must be one of "password", "oauth", "keypair"
  }
  auth { # ERROR: Duplicate auth block
    method = "oauth"
  }
}
