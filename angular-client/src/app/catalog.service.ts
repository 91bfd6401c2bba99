import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { Category, Page, ProductDetails, ProductQuery, ProductSummary, productsUrl } from './catalog';

/**
 * The gateway's catalog API, on the same origin. A failure is an `HttpErrorResponse`
 * (`{status, statusText, error: <problem body>}`), which `toProblem` reads.
 */
@Injectable({ providedIn: 'root' })
export class CatalogService {
  private readonly http = inject(HttpClient);

  products(query: ProductQuery): Observable<Page<ProductSummary>> {
    return this.http.get<Page<ProductSummary>>(productsUrl(query));
  }

  categories(): Observable<Category[]> {
    return this.http.get<Category[]>('/api/categories');
  }

  product(sku: string): Observable<ProductDetails> {
    return this.http.get<ProductDetails>(`/api/products/${encodeURIComponent(sku)}`);
  }
}
