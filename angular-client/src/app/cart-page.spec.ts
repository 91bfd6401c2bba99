import { TestBed } from '@angular/core/testing';
import { RouterTestingHarness } from '@angular/router/testing';
import { ALICE, serverCart, shopTestBed } from '../testing';
import { GuestCartStore, STORAGE_KEY, writeGuestCart } from './guest-cart';

/** The text of each element the selector finds on the page, white space collapsed. */
const text = (harness: RouterTestingHarness, selector: string) =>
  [...harness.routeNativeElement!.querySelectorAll(selector)].map((e) => e.textContent!.replace(/\s+/g, ' ').trim());

describe('the cart page of a guest', () => {
  const bed = shopTestBed();

  beforeEach(() => localStorage.setItem(STORAGE_KEY,
    writeGuestCart([{ sku: 'A-1', quantity: 2 }, { sku: 'GONE-1', quantity: 1 }, { sku: 'B-1', quantity: 1 }])));

  async function open(): Promise<RouterTestingHarness> {
    bed.session();
    const harness = await RouterTestingHarness.create('/cart');
    const lookup = bed.http().expectOne({ method: 'POST', url: '/api/cart/prices' });
    expect(lookup.request.body).toEqual({ skus: ['A-1', 'GONE-1', 'B-1'] });
    lookup.flush({
      items: [
        { sku: 'B-1', name: 'Blue mug', imageUrl: '/images/b.webp', unitPrice: { amount: 850, currency: 'EUR' }, availability: 'LOW', orderable: 1 },
        { sku: 'A-1', name: 'Plain T-shirt', unitPrice: { amount: 1999, currency: 'EUR' }, availability: 'IN_STOCK', orderable: 10 },
      ],
    });
    await harness.fixture.whenStable();
    return harness;
  }

  it('shows each line priced by the look-up, the unknown one, and the subtotal', async () => {
    const harness = await open();
    expect(text(harness, '.cart-lines h2')).toEqual(['Plain T-shirt', 'Blue mug']);
    expect(text(harness, '.cart-lines li')[1]).toContain('Only 1 left');
    expect(text(harness, '.cart-lines li')[2]).toContain('A product (GONE-1) is no longer in the shop.');
    expect(text(harness, '.subtotal')[0]).toBe('Subtotal (4 items): €48.48');
  });

  it('changes a quantity and removes lines without asking the server again', async () => {
    const harness = await open();
    const select = harness.routeNativeElement!.querySelector<HTMLSelectElement>('#quantity-A-1')!;
    expect(select.value).toBe('2');
    expect(harness.routeNativeElement!.querySelector(`label[for="quantity-A-1"]`)).not.toBeNull();
    select.value = '3';
    select.dispatchEvent(new Event('change'));
    await harness.fixture.whenStable();
    expect(text(harness, '.subtotal')[0]).toBe('Subtotal (5 items): €68.47');

    const remove = [...harness.routeNativeElement!.querySelectorAll('button')].find((b) => b.textContent!.includes('Blue mug'))!;
    remove.click();
    await harness.fixture.whenStable();
    expect(text(harness, '[role=status]')[0]).toBe('Removed Blue mug from your cart.');
    expect(TestBed.inject(GuestCartStore).lines()).toEqual([{ sku: 'A-1', quantity: 3 }, { sku: 'GONE-1', quantity: 1 }]);
  });

  it('shows the problem and tries again', async () => {
    bed.session();
    const harness = await RouterTestingHarness.create('/cart');
    bed.http().expectOne('/api/cart/prices').flush(
      { title: 'Service unavailable', detail: 'cart-order is not answering; try again in 10 seconds.', status: 503 },
      { status: 503, statusText: 'Service Unavailable' },
    );
    await harness.fixture.whenStable();
    expect(text(harness, '[role=alert]')[0]).toContain('cart-order is not answering');
    [...harness.routeNativeElement!.querySelectorAll('button')].find((b) => b.textContent === 'Try again')!.click();
    await harness.fixture.whenStable();
    bed.http().expectOne('/api/cart/prices').flush({ items: [] });
    await harness.fixture.whenStable();
    expect(text(harness, '[role=alert]')).toEqual([]);
  });
});

