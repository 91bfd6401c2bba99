import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Problem, ProductDetails, STALE_NOTICE, availabilityText, formatPrice, toProblem } from './catalog';
import { CatalogService } from './catalog.service';
import { FlashSale, FlashSaleApi } from './flash-sale';
import { MAX_QUANTITY_PER_LINE } from './guest-cart';
import { formatTime } from './orders';
import { ProblemView } from './problem-view';
import { ShopCart } from './shop-cart';
import { retryWhenUnavailable } from './unavailable';

type Load = { state: 'loading' } | { state: 'ok'; product: ProductDetails } | { state: 'error'; problem: Problem };

@Component({
  selector: 'app-product-details',
  imports: [ProblemView, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p><a routerLink="/">Back to products</a></p>
    <section aria-live="polite" [attr.aria-busy]="load().state === 'loading'" class="details">
      @switch (load().state) {
        @case ('loading') {
          <p class="visually-hidden">Loading product…</p>
          <div aria-hidden="true"><div class="skeleton line title"></div><div class="skeleton image large"></div><div class="skeleton line"></div><div class="skeleton line short"></div></div>
        }
        @case ('error') { <app-problem [problem]="problem()!" /> }
        @case ('ok') {
          @let p = product()!;
          @if (p.stale) { <p class="notice">{{ staleNotice }}</p> }
          <nav aria-label="Category">{{ p.categoryPath.join(' › ') }}</nav>
          <h1>{{ p.name }}</h1>
          <p>{{ p.brand }}</p>
          <p><strong>{{ price() }}</strong> · {{ stock() }}</p>
          @if (sale(); as s) {
            <section class="flash-sale" aria-labelledby="sale-heading">
              <h2 id="sale-heading">Flash sale</h2>
              <p>{{ s.status === 'SCHEDULED' ? 'Starts ' + saleStart() : s.status === 'RUNNING' ? 'On sale now' : 'Sold out' }}
                · at most {{ s.perShopperLimit }} per shopper · bought only through the queue, not the cart</p>
              @if (s.status !== 'SOLD_OUT') { <a class="button" [routerLink]="['/flash-sales', p.sku]">Join the queue</a> }
            </section>
          } @else {
          <form class="add-to-cart" (submit)="$event.preventDefault(); add(p)">
            @if (soldOut()) { <p>Out of stock: this product cannot be added to the cart right now.</p> }
            <label for="add-quantity">Quantity</label>
            <select id="add-quantity" (change)="quantity.set(+$any($event.target).value)"
                    [disabled]="soldOut()">
              @for (n of quantities(); track n) { <option [value]="'' + n" [selected]="n === quantity()">{{ n }}</option> }
            </select>
            <button type="submit" [disabled]="soldOut() || adding()">Add to cart</button>
          </form>
          }
          <p role="status" aria-live="polite" class="status">
            @if (added(); as message) { {{ message }} <a routerLink="/cart">View cart</a> }
          </p>
          @for (img of p.images; track img.url) { <img [src]="img.url" [alt]="img.alt" width="400" height="400"> }
          <p>{{ p.description }}</p>
          @if (attributes().length > 0) {
            <h2>Details</h2>
            <dl>
              @for (a of attributes(); track a[0]) { <dt>{{ a[0] }}</dt><dd>{{ a[1] }}</dd> }
            </dl>
          }
          <h2>Reviews</h2>
          @if (p.rating.count > 0) { <p>Rated {{ p.rating.average }} of 5 from {{ p.rating.count }} reviews.</p> }
          @for (r of p.reviews; track r.id) {
            <article>
              <h3>{{ r.title }} ({{ r.rating }} of 5)</h3>
              <p>{{ r.body }}</p>
              <p>— {{ r.author }}</p>
            </article>
          } @empty { <p>No reviews yet.</p> }
        }
      }
    </section>
  `,
})
export default class ProductDetailsPage {
  private readonly catalog = inject(CatalogService);
  /** From the route's `:sku` (component input binding). */
  readonly sku = input.required<string>();

  protected readonly load = signal<Load>({ state: 'loading' });
  protected readonly staleNotice = STALE_NOTICE;
  private readonly cart = inject(ShopCart);
  protected readonly adding = signal(false);
  /** Up to the per-line limit, and no more than the catalog says are left. */
  protected readonly quantities = computed(() => {
    const left = this.product()?.availability.count;
    const most = left && left > 0 ? Math.min(left, MAX_QUANTITY_PER_LINE) : MAX_QUANTITY_PER_LINE;
    return Array.from({ length: most }, (_, i) => i + 1);
  });
  protected readonly quantity = signal(1);
  protected readonly added = signal('');
  private readonly sales = inject(FlashSaleApi);
  /** The sku's flash sale, if it has one: then it is bought through the waiting room only, never the cart. */
  protected readonly sale = signal<FlashSale | undefined>(undefined);
  protected readonly saleStart = computed(() => formatTime(this.sale()?.startsAt));

  constructor() {
    effect((onCleanup) => {
      const sku = this.sku();
      this.load.set({ state: 'loading' });
      this.quantity.set(1);
      this.added.set('');
      const request = this.catalog.product(sku).pipe(
        retryWhenUnavailable((problem) => this.load.set({ state: 'error', problem })),
      ).subscribe({
        next: (product) => { this.load.set({ state: 'ok', product }); document.title = product.name + ' · Surge shop'; },
        error: (e) => this.load.set({ state: 'error', problem: toProblem(e) }),
      });
      this.sale.set(undefined);
      // a sale that cannot be read now shows as none: checkout still refuses the sku through the cart (buy-now only)
      const saleRequest = this.sales.sale(sku).subscribe({ next: (sale) => this.sale.set(sale), error: () => this.sale.set(undefined) });
      onCleanup(() => { request.unsubscribe(); saleRequest.unsubscribe(); });
    });
  }

  protected readonly product = computed(() => { const l = this.load(); return l.state === 'ok' ? l.product : undefined; });
  protected readonly problem = computed(() => { const l = this.load(); return l.state === 'error' ? l.problem : undefined; });
  protected readonly price = computed(() => { const p = this.product(); return p ? formatPrice(p.price) : ''; });
  protected readonly stock = computed(() => { const p = this.product(); return p ? availabilityText(p.availability) : ''; });
  protected readonly soldOut = computed(() => this.product()?.availability.status === 'OUT_OF_STOCK');

  protected add(product: ProductDetails): void {
    this.adding.set(true);
    this.cart.add(product.sku, product.name, this.quantity(), product.availability.count).subscribe((message) => {
      this.added.set(message);
      this.adding.set(false);
    });
  }

  protected readonly attributes = computed(() => Object.entries(this.product()?.attributes ?? {}).map(([k, v]) => [k, String(v)]));
}
