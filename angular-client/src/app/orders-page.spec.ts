import { RouterTestingHarness } from '@angular/router/testing';
import { ALICE, FakeEventSource, fakeEventSources, liveOrder, shopTestBed } from '../testing';
import { OrderView } from './orders';

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const order = (id: string, status: OrderView['status'], version: number): OrderView => ({
  id, status, version, lines: [{ sku: 'MUG-1', name: 'Blue mug', quantity: 1, unitPrice: eur(850), lineTotal: eur(850) }],
  subtotal: eur(850), shipping: eur(495), tax: eur(215), total: eur(1345),
  shipTo: { recipientName: 'Alice', line1: '1 Main St', city: 'Berlin', postalCode: '10115', countryCode: 'DE' },
  paymentAttempts: [], timeline: [], placedAt: '2026-12-02T07:01:00Z',
});
const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

const text = (harness: RouterTestingHarness, selector: string) =>
  [...harness.routeNativeElement!.querySelectorAll(selector)].map((e) => e.textContent!.replace(/\s+/g, ' ').trim());

describe('my orders', () => {
  const bed = shopTestBed(fakeEventSources());
  beforeEach(() => { FakeEventSource.opened.length = 0; });

  it('lists the orders, newest first, with their statuses live from the stream', async () => {
    bed.session(ALICE);
    const harness = await RouterTestingHarness.create('/orders');
    const list = bed.http().expectOne((r) => r.url === '/api/orders');
    expect(list.request.params.get('page')).toBe('0');
    expect(list.request.params.get('size')).toBe('10');
    list.flush({ items: [order(A, 'PENDING_PAYMENT', 1), order(B, 'DELIVERED', 5)], page: 0, size: 10, total: 2 });
    await harness.fixture.whenStable();
    expect(text(harness, '.order-list a')).toEqual(['Order AAAAAAAA', 'Order BBBBBBBB']);
    expect(text(harness, '.order-list li')[0]).toContain('1 product · €13.45');
    expect(text(harness, '.order-status')).toEqual(['Waiting for payment', 'Delivered']);

    FakeEventSource.opened[0].emit('snapshot', { orders: [liveOrder(A, 'CONFIRMED', 2), liveOrder(B, 'SHIPPED', 4)], lastEventIdTooOld: false });
    await harness.fixture.whenStable();
    // the list's DELIVERED (version 5) is newer than the stream's SHIPPED (4)
    expect(text(harness, '.order-status')).toEqual(['Paid and confirmed', 'Delivered']);
    expect(text(harness, '.pager')).toEqual([]);
  });

  it('reads the list again when the stream tells of an order placed since, in another tab say, and only then', async () => {
    bed.session(ALICE);
    const harness = await RouterTestingHarness.create('/orders');
    bed.http().expectOne((r) => r.url === '/api/orders')
      .flush({ items: [order(A, 'DELIVERED', 5)], page: 0, size: 10, total: 12 });
    await harness.fixture.whenStable();
    // the snapshot also knows an older order, listed on a later page: no new request for it
    FakeEventSource.opened[0].emit('snapshot', {
      orders: [liveOrder(A, 'DELIVERED', 5), liveOrder(B, 'DELIVERED', 5, { placedAt: '2026-12-01T07:01:00Z' })],
      lastEventIdTooOld: false,
    });
    await harness.fixture.whenStable();
    bed.http().expectNone((r) => r.url === '/api/orders');

    const C = 'cccccccc-0000-4000-8000-000000000003';
    FakeEventSource.opened[0].emit('order', liveOrder(C, 'PENDING_PAYMENT', 1, { placedAt: '2026-12-02T08:00:00Z' }));
    await harness.fixture.whenStable();
    const again = bed.http().expectOne((r) => r.url === '/api/orders');
    expect(again.request.params.get('page')).toBe('0');
    again.flush({ items: [{ ...order(C, 'PENDING_PAYMENT', 1), placedAt: '2026-12-02T08:00:00Z' }, order(A, 'DELIVERED', 5)],
      page: 0, size: 10, total: 13 });
    await harness.fixture.whenStable();
    expect(text(harness, '.order-list a')).toEqual(['Order CCCCCCCC', 'Order AAAAAAAA']);
    // told of again (its next change), it is listed: nothing more to read
    FakeEventSource.opened[0].emit('order', liveOrder(C, 'CONFIRMED', 2, { placedAt: '2026-12-02T08:00:00Z' }));
    await harness.fixture.whenStable();
    bed.http().expectNone((r) => r.url === '/api/orders');
    expect(text(harness, '.order-status')[0]).toBe('Paid and confirmed');
  });

  it('pages through older orders', async () => {
    bed.session(ALICE);
    const harness = await RouterTestingHarness.create('/orders');
    bed.http().expectOne((r) => r.url === '/api/orders').flush({ items: [order(A, 'DELIVERED', 5)], page: 0, size: 10, total: 11 });
    await harness.fixture.whenStable();
    expect(text(harness, '.pager span')[0]).toBe('Page 1 of 2');
    [...harness.routeNativeElement!.querySelectorAll('button')].find((b) => b.textContent === 'Older')!.click();
    await harness.fixture.whenStable();
    const second = bed.http().expectOne((r) => r.url === '/api/orders');
    expect(second.request.params.get('page')).toBe('1');
    second.flush({ items: [order(B, 'CANCELLED', 3)], page: 1, size: 10, total: 11 });
    await harness.fixture.whenStable();
    expect(text(harness, '.order-status')).toEqual(['Cancelled']);
  });

  it('tells a shopper without orders where to start', async () => {
    bed.session(ALICE);
    const harness = await RouterTestingHarness.create('/orders');
    bed.http().expectOne((r) => r.url === '/api/orders').flush({ items: [], page: 0, size: 10, total: 0 });
    await harness.fixture.whenStable();
    expect(text(harness, '.order-list li')[0]).toBe('You have not ordered anything yet. Browse the products.');
  });
});
