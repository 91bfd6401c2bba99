import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { Address, addressText } from './account';
import { AccountApi } from './account.service';
import { Money, Problem, ProductDetails, formatPrice, toProblem } from './catalog';
import { CatalogService } from './catalog.service';
import { BuyNowBody, FlashSale, FlashSaleApi, WaitingRoom, WaitingRoomWatch, durationText, priceChangeOf } from './flash-sale';
import { IdempotentAttempts, PAYMENT_METHODS, PriceChange, formatTime } from './orders';
import { resendWithSameKey } from './orders.service';
import { Load, ProblemView } from './problem-view';

/** The payment method of a buy-now: the simulated provider's test card that pays (the shop's dev payment method). */
const PAYMENT = PAYMENT_METHODS[0];

@Component({
  selector: 'app-waiting-room-page',
  imports: [ProblemView, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p><a [routerLink]="['/products', sku()]">Back to the product</a></p>
    <h1>Flash sale: {{ product()?.name ?? sku() }}</h1>
    @if (sale(); as s) {
      <p>{{ s.status === 'SCHEDULED' ? 'Starts ' + time(s.startsAt) : s.status === 'RUNNING' ? 'On sale now' : 'Sold out' }}
        · at most {{ s.perShopperLimit }} per shopper@if (product(); as p) { · {{ price(p.price) }} each }</p>
    }
    <!-- not a live region as a whole: every move of the queue would be read out; the outcome is announced once -->
    <p role="status" class="visually-hidden">{{ announcement() }}</p>
    <section aria-labelledby="queue-heading" class="waiting-room">
      <h2 id="queue-heading" class="visually-hidden">Your place</h2>
      @switch (wait().phase) {
        @case ('joining') { <p>Taking your place in the queue…</p> }
        @case ('waiting') {
          @let w = waiting()!;
          <p class="position">You are number <strong>{{ w.position }}</strong> in the queue.</p>
          <p>Estimated wait: about {{ duration(w.estimatedWaitSeconds) }}.
            @if (w.startsAt && notStarted(w.startsAt)) { The sale starts {{ time(w.startsAt) }}; admissions begin then. }</p>
          @if (w.paused) { <p class="notice" role="status">Paused: {{ w.paused }}</p> }
          <p>Keep this page open: it moves by itself. Reloading it keeps your place.</p>
        }
        @case ('admitted') {
          <h2>It's your turn</h2>
          @if (secondsLeft() > 0) {
            <p>You can buy for another <strong>{{ duration(secondsLeft()) }}</strong>
              (until {{ clock(admittedUntil()!) }}); after that your turn goes to the next shopper.</p>
          } @else {
            <p>Your time to buy has run out.</p>
            <button type="button" (click)="joinAgain()">Join again</button>
          }
        }
        @case ('sold-out') { <h2>Sold out</h2><p>Every unit of this sale has been taken.</p> }
        @case ('turn-passed') {
          <h2>Your turn passed</h2>
          <p>{{ turnPassed() }}</p>
          <button type="button" (click)="joinAgain()">Join again</button>
        }
        @case ('refused') {
          <app-problem [problem]="refusal()!" />
          <button type="button" (click)="joinAgain()">Try again</button>
        }
      }
      @switch (stream()) {
        @case ('reconnecting') { <p class="note" role="status">Live updates interrupted: reconnecting…</p> }
        @case ('stopped') {
          <p class="note" role="status">Live updates stopped.@if (retrying()) { Trying again in a moment.}</p>
          <button type="button" (click)="joinAgain()">Reconnect now</button>
        }
      }
    </section>

    @if (wait().phase === 'admitted' && secondsLeft() > 0) {
      <section aria-labelledby="buy-heading" class="checkout-section">
        <h2 id="buy-heading">Buy now</h2>
        @switch (addresses().state) {
          @case ('loading') { <p>Loading your addresses…</p> }
          @case ('error') { <app-problem [problem]="addressProblem()!" /> }
          @case ('ok') {
            @if (address(); as a) {
              <p>Delivered to {{ text(a) }}; paid with the {{ payment.name }}.</p>
              @if (quantities().length > 1) {
                <label for="buy-quantity">Quantity</label>
                <select id="buy-quantity" (change)="quantity.set(+$any($event.target).value); priceChange.set(undefined)">
                  @for (n of quantities(); track n) { <option [value]="'' + n" [selected]="n === quantity()">{{ n }}</option> }
                </select>
              }
              @if (totals(); as change) {
                <dl class="totals">
                  <dt>Items</dt><dd>{{ price(change.subtotal) }}</dd>
                  <dt>Shipping</dt><dd>{{ price(change.shipping) }}</dd>
                  <dt>Total</dt><dd><strong>{{ price(change.total) }}</strong></dd>
                  <dt>Included VAT</dt><dd>{{ price(change.tax) }}</dd>
                </dl>
              } @else if (items(); as total) {
                <p>Items: {{ price(total) }}, plus shipping to your address where it applies (the total is shown before you pay more).</p>
              }
              @if (buyProblem(); as p) {
                <app-problem [problem]="p" />
                @if (p.status === 403) { <button type="button" (click)="joinAgain()">Join again</button> }
              }
              <p role="status" class="status">{{ buyStatus() }}</p>
              <button type="button" class="primary" [disabled]="buying() || !expectedTotal()" (click)="buy()">
                {{ priceChange() ? 'Confirm and buy' : 'Buy now' }}@if (expectedTotal(); as t) { · {{ price(t) }} }
              </button>
            } @else {
              <p>You have no saved delivery address yet. <a routerLink="/profile">Add one on your profile page</a>,
                then come back: your turn holds until {{ clock(admittedUntil()!) }}.</p>
            }
          }
        }
      </section>
    }
  `,
})
export default class WaitingRoomPage {
  private readonly catalog = inject(CatalogService);
  private readonly sales = inject(FlashSaleApi);
  private readonly account = inject(AccountApi);
  private readonly router = inject(Router);
  private readonly attempts = new IdempotentAttempts();
  /** From the route's `:sku`. */
  readonly sku = input.required<string>();

  protected readonly payment = PAYMENT;
  private watch?: WaitingRoomWatch;
  private readonly room = inject(WaitingRoom);
  private readonly watchSignal = signal<WaitingRoomWatch | undefined>(undefined);
  protected readonly sale = signal<FlashSale | undefined>(undefined);
  protected readonly product = signal<ProductDetails | undefined>(undefined);
  protected readonly addresses = signal<Load<Address[]>>({ state: 'loading' });
  protected readonly quantity = signal(1);
  protected readonly priceChange = signal<PriceChange | undefined>(undefined);
  /** cart-order's quote of the buy-now for the address and quantity; undefined until it came (or when it failed). */
  protected readonly quote = signal<PriceChange | undefined>(undefined);
  protected readonly buying = signal(false);
  protected readonly buyStatus = signal('');
  protected readonly buyProblem = signal<Problem | undefined>(undefined);
  private readonly now = signal(Date.now());

  constructor() {
    const destroy = inject(DestroyRef);
    const ticking = setInterval(() => this.now.set(Date.now()), 1000);
    destroy.onDestroy(() => { clearInterval(ticking); this.watch?.close(); });

    effect(() => {
      const sku = this.sku();
      untracked(() => {
        this.watch?.close();
        this.watch = this.room.watch(sku);
        this.watchSignal.set(this.watch);
        this.watch.join();
        // the sale and product only label the page: one that cannot be read leaves the queue as it is
        this.sales.sale(sku).subscribe({ next: (sale) => this.sale.set(sale), error: () => this.sale.set(undefined) });
        this.catalog.product(sku).subscribe({ next: (p) => this.product.set(p), error: () => this.product.set(undefined) });
      });
    });
    // the address is read once a turn comes
    effect(() => {
      if (!this.admitted()) return;
      untracked(() => this.loadAddresses());
    });
    // then the buy-now is priced for it and the quantity: the total shown is the total to pay
    effect((onCleanup) => {
      const address = this.address();
      const quantity = this.quantity();
      if (!this.admitted() || !address) return;
      const sku = this.sku();
      untracked(() => {
        this.quote.set(undefined);
        const asked = this.sales.quote(address.id, [{ sku, quantity }]).subscribe({
          next: (quote) => this.quote.set(quote),
          // no quote: the items' price is what is confirmed, and a 409 price-changed names the total, as before
          error: () => this.quote.set(undefined),
        });
        onCleanup(() => asked.unsubscribe());
      });
    });
  }

  /** Whether the turn has come (a boolean, so that a new state of the same turn changes nothing). */
  private readonly admitted = computed(() => this.wait().phase === 'admitted');

  protected readonly wait = computed(() => this.watchSignal()?.wait() ?? { phase: 'joining' as const });
  /** What a screen reader hears: the outcome, once, not each move of the queue nor each second left. */
  protected readonly announcement = computed(() => {
    switch (this.wait().phase) {
      case 'admitted': return "It's your turn: you can buy now.";
      case 'sold-out': return 'Sold out.';
      case 'turn-passed': return 'Your turn passed.';
      default: return '';
    }
  });
  protected readonly stream = computed(() => this.watchSignal()?.stream() ?? 'off');
  protected readonly retrying = computed(() => this.watchSignal()?.retrying() ?? false);
  protected readonly waiting = computed(() => { const w = this.wait(); return w.phase === 'waiting' ? w : undefined; });
  protected readonly admittedUntil = computed(() => { const w = this.wait(); return w.phase === 'admitted' ? w.expiresAt : undefined; });
  protected readonly admission = computed(() => { const w = this.wait(); return w.phase === 'admitted' ? w.admission : undefined; });
  protected readonly turnPassed = computed(() => { const w = this.wait(); return w.phase === 'turn-passed' ? w.detail : ''; });
  protected readonly refusal = computed(() => { const w = this.wait(); return w.phase === 'refused' ? w.problem : undefined; });
  protected readonly secondsLeft = computed(() => {
    const until = this.admittedUntil();
    return until ? Math.max(0, Math.floor((Date.parse(until) - this.now()) / 1000)) : 0;
  });
  protected readonly address = computed(() => {
    const a = this.addresses();
    // the default is listed first
    return a.state === 'ok' ? a.value.find((x) => x.default) ?? a.value[0] : undefined;
  });
  protected readonly addressProblem = computed(() => { const a = this.addresses(); return a.state === 'error' ? a.problem : undefined; });
  protected readonly quantities = computed(() => {
    const most = Math.max(1, Math.min(this.sale()?.perShopperLimit ?? 1, 10));
    return Array.from({ length: most }, (_, i) => i + 1);
  });
  protected readonly items = computed<Money | undefined>(() => {
    const p = this.product();
    return p ? { amount: p.price.amount * this.quantity(), currency: p.price.currency } : undefined;
  });
  /**
   * The totals shown: cart-order's quote for the address and quantity, shipping and VAT included, or the
   * new ones a `409 price-changed` named (the price moved between the quote and the buy).
   */
  protected readonly totals = computed(() => this.priceChange() ?? this.quote());
  /** The total the shopper confirms: the one shown, or the items' price while no quote came (a failed quote). */
  protected readonly expectedTotal = computed(() => this.totals()?.total ?? this.items());

  private loadAddresses(): void {
    this.addresses.set({ state: 'loading' });
    this.account.addresses().subscribe({
      next: (list) => this.addresses.set({ state: 'ok', value: list }),
      error: (e) => this.addresses.set({ state: 'error', problem: toProblem(e) }),
    });
  }

  protected joinAgain(): void {
    this.priceChange.set(undefined);
    this.buyProblem.set(undefined);
    this.watch?.join();
  }

  /** The buy-now with the admission; one request at a time, the same body with the same key. */
  protected buy(): void {
    const address = this.address();
    const admission = this.admission();
    const expectedTotal = this.expectedTotal();
    if (this.buying() || !address || !admission || !expectedTotal) return;
    const body: BuyNowBody = {
      addressId: address.id, paymentMethod: PAYMENT.token, expectedTotal, lines: [{ sku: this.sku(), quantity: this.quantity() }],
    };
    const key = this.attempts.keyFor(body);
    this.buying.set(true);
    this.buyProblem.set(undefined);
    this.buyStatus.set('Placing your order…');
    this.sales.buyNow(body, key, admission).pipe(
      resendWithSameKey((seconds) => this.buyStatus.set(`Still placing your order: trying again in ${durationText(seconds)}…`)),
    ).subscribe({
      next: (order) => {
        this.buying.set(false);
        this.buyStatus.set('');
        this.router.navigate(['/orders', order.id]);
      },
      error: (e) => {
        this.buying.set(false);
        this.buyStatus.set('');
        const change = priceChangeOf(e);
        if (change) this.priceChange.set(change);
        else this.buyProblem.set(toProblem(e));
      },
    });
  }

  protected price(money: Money): string { return formatPrice(money); }
  protected text(address: Address): string { return addressText(address); }
  protected time(iso: string): string { return formatTime(iso); }
  protected duration(seconds: number): string { return durationText(seconds); }
  protected notStarted(iso: string): boolean { return Date.parse(iso) > this.now(); }
  /** The clock time of a moment today: "18:02:30". */
  protected clock(iso: string): string {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString('en-IE', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }
}
