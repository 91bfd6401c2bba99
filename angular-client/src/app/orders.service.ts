import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { MonoTypeOperatorFunction, Observable, retry, throwError, timer } from 'rxjs';
import { CartView } from './cart';
import { CheckoutBody, OrderView, REQUEST_IN_PROGRESS } from './orders';

const KEY = 'Idempotency-Key';
const MAX_RESENDS = 3;
const MAX_WAIT_SECONDS = 10;

/**
 * Sends a write that carries an Idempotency-Key again, with the same key, when its answer was lost
 * or said "not now": no answer at all (status 0), a `503` (checkout busy, the gateway's breaker), or
 * `409 request-in-progress` (the first send is still being written). With the key, cart-order
 * answers a repeat of a placed request with its first answer, so this never orders twice. Each
 * wait is the `Retry-After` asked for (at most 10 s), else 1, 2, 3 s; `onWait` hears of each.
 */
export function resendWithSameKey<T>(onWait: (seconds: number) => void): MonoTypeOperatorFunction<T> {
  return retry({
    count: MAX_RESENDS,
    delay: (error: unknown, count: number) => {
      if (!(error instanceof HttpErrorResponse)) return throwError(() => error);
      const inProgress = error.status === 409 && (error.error as { type?: unknown } | null)?.type === REQUEST_IN_PROGRESS;
      if (error.status !== 0 && error.status !== 503 && !inProgress) return throwError(() => error);
      const asked = Number(error.headers.get('Retry-After'));
      const seconds = Number.isInteger(asked) && asked > 0 ? Math.min(asked, MAX_WAIT_SECONDS) : count;
      onWait(seconds);
      return timer(seconds * 1000);
    },
  });
}

/** cart-order's checkout and orders API through the gateway (the signed-in shopper's own orders only). */
@Injectable({ providedIn: 'root' })
export class OrdersApi {
  private readonly http = inject(HttpClient);

  /** The cart priced for delivery to one saved address (`estimate`: shipping, VAT, total). */
  quote(addressId: string): Observable<CartView> {
    return this.http.get<CartView>('/api/cart', { params: { addressId } });
  }

  place(body: CheckoutBody, key: string): Observable<OrderView> {
    return this.http.post<OrderView>('/api/orders', body, { headers: { [KEY]: key } });
  }

  orders(page: number, size: number): Observable<{ items: OrderView[]; page: number; size: number; total: number }> {
    return this.http.get<{ items: OrderView[]; page: number; size: number; total: number }>('/api/orders', {
      params: { page, size },
    });
  }

  order(id: string): Observable<OrderView> {
    return this.http.get<OrderView>(`/api/orders/${encodeURIComponent(id)}`);
  }

  cancel(id: string): Observable<OrderView> {
    return this.http.post<OrderView>(`/api/orders/${encodeURIComponent(id)}/cancel`, null);
  }

  /** Pays a `PAYMENT_FAILED` order again with another method. */
  retryPayment(id: string, paymentMethod: string, key: string): Observable<OrderView> {
    return this.http.post<OrderView>(`/api/orders/${encodeURIComponent(id)}/payment`, { paymentMethod }, {
      headers: { [KEY]: key },
    });
  }
}
