/**
 * Shapes of cart-order's orders API (cart-order-reactive/README.md, "Checkout", "After checkout"),
 * of notify's live order view (notify-reactive/README.md, "A shopper's stream"), and the pure logic
 * around them.
 */
import type { Navigation } from '@angular/router';
import { Money } from './catalog';

export type OrderStatus =
  'PENDING_PAYMENT' | 'PAYMENT_FAILED' | 'CONFIRMED' | 'ALLOCATED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED';

/** Where an order goes, copied onto it at checkout. */
export interface ShippingAddress {
  recipientName: string; line1: string; line2?: string; city: string; region?: string; postalCode: string;
  countryCode: string; phone?: string;
}

export interface OrderLine { sku: string; name: string; quantity: number; unitPrice: Money; lineTotal: Money; }
/** `status`: `REQUESTED`, `SUCCEEDED`, `FAILED` or `REFUND_REQUESTED`. */
export interface PaymentAttempt {
  attempt: number; amount: Money; status: string; failureCode?: string; requestedAt: string; decidedAt?: string;
}
export interface StatusChange { status: OrderStatus; reason?: string; at: string; }

/** `GET /api/orders/{id}`, one item of `GET /api/orders`, and the answer of checkout, cancel and payment retry. */
export interface OrderView {
  id: string; status: OrderStatus; version: number; lines: OrderLine[]; subtotal: Money; shipping: Money; tax: Money;
  total: Money; shipTo: ShippingAddress; paymentAttempts: PaymentAttempt[]; timeline: StatusChange[]; placedAt: string;
}

/** The data of notify's `snapshot` (one per order) and `order` events: the whole order after each change. */
export interface LiveOrder {
  orderId: string; status: OrderStatus; version: number; reason: string | null; total: Money | null;
  paymentFailure: { reason: string; message: string | null; at: string } | null;
  shipment: { carrier: string; trackingNumber: string; at: string } | null;
  refund: { amount: Money; at: string } | null;
  placedAt: string; statusChangedAt: string; confirmedAt: string | null; allocatedAt: string | null;
  deliveredAt: string | null;
  cancelledAt: string | null; finalStatus: boolean;
}

/** `POST /api/orders` for the cart's lines. */
export interface CheckoutBody { addressId: string; paymentMethod: string; expectedTotal: Money; }

/** The extension members of `409 …/problems/price-changed`: the order priced now. */
export interface PriceChange { subtotal: Money; shipping: Money; tax: Money; total: Money; }

export const PRICE_CHANGED = 'https://surge.dev/problems/price-changed';
export const REQUEST_IN_PROGRESS = 'https://surge.dev/problems/request-in-progress';

/**
 * The simulated payment provider's test tokens (fulfilment-reactive/README.md, "Test tokens") under
 * names a shopper can read; the shop has no card form in dev, these are its payment methods.
 */
export const PAYMENT_METHODS: readonly { token: string; name: string }[] = [
  { token: 'tok_visa', name: 'Visa test card (pays)' },
  { token: 'tok_mastercard', name: 'Mastercard test card (pays)' },
  { token: 'tok_amex', name: 'American Express test card (pays)' },
  { token: 'tok_slow', name: 'Slow test card (pays after a second)' },
  { token: 'tok_chargeDeclined', name: 'Declined test card' },
  { token: 'tok_chargeDeclinedInsufficientFunds', name: 'Test card without enough funds' },
  { token: 'tok_chargeDeclinedExpiredCard', name: 'Expired test card' },
  { token: 'tok_chargeDeclinedIncorrectCvc', name: 'Test card with a wrong security code' },
  { token: 'tok_timeout', name: 'Test card whose bank never answers' },
];

const STATUS_TEXT: Record<OrderStatus, string> = {
  PENDING_PAYMENT: 'Waiting for payment',
  PAYMENT_FAILED: 'Payment failed',
  CONFIRMED: 'Paid and confirmed',
  ALLOCATED: 'Being packed',
  SHIPPED: 'Shipped',
  DELIVERED: 'Delivered',
  CANCELLED: 'Cancelled',
};

export function statusText(status: OrderStatus): string {
  return STATUS_TEXT[status] ?? status;
}

/**
 * A failed payment's reason code (fulfilment's, or cart-order's `PAYMENT_TIMEOUT`) in plain words;
 * a code this shop does not know yet is said in the provider's own words when there are any.
 */
export function paymentFailureText(code: string | null | undefined, providerMessage?: string | null): string {
  switch (code) {
    case 'CARD_DECLINED': return 'Your card was declined.';
    case 'INSUFFICIENT_FUNDS': return 'Your card does not have enough funds.';
    case 'EXPIRED_CARD': return 'Your card has expired.';
    case 'INCORRECT_CVC': return 'The card’s security code was not right.';
    case 'INVALID_PAYMENT_METHOD': return 'This payment method cannot be used.';
    case 'PROVIDER_UNAVAILABLE': return 'The payment provider did not answer, so nothing was charged.';
    case 'PAYMENT_TIMEOUT': return 'The payment did not complete in time, so nothing was charged.';
    default: return providerMessage || 'The payment did not go through.';
  }
}

