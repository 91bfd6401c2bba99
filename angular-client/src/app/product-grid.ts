import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import {
  PAGE_SIZES, Page, Problem, ProductQuery, ProductSummary, SORTS, Sort,
  availabilityText, flattenCategories, formatPrice, pageCount, toProblem,
} from './catalog';
import { CatalogService } from './catalog.service';
import { Nav } from './nav';
import { ProblemView } from './problem-view';

type Load = { state: 'loading' } | { state: 'ok'; page: Page<ProductSummary> } | { state: 'error'; problem: Problem };

const SORT_LABELS: Record<Sort, string> = {
  name: 'Name', price: 'Price, low to high', 'price-desc': 'Price, high to low', rating: 'Rating', newest: 'Newest',
};

@Component({
  selector: 'app-product-grid',
  imports: [ProblemView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Products</h1>
    <form role="search" (submit)="$event.preventDefault()">
      <label>Search
        <input type="search" maxlength="100" [value]="query().q ?? ''" (input)="set({ q: $any($event.target).value, page: 0 })">
      </label>
      <label>Category
        <select [value]="query().category ?? ''" (change)="set({ category: $any($event.target).value || undefined, page: 0 })"
                [disabled]="searching()">
          <option value="">All categories</option>
          @for (c of categories(); track c.id) { <option [value]="c.id">{{ c.label }}</option> }
        </select>
      </label>
      <label>Sort by
        <select [value]="query().sort ?? 'name'" (change)="set({ sort: $any($event.target).value, page: 0 })" [disabled]="searching()">
          @for (s of sorts; track s) { <option [value]="s">{{ sortLabels[s] }}</option> }
        </select>
      </label>
      <label>Per page
        <select [value]="'' + (query().size ?? 24)" (change)="set({ size: +$any($event.target).value, page: 0 })">
          @for (n of sizes; track n) { <option [value]="'' + n">{{ n }}</option> }
        </select>
      </label>
    </form>

    <section aria-live="polite" [attr.aria-busy]="load().state === 'loading'">
      @switch (load().state) {
        @case ('loading') { <p>Loading products…</p> }
        @case ('error') { <app-problem [problem]="problem()!" /> }
        @case ('ok') {
          @let p = page()!;
          @if (p.correctedQuery) { <p>Showing results for “{{ p.correctedQuery }}”.</p> }
          @if (p.items.length === 0) {
            <p>No products found.</p>
          } @else {
            <p>{{ p.total }} products</p>
            <ul class="grid">
              @for (item of p.items; track item.sku) {
                <li>
                  <a [href]="'/products/' + item.sku" (click)="nav.go($event, '/products/' + item.sku)">
                    <img [src]="item.image" alt="" width="200" height="200" loading="lazy">
                    <h2>{{ item.name }}</h2>
                  </a>
                  <p>{{ item.brand }}</p>
                  <p><strong>{{ price(item) }}</strong></p>
                  <p>{{ stock(item) }}</p>
                  @if (item.rating.count > 0) { <p>Rated {{ item.rating.average }} of 5 ({{ item.rating.count }})</p> }
                </li>
              }
            </ul>
            <nav aria-label="Pages">
              <button type="button" [disabled]="p.page === 0" (click)="set({ page: p.page - 1 })">Previous</button>
              <span>Page {{ p.page + 1 }} of {{ pages() }}</span>
              <button type="button" [disabled]="p.page + 1 >= pages()" (click)="set({ page: p.page + 1 })">Next</button>
            </nav>
          }
        }
      }
    </section>
  `,
})
export class ProductGrid {
  private readonly catalog = inject(CatalogService);
  protected readonly sorts = SORTS;
  protected readonly sizes = PAGE_SIZES;
  protected readonly sortLabels = SORT_LABELS;

  protected readonly query = signal<ProductQuery>({ sort: 'name', page: 0, size: 24 });
  protected readonly searching = computed(() => (this.query().q ?? '').trim().length > 0);

  protected readonly nav = inject(Nav);
  protected readonly categories = signal<{ id: string; label: string }[]>([]);
  protected readonly load = signal<Load>({ state: 'loading' });

  constructor() {
    this.catalog.categories().then((tree) => this.categories.set(flattenCategories(tree)), () => this.categories.set([]));
    effect((onCleanup) => {
      const query = this.query();
      const abort = new AbortController();
      this.load.set({ state: 'loading' });
      const timer = setTimeout(() => this.catalog.products(query, abort.signal).then(
        (page) => this.load.set({ state: 'ok', page }),
        (e) => { if (!abort.signal.aborted) this.load.set({ state: 'error', problem: toProblem(e) }); },
      ), 200);
      onCleanup(() => { clearTimeout(timer); abort.abort(); });
    });
  }

  protected readonly page = computed(() => { const l = this.load(); return l.state === 'ok' ? l.page : undefined; });
  protected readonly problem = computed(() => { const l = this.load(); return l.state === 'error' ? l.problem : undefined; });
  protected readonly pages = computed(() => { const p = this.page(); return p ? pageCount(p) : 1; });

  protected set(change: Partial<ProductQuery>): void {
    this.query.update((q) => ({ ...q, ...change }));
  }

  protected price(item: ProductSummary): string { return formatPrice(item.price); }
  protected stock(item: ProductSummary): string { return availabilityText(item.availability); }
}