describe('the cart page of a shopper who signed in', () => {
  const bed = shopTestBed();

  async function open(): Promise<RouterTestingHarness> {
    bed.session(ALICE);
    const harness = await RouterTestingHarness.create('/cart');
    bed.http().expectOne({ method: 'GET', url: '/api/cart' }).flush({
      ...serverCart([{ sku: 'MUG-1', name: 'Blue mug', quantity: 2 }, { sku: 'HAT-1', name: 'Sun hat', quantity: 1 }]),
      estimate: { country: 'DE', shipping: { amount: 490, currency: 'EUR' }, tax: { amount: 485, currency: 'EUR' }, total: { amount: 3040, currency: 'EUR' } },
    });
    await harness.fixture.whenStable();
    return harness;
  }

  it('shows the cart from the API with its estimate', async () => {
    const harness = await open();
    expect(text(harness, '.cart-lines h2')).toEqual(['Blue mug', 'Sun hat']);
    expect(text(harness, '.subtotal')[0]).toBe('Subtotal (3 items): €25.50');
    expect(harness.routeNativeElement!.textContent).toContain('Shipping to DE: €4.90 · Total €30.40 (includes €4.85 VAT)');
    const checkout = [...harness.routeNativeElement!.querySelectorAll('a')].find((a) => a.textContent === 'Check out')!;
    expect(checkout.getAttribute('href')).toBe('/checkout');
  });

  it('changes and removes lines through the API', async () => {
    const harness = await open();
    const select = harness.routeNativeElement!.querySelector<HTMLSelectElement>('#quantity-MUG-1')!;
    select.value = '4';
    select.dispatchEvent(new Event('change'));
    const patch = bed.http().expectOne({ method: 'PATCH', url: '/api/cart/items/MUG-1' });
    expect(patch.request.body).toEqual({ quantity: 4 });
    patch.flush(serverCart([{ sku: 'MUG-1', name: 'Blue mug', quantity: 4 }, { sku: 'HAT-1', name: 'Sun hat', quantity: 1 }]));
    await harness.fixture.whenStable();
    expect(text(harness, '.subtotal')[0]).toBe('Subtotal (5 items): €42.50');

    [...harness.routeNativeElement!.querySelectorAll('button')].find((b) => b.textContent!.includes('Sun hat'))!.click();
    bed.http().expectOne({ method: 'DELETE', url: '/api/cart/items/HAT-1' })
      .flush(serverCart([{ sku: 'MUG-1', name: 'Blue mug', quantity: 4 }]));
    await harness.fixture.whenStable();
    expect(text(harness, '[role=status]')[0]).toBe('Removed Sun hat from your cart.');
    expect(text(harness, '.cart-lines h2')).toEqual(['Blue mug']);
  });

  it('offers only what can be ordered: nothing to choose for a sold-out line, no more than are left for a low one', async () => {
    bed.session(ALICE);
    const harness = await RouterTestingHarness.create('/cart');
    const view = serverCart([{ sku: 'MUG-1', name: 'Blue mug', quantity: 2 }, { sku: 'HAT-1', name: 'Sun hat', quantity: 1 }]);
    view.lines[0] = { ...view.lines[0], availability: 'LOW', orderable: 3 };
    view.lines[1] = { ...view.lines[1], availability: 'OUT_OF_STOCK', orderable: 0 };
    bed.http().expectOne({ method: 'GET', url: '/api/cart' }).flush(view);
    await harness.fixture.whenStable();
    const page = harness.routeNativeElement!;
    const low = page.querySelector<HTMLSelectElement>('#quantity-MUG-1')!;
    expect(low.disabled).toBe(false);
    expect([...low.options].filter((o) => !o.disabled).map((o) => o.value)).toEqual(['1', '2', '3']);
    const soldOut = page.querySelector<HTMLSelectElement>('#quantity-HAT-1')!;
    expect(soldOut.disabled).toBe(true);
    expect(text(harness, '.cart-lines li')[1]).toContain('Out of stock');
    expect(text(harness, '.cart-lines li')[1]).toContain('Out of stock right now, so it is not in the subtotal.');
    const remove = [...page.querySelectorAll('button')].find((b) => b.textContent!.includes('Sun hat'))!;
    expect(remove.disabled).toBe(false);
  });

  it('shows a refused change and reads the cart again', async () => {
    const harness = await open();
    const select = harness.routeNativeElement!.querySelector<HTMLSelectElement>('#quantity-MUG-1')!;
    select.value = '9';
    select.dispatchEvent(new Event('change'));
    bed.http().expectOne('/api/cart/items/MUG-1').flush(
      { type: 'https://surge.dev/problems/out-of-stock', title: 'Out of stock', detail: 'Only 3 of MUG-1 left.', status: 409 },
      { status: 409, statusText: 'Conflict' });
    bed.http().expectOne({ method: 'GET', url: '/api/cart' }).flush(serverCart([{ sku: 'MUG-1', name: 'Blue mug', quantity: 2 }]));
    await harness.fixture.whenStable();
    expect(text(harness, '[role=alert]')[0]).toContain('Only 3 of MUG-1 left.');
    expect(select.value).toBe('2');
  });
});
