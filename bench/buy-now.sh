# Sourced by the order benchmarks. buy_now_body <sku> <ops-token> <available>: sets the sku's stock
# in cart-order (8082) and prints a "buy now" body for one unit of it, shipped to Germany and paid
# with tok_visa, its expected total from the guest price look-up.
buy_now_body() {
  local sku=$1 ops=$2 available=$3 price total
  curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $ops" -H 'Content-Type: application/json' \
    -d "{\"available\": $available}" "http://127.0.0.1:8082/api/admin/inventory/$sku"
  price=$(curl -fsS -H 'Content-Type: application/json' -d "{\"skus\": [\"$sku\"]}" http://127.0.0.1:8082/api/cart/prices |
    sed -E 's/.*"unitPrice":\{"amount":([0-9]+).*/\1/')
  # shipping to Germany: 4.95 below 50.00, free above
  total=$((price >= 5000 ? price : price + 495))
  printf '%s' "{\"address\": {\"recipientName\": \"Bench Shopper\", \"line1\": \"Hauptstr. 1\", \"city\": \"Berlin\", \"postalCode\": \"10115\", \"countryCode\": \"DE\"}, \"paymentMethod\": \"tok_visa\", \"expectedTotal\": {\"amount\": $total, \"currency\": \"EUR\"}, \"lines\": [{\"sku\": \"$sku\", \"quantity\": 1}]}"
}
