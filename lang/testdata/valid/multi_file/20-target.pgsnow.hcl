target "snowflake" "dw" {
  account   = "myorg-myaccount"
  database  = "DW"
  warehouse = env("PGSNOW_TEST_UNSET", "LOAD_WH")
  user      = "LOADER"
  auth {
    method   = "password"
    password = env("SNOWFLAKE_PASSWORD")
  }
}

state "postgres" {
  dsn   = env("PGSNOW_STATE_DSN")
  table = "ops.pgsnow_state"
}
