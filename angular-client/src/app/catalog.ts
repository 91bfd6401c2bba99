/** Shapes of the catalog API (see catalog-reactive/README.md) and the pure logic around them. */

export interface Money { amount: number; currency: string; }
export interface Rating { average: number; count: number; }
export interface Availability { status: 'IN_STOCK' | 'LOW_STOCK' | 'OUT_OF_STOCK'; count?: number; }
export interface ProductSummary {
  sku: string; name: string; brand: string; categoryId: string; price: Money; image: string;
  rating: Rating; availability: Availability;
}
/** `stale`: the gateway answered with its last good copy while catalog could not answer (edge-gateway, "Stale answers"). */
export interface Page<T> { items: T[]; page: number; size: number; total: number; query?: string; correctedQuery?: string; stale?: boolean; }
export interface Category { id: string; name: string; children: Category[]; }
export interface Review { id: string; rating: number; title: string; body: string; author: string; createdAt: string; }
export interface ProductDetails {
  sku: string; name: string; description: string; brand: string; categoryId: string; categoryPath: string[];
  price: Money; images: { url: string; alt: string }[]; attributes: Record<string, unknown>; rating: Rating;
  availability: Availability; reviews: Review[]; createdAt: string; stale?: boolean;
}
/** `retryIn`: seconds until the request is sent again by itself (a `503` with `Retry-After`). */
export interface Problem { title: string; detail?: string; status?: number; retryIn?: number; }

export const STALE_NOTICE = 'The catalog is not answering right now, so this is the last copy the shop kept: prices and stock may have changed since.';

export type Sort = 'name' | 'price' | 'price-desc' | 'rating' | 'newest';
export const SORTS: readonly Sort[] = ['name', 'price', 'price-desc', 'rating', 'newest'];
export const PAGE_SIZES: readonly number[] = [12, 20, 24, 48];

export interface ProductQuery { q?: string; category?: string; sort?: Sort; page?: number; size?: number; }

/** The URL (path and query) for a product query: search when `q` has text, the listing otherwise. */
export function productsUrl(query: ProductQuery): string {
  const params = new URLSearchParams();
  const q = (query.q ?? '').trim();
  const search = q.length > 0;
  if (search) {
    params.set('q', q.slice(0, 100));
  } else {
    if (query.category) params.set('category', query.category);
    if (query.sort && query.sort !== 'name') params.set('sort', query.sort);
  }
  const page = Math.max(0, Math.floor(query.page ?? 0));
  if (page > 0) params.set('page', String(page));
  const size = Math.min(100, Math.max(1, Math.floor(query.size ?? 24)));
  params.set('size', String(size));
  return (search ? '/api/products/search?' : '/api/products?') + params.toString();
}

/** Formats money given in minor units, e.g. {amount: 1999, currency: 'EUR'} → "€19.99". */
export function formatPrice(money: Money, locale = 'en-IE'): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amount / 10 ** digits);
}

export function availabilityText(availability: Availability): string {
  switch (availability.status) {
    case 'LOW_STOCK': return availability.count ? `Only ${availability.count} left` : 'Low stock';
    case 'OUT_OF_STOCK': return 'Out of stock';
    default: return 'In stock';
  }
}

/** Reads a problem response (application/problem+json) or any other failure as a title and detail. */
export function toProblem(error: unknown): Problem {
  const e = error as { status?: number; statusText?: string; error?: unknown } | null;
  const body = e?.error as { title?: unknown; detail?: unknown } | null | undefined;
  if (body && typeof body === 'object' && typeof body.title === 'string') {
    return { title: body.title, detail: typeof body.detail === 'string' ? body.detail : undefined, status: e?.status };
  }
  if (e?.status === 0) return { title: 'Shop unreachable', detail: 'The shop could not be reached. Try again shortly.', status: 0 };
  return { title: e?.statusText || 'Something went wrong', status: e?.status };
}

/** Flattens the category tree for a select, children indented under their parent. */
export function flattenCategories(tree: Category[], depth = 0): { id: string; label: string }[] {
  return tree.flatMap((c) => [
    { id: c.id, label: '\u00a0\u00a0'.repeat(depth) + c.name },
    ...flattenCategories(c.children ?? [], depth + 1),
  ]);
}

export function pageCount(page: Page<unknown>): number {
  return Math.max(1, Math.ceil(page.total / Math.max(1, page.size)));
}

/**
 * The grid's query as the address bar holds it (`/?q=&category=&sort=&page=&size=`), so a reload,
 * a shared link or the way back from a product shows the same page. Anything unusable is the default.
 */
export function queryFromParams(params: { get(name: string): string | null }): ProductQuery {
  const sort = params.get('sort') as Sort | null;
  const size = Number(params.get('size'));
  const page = Number(params.get('page'));
  return {
    q: params.get('q') ?? undefined,
    category: params.get('category') || undefined,
    sort: sort && SORTS.includes(sort) ? sort : 'name',
    page: Number.isInteger(page) && page > 0 ? page : 0,
    size: PAGE_SIZES.includes(size) ? size : 24,
  };
}

/** The address bar's parameters for a query: defaults and empty values left out (the search text as typed). */
export function paramsFromQuery(query: ProductQuery): Record<string, string> {
  const params: Record<string, string> = {};
  if (query.q) params['q'] = query.q;
  if (query.category) params['category'] = query.category;
  if (query.sort && query.sort !== 'name') params['sort'] = query.sort;
  if (query.page) params['page'] = String(query.page);
  if (query.size && query.size !== 24) params['size'] = String(query.size);
  return params;
}
