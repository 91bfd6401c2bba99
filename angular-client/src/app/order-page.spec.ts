import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ALICE, FakeEventSource, fakeEventSources, liveOrder, shopTestBed } from '../testing';
import { OrderView } from './orders';

const ID = '0b5f0000-0000-4000-8000-000000000001';
const eur = (amount: number) => ({ amount, currency: 'EUR' });

function placedOrder(more: Partial<OrderView> = {}): OrderView {
  return {
    id: ID, status: 'PENDING_PAYMENT', version: 1,
    lines: [{ sku: 'MUG-1', name: 'Blue mug', quantity: 2, unitPrice: eur(850), lineTotal: eur(1700) }],
    subtotal: eur(1700), shipping: eur(495), tax: eur(351), total: eur(2195),
    shipTo: { recipientName: 'Alice Smith', line1: '1 Main St', city: 'Berlin', postalCode: '10115', countryCode: 'DE' },
    paymentAttempts: [{ attempt: 1, amount: eur(2195), status: 'REQUESTED', requestedAt: '2026-12-02T07:01:00Z' }],
    timeline: [{ status: 'PENDING_PAYMENT', at: '2026-12-02T07:01:00Z' }], placedAt: '2026-12-02T07:01:00Z', ...more,
  };
}

const text = (harness: RouterTestingHarness, selector: string) =>
  [...harness.routeNativeElement!.querySelectorAll(selector)].map((e) => e.textContent!.replace(/\s+/g, ' ').trim());
const button = (harness: RouterTestingHarness, label: string) =>
  [...harness.routeNativeElement!.querySelectorAll('button')].find((b) => b.textContent!.trim().startsWith(label));

