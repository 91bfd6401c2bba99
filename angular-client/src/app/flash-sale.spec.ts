import { TestBed } from '@angular/core/testing';
import { vi } from 'vitest';
import { FakeEventSource, fakeEventSources, shopTestBed } from '../testing';
import { FlashSaleApi, WaitingRoom, durationText, priceChangeOf } from './flash-sale';

const waiting = (position: number, estimatedWaitSeconds: number) => ({
  sku: 'MUG-1', status: 'WAITING', position, estimatedWaitSeconds, startsAt: '2026-12-24T18:00:00Z', stream: '/api/flash-sales/MUG-1/queue',
});

describe('the waiting room watch', () => {
  const bed = shopTestBed(fakeEventSources());
  beforeEach(() => { FakeEventSource.opened.length = 0; });

  function joined(answer: object = waiting(40, 12)) {
    const watch = TestBed.inject(WaitingRoom).watch('MUG-1');
    watch.join();
    const post = bed.http().expectOne('/api/flash-sales/MUG-1/queue');
    expect(post.request.method).toBe('POST');
    post.flush(answer);
    return watch;
  }

  it('takes a place, then follows it on the stream until admitted, and closes the stream', () => {
    const watch = joined();
    expect(watch.wait()).toEqual({ phase: 'waiting', position: 40, estimatedWaitSeconds: 12, startsAt: '2026-12-24T18:00:00Z' });
    const stream = FakeEventSource.opened[0];
    expect(stream.url).toBe('/api/flash-sales/MUG-1/queue');
    expect(watch.stream()).toBe('connecting');
    stream.connect();
    expect(watch.stream()).toBe('live');
    stream.emit('waiting', waiting(3, 1));
    expect(watch.wait()).toMatchObject({ phase: 'waiting', position: 3, estimatedWaitSeconds: 1 });
    stream.emit('admitted', { sku: 'MUG-1', status: 'ADMITTED', admission: 'tok-1', expiresAt: '2026-12-24T18:02:00Z' });
    expect(watch.wait()).toEqual({ phase: 'admitted', admission: 'tok-1', expiresAt: '2026-12-24T18:02:00Z' });
    expect(stream.closed).toBe(true);
    expect(watch.stream()).toBe('off');
  });

  it('says paused while admissions wait, and drops it when the queue moves again', () => {
    const watch = joined();
    const stream = FakeEventSource.opened[0];
    stream.emit('paused', { detail: "Admissions wait for the sale's stock gate; your place is kept", retryAfterSeconds: 5 });
    expect(watch.wait()).toMatchObject({ phase: 'waiting', position: 40, paused: "Admissions wait for the sale's stock gate; your place is kept" });
    stream.emit('waiting', waiting(39, 11));
    expect(watch.wait()).toMatchObject({ phase: 'waiting', position: 39 });
    expect((watch.wait() as { paused?: string }).paused).toBeUndefined();
  });

  it('ends with sold out or a passed turn, and a new join takes the place again', () => {
    const watch = joined();
    FakeEventSource.opened[0].emit('turn-passed', { sku: 'MUG-1', detail: 'Your admission lapsed unused; take a place again' });
    expect(watch.wait()).toEqual({ phase: 'turn-passed', detail: 'Your admission lapsed unused; take a place again' });
    expect(FakeEventSource.opened[0].closed).toBe(true);

    watch.join();
    bed.http().expectOne('/api/flash-sales/MUG-1/queue').flush(waiting(120, 30));
    expect(watch.wait()).toMatchObject({ phase: 'waiting', position: 120 });
    FakeEventSource.opened[1].emit('sold-out', { sku: 'MUG-1' });
    expect(watch.wait()).toEqual({ phase: 'sold-out' });
    expect(FakeEventSource.opened[1].closed).toBe(true);
  });

  it('is admitted at once when the place answers so (a reload while admitted), without a stream', () => {
    const watch = joined({ sku: 'MUG-1', status: 'ADMITTED', admission: 'tok-1', expiresAt: '2026-12-24T18:02:00Z' });
    expect(watch.wait()).toEqual({ phase: 'admitted', admission: 'tok-1', expiresAt: '2026-12-24T18:02:00Z' });
    expect(FakeEventSource.opened).toHaveLength(0);
  });

  it('shows a refused place as its problem', () => {
    const watch = TestBed.inject(WaitingRoom).watch('MUG-1');
    watch.join();
    bed.http().expectOne('/api/flash-sales/MUG-1/queue').flush(
      { type: 'https://surge.dev/problems/purchase-limit', title: 'Purchase limit reached', status: 409, detail: 'You bought your limit of 1' },
      { status: 409, statusText: 'Conflict' },
    );
    expect(watch.wait()).toEqual({ phase: 'refused', problem: { title: 'Purchase limit reached', detail: 'You bought your limit of 1', status: 409 } });
  });

  it('says reconnecting while the browser opens the stream again, stopped when it gave up, and ignores unreadable data', () => {
    const watch = joined();
    const stream = FakeEventSource.opened[0];
    stream.connect();
    stream.fail(true);
    expect(watch.stream()).toBe('reconnecting');
    stream.dispatchEvent(new MessageEvent('waiting', { data: 'not json' }));
    expect(watch.wait()).toMatchObject({ position: 40 });
    stream.fail(false);
    expect(watch.stream()).toBe('stopped');
    watch.close();
  });

  it('opens a refused stream again by itself, holding the place, and leaves it to a click after a few refusals', () => {
    vi.useFakeTimers();
    try {
      const watch = joined();
      FakeEventSource.opened[0].fail(false);
      expect(watch.stream()).toBe('stopped');
      expect(watch.retrying()).toBe(true);
      vi.advanceTimersByTime(5_000);
      // only the stream: no new POST, the place and what the page shows are kept
      bed.http().expectNone('/api/flash-sales/MUG-1/queue');
      expect(FakeEventSource.opened.length).toBe(2);
      expect(FakeEventSource.opened[0].closed).toBe(true);
      expect(watch.wait()).toMatchObject({ phase: 'waiting', position: 40 });
      FakeEventSource.opened[1].connect();
      expect(watch.stream()).toBe('live');

      for (let refusal = 1; refusal <= 6; refusal++) {
        FakeEventSource.opened.at(-1)!.fail(false);
        expect(watch.retrying()).toBe(true);
        vi.advanceTimersByTime(30_000);
      }
      expect(FakeEventSource.opened.length).toBe(8);
      FakeEventSource.opened.at(-1)!.fail(false);
      expect(watch.stream()).toBe('stopped');
      expect(watch.retrying()).toBe(false);
      vi.advanceTimersByTime(120_000);
      expect(FakeEventSource.opened.length).toBe(8);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the flash sale API', () => {
  const bed = shopTestBed();

  it('reads a sku without a sale as none', () => {
    let sale: unknown = 'unset';
    TestBed.inject(FlashSaleApi).sale('MUG-1').subscribe((s) => (sale = s));
    bed.http().expectOne('/api/flash-sales/MUG-1').flush({ title: 'Flash sale not found', status: 404 }, { status: 404, statusText: 'Not Found' });
    expect(sale).toBeUndefined();
  });

  it('sends a buy-now with its key and the admission', () => {
    const body = { addressId: 'a1', paymentMethod: 'tok_visa', expectedTotal: { amount: 850, currency: 'EUR' }, lines: [{ sku: 'MUG-1', quantity: 1 }] };
    TestBed.inject(FlashSaleApi).buyNow(body, 'key-1', 'tok-1').subscribe();
    const post = bed.http().expectOne('/api/orders');
    expect(post.request.body).toEqual(body);
    expect(post.request.headers.get('Idempotency-Key')).toBe('key-1');
    expect(post.request.headers.get('Flash-Sale-Admission')).toBe('tok-1');
    post.flush({ id: 'o1' }, { status: 201, statusText: 'Created' });
  });
});

describe('flash sale words', () => {
  it('says a duration in seconds or minutes', () => {
    expect(durationText(1)).toBe('1 second');
    expect(durationText(45)).toBe('45 seconds');
    expect(durationText(120)).toBe('2 min');
    expect(durationText(119.6)).toBe('2 min');
    expect(durationText(95)).toBe('1 min 35 s');
    expect(durationText(-3)).toBe('0 seconds');
  });

  it('reads the totals of a price change only', () => {
    const eur = (amount: number) => ({ amount, currency: 'EUR' });
    const change = { subtotal: eur(850), shipping: eur(495), tax: eur(215), total: eur(1345) };
    expect(priceChangeOf({ error: { type: 'https://surge.dev/problems/price-changed', ...change } })).toEqual(change);
    expect(priceChangeOf({ error: { type: 'https://surge.dev/problems/sold-out', ...change } })).toBeUndefined();
    expect(priceChangeOf({ error: { type: 'https://surge.dev/problems/price-changed', total: eur(1) } })).toBeUndefined();
  });
});
