import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { Problem, ProductDetails, availabilityText, formatPrice, toProblem } from './catalog';
import { CatalogService } from './catalog.service';
import { Nav } from './nav';
import { ProblemView } from './problem-view';

type Load = { state: 'loading' } | { state: 'ok'; product: ProductDetails } | { state: 'error'; problem: Problem };

@Component({
  selector: 'app-product-details',
  imports: [ProblemView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p><a href="/" (click)="nav.go($event, '/')">Back to products</a></p>
    <section aria-live="polite" [attr.aria-busy]="load().state === 'loading'" class="details">
      @switch (load().state) {
        @case ('loading') { <p>Loading product…</p> }
        @case ('error') { <app-problem [problem]="problem()!" /> }
        @case ('ok') {
          @let p = product()!;
          <nav aria-label="Category">{{ p.categoryPath.join(' › ') }}</nav>
          <h1>{{ p.name }}</h1>
          <p>{{ p.brand }}</p>
          <p><strong>{{ price() }}</strong> · {{ stock() }}</p>
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
export class ProductDetailsPage {
  private readonly catalog = inject(CatalogService);
  readonly sku = input.required<string>();

  protected readonly nav = inject(Nav);
  protected readonly load = signal<Load>({ state: 'loading' });

  constructor() {
    effect((onCleanup) => {
      const sku = this.sku();
      const abort = new AbortController();
      this.load.set({ state: 'loading' });
      this.catalog.product(sku, abort.signal).then(
        (product) => { this.load.set({ state: 'ok', product }); document.title = product.name + ' · Surge shop'; },
        (e) => { if (!abort.signal.aborted) this.load.set({ state: 'error', problem: toProblem(e) }); },
      );
      onCleanup(() => abort.abort());
    });
  }

  protected readonly product = computed(() => { const l = this.load(); return l.state === 'ok' ? l.product : undefined; });
  protected readonly problem = computed(() => { const l = this.load(); return l.state === 'error' ? l.problem : undefined; });
  protected readonly price = computed(() => { const p = this.product(); return p ? formatPrice(p.price) : ''; });
  protected readonly stock = computed(() => { const p = this.product(); return p ? availabilityText(p.availability) : ''; });
  protected readonly attributes = computed(() => Object.entries(this.product()?.attributes ?? {}).map(([k, v]) => [k, String(v)]));
}
