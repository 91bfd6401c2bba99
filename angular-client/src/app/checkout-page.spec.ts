import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { TestRequest } from '@angular/common/http/testing';
import { ALICE, fakeEventSources, serverCart, shopTestBed } from '../testing';
import { Address } from './account';
import { SessionStore } from './session';
import { LEAVE_APP } from './signed-in.guard';

const left: string[] = [];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const eur = (amount: number) => ({ amount, currency: 'EUR' });

const HOME: Address = {
  id: '11111111-1111-4111-8111-111111111111', label: 'Home', recipientName: 'Alice Smith', line1: '1 Main St', city: 'Berlin',
  postalCode: '10115', countryCode: 'DE', default: true, createdAt: '2026-12-01T10:00:00Z', updatedAt: '2026-12-01T10:00:00Z',
};
const WORK: Address = { ...HOME, id: '22222222-2222-4222-8222-222222222222', label: 'Work', line1: '9 Rue de Rivoli', city: 'Paris', postalCode: '75001', countryCode: 'FR', default: false };

const text = (harness: RouterTestingHarness, selector: string) =>
  [...harness.routeNativeElement!.querySelectorAll(selector)].map((e) => e.textContent!.replace(/\s+/g, ' ').trim());
const button = (harness: RouterTestingHarness, label: string) =>
  [...harness.routeNativeElement!.querySelectorAll('button')].find((b) => b.textContent!.replace(/\s+/g, ' ').trim().startsWith(label))!;

describe('checkout for a guest', () => {
  const bed = shopTestBed([{ provide: LEAVE_APP, useValue: (url: string) => left.push(url) }]);
  beforeEach(() => { left.length = 0; });

  it('goes to the sign-in, to come back to checkout, once the session is known', async () => {
    const harness = await RouterTestingHarness.create();
    const navigation = harness.navigateByUrl('/checkout');
    await new Promise((resolve) => setTimeout(resolve));
    bed.http().expectOne('/api/session').flush({ authenticated: false, roles: [], loginUrl: '/oauth2/authorization/surge', logoutUrl: '/logout' });
    await navigation;
    expect(left).toEqual(['/oauth2/authorization/surge']);
    expect(TestBed.inject(SessionStore).takeReturn()).toBe('/checkout');
    expect(TestBed.inject(Router).url).not.toBe('/checkout');
  });
});

