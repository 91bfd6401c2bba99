import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { catchError, map, of, startWith, switchMap } from 'rxjs';
import { Problem, ProductDetails, availabilityText, formatPrice, toProblem } from './catalog';
import { CatalogService } from './catalog.service';
import { ProblemView } from './problem-view';

type Load = { state: 'loading' } | { state: 'ok'; product: ProductDetails } | { state: 'error'; problem: Problem };

@Component({
  selector: 'app-product-details',
  imports: [RouterLink, ProblemView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p><a routerLink="/">Back to products</a></p>
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

  protected readonly load = toSignal(
    toObservable(this.sku).pipe(
      switchMap((sku) => this.catalog.product(sku).pipe(
        map((product): Load => ({ state: 'ok', product })),
        catchError((e) => of<Load>({ state: 'error', problem: toProblem(e) })),
        startWith<Load>({ state: 'loading' }),
      )),
    ),
    { initialValue: { state: 'loading' } as Load },
  );

  protected readonly product = computed(() => { const l = this.load(); return l.state === 'ok' ? l.product : undefined; });
  protected readonly problem = computed(() => { const l = this.load(); return l.state === 'error' ? l.problem : undefined; });
  protected readonly price = computed(() => { const p = this.product(); return p ? formatPrice(p.price) : ''; });
  protected readonly stock = computed(() => { const p = this.product(); return p ? availabilityText(p.availability) : ''; });
  protected readonly attributes = computed(() => Object.entries(this.product()?.attributes ?? {}).map(([k, v]) => [k, String(v)]));
}
