# Two PostgreSQL databases into one Snowflake database; schema_map keeps
# their "public" schemas apart.
source "postgres" "app" {
  host       = "db.internal"
  port       = 6432
  database   = "app"
  user       = "migrator"
  password   = env("SNOWFLAKE_PASSWORD")
  sslmode    = "verify-full"
  schemas    = ["public"]
  schema_map = { public = "APP" }
}

source "postgres" "billing" {
  dsn            = "host=billing.internal port=5432 dbname=billing user=ro password='${env("BILLING_PASSWORD")}'"
  schemas        = ["public", "ledger"]
  include_tables = ["public.invoice*", "ledger.*"]
  exclude_tables = ["ledger.audit_?", "ledger.[xy]_tmp"]
  schema_map     = { public = "BILLING", ledger = "BILLING_LEDGER" }
}
