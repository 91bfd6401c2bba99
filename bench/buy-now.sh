# Sourced by the order benchmarks. buy_now_body <sku> <ops-token> <available>: sets the sku's stock
# in cart-order (8082) and prints a "buy now" body for one unit of it, shipped to Germany and paid
# with tok_visa, its expected total as cart-order quotes it (POST /api/orders/quote: priced as
# checkout prices, shipping and VAT included, nothing written).
buy_now_body() {
  local sku=$1 ops=$2 available=$3 address lines total
  curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $ops" -H 'Content-Type: application/json' \
    -d "{\"available\": $available}" "http://127.0.0.1:8082/api/admin/inventory/$sku"
  address='{"recipientName": "Bench Shopper", "line1": "Hauptstr. 1", "city": "Berlin", "postalCode": "10115", "countryCode": "DE"}'
  lines="[{\"sku\": \"$sku\", \"quantity\": 1}]"
  total=$(curl -fsS -H "Authorization: Bearer $ops" -H 'Content-Type: application/json' \
    -d "{\"address\": $address, \"lines\": $lines}" http://127.0.0.1:8082/api/orders/quote |
    sed -E 's/.*"total":\{"amount":([0-9]+).*/\1/')
  printf '%s' "{\"address\": $address, \"paymentMethod\": \"tok_visa\", \"expectedTotal\": {\"amount\": $total, \"currency\": \"EUR\"}, \"lines\": $lines}"
}

# bench_on_the_way: bench orders not delivered yet in cart-order, plus those notify has not shown
# delivered, plus mails not sent yet: what an earlier run still leaves for the saga to do.
bench_on_the_way() {
  local orders notified mails on_the_way="status IN ('PENDING_PAYMENT', 'CONFIRMED', 'ALLOCATED', 'SHIPPED')"
  orders=$(psql -h 127.0.0.1 -U postgres -d orders -Atqc "SELECT count(*) FROM orders WHERE user_id LIKE 'bench-shopper-%' AND $on_the_way")
  notified=$(psql -h 127.0.0.1 -U postgres -d notify -Atqc "SELECT count(*) FROM order_status WHERE user_id LIKE 'bench-shopper-%' AND $on_the_way")
  mails=$(psql -h 127.0.0.1 -U postgres -d notify -Atqc "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL AND parked_at IS NULL")
  echo $((orders + notified + mails))
}