/** The steps an order goes through when all goes well, in order. */
export const STEPS: readonly OrderStatus[] = ['PENDING_PAYMENT', 'CONFIRMED', 'ALLOCATED', 'SHIPPED', 'DELIVERED'];
const STEP_TEXT: Partial<Record<OrderStatus, string>> = {
  PENDING_PAYMENT: 'Order placed', CONFIRMED: 'Payment confirmed', ALLOCATED: 'Packed at the warehouse',
  SHIPPED: 'Shipped', DELIVERED: 'Delivered',
};

export interface TimelineStep { status: OrderStatus; label: string; done: boolean; current: boolean; at?: string; }

/**
 * The timeline to show: every step of the normal flow, done up to the status the order reached (a
 * failed payment or a cancel stops where the order was), with the time of each step known.
 */
export function timelineSteps(status: OrderStatus, times: ReadonlyMap<OrderStatus, string>): TimelineStep[] {
  let reached = STEPS.indexOf(status);
  if (reached < 0) {
    // off the normal flow: as far as the steps it went through before
    reached = Math.max(0, ...STEPS.map((s, i) => (times.has(s) ? i : 0)));
  }
  return STEPS.map((s, i) => ({
    status: s, label: STEP_TEXT[s]!, done: i <= reached, current: i === reached && STEPS.includes(status),
    at: i <= reached ? times.get(s) : undefined,
  }));
}

/** The time of each status an order took: from its timeline, and what the live view adds. */
export function statusTimes(order: OrderView | undefined, live: LiveOrder | undefined): Map<OrderStatus, string> {
  const times = new Map<OrderStatus, string>();
  for (const change of order?.timeline ?? []) times.set(change.status, change.at);
  if (live) {
    if (!times.has('PENDING_PAYMENT')) times.set('PENDING_PAYMENT', live.placedAt);
    if (live.confirmedAt && !times.has('CONFIRMED')) times.set('CONFIRMED', live.confirmedAt);
    if (live.allocatedAt && !times.has('ALLOCATED')) times.set('ALLOCATED', live.allocatedAt);
    if (live.shipment?.at && !times.has('SHIPPED')) times.set('SHIPPED', live.shipment.at);
    if (live.deliveredAt && !times.has('DELIVERED')) times.set('DELIVERED', live.deliveredAt);
    if (!times.has(live.status)) times.set(live.status, live.statusChangedAt);
  }
  return times;
}

/** cart-order lets an order be cancelled until it is shipped. */
export function cancellable(status: OrderStatus): boolean {
  return status === 'PENDING_PAYMENT' || status === 'PAYMENT_FAILED' || status === 'CONFIRMED' || status === 'ALLOCATED';
}

/** The status to show: the live one when it is newer than the order as read. */
export function currentStatus(order: Pick<OrderView, 'status' | 'version'>, live: LiveOrder | undefined): OrderStatus {
  return live && live.version > order.version ? live.status : order.status;
}

/** The reason code of the order's latest failed payment, live first. */
export function latestFailure(order: OrderView | undefined, live: LiveOrder | undefined): string | undefined {
  if (live?.paymentFailure && (!order || live.version >= order.version)) return live.paymentFailure.reason;
  const attempts = order?.paymentAttempts ?? [];
  const last = attempts[attempts.length - 1];
  if (last?.failureCode) return last.failureCode;
  return [...(order?.timeline ?? [])].reverse().find((c) => c.status === 'PAYMENT_FAILED')?.reason;
}

/** A fresh Idempotency-Key: a random UUID (getRandomValues, which, unlike randomUUID, plain http also has). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One key per attempt: the same request sent again (a double click, a retry after a lost answer)
 * carries the key it had, so cart-order replays it instead of ordering twice; a request with any
 * other body (another address, method or total) is a new attempt with a new key.
 */
export class IdempotentAttempts {
  private last?: { body: string; key: string };

  keyFor(body: unknown): string {
    const json = JSON.stringify(body);
    if (this.last?.body !== json) this.last = { body: json, key: newIdempotencyKey() };
    return this.last.key;
  }
}

/** The router state checkout sends along when it opens the order it just placed (`{ placedOrder: id }`). */
export const PLACED_ORDER_STATE = 'placedOrder';

/**
 * The id of the order checkout just placed, when this navigation is checkout's own landing on its
 * page: a navigation the app made (not back/forward, which restore the entry's state) after an
 * earlier one (not the first of a reload, which restores it too), carrying the state checkout set.
 */
export function placedOrderOf(navigation: Navigation | null | undefined): string | undefined {
  if (!navigation || navigation.trigger !== 'imperative' || !navigation.previousNavigation) return undefined;
  const id = navigation.extras.state?.[PLACED_ORDER_STATE];
  return typeof id === 'string' ? id : undefined;
}

export function shortId(id: string): string {
  return id.slice(0, 8).toUpperCase();
}

/** A moment as a shopper reads it: "2 Dec 2026, 07:01". */
export function formatTime(iso: string | null | undefined, locale = 'en-IE'): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
