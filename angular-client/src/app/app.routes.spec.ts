import { RouterTestingHarness } from '@angular/router/testing';
import { shopTestBed } from '../testing';

describe('routes', () => {
  const bed = shopTestBed();

  it('opens the details page of the sku in the path, loaded lazily', async () => {
    const harness = await RouterTestingHarness.create('/products/TSHIRT-01');
    bed.http().expectOne('/api/products/TSHIRT-01').flush({
      sku: 'TSHIRT-01', name: 'Plain T-shirt', description: 'Cotton', brand: 'Surge', categoryId: 'shirts',
      categoryPath: ['Clothing', 'Shirts'], price: { amount: 1999, currency: 'EUR' }, images: [], attributes: {},
      rating: { average: 0, count: 0 }, availability: { status: 'IN_STOCK' }, reviews: [], createdAt: '2026-01-01T00:00:00Z',
    });
    bed.http().expectOne('/api/flash-sales/TSHIRT-01').flush(null, { status: 404, statusText: 'Not Found' });
    harness.detectChanges();
    expect(harness.routeNativeElement?.querySelector('h1')?.textContent).toBe('Plain T-shirt');
  });

  it('shows the problem when the sku is unknown', async () => {
    const harness = await RouterTestingHarness.create('/products/NOPE-1');
    bed.http().expectOne('/api/products/NOPE-1').flush(
      { type: 'https://surge.dev/problems/product-not-found', title: 'Product not found', status: 404, detail: 'No product NOPE-1' },
      { status: 404, statusText: 'Not Found' },
    );
    bed.http().expectOne('/api/flash-sales/NOPE-1').flush(null, { status: 404, statusText: 'Not Found' });
    harness.detectChanges();
    expect(harness.routeNativeElement?.querySelector('[role=alert]')?.textContent).toContain('No product NOPE-1');
  });

  it('answers any other path with a page of its own', async () => {
    const harness = await RouterTestingHarness.create('/products/a/reviews');
    expect(harness.routeNativeElement?.querySelector('h1')?.textContent).toBe('Page not found');
  });
});
