import { TestBed } from '@angular/core/testing';
import { ALICE, serverCart, shopTestBed } from '../testing';
import { GuestCartStore, STORAGE_KEY, writeGuestCart } from './guest-cart';
import { ShopCart } from './shop-cart';

describe('the cart of a shopper who signed in', () => {
  const bed = shopTestBed();
  afterEach(() => { document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT'; });

  it('gets the guest cart merged once, with every adjustment in words', () => {
    localStorage.setItem(STORAGE_KEY, writeGuestCart([
      { sku: 'MUG-1', quantity: 5 }, { sku: 'PEN-1', quantity: 1 }, { sku: 'OLD-1', quantity: 2 }, { sku: 'HAT-1', quantity: 1 },
    ]));
    document.cookie = 'XSRF-TOKEN=token-1';
    bed.session(ALICE);
    const cart = TestBed.inject(ShopCart);
    cart.start();

    const merge = bed.http().expectOne({ method: 'POST', url: '/api/cart/merge' });
    expect(merge.request.body).toEqual({ lines: [
      { sku: 'MUG-1', quantity: 5 }, { sku: 'PEN-1', quantity: 1 }, { sku: 'OLD-1', quantity: 2 }, { sku: 'HAT-1', quantity: 1 },
    ] });
    expect(merge.request.headers.get('X-XSRF-TOKEN')).toBe('token-1');
    merge.flush({
      cart: serverCart([{ sku: 'MUG-1', name: 'Blue mug', quantity: 2 }, { sku: 'HAT-1', name: 'Sun hat', quantity: 1 }]),
      adjustments: [
        { sku: 'MUG-1', requested: 5, quantity: 2, reason: 'CLAMPED' },
        { sku: 'PEN-1', requested: 1, quantity: 0, reason: 'SOLD_OUT' },
        { sku: 'OLD-1', requested: 2, quantity: 0, reason: 'UNKNOWN' },
      ],
    });
    const names = bed.http().expectOne({ method: 'POST', url: '/api/cart/prices' });
    expect(names.request.body).toEqual({ skus: ['PEN-1', 'OLD-1'] });
    names.flush({ items: [{ sku: 'PEN-1', name: 'Red pen', unitPrice: { amount: 150, currency: 'EUR' }, availability: 'OUT_OF_STOCK', orderable: 0 }] });

    expect(cart.notice()).toEqual([
      'The cart from before you signed in is now in your cart.',
      'Blue mug: you chose 5, only 2 can be ordered, so your cart has 2.',
      'Red pen: sold out, not added.',
      'A product (OLD-1) is no longer in the shop, not added.',
    ]);
    expect(TestBed.inject(GuestCartStore).lines()).toEqual([]);
    expect(localStorage.getItem(STORAGE_KEY)).toBeNull();
    expect(cart.count()).toBe(3);

    cart.start();
    bed.http().expectOne({ method: 'GET', url: '/api/cart' }).flush(serverCart([{ sku: 'MUG-1', name: 'Blue mug', quantity: 2 }]));
    bed.http().expectNone('/api/cart/merge');
  });

  it('keeps the guest cart in the browser when the merge fails, and shows the cart it has', () => {
    localStorage.setItem(STORAGE_KEY, writeGuestCart([{ sku: 'MUG-1', quantity: 1 }]));
    bed.session(ALICE);
    const cart = TestBed.inject(ShopCart);
    cart.start();
    bed.http().expectOne('/api/cart/merge').flush(
      { title: 'Service unavailable', detail: 'cart-order is not answering', status: 503 }, { status: 503, statusText: 'Service Unavailable' });
    bed.http().expectOne({ method: 'GET', url: '/api/cart' }).flush(serverCart([]));
    expect(cart.notice()[0]).toContain('could not be added yet (cart-order is not answering)');
    expect(TestBed.inject(GuestCartStore).lines()).toEqual([{ sku: 'MUG-1', quantity: 1 }]);
    expect(cart.count()).toBe(0);
  });

  it('adds through the API, clamped to the per-line limit, and says a refusal in the problem’s words', () => {
    bed.session(ALICE);
    const cart = TestBed.inject(ShopCart);
    cart.start();
    bed.http().expectOne('/api/cart').flush(serverCart([{ sku: 'MUG-1', name: 'Blue mug', quantity: 9 }]));

    const messages: string[] = [];
    cart.add('MUG-1', 'Blue mug', 5).subscribe((m) => messages.push(m));
    const add = bed.http().expectOne({ method: 'POST', url: '/api/cart/items' });
    expect(add.request.body).toEqual({ sku: 'MUG-1', quantity: 1 });
    add.flush(serverCart([{ sku: 'MUG-1', name: 'Blue mug', quantity: 10 }]));

    cart.add('PEN-1', 'Red pen', 1).subscribe((m) => messages.push(m));
    bed.http().expectOne('/api/cart/items').flush(
      { type: 'https://surge.dev/problems/out-of-stock', title: 'Out of stock', detail: 'Only 0 of PEN-1 left.', status: 409 },
      { status: 409, statusText: 'Conflict' });

    cart.add('MUG-1', 'Blue mug', 1).subscribe((m) => messages.push(m));
    expect(messages).toEqual([
      'Added 1 × Blue mug to your cart. You now have 10 (10 is the most one order can hold).',
      'Out of stock: Only 0 of PEN-1 left.',
      'You already have 10 × Blue mug in your cart (10 is the most one order can hold).',
    ]);
    expect(cart.count()).toBe(10);
  });

  it('is the guest cart, asking nothing, for a guest', () => {
    localStorage.setItem(STORAGE_KEY, writeGuestCart([{ sku: 'MUG-1', quantity: 2 }]));
    bed.session();
    const cart = TestBed.inject(ShopCart);
    cart.start();
    expect(cart.count()).toBe(2);
  });
});
