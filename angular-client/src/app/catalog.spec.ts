import { availabilityText, flattenCategories, formatPrice, pageCount, productsUrl, toProblem } from './catalog';

describe('productsUrl', () => {
  it('lists with the default sort left out', () => {
    expect(productsUrl({ sort: 'name', page: 0, size: 24 })).toBe('/api/products?size=24');
  });
  it('lists a category, sorted, on a later page', () => {
    expect(productsUrl({ category: 'shoes', sort: 'price-desc', page: 2, size: 12 }))
      .toBe('/api/products?category=shoes&sort=price-desc&page=2&size=12');
  });
  it('searches trimmed text and drops category and sort', () => {
    expect(productsUrl({ q: '  red & blue ', category: 'shoes', sort: 'price', size: 20 }))
      .toBe('/api/products/search?q=red+%26+blue&size=20');
  });
  it('clamps page and size', () => {
    expect(productsUrl({ page: -3, size: 1000 })).toBe('/api/products?size=100');
  });
});

describe('formatPrice', () => {
  it('formats minor units', () => {
    expect(formatPrice({ amount: 1999, currency: 'EUR' })).toBe('€19.99');
  });
  it('knows currencies without minor units', () => {
    expect(formatPrice({ amount: 500, currency: 'JPY' }, 'en-US')).toBe('¥500');
  });
});

describe('toProblem', () => {
  it('reads title and detail of a problem response', () => {
    expect(toProblem({ status: 404, error: { title: 'Product not found', detail: 'No product X' } }))
      .toEqual({ title: 'Product not found', detail: 'No product X', status: 404 });
  });
  it('names an unreachable shop', () => {
    expect(toProblem({ status: 0, error: new Error('x') }).title).toBe('Shop unreachable');
  });
});

describe('helpers', () => {
  it('flattens the category tree in order', () => {
    const flat = flattenCategories([{ id: 'a', name: 'A', children: [{ id: 'b', name: 'B', children: [] }] }]);
    expect(flat.map((c) => c.id)).toEqual(['a', 'b']);
    expect(flat[1].label.endsWith('B')).toBe(true);
  });
  it('counts pages and stock', () => {
    expect(pageCount({ items: [], page: 0, size: 24, total: 49 })).toBe(3);
    expect(availabilityText({ status: 'LOW_STOCK', count: 3 })).toBe('Only 3 left');
  });
});
