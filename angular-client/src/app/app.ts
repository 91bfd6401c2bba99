import { ChangeDetectionStrategy, Component, computed, effect, inject } from '@angular/core';
import { Nav, skuOf } from './nav';
import { ProductDetailsPage } from './product-details';
import { ProductGrid } from './product-grid';

@Component({
  selector: 'app-root',
  imports: [ProductGrid, ProductDetailsPage],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header><a href="/" (click)="nav.go($event, '/')">Surge shop</a></header>
    <main>
      @if (sku(); as sku) { <app-product-details [sku]="sku" /> } @else { <app-product-grid /> }
    </main>
  `,
})
export class App {
  protected readonly nav = inject(Nav);
  protected readonly sku = computed(() => skuOf(this.nav.path()));

  constructor() {
    effect(() => { if (!this.sku()) document.title = 'Products · Surge shop'; });
  }
}