describe('the order page', () => {
  const bed = shopTestBed(fakeEventSources());
  beforeEach(() => { FakeEventSource.opened.length = 0; });

  async function open(order: OrderView = placedOrder()): Promise<RouterTestingHarness> {
    bed.session(ALICE);
    const harness = await RouterTestingHarness.create(`/orders/${ID}`);
    bed.http().expectOne({ method: 'GET', url: `/api/orders/${ID}` }).flush(order);
    await harness.fixture.whenStable();
    return harness;
  }

  const done = (harness: RouterTestingHarness) => text(harness, '.timeline li.done').map((t) => t.replace(/^Done: /, '').replace(/ \d.*$/, ''));

  it('fills the timeline as the live events arrive, with the tracking number', async () => {
    const harness = await open();
    expect(text(harness, 'h1')[0]).toBe('Order 0B5F0000');
    expect(text(harness, '.summary-lines li')[0]).toBe('Blue mug × 2€17.00');
    expect(text(harness, '.totals')[0]).toContain('Total€21.95');
    expect(text(harness, 'section')[2]).toContain('Alice Smith, 1 Main St, 10115 Berlin, DE');
    expect(done(harness)).toEqual(['Order placed']);
    const stream = FakeEventSource.opened[0];
    expect(stream.url).toBe('/api/orders/events');

    stream.connect();
    stream.emit('snapshot', { orders: [], lastEventIdTooOld: false });
    stream.emit('order', liveOrder(ID, 'CONFIRMED', 2, { confirmedAt: '2026-12-02T07:01:02Z' }));
    await harness.fixture.whenStable();
    expect(text(harness, '.order-status')[0]).toBe('Paid and confirmed');
    expect(done(harness)).toEqual(['Order placed', 'Payment confirmed']);
    expect(harness.routeNativeElement!.querySelector('[aria-current=step]')!.textContent).toContain('Payment confirmed');

    // each event is the order as notify holds it: the times of the steps before come with it
    const confirmedAt = '2026-12-02T07:01:02Z', allocatedAt = '2026-12-02T07:30:00Z';
    stream.emit('order', liveOrder(ID, 'ALLOCATED', 3, { confirmedAt, allocatedAt }));
    stream.emit('order', liveOrder(ID, 'SHIPPED', 4, {
      confirmedAt, allocatedAt, shipment: { carrier: 'DHL', trackingNumber: 'JJD000123', at: '2026-12-02T08:00:00Z' },
    }));
    await harness.fixture.whenStable();
    expect(done(harness)).toEqual(['Order placed', 'Payment confirmed', 'Packed at the warehouse', 'Shipped']);
    // every step reached says when, packing included, though the page never read the order again
    expect(harness.routeNativeElement!.querySelectorAll('.timeline li.done small').length).toBe(4);
    expect(text(harness, 'section p')).toContain('Sent with DHL, tracking number JJD000123.');
    expect(button(harness, 'Cancel order')).toBeUndefined();

    stream.emit('order', liveOrder(ID, 'DELIVERED', 5, { deliveredAt: '2026-12-03T10:00:00Z' }));
    await harness.fixture.whenStable();
    expect(done(harness).length).toBe(5);
    expect(text(harness, '.order-status')[0]).toBe('Delivered');
  });

  it('says when live updates are interrupted and when they stopped', async () => {
    const harness = await open();
    const stream = FakeEventSource.opened[0];
    stream.connect();
    stream.fail(true);
    await harness.fixture.whenStable();
    expect(text(harness, '.live-status')[0]).toBe('Live updates interrupted: reconnecting…');
    stream.connect();
    await harness.fixture.whenStable();
    expect(text(harness, '.live-status')[0]).toBe('');
    stream.fail(false);
    await harness.fixture.whenStable();
    expect(text(harness, '.live-status')[0]).toContain('Trying again in a moment.');
    button(harness, 'Reconnect now')!.click();
    expect(FakeEventSource.opened.length).toBe(2);
  });

  it('says why the payment failed in plain words and pays again with another method', async () => {
    const harness = await open(placedOrder({
      status: 'PAYMENT_FAILED', version: 2,
      paymentAttempts: [{ attempt: 1, amount: eur(2195), status: 'FAILED', failureCode: 'INSUFFICIENT_FUNDS', requestedAt: '2026-12-02T07:01:00Z' }],
    }));
    expect(text(harness, '[role=alert]')[0]).toContain('Your card does not have enough funds.');
    const select = harness.routeNativeElement!.querySelector<HTMLSelectElement>('#retry-method')!;
    select.value = 'tok_amex';
    select.dispatchEvent(new Event('change'));
    button(harness, 'Retry with this payment method')!.click();
    await harness.fixture.whenStable();
    const retry = bed.http().expectOne({ method: 'POST', url: `/api/orders/${ID}/payment` });
    expect(retry.request.body).toEqual({ paymentMethod: 'tok_amex' });
    expect(retry.request.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    retry.flush(placedOrder({ status: 'PENDING_PAYMENT', version: 3 }));
    await harness.fixture.whenStable();
    expect(text(harness, '.order-status')[0]).toBe('Waiting for payment');
    expect(button(harness, 'Retry with this payment method')).toBeUndefined();

    // a live failure of the new attempt shows its own reason
    FakeEventSource.opened[0].emit('order', liveOrder(ID, 'PAYMENT_FAILED', 4, { paymentFailure: { reason: 'CARD_DECLINED', message: 'Your card was declined.', at: '2026-12-02T07:05:00Z' } }));
    await harness.fixture.whenStable();
    expect(text(harness, '[role=alert]')[0]).toContain('Your card was declined.');
  });

  it('cancels the order after asking, and shows a refused cancel as its problem', async () => {
    const harness = await open(placedOrder({ status: 'CONFIRMED', version: 2 }));
    button(harness, 'Cancel order')!.click();
    await harness.fixture.whenStable();
    button(harness, 'Yes, cancel the order')!.click();
    await harness.fixture.whenStable();
    bed.http().expectOne({ method: 'POST', url: `/api/orders/${ID}/cancel` }).flush(
      { type: 'https://surge.dev/problems/order-not-cancellable', title: 'Order not cancellable', status: 409, detail: 'The order has shipped' },
      { status: 409, statusText: 'Conflict' });
    await harness.fixture.whenStable();
    expect(text(harness, '.problem')[0]).toContain('The order has shipped');

    button(harness, 'Yes, cancel the order')!.click();
    await harness.fixture.whenStable();
    bed.http().expectOne({ method: 'POST', url: `/api/orders/${ID}/cancel` }).flush(placedOrder({ status: 'CANCELLED', version: 3 }));
    await harness.fixture.whenStable();
    expect(text(harness, '.order-status')[0]).toBe('Cancelled');
    expect(text(harness, '.note')[0]).toBe('This order was cancelled.');
    expect(button(harness, 'Cancel order')).toBeUndefined();
  });

  it('reads the order again after a fresh snapshot says changes were missed', async () => {
    const harness = await open();
    FakeEventSource.opened[0].emit('snapshot', { orders: [liveOrder(ID, 'CONFIRMED', 2)], lastEventIdTooOld: true });
    await harness.fixture.whenStable();
    bed.http().expectOne(`/api/orders/${ID}`).flush(placedOrder({ status: 'CONFIRMED', version: 2 }));
    await harness.fixture.whenStable();
    expect(text(harness, '.order-status')[0]).toBe('Paid and confirmed');
  });

  it('says plainly that the order is placed when checkout opened it, and only then', async () => {
    const placed = (harness: RouterTestingHarness) => text(harness, '.order-placed');
    // opened directly (a link, a reload): no thanks
    const harness = await open();
    expect(placed(harness)).toEqual([]);

    // checkout's landing (from another page, as checkout is): the navigation carries the order it placed
    const router = TestBed.inject(Router);
    const OTHER = '0b5f0000-0000-4000-8000-000000000002';
    await harness.navigateByUrl('/somewhere-else');
    await router.navigate(['/orders', OTHER], { state: { placedOrder: OTHER } });
    await harness.fixture.whenStable();
    bed.http().expectOne(`/api/orders/${OTHER}`).flush(placedOrder({ id: OTHER }));
    await harness.fixture.whenStable();
    expect(text(harness, 'h1')[0]).toBe('Order 0B5F0000');
    expect(placed(harness)).toEqual(['Thank you — your order is placed. Its status below updates by itself.']);
    expect(harness.routeNativeElement!.querySelector('.order-placed')!.getAttribute('role')).toBe('status');

    // a state naming another order is not this one's thanks
    await harness.navigateByUrl('/somewhere-else');
    await router.navigate(['/orders', ID], { state: { placedOrder: OTHER } });
    await harness.fixture.whenStable();
    bed.http().expectOne(`/api/orders/${ID}`).flush(placedOrder());
    await harness.fixture.whenStable();
    expect(text(harness, 'h1')[0]).toBe('Order 0B5F0000');
    expect(placed(harness)).toEqual([]);
  });

  it('shows one stream for every page of the tab', async () => {
    const harness = await open();
    await harness.navigateByUrl('/orders');
    bed.http().expectOne((r) => r.url === '/api/orders').flush({ items: [placedOrder()], page: 0, size: 10, total: 1 });
    expect(TestBed.inject(Router).url).toBe('/orders');
    expect(FakeEventSource.opened.length).toBe(1);
  });
});
