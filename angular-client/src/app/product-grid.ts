import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { map, switchMap, timer } from 'rxjs';
import {
  PAGE_SIZES, Page, Problem, ProductQuery, ProductSummary, SORTS, STALE_NOTICE, Sort,
  availabilityText, flattenCategories, formatPrice, pageCount, paramsFromQuery, queryFromParams, toProblem,
} from './catalog';
import { CatalogService } from './catalog.service';
import { ProblemView } from './problem-view';
import { retryWhenUnavailable } from './unavailable';

type Load = { state: 'loading' } | { state: 'ok'; page: Page<ProductSummary> } | { state: 'error'; problem: Problem };

const SEARCH_DEBOUNCE_MS = 300;

const SORT_LABELS: Record<Sort, string> = {
  name: 'Name', price: 'Price, low to high', 'price-desc': 'Price, high to low', rating: 'Rating', newest: 'Newest',
};

@Component({
  selector: 'app-product-grid',
  imports: [ProblemView, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Products</h1>
    <form role="search" (submit)="$event.preventDefault()">
      <label>Search
        <input type="search" maxlength="100" [value]="query().q ?? ''" (input)="set({ q: $any($event.target).value, page: 0 })">
      </label>
      <label>Category
        <select (change)="set({ category: $any($event.target).value || undefined, page: 0 })"
                [disabled]="searching()">
          <option value="" [selected]="!query().category">All categories</option>
          @for (c of categories(); track c.id) { <option [value]="c.id" [selected]="c.id === query().category">{{ c.label }}</option> }
        </select>
      </label>
      <label>Sort by
        <select (change)="set({ sort: $any($event.target).value, page: 0 })" [disabled]="searching()">
          @for (s of sorts; track s) { <option [value]="s" [selected]="s === (query().sort ?? 'name')">{{ sortLabels[s] }}</option> }
        </select>
      </label>
      <label>Per page
        <select (change)="set({ size: +$any($event.target).value, page: 0 })">
          @for (n of sizes; track n) { <option [value]="'' + n" [selected]="n === (query().size ?? 24)">{{ n }}</option> }
        </select>
      </label>
    </form>

    <section aria-live="polite" [attr.aria-busy]="load().state === 'loading'">
      @switch (load().state) {
        @case ('loading') {
          <p class="visually-hidden">Loading products…</p>
          <ul class="grid" aria-hidden="true">
            @for (n of skeletons(); track n) { <li class="skeleton-card"><div class="skeleton image"></div><div class="skeleton line"></div><div class="skeleton line short"></div></li> }
          </ul>
        }
        @case ('error') { <app-problem [problem]="problem()!" /> }
        @case ('ok') {
          @let p = page()!;
          @if (p.stale) { <p class="notice">{{ staleNotice }}</p> }
          @if (p.correctedQuery) { <p>Showing results for “{{ p.correctedQuery }}”.</p> }
          @if (p.items.length === 0) {
            <p>No products found.</p>
          } @else {
            <p>{{ p.total }} products</p>
            <ul class="grid">
              @for (item of p.items; track item.sku) {
                <li>
                  <a [routerLink]="['/products', item.sku]">
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
  protected readonly staleNotice = STALE_NOTICE;

  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  /** The address bar is the one place the query lives; changing it navigates (replacing the entry). */
  protected readonly query = toSignal(this.route.queryParamMap.pipe(map(queryFromParams)), { requireSync: true });
  protected readonly searching = computed(() => (this.query().q ?? '').trim().length > 0);

  protected readonly categories = signal<{ id: string; label: string }[]>([]);
  protected readonly load = signal<Load>({ state: 'loading' });

  constructor() {
    // no categories is a usable grid (all products), so a failure only empties the select
    this.catalog.categories().pipe(takeUntilDestroyed()).subscribe({
      next: (tree) => this.categories.set(flattenCategories(tree)),
      error: () => this.categories.set([]),
    });
    let typed: string | undefined;
    effect((onCleanup) => {
      const query = this.query();
      this.load.set({ state: 'loading' });
      // typing waits for a 300 ms pause, any other change asks at once; unsubscribing a superseded
      // query cancels its request
      const wait = (query.q ?? '') !== (typed ?? '') ? SEARCH_DEBOUNCE_MS : 0;
      typed = query.q;
      const request = timer(wait).pipe(
        switchMap(() => this.catalog.products(query).pipe(
          retryWhenUnavailable((problem) => this.load.set({ state: 'error', problem })),
        )),
      ).subscribe({
        next: (page) => this.load.set({ state: 'ok', page }),
        error: (e) => this.load.set({ state: 'error', problem: toProblem(e) }),
      });
      onCleanup(() => request.unsubscribe());
    });
  }

  protected readonly page = computed(() => { const l = this.load(); return l.state === 'ok' ? l.page : undefined; });
  protected readonly problem = computed(() => { const l = this.load(); return l.state === 'error' ? l.problem : undefined; });
  /** Placeholder cards while a page loads: as many as it will have, at most one screenful. */
  protected readonly skeletons = computed(() => Array.from({ length: Math.min(12, this.query().size ?? 24) }, (_, i) => i));
  protected readonly pages = computed(() => { const p = this.page(); return p ? pageCount(p) : 1; });

  protected set(change: Partial<ProductQuery>): void {
    const queryParams = paramsFromQuery({ ...this.query(), ...change });
    this.router.navigate([], { relativeTo: this.route, queryParams, replaceUrl: true });
  }

  protected price(item: ProductSummary): string { return formatPrice(item.price); }
  protected stock(item: ProductSummary): string { return availabilityText(item.availability); }
}
