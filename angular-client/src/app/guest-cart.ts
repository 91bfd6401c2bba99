import { Injectable, computed, signal } from '@angular/core';

/**
 * A guest's cart lives in the browser: sku and quantity per line, nothing else (names, prices and
 * stock are looked up when the cart is shown, so they are never stale). The stored shape is the
 * body of cart-order's `POST /api/cart/merge`, `{"lines": [{"sku", "quantity"}]}`.
 */
export interface GuestLine { sku: string; quantity: number; }

/** cart-order's limits (`surge.cart.max-quantity-per-line`, `surge.cart.max-lines`); the merge clamps to them too. */
export const MAX_QUANTITY_PER_LINE = 10;
export const MAX_LINES = 50;
export const STORAGE_KEY = 'surge.guest-cart';

/** The sku rule of catalog and cart-order: 3–40 of A–Z, 0–9 and '-'. */
const SKU = /^[A-Z0-9-]{3,40}$/;

/** What adding did: the new lines, how many units were added, and why fewer than asked, if so. */
export interface AddOutcome {
  lines: GuestLine[];
  added: number;
  quantity: number;
  limitedBy?: 'line-limit' | 'stock' | 'too-many-lines';
}

/**
 * Reads what localStorage holds, whatever it is: anything that is not the stored shape (another
 * app's value, a hand-edited one, a cut-off write) yields what can be read of it, never an error.
 */
export function readGuestCart(stored: string | null): GuestLine[] {
  let value: unknown;
  try {
    value = stored ? JSON.parse(stored) : null;
  } catch {
    return [];
  }
  const lines = (value as { lines?: unknown } | null)?.lines;
  if (!Array.isArray(lines)) return [];
  const result: GuestLine[] = [];
  for (const line of lines) {
    const { sku, quantity } = (line ?? {}) as { sku?: unknown; quantity?: unknown };
    if (typeof sku !== 'string' || !SKU.test(sku) || typeof quantity !== 'number' || !Number.isFinite(quantity)) continue;
    const q = clampQuantity(quantity);
    if (q < 1 || result.some((l) => l.sku === sku) || result.length >= MAX_LINES) continue;
    result.push({ sku, quantity: q });
  }
  return result;
}

export function writeGuestCart(lines: GuestLine[]): string {
  return JSON.stringify({ lines: lines.map(({ sku, quantity }) => ({ sku, quantity })) });
}

/**
 * Adds units of a sku (to its line when there is one), at most the per-line limit and, when the
 * catalog told how many are left, at most that many in all.
 */
export function addToGuestCart(lines: GuestLine[], sku: string, quantity: number, inStock?: number): AddOutcome {
  const line = lines.find((l) => l.sku === sku);
  const held = line?.quantity ?? 0;
  if (!line && lines.length >= MAX_LINES) return { lines, added: 0, quantity: 0, limitedBy: 'too-many-lines' };
  const stockCap = inStock === undefined ? MAX_QUANTITY_PER_LINE : Math.max(0, Math.floor(inStock));
  const cap = Math.min(MAX_QUANTITY_PER_LINE, stockCap);
  const wanted = held + Math.max(1, Math.floor(quantity));
  const next = Math.max(held, Math.min(wanted, cap));
  const limitedBy = next < wanted ? (cap === MAX_QUANTITY_PER_LINE ? 'line-limit' : 'stock') : undefined;
  if (next === held) return { lines, added: 0, quantity: held, limitedBy };
  const updated = line ? lines.map((l) => (l.sku === sku ? { sku, quantity: next } : l)) : [...lines, { sku, quantity: next }];
  return { lines: updated, added: next - held, quantity: next, limitedBy };
}

/** Sets a line's quantity, clamped to 1 … the per-line limit (removing is `removeFromGuestCart`). */
export function setGuestQuantity(lines: GuestLine[], sku: string, quantity: number): GuestLine[] {
  const q = Math.max(1, clampQuantity(quantity));
  return lines.map((l) => (l.sku === sku ? { sku, quantity: q } : l));
}

export function removeFromGuestCart(lines: GuestLine[], sku: string): GuestLine[] {
  return lines.filter((l) => l.sku !== sku);
}

function clampQuantity(quantity: number): number {
  return Math.min(MAX_QUANTITY_PER_LINE, Math.floor(quantity));
}

/**
 * The guest cart as signals, kept in localStorage. Storage that cannot be used (blocked, full,
 * private mode) leaves a cart that lives as long as the tab: the shopper can still shop.
 */
@Injectable({ providedIn: 'root' })
export class GuestCartStore {
  private readonly state = signal<GuestLine[]>(readGuestCart(load()));
  readonly lines = this.state.asReadonly();
  readonly count = computed(() => this.state().reduce((n, l) => n + l.quantity, 0));

  constructor() {
    // another tab changed the cart
    addEventListener('storage', (e) => { if (e.key === STORAGE_KEY) this.state.set(readGuestCart(e.newValue)); });
  }

  quantityOf(sku: string): number {
    return this.state().find((l) => l.sku === sku)?.quantity ?? 0;
  }

  add(sku: string, quantity: number, inStock?: number): AddOutcome {
    const outcome = addToGuestCart(this.state(), sku, quantity, inStock);
    this.save(outcome.lines);
    return outcome;
  }

  setQuantity(sku: string, quantity: number): void {
    this.save(setGuestQuantity(this.state(), sku, quantity));
  }

  remove(sku: string): void {
    this.save(removeFromGuestCart(this.state(), sku));
  }

  clear(): void {
    this.save([]);
  }

  private save(lines: GuestLine[]): void {
    this.state.set(lines);
    try {
      if (lines.length === 0) localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, writeGuestCart(lines));
    } catch {
      // storage refused: the cart stays in memory for this tab
    }
  }
}

function load(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The message after "Add to cart", saying how many units were added and why fewer, if so. */
export function addedMessage(outcome: Omit<AddOutcome, 'lines'>, name: string): string {
  const limit = outcome.limitedBy === 'line-limit'
    ? `${MAX_QUANTITY_PER_LINE} is the most one order can hold`
    : outcome.limitedBy === 'stock' ? `only ${outcome.quantity} ${outcome.quantity === 1 ? 'is' : 'are'} left` : '';
  if (outcome.added > 0) {
    const added = `Added ${outcome.added} × ${name} to your cart.`;
    return limit ? `${added} You now have ${outcome.quantity} (${limit}).` : added;
  }
  if (outcome.limitedBy === 'too-many-lines') return `Your cart holds at most ${MAX_LINES} different products.`;
  if (outcome.limitedBy === 'stock' && outcome.quantity === 0) return `${name} is out of stock.`;
  return `You already have ${outcome.quantity} × ${name} in your cart (${limit}).`;
}
