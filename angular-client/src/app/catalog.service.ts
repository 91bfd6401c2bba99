import { Injectable } from '@angular/core';
import { Category, Page, ProductDetails, ProductQuery, ProductSummary, productsUrl } from './catalog';

/**
 * The gateway's catalog API, on the same origin. Plain `fetch` (no HttpClient) keeps the initial
 * bundle small; a failure rejects with `{status, statusText, error: <problem body>}`, which
 * `toProblem` reads.
 */
@Injectable({ providedIn: 'root' })
export class CatalogService {
  products(query: ProductQuery, signal?: AbortSignal): Promise<Page<ProductSummary>> {
    return getJson(productsUrl(query), signal);
  }

  categories(signal?: AbortSignal): Promise<Category[]> {
    return getJson('/api/categories', signal);
  }

  product(sku: string, signal?: AbortSignal): Promise<ProductDetails> {
    return getJson(`/api/products/${encodeURIComponent(sku)}`, signal);
  }
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json, application/problem+json' }, signal });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw { status: 0, statusText: 'Network error', error: null };
  }
  if (response.ok) return (await response.json()) as T;
  const body = await response.json().catch(() => null);
  throw { status: response.status, statusText: response.statusText, error: body };
}
