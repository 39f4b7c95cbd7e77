# Two PostgreSQL databases migrated into one Snowflake database.
# Both have a "public" schema; schema_map gives each its own target schema
# so their tables cannot collide.

source "postgres" "shop" {
  host       = "shop-db.internal"
  port       = 5432
  database   = "shop"
  user       = "migrator"
  password   = env("SHOP_DB_PASSWORD")
  sslmode    = "verify-full"
  schemas    = ["public"]
  schema_map = { public = "SHOP" }
}

source "postgres" "billing" {
  dsn            = env("BILLING_DSN")
  schemas        = ["public", "ledger"]
  exclude_tables = ["ledger.audit_*"]
  schema_map     = { public = "BILLING", ledger = "BILLING_LEDGER" }
}

target "snowflake" "dw" {
  account   = "myorg-myaccount"
  database  = "DW"
  warehouse = "LOAD_WH"
  role      = "LOADER"
  user      = "LOADER"
  auth {
    method      = "keypair"
    private_key = env("SNOWFLAKE_PRIVATE_KEY") # PKCS#8 PEM; or private_key_path = "…"
    passphrase  = env("SNOWFLAKE_KEY_PASSPHRASE")
  }
}

state "postgres" {
  dsn   = env("PGSNOW_STATE_DSN")
  table = "pgsnow.state"
}

settings {
  parallelism = 8
  format      = "parquet"
  retry {
    attempts    = 10
    max_backoff = "2m"
  }
}

table "billing.ledger.entries" {
  chunk_by   = "primary_key"
  chunk_rows = 5000000
}

type_override "money" {
  type = "NUMBER(19,4)"
}
