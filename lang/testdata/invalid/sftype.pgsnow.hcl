source "postgres" "app" {
  dsn = env("PGSNOW_SOURCE_DSN")
}
target "snowflake" "main" {
  account  = "xy12345"
  database = "ANALYTICS"
  user     = "LOADER"
  auth {
    method   = "password"
    password = env("SNOWFLAKE_PASSWORD")
  }
}

table "app.public.orders" {
  column "amount" { type = "NUMBER(39,2)" } # ERROR: precision 39 out of range 1..38
  column "note" { type = "VARCHAR(0)" } # ERROR: length 0 out of range
  column "at" { type = "TIMESTAMP_TZ(10)" } # ERROR: precision 10 out of range 0..9
  column "x" { type = "NUMBER(5,6)" } # ERROR: scale 6 out of range 0..5
}

type_override "money" { type = "MONEY" } # ERROR: unknown Snowflake type "MONEY"
type_override "int4" { type = "INT(10)" } # ERROR: takes no parameters
type_override "integer" { type = "NUMBER(10,0)" } # ERROR: Duplicate type_override
type_override "uuid" {} # ERROR: Missing required argument
type_override "numeric(10,2)" { type = "NUMBER(10,2)" } # ERROR: without modifiers
