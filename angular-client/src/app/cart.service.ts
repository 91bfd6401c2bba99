import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import { CartView, GuestPrice, MergeOutcome } from './cart';
import { GuestLine } from './guest-cart';

/** cart-order's cart API through the gateway; all but `prices` need a signed-in shopper. */
@Injectable({ providedIn: 'root' })
export class CartApi {
  private readonly http = inject(HttpClient);

  /** Public: names, images, prices and availability of a guest's skus; unknown skus are left out. */
  prices(skus: string[]): Observable<GuestPrice[]> {
    return this.http.post<{ items: GuestPrice[] }>('/api/cart/prices', { skus }).pipe(map((answer) => answer.items));
  }

  cart(): Observable<CartView> {
    return this.http.get<CartView>('/api/cart');
  }

  add(sku: string, quantity: number): Observable<CartView> {
    return this.http.post<CartView>('/api/cart/items', { sku, quantity });
  }

  setQuantity(sku: string, quantity: number): Observable<CartView> {
    return this.http.patch<CartView>(`/api/cart/items/${encodeURIComponent(sku)}`, { quantity });
  }

  remove(sku: string): Observable<CartView> {
    return this.http.delete<CartView>(`/api/cart/items/${encodeURIComponent(sku)}`);
  }

  /** The guest cart joins the shopper's at sign-in; a sku in both keeps the larger quantity, so a retry changes nothing. */
  merge(lines: GuestLine[]): Observable<MergeOutcome> {
    return this.http.post<MergeOutcome>('/api/cart/merge', { lines });
  }
}
