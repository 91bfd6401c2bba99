import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ALICE, FakeEventSource, fakeEventSources, shopTestBed } from '../testing';
import { Address } from './account';

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const ORDER_ID = '0b5f0000-0000-4000-8000-000000000001';
const HOME: Address = {
  id: '11111111-1111-4111-8111-111111111111', label: 'Home', recipientName: 'Alice Smith', line1: '1 Main St', city: 'Berlin',
  postalCode: '10115', countryCode: 'DE', default: true, createdAt: '2026-12-01T10:00:00Z', updatedAt: '2026-12-01T10:00:00Z',
};
const waiting = (position: number, estimatedWaitSeconds: number) => ({
  sku: 'MUG-1', status: 'WAITING', position, estimatedWaitSeconds, startsAt: '2026-12-02T07:00:00Z', stream: '/api/flash-sales/MUG-1/queue',
});
const admitted = (secondsLeft = 120) => ({
  sku: 'MUG-1', status: 'ADMITTED', admission: 'tok-1', expiresAt: new Date(Date.now() + secondsLeft * 1000).toISOString(),
});

/** cart-order's quote of `units` mugs to Germany: €8.50 each, €4.95 shipping, 19 % VAT included. */
const quoteOf = (units: number) => {
  const subtotal = 850 * units;
  const total = subtotal + 495;
  return { lines: [], country: 'DE', subtotal: eur(subtotal), shipping: eur(495), tax: eur(Math.round(total * 19 / 119)), total: eur(total) };
};

const text = (harness: RouterTestingHarness) => harness.routeNativeElement!.textContent!.replace(/\s+/g, ' ');
const button = (harness: RouterTestingHarness, label: string) =>
  [...harness.routeNativeElement!.querySelectorAll('button')].find((b) => b.textContent!.trim().startsWith(label));

