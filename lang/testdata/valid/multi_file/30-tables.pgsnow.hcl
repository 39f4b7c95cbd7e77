table "billing.public.invoices" {
  chunk_by = "primary_key"
}

table "app.public.orders" {
  column "total" {
    type = "number(38, 2)"
  }
}
