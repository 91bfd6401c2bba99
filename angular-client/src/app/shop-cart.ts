import { Injectable, computed, inject, signal } from '@angular/core';
import { Observable, Subscription, catchError, defer, map, of, tap } from 'rxjs';
import { Adjustment, CartView, adjustmentText } from './cart';
import { CartApi } from './cart.service';
import { Problem, toProblem } from './catalog';
import { GuestCartStore, addToGuestCart, addedMessage } from './guest-cart';
import { SessionStore } from './session';
import { retryWhenUnavailable } from './unavailable';

type ServerCart = { state: 'none' } | { state: 'loading' } | { state: 'ok'; view: CartView } | { state: 'error'; problem: Problem };

/**
 * The cart the shopper has: the guest cart in the browser, or, once signed in, the cart-order
 * cart, into which the guest cart is merged once. Pages and the header ask this, never both.
 */
@Injectable({ providedIn: 'root' })
export class ShopCart {
  private readonly guest = inject(GuestCartStore);
  private readonly api = inject(CartApi);
  private readonly session = inject(SessionStore);
  private readonly serverCart = signal<ServerCart>({ state: 'none' });
  /** While the merge runs its answer is the cart, so a read that might overtake it is not sent. */
  private merging = false;
  private reading?: Subscription;

  readonly server = computed(() => { const s = this.serverCart(); return s.state === 'ok' ? s.view : undefined; });
  readonly serverProblem = computed(() => { const s = this.serverCart(); return s.state === 'error' ? s.problem : undefined; });
  readonly count = computed(() => (this.session.signedIn() ? (this.server()?.itemCount ?? 0) : this.guest.count()));
  /** What the merge at sign-in did, in words, until the shopper dismisses it. */
  readonly notice = signal<string[]>([]);

  /**
   * Once the session is known: a signed-in shopper's guest cart is merged (then emptied, so only
   * once; a merge that failed is tried again at the next start, and a retry adds nothing twice).
   */
  start(): void {
    if (!this.session.signedIn()) return;
    const lines = this.guest.lines();
    if (lines.length === 0) {
      this.refresh();
      return;
    }
    this.serverCart.set({ state: 'loading' });
    this.merging = true;
    this.api.merge(lines).subscribe({
      next: (outcome) => {
        this.merging = false;
        this.guest.clear();
        this.serverCart.set({ state: 'ok', view: outcome.cart });
        this.explain(outcome.cart, outcome.adjustments);
      },
      error: (e) => {
        this.merging = false;
        const problem = toProblem(e);
        this.notice.set([`The cart from before you signed in could not be added yet (${problem.detail ?? problem.title}).`
          + ' It is kept in this browser and added when you next open the shop.']);
        this.refresh();
      },
    });
  }

  /** Reads the cart again; a read already on its way answers for this one too. */
  refresh(): void {
    if (!this.session.signedIn() || this.merging || (this.reading && !this.reading.closed)) return;
    if (this.serverCart().state !== 'ok') this.serverCart.set({ state: 'loading' });
    this.reading = this.api.cart().pipe(
      retryWhenUnavailable((problem) => this.serverCart.set({ state: 'error', problem })),
    ).subscribe({
      next: (view) => this.serverCart.set({ state: 'ok', view }),
      error: (e) => this.serverCart.set({ state: 'error', problem: toProblem(e) }),
    });
  }

  /**
   * Adds units, clamped as the guest cart is (per-line limit, units left), and answers the message
   * to show; a refusal (out of stock, a session that ended) is said as the problem's own words.
   */
  add(sku: string, name: string, quantity: number, inStock?: number): Observable<string> {
    if (!this.session.signedIn()) return defer(() => of(addedMessage(this.guest.add(sku, quantity, inStock), name)));
    const held = (this.server()?.lines ?? []).map((l) => ({ sku: l.sku, quantity: l.quantity }));
    const outcome = addToGuestCart(held, sku, quantity, inStock);
    if (outcome.added === 0) return of(addedMessage(outcome, name));
    return this.api.add(sku, outcome.added).pipe(
      tap((view) => this.serverCart.set({ state: 'ok', view })),
      map(() => addedMessage(outcome, name)),
      catchError((e) => { const p = toProblem(e); return of(p.detail ? `${p.title}: ${p.detail}` : p.title); }),
    );
  }

  /** Sets a line's quantity; a failure is the caller's to show. */
  setQuantity(sku: string, quantity: number): Observable<void> {
    if (!this.session.signedIn()) return defer(() => of(this.guest.setQuantity(sku, quantity)));
    return this.api.setQuantity(sku, quantity).pipe(map((view) => this.serverCart.set({ state: 'ok', view })));
  }

  remove(sku: string): Observable<void> {
    if (!this.session.signedIn()) return defer(() => of(this.guest.remove(sku)));
    return this.api.remove(sku).pipe(map((view) => this.serverCart.set({ state: 'ok', view })));
  }

  /** Names the products of the adjustments; those no longer in the cart are looked up (their sku when that fails). */
  private explain(cart: CartView, adjustments: Adjustment[]): void {
    const names = new Map(cart.lines.map((l) => [l.sku, l.name]));
    const say = () => this.notice.set(['The cart from before you signed in is now in your cart.',
      ...adjustments.map((a) => adjustmentText(a, names))]);
    const missing = [...new Set(adjustments.map((a) => a.sku).filter((sku): sku is string => !!sku && !names.has(sku)))];
    if (missing.length === 0) {
      say();
      return;
    }
    this.api.prices(missing).subscribe({
      next: (items) => { items.forEach((i) => names.set(i.sku, i.name)); say(); },
      error: () => say(),
    });
  }
}
