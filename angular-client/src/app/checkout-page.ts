import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { Address, addressText } from './account';
import { AccountApi } from './account.service';
import { AddressFormView } from './address-form';
import { CartView, canBeOrdered, cartLineNote } from './cart';
import { Money, Problem, formatPrice, toProblem } from './catalog';
import { CheckoutBody, IdempotentAttempts, PAYMENT_METHODS, PLACED_ORDER_STATE, PRICE_CHANGED, PriceChange } from './orders';
import { OrdersApi, resendWithSameKey } from './orders.service';
import { Load, ProblemView } from './problem-view';
import { SessionStore } from './session';
import { ShopCart } from './shop-cart';
import { retryWhenUnavailable } from './unavailable';

@Component({
  selector: 'app-checkout-page',
  imports: [AddressFormView, ProblemView, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Checkout</h1>
    @if (session.profile(); as me) {
      <section aria-labelledby="details-heading" class="checkout-section your-details">
        <h2 id="details-heading">Your details</h2>
        <p>{{ me.name }} · {{ me.email }}@if (me.phone) { · {{ me.phone }}}</p>
        <p class="note"><a routerLink="/profile">Change them on your profile</a>.</p>
      </section>
    }
    <section aria-labelledby="delivery-heading" class="checkout-section">
      <h2 id="delivery-heading">Delivery address</h2>
      @switch (addresses().state) {
        @case ('loading') { <p>Loading your addresses…</p> }
        @case ('error') {
          <app-problem [problem]="addressProblem()!" />
          <button type="button" (click)="loadAddresses()">Try again</button>
        }
        @case ('ok') {
          @if (saved().length > 0) {
            <fieldset class="choices">
              <legend>Deliver to</legend>
              @for (a of saved(); track a.id) {
                <div class="choice">
                  <input type="radio" name="address" [id]="'address-' + a.id" [value]="a.id"
                         [checked]="a.id === addressId()" (change)="chooseAddress(a.id)">
                  <label [for]="'address-' + a.id">
                    @if (a.label) { <strong>{{ a.label }}:</strong> }
                    {{ text(a) }} @if (a.default) { <em>(default)</em> }
                  </label>
                  @if (!a.default) {
                    <button type="button" class="link" [disabled]="busy()" (click)="makeDefault(a)">Make default<span class="visually-hidden"> {{ text(a) }}</span></button>
                  }
                </div>
              }
            </fieldset>
            <button type="button" [attr.aria-expanded]="adding()" (click)="adding.set(!adding())">Add a new address</button>
          } @else {
            <p>Where should we deliver your order?</p>
          }
          @if (adding() || saved().length === 0) {
            <app-address-form idPrefix="checkout-address" [recipientName]="name()" [offerDefault]="saved().length > 0"
                              (saved)="added($event)" />
          }
          @if (addressStatus()) { <p role="status">{{ addressStatus() }}</p> }
        }
      }
    </section>

    <section aria-labelledby="summary-heading" class="checkout-section" [attr.aria-busy]="quote().state === 'loading'">
      <h2 id="summary-heading">Your order</h2>
      @switch (quote().state) {
        @case ('loading') { <p>{{ addressId() ? 'Pricing your order…' : 'Choose or add a delivery address to see the total.' }}</p> }
        @case ('error') {
          <app-problem [problem]="quoteProblem()!" />
          <button type="button" (click)="reprice()">Try again</button>
        }
        @case ('ok') {
          @let cart = cartView()!;
          @if (cart.lines.length === 0) {
            <p>Your cart is empty. <a routerLink="/">Browse the products</a>.</p>
          } @else {
            <ul class="summary-lines">
              @for (line of cart.lines; track line.sku) {
                <li>
                  <span>{{ line.name }} × {{ line.quantity }}</span> <span>{{ price(line.lineTotal) }}</span>
                  @if (note(line); as n) { <p class="note">{{ n }}</p> }
                </li>
              }
            </ul>
            <dl class="totals">
              <dt>Items</dt><dd>{{ price(shown()!.subtotal) }}</dd>
              <dt>Shipping</dt><dd>{{ price(shown()!.shipping) }}</dd>
              <dt>Total</dt><dd><strong>{{ price(shown()!.total) }}</strong></dd>
              <dt>Included VAT</dt><dd>{{ price(shown()!.tax) }}</dd>
            </dl>
            <p><a routerLink="/cart">Change your cart</a></p>
            @if (blocked()) { <p class="note">Some lines cannot be ordered as they are: change them in your cart first.</p> }
          }
        }
      }
    </section>

    <section aria-labelledby="payment-heading" class="checkout-section">
      <h2 id="payment-heading">Payment</h2>
      <fieldset class="choices">
        <legend>Payment method (the shop's test cards: no money moves)</legend>
        @for (m of methods; track m.token) {
          <div class="choice">
            <input type="radio" name="payment" [id]="'pay-' + m.token" [value]="m.token"
                   [checked]="m.token === method()" (change)="method.set(m.token)">
            <label [for]="'pay-' + m.token">{{ m.name }}</label>
          </div>
        }
      </fieldset>
    </section>

    @if (priceChange(); as change) {
      <div class="notice" role="alert">
        <p>The total changed while you were checking out: it is now <strong>{{ price(change.total) }}</strong>
          @if (quotedTotal(); as was) { (it was {{ price(was) }}) }.
          Check the summary above and place the order again to confirm the new total.</p>
      </div>
    }
    @if (placeProblem(); as p) { <app-problem [problem]="p" /> }
    <p role="status" class="status">{{ placeStatus() }}</p>
    <button type="button" class="primary" [disabled]="!ready() || placing()" (click)="place()">
      {{ priceChange() ? 'Confirm and place order' : 'Place order' }}@if (shown(); as s) { · {{ price(s.total) }} }
    </button>
  `,
})
export default class CheckoutPage {
  private readonly account = inject(AccountApi);
  private readonly api = inject(OrdersApi);
  protected readonly session = inject(SessionStore);
  private readonly cart = inject(ShopCart);
  private readonly router = inject(Router);
  private readonly attempts = new IdempotentAttempts();

  protected readonly methods = PAYMENT_METHODS;
  protected readonly addresses = signal<Load<Address[]>>({ state: 'loading' });
  protected readonly addressId = signal<string | undefined>(undefined);
  protected readonly quote = signal<Load<CartView>>({ state: 'loading' });
  private readonly quoteAttempt = signal(0);
  protected readonly method = signal(PAYMENT_METHODS[0].token);
  protected readonly adding = signal(false);
  protected readonly busy = signal(false);
  protected readonly addressStatus = signal('');
  /** The order priced again by a `price-changed` refusal: its total is the one to confirm. */
  protected readonly priceChange = signal<PriceChange | undefined>(undefined);
  protected readonly placing = signal(false);
  protected readonly placeStatus = signal('');
  protected readonly placeProblem = signal<Problem | undefined>(undefined);

  protected readonly name = computed(() => this.session.profile()?.name ?? this.session.session()?.name ?? '');
  protected readonly saved = computed(() => { const a = this.addresses(); return a.state === 'ok' ? a.value : []; });
  protected readonly addressProblem = computed(() => { const a = this.addresses(); return a.state === 'error' ? a.problem : undefined; });
  protected readonly cartView = computed(() => { const q = this.quote(); return q.state === 'ok' ? q.value : undefined; });
  protected readonly quoteProblem = computed(() => { const q = this.quote(); return q.state === 'error' ? q.problem : undefined; });
  protected readonly quotedTotal = computed(() => this.cartView()?.estimate?.total);

  /** The totals the shopper sees and confirms: the price change's when there was one, else the quote's. */
  protected readonly shown = computed<PriceChange | undefined>(() => {
    const change = this.priceChange();
    if (change) return change;
    const view = this.cartView();
    const estimate = view?.estimate;
    return view && estimate ? { subtotal: view.subtotal, shipping: estimate.shipping, tax: estimate.tax, total: estimate.total } : undefined;
  });
  protected readonly blocked = computed(() => (this.cartView()?.lines ?? []).some((l) => !canBeOrdered(l)));
  protected readonly ready = computed(() =>
    !!this.addressId() && !!this.shown() && (this.cartView()?.lines.length ?? 0) > 0 && !this.blocked());

  constructor() {
    this.loadAddresses();
    // the summary is priced for the chosen address; a change of address asks again (and drops the answer on its way)
    effect((onCleanup) => {
      const id = this.addressId();
      this.quoteAttempt();
      untracked(() => { this.quote.set({ state: 'loading' }); this.priceChange.set(undefined); });
      if (!id) return;
      const request = this.api.quote(id).pipe(
        retryWhenUnavailable((problem) => this.quote.set({ state: 'error', problem })),
      ).subscribe({
        next: (value) => this.quote.set({ state: 'ok', value }),
        error: (e) => this.quote.set({ state: 'error', problem: toProblem(e) }),
      });
      onCleanup(() => request.unsubscribe());
    });
  }

  protected loadAddresses(): void {
    this.addresses.set({ state: 'loading' });
    this.account.addresses().pipe(
      retryWhenUnavailable((problem) => this.addresses.set({ state: 'error', problem })),
    ).subscribe({
      next: (list) => {
        this.addresses.set({ state: 'ok', value: list });
        // the default is listed first
        if (!list.some((a) => a.id === this.addressId())) this.addressId.set(list[0]?.id);
      },
      error: (e) => this.addresses.set({ state: 'error', problem: toProblem(e) }),
    });
  }

  protected chooseAddress(id: string): void {
    this.addressId.set(id);
  }

  protected reprice(): void {
    this.quoteAttempt.update((n) => n + 1);
  }

  protected added(address: Address): void {
    this.adding.set(false);
    this.addressStatus.set(`Saved ${addressText(address)}; your order goes there.`);
    this.addressId.set(address.id);
    this.loadAddresses();
  }

  protected makeDefault(address: Address): void {
    this.busy.set(true);
    this.account.makeDefault(address.id).subscribe({
      next: () => {
        this.busy.set(false);
        this.addressStatus.set(`${addressText(address)} is now your default address.`);
        this.loadAddresses();
      },
      error: (e) => { this.busy.set(false); const p = toProblem(e); this.addressStatus.set(p.detail ? `${p.title}: ${p.detail}` : p.title); },
    });
  }

  /**
   * Places the order for the total shown. Only one request is on its way at a time; the same
   * body goes with the same Idempotency-Key (a resend, a second click after a lost answer), any
   * change of address, method or total with a new one.
   */
  protected place(): void {
    const addressId = this.addressId();
    const shown = this.shown();
    if (this.placing() || !addressId || !shown) return;
    const body: CheckoutBody = { addressId, paymentMethod: this.method(), expectedTotal: shown.total };
    const key = this.attempts.keyFor(body);
    this.placing.set(true);
    this.placeProblem.set(undefined);
    this.placeStatus.set('Placing your order…');
    this.api.place(body, key).pipe(
      resendWithSameKey((seconds) => this.placeStatus.set(`Still placing your order: trying again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}…`)),
    ).subscribe({
      next: (order) => {
        this.placing.set(false);
        this.placeStatus.set('');
        // the cart was emptied by checkout
        this.cart.refresh();
        // the order's page says it was placed, on this landing only (not after a reload or a way back)
        this.router.navigate(['/orders', order.id], { state: { [PLACED_ORDER_STATE]: order.id } });
      },
      error: (e) => this.refused(e),
    });
  }

  private refused(error: unknown): void {
    this.placing.set(false);
    this.placeStatus.set('');
    const body = (error as { error?: { type?: unknown } & Partial<PriceChange> } | null)?.error;
    if (body?.type === PRICE_CHANGED && isMoney(body.total) && isMoney(body.subtotal) && isMoney(body.shipping) && isMoney(body.tax)) {
      this.priceChange.set({ subtotal: body.subtotal, shipping: body.shipping, tax: body.tax, total: body.total });
      return;
    }
    this.placeProblem.set(toProblem(error));
  }

  protected price(money: Money): string { return formatPrice(money); }
  protected text(address: Address): string { return addressText(address); }
  protected readonly note = cartLineNote;
}

function isMoney(value: unknown): value is Money {
  const m = value as Money | undefined;
  return typeof m?.amount === 'number' && typeof m?.currency === 'string';
}
