import { TestBed } from '@angular/core/testing';
import { vi } from 'vitest';
import { FakeEventSource, fakeEventSources, liveOrder, shopTestBed } from '../testing';
import { OrderEvents } from './order-events';

describe('the live order status', () => {
  shopTestBed(fakeEventSources());
  beforeEach(() => { FakeEventSource.opened.length = 0; });

  it('opens one stream of all orders however often it is asked', () => {
    const events = TestBed.inject(OrderEvents);
    events.connect();
    events.connect();
    expect(FakeEventSource.opened.map((s) => s.url)).toEqual(['/api/orders/events']);
    expect(events.state()).toBe('connecting');
    FakeEventSource.opened[0].connect();
    expect(events.state()).toBe('live');
  });

  it('takes the snapshot, then each change, and never goes back to an older version', () => {
    const events = TestBed.inject(OrderEvents);
    events.connect();
    const stream = FakeEventSource.opened[0];
    const a = events.order(() => 'A');
    stream.emit('snapshot', { orders: [liveOrder('A', 'PENDING_PAYMENT', 1), liveOrder('B', 'DELIVERED', 5)], lastEventIdTooOld: false }, '41');
    expect(a()?.status).toBe('PENDING_PAYMENT');
    expect(events.all().get('B')?.status).toBe('DELIVERED');
    stream.emit('order', liveOrder('A', 'ALLOCATED', 3), '43');
    stream.emit('order', liveOrder('A', 'CONFIRMED', 2), '42');
    expect(a()?.status).toBe('ALLOCATED');
    stream.emit('order', liveOrder('C', 'PENDING_PAYMENT', 1), '44');
    expect(events.all().get('C')?.version).toBe(1);
    expect(events.resyncs()).toBe(0);
  });

  it('says it is reconnecting while the browser resumes, and a too-late resume replaces everything', () => {
    const events = TestBed.inject(OrderEvents);
    events.connect();
    const stream = FakeEventSource.opened[0];
    stream.connect();
    stream.emit('snapshot', { orders: [liveOrder('A', 'PENDING_PAYMENT', 1), liveOrder('B', 'CONFIRMED', 2)], lastEventIdTooOld: false });
    stream.fail(true);
    expect(events.state()).toBe('reconnecting');
    stream.connect();
    stream.emit('snapshot', { orders: [liveOrder('A', 'SHIPPED', 4)], lastEventIdTooOld: true });
    expect(events.state()).toBe('live');
    expect(events.all().get('A')?.status).toBe('SHIPPED');
    expect(events.all().has('B')).toBe(false);
    expect(events.resyncs()).toBe(1);
    expect(FakeEventSource.opened.length).toBe(1);
  });

  it('says it stopped when the browser gave up, and opens a new stream when asked', () => {
    const events = TestBed.inject(OrderEvents);
    events.connect();
    FakeEventSource.opened[0].fail(false);
    expect(events.state()).toBe('stopped');
    events.connect();
    expect(FakeEventSource.opened.length).toBe(2);
    expect(FakeEventSource.opened[0].closed).toBe(true);
    expect(events.state()).toBe('connecting');
  });

  it('opens a new stream by itself after a refusal, waiting longer each time until one opens', () => {
    vi.useFakeTimers();
    try {
      const events = TestBed.inject(OrderEvents);
      events.connect();
      FakeEventSource.opened[0].fail(false);
      expect(events.state()).toBe('stopped');
      vi.advanceTimersByTime(400);
      expect(FakeEventSource.opened.length).toBe(1);
      vi.advanceTimersByTime(600);
      expect(FakeEventSource.opened.length).toBe(2);
      expect(events.state()).toBe('connecting');

      FakeEventSource.opened[1].fail(false);
      vi.advanceTimersByTime(999);
      expect(FakeEventSource.opened.length).toBe(2);
      vi.advanceTimersByTime(1_001);
      expect(FakeEventSource.opened.length).toBe(3);

      FakeEventSource.opened[2].connect();
      expect(events.state()).toBe('live');
      FakeEventSource.opened[2].fail(false);
      vi.advanceTimersByTime(1_000);
      expect(FakeEventSource.opened.length).toBe(4);

      // a session that ended answers 401 for good: after twelve refusals in a row, only a click
      for (let refusal = 1; refusal <= 11; refusal++) {
        FakeEventSource.opened.at(-1)!.fail(false);
        expect(events.retrying()).toBe(true);
        vi.advanceTimersByTime(30_000);
      }
      expect(FakeEventSource.opened.length).toBe(15);
      FakeEventSource.opened.at(-1)!.fail(false);
      expect(events.state()).toBe('stopped');
      expect(events.retrying()).toBe(false);
      vi.advanceTimersByTime(120_000);
      expect(FakeEventSource.opened.length).toBe(15);
      events.connect();
      expect(FakeEventSource.opened.length).toBe(16);
    } finally {
      vi.useRealTimers();
    }
  });

  it('opens at once when the browser is back online, and a stream opened by hand drops the pending retry', () => {
    vi.useFakeTimers();
    try {
      const events = TestBed.inject(OrderEvents);
      events.connect();
      FakeEventSource.opened[0].fail(false);
      // this file's streams only: a watch another file left waiting may answer the event too
      window.dispatchEvent(new Event('online'));
      FakeEventSource.opened.splice(0, FakeEventSource.opened.length,
        ...FakeEventSource.opened.filter((s) => s.url === '/api/orders/events'));
      expect(FakeEventSource.opened.length).toBe(2);
      window.dispatchEvent(new Event('online'));
      expect(FakeEventSource.opened.length).toBe(2);

      FakeEventSource.opened[1].fail(false);
      events.connect();
      expect(FakeEventSource.opened.length).toBe(3);
      vi.advanceTimersByTime(60_000);
      expect(FakeEventSource.opened.length).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes the first snapshot of a stream it opened anew as a resync: no Last-Event-ID went with it', () => {
    const events = TestBed.inject(OrderEvents);
    events.connect();
    FakeEventSource.opened[0].emit('snapshot', { orders: [liveOrder('A', 'PENDING_PAYMENT', 1)], lastEventIdTooOld: false });
    expect(events.resyncs()).toBe(0);
    FakeEventSource.opened[0].fail(false);
    events.connect();
    FakeEventSource.opened[1].emit('snapshot', { orders: [liveOrder('A', 'CANCELLED', 3)], lastEventIdTooOld: false });
    expect(events.resyncs()).toBe(1);
    FakeEventSource.opened[1].emit('snapshot', { orders: [liveOrder('A', 'CANCELLED', 3)], lastEventIdTooOld: false });
    expect(events.resyncs()).toBe(1);
  });

  it('ignores data it cannot read', () => {
    const events = TestBed.inject(OrderEvents);
    events.connect();
    const stream = FakeEventSource.opened[0];
    stream.dispatchEvent(new MessageEvent('order', { data: 'not json' }));
    stream.emit('order', { status: 'SHIPPED' });
    expect(events.all().size).toBe(0);
  });
});
