/**
 * Shapes of cart-order's cart API (cart-order-reactive/README.md, "Cart") and the pure logic
 * around them. A guest's cart is shown in the same shape as a signed-in shopper's, built here from
 * the browser's lines and `POST /api/cart/prices`; the signed-in one comes priced from `GET /api/cart`.
 */
import { Money } from './catalog';
import { GuestLine, MAX_LINES, MAX_QUANTITY_PER_LINE } from './guest-cart';

/** `IN_STOCK`, `LOW` (at or below the sku's threshold), `OUT_OF_STOCK`, or `UNAVAILABLE` (off sale). */
export type CartAvailability = 'IN_STOCK' | 'LOW' | 'OUT_OF_STOCK' | 'UNAVAILABLE';

/** One item of `POST /api/cart/prices`; `orderable` is what stock and the per-line limit allow now. */
export interface GuestPrice {
  sku: string; name: string; imageUrl?: string; unitPrice: Money; availability: CartAvailability; orderable: number;
}

export interface CartLine {
  sku: string; name: string; imageUrl?: string; quantity: number; unitPrice: Money; lineTotal: Money;
  availability: CartAvailability; orderable: number; priceChanged?: boolean; priceWhenAdded?: Money;
}

export interface CartView {
  lines: CartLine[];
  itemCount: number;
  /** The sum of the lines that can be ordered now. */
  subtotal: Money;
  /** Shipping, tax and total for the signed-in shopper's default address; absent without one (and for guests). */
  estimate?: { country: string; shipping: Money; tax: Money; total: Money };
  version?: number;
  /** Guest lines whose sku the shop no longer knows (the look-up leaves them out). */
  unknown?: GuestLine[];
}

/** Why a guest line did not arrive in the shopper's cart as asked (cart-order `GuestCartMerge.Reason`). */
export type AdjustmentReason = 'CLAMPED' | 'UNKNOWN' | 'INACTIVE' | 'SOLD_OUT' | 'INVALID' | 'TOO_MANY_LINES';

/** `quantity` is what the cart now holds of the sku (0 when not added). */
export interface Adjustment { sku: string | null; requested: number | null; quantity: number; reason: AdjustmentReason; }

export interface MergeOutcome { cart: CartView; adjustments: Adjustment[]; }

const DEFAULT_CURRENCY = 'EUR';

/** The guest's lines priced by the look-up, in the cart's order, with the subtotal cart-order would compute. */
export function guestCartView(lines: GuestLine[], prices: GuestPrice[]): CartView {
  const bySku = new Map(prices.map((p) => [p.sku, p]));
  const priced: CartLine[] = [];
  const unknown: GuestLine[] = [];
  for (const line of lines) {
    const price = bySku.get(line.sku);
    if (!price) {
      unknown.push(line);
      continue;
    }
    priced.push({
      sku: line.sku, name: price.name, imageUrl: price.imageUrl, quantity: line.quantity, unitPrice: price.unitPrice,
      lineTotal: { amount: price.unitPrice.amount * line.quantity, currency: price.unitPrice.currency },
      availability: price.availability, orderable: price.orderable,
    });
  }
  const currency = priced[0]?.unitPrice.currency ?? DEFAULT_CURRENCY;
  const amount = priced
    .filter((l) => canBeOrdered(l) && l.lineTotal.currency === currency)
    .reduce((sum, l) => sum + l.lineTotal.amount, 0);
  return {
    lines: priced,
    itemCount: lines.reduce((n, l) => n + l.quantity, 0),
    subtotal: { amount, currency },
    unknown,
  };
}

/** As cart-order decides it: on sale and enough units for the line's quantity. */
export function canBeOrdered(line: CartLine): boolean {
  return line.availability !== 'UNAVAILABLE' && line.orderable >= line.quantity;
}

export function cartAvailabilityText(line: Pick<CartLine, 'availability' | 'orderable'>): string {
  switch (line.availability) {
    case 'LOW': return line.orderable > 0 ? `Only ${line.orderable} left` : 'Low stock';
    case 'OUT_OF_STOCK': return 'Out of stock';
    case 'UNAVAILABLE': return 'No longer sold';
    default: return 'In stock';
  }
}

/** Why a line is left out of the subtotal, in words, or undefined when it can be ordered. */
export function cartLineNote(line: CartLine): string | undefined {
  if (canBeOrdered(line)) return undefined;
  if (line.availability === 'UNAVAILABLE') return 'This product is no longer sold; remove it to check out.';
  if (line.orderable === 0) return 'Out of stock right now, so it is not in the subtotal.';
  return `Only ${line.orderable} can be ordered now; lower the quantity to include it in the subtotal.`;
}

/**
 * Each adjustment of a merge in words, naming the product when the merged cart (or the guest
 * cart's look-up) knows its name.
 */
export function adjustmentText(adjustment: Adjustment, names: ReadonlyMap<string, string>): string {
  const { sku, requested, quantity } = adjustment;
  const name = (sku && names.get(sku)) || (sku ? `A product (${sku})` : 'A line of your earlier cart');
  switch (adjustment.reason) {
    case 'CLAMPED':
      return requested !== null && requested > MAX_QUANTITY_PER_LINE && quantity === MAX_QUANTITY_PER_LINE
        ? `${name}: ${MAX_QUANTITY_PER_LINE} is the most one order can hold, so your cart has ${quantity}.`
        : `${name}: you chose ${requested}, only ${quantity} can be ordered, so your cart has ${quantity}.`;
    case 'SOLD_OUT': return `${name}: sold out, not added${quantity > 0 ? ` (your cart still has ${quantity})` : ''}.`;
    case 'INACTIVE': return `${name}: no longer sold, not added.`;
    case 'UNKNOWN': return `${name} is no longer in the shop, not added.`;
    case 'TOO_MANY_LINES': return `${name}: your cart holds at most ${MAX_LINES} different products, not added.`;
    default: return `${name} could not be read, not added.`;
  }
}