describe('the waiting room page', () => {
  const bed = shopTestBed(fakeEventSources());
  beforeEach(() => { FakeEventSource.opened.length = 0; });

  async function open(place: object = waiting(40, 12), limit = 1): Promise<RouterTestingHarness> {
    bed.session(ALICE);
    const harness = await RouterTestingHarness.create('/flash-sales/MUG-1');
    const post = bed.http().expectOne({ method: 'POST', url: '/api/flash-sales/MUG-1/queue' });
    post.flush(place);
    bed.http().expectOne('/api/flash-sales/MUG-1').flush({
      sku: 'MUG-1', startsAt: '2026-12-02T07:00:00Z', status: 'RUNNING', perShopperLimit: limit, waitingRoom: true, queue: '/api/flash-sales/MUG-1/queue',
    });
    bed.http().expectOne('/api/products/MUG-1').flush({
      sku: 'MUG-1', name: 'Blue mug', description: 'A mug', brand: 'Surge', categoryId: 'kitchen', categoryPath: ['Kitchen'],
      price: eur(850), images: [], attributes: {}, rating: { average: 0, count: 0 },
      availability: { status: 'IN_STOCK' }, reviews: [], createdAt: '2026-01-01T00:00:00Z',
    });
    await harness.fixture.whenStable();
    return harness;
  }

  async function admit(harness: RouterTestingHarness, quote: object | 'fails' = quoteOf(1)): Promise<void> {
    FakeEventSource.opened[0].emit('admitted', admitted());
    await harness.fixture.whenStable();
    bed.http().expectOne('/api/users/me/addresses').flush({ items: [HOME], page: 0, size: 20, total: 1 });
    await harness.fixture.whenStable();
    answerQuote(1, quote);
    await harness.fixture.whenStable();
  }

  function answerQuote(units: number, quote: object | 'fails') {
    const asked = bed.http().expectOne({ method: 'POST', url: '/api/orders/quote' });
    expect(asked.request.body).toEqual({ addressId: HOME.id, lines: [{ sku: 'MUG-1', quantity: units }] });
    if (quote === 'fails') asked.flush({ title: 'Service unavailable', status: 503 }, { status: 503, statusText: 'Service Unavailable' });
    else asked.flush(quote);
  }

  it('shows the place and the wait live, with the paused notice, then the turn with the time left', async () => {
    const harness = await open();
    expect(text(harness)).toContain('Flash sale: Blue mug');
    expect(text(harness)).toContain('On sale now · at most 1 per shopper · €8.50 each');
    expect(text(harness)).toContain('You are number 40 in the queue.');
    expect(text(harness)).toContain('Estimated wait: about 12 seconds.');
    const announced = () => harness.routeNativeElement!.querySelector('[role=status]')!.textContent!.trim();
    expect(announced()).toBe('');
    expect(harness.routeNativeElement!.querySelector('.waiting-room')!.hasAttribute('aria-live')).toBe(false);
    const stream = FakeEventSource.opened[0];
    expect(stream.url).toBe('/api/flash-sales/MUG-1/queue');
    stream.connect();
    stream.emit('waiting', waiting(7, 2));
    await harness.fixture.whenStable();
    expect(text(harness)).toContain('You are number 7 in the queue.');

    stream.emit('paused', { detail: "Admissions wait for the sale's stock gate; your place is kept", retryAfterSeconds: 5 });
    await harness.fixture.whenStable();
    expect(harness.routeNativeElement!.querySelector('.notice')!.textContent).toContain("Paused: Admissions wait for the sale's stock gate; your place is kept");

    stream.fail(true);
    await harness.fixture.whenStable();
    expect(text(harness)).toContain('Live updates interrupted: reconnecting…');

    await admit(harness);
    expect(stream.closed).toBe(true);
    expect(text(harness)).toContain("It's your turn");
    expect(announced()).toBe("It's your turn: you can buy now.");
    expect(text(harness)).toMatch(/You can buy for another (2 min|1 min 59 s)/);
    expect(text(harness)).toContain('Delivered to Alice Smith, 1 Main St, 10115 Berlin, DE; paid with the Visa test card (pays).');
    expect(text(harness)).not.toContain('reconnecting');
  });

  it('buys at the quoted total with the admission, confirms a total that changed since, and opens the order', async () => {
    const harness = await open();
    await admit(harness);
    // the quote's total, shipping included, is shown and sent: no price-changed round trip
    expect(text(harness)).toContain('Shipping€4.95');
    expect(text(harness)).toContain('Total€13.45');
    button(harness, 'Buy now · €13.45')!.click();
    button(harness, 'Buy now')!.click();
    const first = bed.http().expectOne({ method: 'POST', url: '/api/orders' });
    expect(first.request.headers.get('Flash-Sale-Admission')).toBe('tok-1');
    expect(first.request.body).toEqual({
      addressId: HOME.id, paymentMethod: 'tok_visa', expectedTotal: eur(1345), lines: [{ sku: 'MUG-1', quantity: 1 }],
    });
    const firstKey = first.request.headers.get('Idempotency-Key');
    expect(firstKey).toBeTruthy();
    // the price moved between the quote and the buy
    first.flush({
      type: 'https://surge.dev/problems/price-changed', title: 'The total changed', status: 409,
      lines: [], subtotal: eur(950), shipping: eur(495), tax: eur(231), total: eur(1445),
    }, { status: 409, statusText: 'Conflict' });
    await harness.fixture.whenStable();
    expect(text(harness)).toContain('Total€14.45');

    button(harness, 'Confirm and buy · €14.45')!.click();
    const second = bed.http().expectOne({ method: 'POST', url: '/api/orders' });
    expect(second.request.body.expectedTotal).toEqual(eur(1445));
    expect(second.request.headers.get('Idempotency-Key')).not.toBe(firstKey);
    expect(second.request.headers.get('Flash-Sale-Admission')).toBe('tok-1');
    second.flush({ id: ORDER_ID }, { status: 201, statusText: 'Created' });
    await harness.fixture.whenStable();
    expect(TestBed.inject(Router).url).toBe(`/orders/${ORDER_ID}`);
    bed.http().expectOne(`/api/orders/${ORDER_ID}`).flush(null, { status: 404, statusText: 'Not Found' });
  });

  it('offers as many units as the limit allows', async () => {
    const harness = await open(waiting(1, 0), 2);
    await admit(harness);
    const quantity = harness.routeNativeElement!.querySelector<HTMLSelectElement>('#buy-quantity')!;
    quantity.value = '2';
    quantity.dispatchEvent(new Event('change'));
    await harness.fixture.whenStable();
    answerQuote(2, quoteOf(2));
    await harness.fixture.whenStable();
    button(harness, 'Buy now · €21.95')!.click();
    const post = bed.http().expectOne({ method: 'POST', url: '/api/orders' });
    expect(post.request.body.lines).toEqual([{ sku: 'MUG-1', quantity: 2 }]);
    post.flush({ id: ORDER_ID }, { status: 201, statusText: 'Created' });
    await harness.fixture.whenStable();
    bed.http().expectOne(`/api/orders/${ORDER_ID}`).flush(null, { status: 404, statusText: 'Not Found' });
  });

  it('without a quote (cart-order did not answer it) confirms the items, as the first answer names the total', async () => {
    const harness = await open();
    await admit(harness, 'fails');
    expect(text(harness)).toContain('Items: €8.50, plus shipping to your address where it applies');
    button(harness, 'Buy now · €8.50')!.click();
    const post = bed.http().expectOne({ method: 'POST', url: '/api/orders' });
    expect(post.request.body.expectedTotal).toEqual(eur(850));
    post.flush({
      type: 'https://surge.dev/problems/price-changed', title: 'The total changed', status: 409,
      lines: [], subtotal: eur(850), shipping: eur(495), tax: eur(215), total: eur(1345),
    }, { status: 409, statusText: 'Conflict' });
    await harness.fixture.whenStable();
    expect(button(harness, 'Confirm and buy · €13.45')).toBeDefined();
  });

  it('shows a refused buy-now as its problem, and a lapsed admission offers to join again', async () => {
    const harness = await open();
    await admit(harness);
    button(harness, 'Buy now')!.click();
    bed.http().expectOne({ method: 'POST', url: '/api/orders' }).flush({
      type: 'https://surge.dev/problems/flash-sale-admission-required', title: 'Admission required', status: 403,
      detail: 'Take a place in the waiting room',
    }, { status: 403, statusText: 'Forbidden' });
    await harness.fixture.whenStable();
    expect(harness.routeNativeElement!.querySelector('[role=alert]')!.textContent).toContain('Admission required');
    button(harness, 'Join again')!.click();
    bed.http().expectOne({ method: 'POST', url: '/api/flash-sales/MUG-1/queue' }).flush(waiting(90, 20));
    await harness.fixture.whenStable();
    expect(text(harness)).toContain('You are number 90 in the queue.');
  });

  it('keeps the turn on a reload (the place answers admitted) and points to the profile without an address', async () => {
    const harness = await open(admitted());
    bed.http().expectOne('/api/users/me/addresses').flush({ items: [], page: 0, size: 20, total: 0 });
    await harness.fixture.whenStable();
    expect(FakeEventSource.opened).toHaveLength(0);
    expect(text(harness)).toContain("It's your turn");
    expect(text(harness)).toContain('You have no saved delivery address yet.');
    expect(button(harness, 'Buy now')).toBeUndefined();
  });

  it('says sold out when the units are gone', async () => {
    const harness = await open();
    FakeEventSource.opened[0].emit('sold-out', { sku: 'MUG-1' });
    await harness.fixture.whenStable();
    expect(harness.routeNativeElement!.querySelector('.waiting-room h2:not(.visually-hidden)')!.textContent).toBe('Sold out');
    expect(text(harness)).toContain('Every unit of this sale has been taken.');
    expect(FakeEventSource.opened[0].closed).toBe(true);
  });

  it('explains a passed turn and joins again at the end of the queue', async () => {
    const harness = await open();
    FakeEventSource.opened[0].emit('turn-passed', { sku: 'MUG-1', detail: 'Your admission lapsed unused; take a place again' });
    await harness.fixture.whenStable();
    expect(harness.routeNativeElement!.querySelector('.waiting-room h2:not(.visually-hidden)')!.textContent).toBe('Your turn passed');
    expect(text(harness)).toContain('Your admission lapsed unused; take a place again');
    button(harness, 'Join again')!.click();
    bed.http().expectOne({ method: 'POST', url: '/api/flash-sales/MUG-1/queue' }).flush(waiting(300, 60));
    await harness.fixture.whenStable();
    expect(text(harness)).toContain('You are number 300 in the queue.');
    expect(text(harness)).toContain('about 1 min');
    expect(FakeEventSource.opened).toHaveLength(2);
  });

  it('shows a refused place as its problem', async () => {
    bed.session(ALICE);
    const harness = await RouterTestingHarness.create('/flash-sales/MUG-1');
    bed.http().expectOne({ method: 'POST', url: '/api/flash-sales/MUG-1/queue' }).flush(
      { type: 'https://surge.dev/problems/purchase-limit', title: 'Purchase limit reached', status: 409, detail: 'You bought your limit of 1' },
      { status: 409, statusText: 'Conflict' },
    );
    bed.http().expectOne('/api/flash-sales/MUG-1').flush(null, { status: 404, statusText: 'Not Found' });
    bed.http().expectOne('/api/products/MUG-1').flush(null, { status: 404, statusText: 'Not Found' });
    await harness.fixture.whenStable();
    expect(harness.routeNativeElement!.querySelector('[role=alert]')!.textContent).toContain('You bought your limit of 1');
    expect(FakeEventSource.opened).toHaveLength(0);
  });
});
