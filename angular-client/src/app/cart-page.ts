import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Observable } from 'rxjs';
import { CartLine, CartView, GuestPrice, cartAvailabilityText, cartLineNote, guestCartView } from './cart';
import { CartApi } from './cart.service';
import { Money, Problem, formatPrice, toProblem } from './catalog';
import { GuestCartStore, MAX_QUANTITY_PER_LINE } from './guest-cart';
import { ProblemView } from './problem-view';
import { SessionStore } from './session';
import { ShopCart } from './shop-cart';
import { retryWhenUnavailable } from './unavailable';

const QUANTITIES = Array.from({ length: MAX_QUANTITY_PER_LINE }, (_, i) => i + 1);

@Component({
  selector: 'app-cart-page',
  imports: [ProblemView, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Your cart</h1>
    <p role="status" class="status">{{ status() }}</p>
    @if (problem(); as problem) {
      <app-problem [problem]="problem" />
      <button type="button" (click)="reload()">Try again</button>
    }
    @if (view(); as view) {
      @if (view.lines.length === 0 && !view.unknown?.length) {
        <p>Your cart is empty. <a routerLink="/">Browse the products</a>.</p>
      } @else {
        <section [attr.aria-busy]="busy()">
          <ul class="cart-lines">
            @for (line of view.lines; track line.sku) {
              <li>
                @if (line.imageUrl) { <img [src]="line.imageUrl" alt="" width="96" height="96"> }
                <div>
                  <h2><a [routerLink]="['/products', line.sku]">{{ line.name }}</a></h2>
                  <p>{{ price(line.unitPrice) }} each · {{ availability(line) }}</p>
                  @if (line.priceChanged && line.priceWhenAdded) {
                    <p class="note">The price changed since you added it (it was {{ price(line.priceWhenAdded) }}).</p>
                  }
                  @if (note(line); as note) { <p class="note">{{ note }}</p> }
                  <label [for]="'quantity-' + line.sku">Quantity</label>
                  <!-- nothing to choose while none can be ordered; more than can be ordered is not offered -->
                  <select [id]="'quantity-' + line.sku" [disabled]="busy() || line.orderable === 0 || line.availability === 'UNAVAILABLE'"
                          (change)="setQuantity(line, $any($event.target))">
                    @for (n of quantities; track n) {
                      <option [value]="'' + n" [selected]="n === line.quantity" [disabled]="n > line.orderable && n !== line.quantity">{{ n }}</option>
                    }
                  </select>
                  <button type="button" [disabled]="busy()" (click)="remove(line.sku, line.name)">Remove<span class="visually-hidden"> {{ line.name }}</span></button>
                  <p>{{ price(line.lineTotal) }}</p>
                </div>
              </li>
            }
            @for (line of view.unknown; track line.sku) {
              <li>
                <div>
                  <p>A product ({{ line.sku }}) is no longer in the shop.</p>
                  <button type="button" (click)="remove(line.sku, line.sku)">Remove<span class="visually-hidden"> {{ line.sku }}</span></button>
                </div>
              </li>
            }
          </ul>
          <p class="subtotal">Subtotal ({{ view.itemCount }} {{ view.itemCount === 1 ? 'item' : 'items' }}):
            <strong>{{ price(view.subtotal) }}</strong></p>
          @if (view.estimate; as estimate) {
            <p>Shipping to {{ estimate.country }}: {{ price(estimate.shipping) }} · Total <strong>{{ price(estimate.total) }}</strong>
              (includes {{ price(estimate.tax) }} VAT)</p>
          } @else {
            <p>Shipping and tax are added at checkout, for the delivery address.</p>
          }
          @if (view.lines.length > 0) { <p><a routerLink="/checkout" class="button">Check out</a></p> }
        </section>
      }
    } @else if (!problem()) {
      <p>Loading your cart…</p>
    }
  `,
})
export default class CartPage {
  private readonly guest = inject(GuestCartStore);
  private readonly session = inject(SessionStore);
  private readonly cart = inject(ShopCart);
  private readonly api = inject(CartApi);
  protected readonly quantities = QUANTITIES;

  /** A guest's skus looked up so far, with the answer (undefined: the shop does not know it). */
  private readonly prices = signal<ReadonlyMap<string, GuestPrice | undefined>>(new Map());
  private readonly priceProblem = signal<Problem | undefined>(undefined);
  private readonly attempt = signal(0);
  protected readonly busy = signal(false);
  protected readonly status = signal('');
  private readonly actionProblem = signal<Problem | undefined>(undefined);

  private readonly guestView = computed(() => {
    const lines = this.guest.lines();
    const prices = this.prices();
    if (!lines.every((l) => prices.has(l.sku))) return undefined;
    return guestCartView(lines, [...prices.values()].filter((p) => p !== undefined));
  });

  /** Nothing is shown until the gateway said whether the shopper is signed in, so one cart never flashes before the other. */
  protected readonly view = computed<CartView | undefined>(() => {
    if (!this.session.known()) return undefined;
    return this.session.signedIn() ? this.cart.server() : this.guestView();
  });

  protected readonly problem = computed(() =>
    this.actionProblem() ?? (this.session.signedIn() ? this.cart.serverProblem() : this.priceProblem()));

  constructor() {
    // a signed-in cart is read again on every visit: prices and stock are computed by cart-order now
    effect(() => { if (this.session.signedIn()) untracked(() => this.cart.refresh()); });
    // A guest's prices are looked up again only when a sku appears that was not looked up (another
    // tab added it); a changed quantity or a removed line needs no request.
    effect((onCleanup) => {
      if (!this.session.known() || this.session.signedIn()) return;
      const skus = this.guest.lines().map((l) => l.sku);
      this.attempt();
      const known = untracked(this.prices);
      if (skus.every((sku) => known.has(sku))) return;
      // the look-up changes nothing, so it may be sent again
      const request = this.api.prices(skus).pipe(retryWhenUnavailable((problem) => this.priceProblem.set(problem))).subscribe({
        next: (items) => {
          const bySku = new Map(items.map((i) => [i.sku, i]));
          this.prices.set(new Map(skus.map((sku) => [sku, bySku.get(sku)])));
          this.priceProblem.set(undefined);
        },
        error: (e) => this.priceProblem.set(toProblem(e)),
      });
      onCleanup(() => request.unsubscribe());
    });
  }

  protected reload(): void {
    this.actionProblem.set(undefined);
    if (this.session.signedIn()) {
      this.cart.refresh();
    } else {
      this.prices.set(new Map());
      this.attempt.update((n) => n + 1);
    }
  }

  protected setQuantity(line: CartLine, select: HTMLSelectElement): void {
    const quantity = Number(select.value);
    // a refused change leaves the bindings as they were, so the control is put back by hand
    this.act(this.cart.setQuantity(line.sku, quantity), `${line.name}: quantity ${quantity}.`, () => { select.value = String(line.quantity); });
  }

  protected remove(sku: string, name: string): void {
    this.act(this.cart.remove(sku), `Removed ${name} from your cart.`);
  }

  private act(change: Observable<void>, done: string, undo?: () => void): void {
    this.busy.set(true);
    this.actionProblem.set(undefined);
    change.subscribe({
      next: () => { this.status.set(done); this.busy.set(false); },
      // the cart as cart-order has it now, so no control shows a change that was refused
      error: (e) => { undo?.(); this.actionProblem.set(toProblem(e)); this.busy.set(false); this.cart.refresh(); },
    });
  }

  protected price(money: Money): string { return formatPrice(money); }
  protected readonly availability = cartAvailabilityText;
  protected readonly note = cartLineNote;
}