describe('checkout', () => {
  const bed = shopTestBed([{ provide: LEAVE_APP, useValue: (url: string) => left.push(url) }, ...fakeEventSources()]);
  afterEach(() => vi.useRealTimers());

  const quoted = (addressId: string) => (r: { url: string; params: { get(n: string): string | null } }) =>
    r.url === '/api/cart' && r.params.get('addressId') === addressId;

  async function open(addresses: Address[] = [HOME, WORK]): Promise<RouterTestingHarness> {
    bed.session(ALICE);
    const harness = await RouterTestingHarness.create('/checkout');
    bed.http().expectOne({ method: 'GET', url: '/api/users/me/addresses' }).flush({ items: addresses, page: 0, size: 20, total: addresses.length });
    await harness.fixture.whenStable();
    if (addresses.length > 0) {
      bed.http().expectOne(quoted(addresses[0].id)).flush({
        ...serverCart([{ sku: 'MUG-1', name: 'Blue mug', quantity: 2 }]),
        estimate: { country: 'DE', shipping: eur(495), tax: eur(351), total: eur(2195) },
      });
      await harness.fixture.whenStable();
    }
    return harness;
  }

  async function placeOrder(harness: RouterTestingHarness): Promise<TestRequest> {
    button(harness, 'Place order').click();
    await harness.fixture.whenStable();
    return bed.http().expectOne({ method: 'POST', url: '/api/orders' });
  }

  it("shows the shopper's details from the profile read at sign-in, with the way to change them", async () => {
    TestBed.inject(SessionStore).keepProfile({ userId: 'alice', name: 'Alice Smith', email: 'alice@surge.test', phone: '+49 30 1234567' });
    const harness = await open();
    expect(text(harness, '.your-details p')[0]).toBe('Alice Smith · alice@surge.test · +49 30 1234567');
    expect(harness.routeNativeElement!.querySelector('.your-details a')!.getAttribute('href')).toBe('/profile');
  });

  it("never shows another shopper's details: a profile kept from before is not the session's", async () => {
    TestBed.inject(SessionStore).keepProfile({ userId: 'bob', name: 'Bob', email: 'bob@surge.test' });
    const harness = await open();
    expect(harness.routeNativeElement!.querySelector('.your-details')).toBeNull();
  });

  it('shows no details section before the profile is known', async () => {
    const harness = await open();
    expect(harness.routeNativeElement!.querySelector('.your-details')).toBeNull();
  });

  it('prices the cart for the default address and again for the one chosen', async () => {
    const harness = await open();
    expect(harness.routeNativeElement!.querySelector<HTMLInputElement>(`#address-${HOME.id}`)!.checked).toBe(true);
    expect(text(harness, `label[for="address-${HOME.id}"]`)[0]).toBe('Home: Alice Smith, 1 Main St, 10115 Berlin, DE (default)');
    expect(text(harness, '.summary-lines li')).toEqual(['Blue mug × 2€17.00']);
    expect(text(harness, '.totals')[0]).toBe('Items€17.00Shipping€4.95Total€21.95Included VAT€3.51');
    expect(button(harness, 'Place order').textContent).toContain('€21.95');

    const work = harness.routeNativeElement!.querySelector<HTMLInputElement>(`#address-${WORK.id}`)!;
    work.checked = true;
    work.dispatchEvent(new Event('change'));
    await harness.fixture.whenStable();
    bed.http().expectOne(quoted(WORK.id)).flush({
      ...serverCart([{ sku: 'MUG-1', name: 'Blue mug', quantity: 2 }]),
      estimate: { country: 'FR', shipping: eur(995), tax: eur(283), total: eur(2695) },
    });
    await harness.fixture.whenStable();
    expect(button(harness, 'Place order').textContent).toContain('€26.95');
  });

  it('places the order once with an Idempotency-Key and the total shown, then opens its page', async () => {
    const harness = await open();
    const pay = harness.routeNativeElement!.querySelector<HTMLInputElement>('#pay-tok_mastercard')!;
    expect(harness.routeNativeElement!.querySelector('label[for="pay-tok_mastercard"]')!.textContent).toBe('Mastercard test card (pays)');
    pay.checked = true;
    pay.dispatchEvent(new Event('change'));
    button(harness, 'Place order').click();
    button(harness, 'Place order').click();
    await harness.fixture.whenStable();
    const post = bed.http().expectOne({ method: 'POST', url: '/api/orders' });
    expect(post.request.headers.get('Idempotency-Key')).toMatch(UUID);
    expect(post.request.body).toEqual({ addressId: HOME.id, paymentMethod: 'tok_mastercard', expectedTotal: eur(2195) });
    expect(button(harness, 'Place order').disabled).toBe(true);
    post.flush({ id: 'ORDER-1', status: 'PENDING_PAYMENT' }, { status: 201, statusText: 'Created' });
    bed.http().expectOne((r) => r.urlWithParams === '/api/cart').flush(serverCart([]));
    await harness.fixture.whenStable();
    expect(TestBed.inject(Router).url).toBe('/orders/ORDER-1');
    bed.http().expectOne('/api/orders/ORDER-1').flush({
      id: 'ORDER-1', status: 'PENDING_PAYMENT', version: 1,
      lines: [{ sku: 'MUG-1', name: 'Blue mug', quantity: 2, unitPrice: eur(850), lineTotal: eur(1700) }],
      subtotal: eur(1700), shipping: eur(495), tax: eur(351), total: eur(2195), shipTo: HOME, paymentAttempts: [],
      timeline: [{ status: 'PENDING_PAYMENT', at: '2026-12-02T07:01:00Z' }], placedAt: '2026-12-02T07:01:00Z',
    });
    await harness.fixture.whenStable();
    // the landing says plainly that the order is placed
    expect(text(harness, '.order-placed')).toEqual(['Thank you — your order is placed. Its status below updates by itself.']);
  });

  it('sends a request whose answer was lost again with the same key, and a changed one with a new key', async () => {
    const harness = await open();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    button(harness, 'Place order').click();
    await vi.advanceTimersByTimeAsync(0);
    const first = bed.http().expectOne({ method: 'POST', url: '/api/orders' });
    const key = first.request.headers.get('Idempotency-Key');
    first.error(new ProgressEvent('error'), { status: 0, statusText: '' });
    await vi.advanceTimersByTimeAsync(0);
    // rendered here: the zoneless scheduler may have raced the faked setTimeout with a real animation frame
    harness.detectChanges();
    expect(text(harness, '[role=status]')).toContain('Still placing your order: trying again in 1 second…');
    bed.http().expectNone('/api/orders');
    await vi.advanceTimersByTimeAsync(1000);
    const resent = bed.http().expectOne({ method: 'POST', url: '/api/orders' });
    expect(resent.request.headers.get('Idempotency-Key')).toBe(key);
    resent.flush({ type: 'https://surge.dev/problems/out-of-stock', title: 'Out of stock', status: 409, detail: 'Only 1 of MUG-1 left', sku: 'MUG-1', available: 1 },
      { status: 409, statusText: 'Conflict' });
    await vi.advanceTimersByTimeAsync(0);
    harness.detectChanges();
    expect(text(harness, '[role=alert]')[0]).toBe('Out of stockOnly 1 of MUG-1 left');
    vi.useRealTimers();

    const again = await placeOrder(harness);
    expect(again.request.headers.get('Idempotency-Key')).toBe(key);
    again.flush({ title: 'Internal Server Error', status: 500 }, { status: 500, statusText: 'Internal Server Error' });
    await harness.fixture.whenStable();

    const pay = harness.routeNativeElement!.querySelector<HTMLInputElement>('#pay-tok_amex')!;
    pay.checked = true;
    pay.dispatchEvent(new Event('change'));
    const changed = await placeOrder(harness);
    expect(changed.request.headers.get('Idempotency-Key')).toMatch(UUID);
    expect(changed.request.headers.get('Idempotency-Key')).not.toBe(key);
    changed.flush({ title: 'Bad', status: 400 }, { status: 400, statusText: 'Bad Request' });
  });

  it('shows the new total of a price change and places the order for it once confirmed', async () => {
    const harness = await open();
    const first = await placeOrder(harness);
    first.flush({
      type: 'https://surge.dev/problems/price-changed', title: 'Price changed', status: 409,
      detail: 'The total is now 2395 EUR; confirm it by placing the order again with this expectedTotal',
      lines: [], subtotal: eur(1900), shipping: eur(495), tax: eur(382), total: eur(2395),
    }, { status: 409, statusText: 'Conflict' });
    await harness.fixture.whenStable();
    expect(text(harness, '[role=alert]')[0]).toContain('it is now €23.95 (it was €21.95)');
    expect(text(harness, '.totals')[0]).toBe('Items€19.00Shipping€4.95Total€23.95Included VAT€3.82');
    const confirm = button(harness, 'Confirm and place order');
    expect(confirm.textContent).toContain('€23.95');
    confirm.click();
    await harness.fixture.whenStable();
    const second = bed.http().expectOne({ method: 'POST', url: '/api/orders' });
    expect(second.request.body.expectedTotal).toEqual(eur(2395));
    expect(second.request.headers.get('Idempotency-Key')).not.toBe(first.request.headers.get('Idempotency-Key'));
    second.flush({ title: 'Cart empty', detail: 'Your cart is empty', status: 409 }, { status: 409, statusText: 'Conflict' });
    await harness.fixture.whenStable();
    expect(text(harness, '.problem')[0]).toBe('Cart emptyYour cart is empty');
  });

  it('asks a shopper without addresses for one, saves it and prices the order for it', async () => {
    const harness = await open([]);
    expect(button(harness, 'Place order').disabled).toBe(true);
    const page = harness.routeNativeElement!;
    const fill = (name: string, value: string) => {
      const input = page.querySelector<HTMLInputElement | HTMLSelectElement>(`#checkout-address-${name}`)!;
      input.value = value;
    };
    expect(page.querySelector<HTMLInputElement>('#checkout-address-recipientName')!.value).toBe('Alice');
    expect(page.querySelector('label[for="checkout-address-line1"]')!.textContent).toContain('Street and number');
    fill('line1', ' 1 Main St ');
    fill('postalCode', '1');
    fill('city', 'Berlin');
    fill('countryCode', 'DE');
    page.querySelector('form.address-form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await harness.fixture.whenStable();
    const invalid = bed.http().expectOne({ method: 'POST', url: '/api/users/me/addresses' });
    expect(invalid.request.body).toEqual({ recipientName: 'Alice', line1: '1 Main St', city: 'Berlin', postalCode: '1', countryCode: 'DE' });
    invalid.flush({ type: 'https://surge.dev/problems/invalid-request', title: 'Invalid request', status: 400,
      errors: [{ field: 'postalCode', message: 'must be 2 to 10 letters, digits, spaces or hyphens' }] }, { status: 400, statusText: 'Bad Request' });
    await harness.fixture.whenStable();
    expect(text(harness, '#checkout-address-postalCode-error')).toEqual(['must be 2 to 10 letters, digits, spaces or hyphens']);
    expect(page.querySelector('#checkout-address-postalCode')!.getAttribute('aria-invalid')).toBe('true');

    fill('postalCode', '10115');
    page.querySelector('form.address-form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await harness.fixture.whenStable();
    bed.http().expectOne({ method: 'POST', url: '/api/users/me/addresses' }).flush(HOME, { status: 201, statusText: 'Created' });
    await harness.fixture.whenStable();
    bed.http().expectOne('/api/users/me/addresses').flush({ items: [HOME], page: 0, size: 20, total: 1 });
    bed.http().expectOne(quoted(HOME.id)).flush({
      ...serverCart([{ sku: 'MUG-1', name: 'Blue mug', quantity: 1 }]),
      estimate: { country: 'DE', shipping: eur(495), tax: eur(215), total: eur(1345) },
    });
    await harness.fixture.whenStable();
    expect(text(harness, '[role=status]')).toContain('Saved Alice Smith, 1 Main St, 10115 Berlin, DE; your order goes there.');
    expect(button(harness, 'Place order').disabled).toBe(false);
    expect(button(harness, 'Place order').textContent).toContain('€13.45');
  });

  it('makes another address the default', async () => {
    const harness = await open();
    button(harness, 'Make default').click();
    await harness.fixture.whenStable();
    bed.http().expectOne({ method: 'POST', url: `/api/users/me/addresses/${WORK.id}/default` }).flush({ ...WORK, default: true });
    await harness.fixture.whenStable();
    bed.http().expectOne('/api/users/me/addresses').flush({ items: [{ ...WORK, default: true }, { ...HOME, default: false }], page: 0, size: 20, total: 2 });
    await harness.fixture.whenStable();
    expect(text(harness, `label[for="address-${WORK.id}"]`)[0]).toContain('(default)');
    // the chosen address stays the one the order goes to
    expect(harness.routeNativeElement!.querySelector<HTMLInputElement>(`#address-${HOME.id}`)!.checked).toBe(true);
  });
});
