import {
  EMPTY_HISTORY, History, OpsMetrics, addToFeed, appendSecond, breakerRows, chartData, feedEntry, formatMillis, parseMetrics,
} from './ops-metrics';

const at = (s: number) => new Date(Date.UTC(2026, 11, 2, 7, 0, s)).toISOString();
const second = (s: number, placed = s): OpsMetrics => ({
  second: at(s),
  orders: { placed, confirmed: 0, paymentFailed: 0, cancelled: 0 },
  revenue: [], outOfStockRefusals: 0,
  placedToPaymentOutcome: { windowSeconds: 60, samples: 0, p50Millis: null, p99Millis: null },
  breakers: [], consumerLag: [{ group: 'a', lag: 2 }, { group: 'b', lag: 5 }], outboxBacklog: [],
  sseSubscribers: [{ service: 'notify', instance: 'n1', streams: 3 }, { service: 'notify', instance: 'n2', streams: 4 }], instances: [],
});

describe('the vital signs history', () => {
  it('keeps the newest seconds up to its limit, oldest first', () => {
    let h: History = EMPTY_HISTORY;
    for (let s = 0; s < 5; s++) h = appendSecond(h, second(s), 3);
    expect(h.seconds.map((x) => x - Date.parse(at(0)) / 1000)).toEqual([2, 3, 4]);
    expect(h.series.placed).toEqual([2, 3, 4]);
    expect(h.series.lag).toEqual([7, 7, 7]);
    expect(h.series.streams).toEqual([7, 7, 7]);
    expect(h.series.p50).toEqual([null, null, null]);
    expect(EMPTY_HISTORY.seconds).toEqual([]);
  });

  it('replaces a second sent again and ignores an older one', () => {
    let h = appendSecond(appendSecond(EMPTY_HISTORY, second(1)), second(2));
    h = appendSecond(h, second(2, 9));
    expect(h.series.placed).toEqual([1, 9]);
    expect(appendSecond(h, second(0))).toBe(h);
    expect(appendSecond(h, { ...second(3), second: 'yesterday' })).toBe(h);
  });

  it('gives uPlot the x values and the series asked for', () => {
    const h = appendSecond(EMPTY_HISTORY, second(1));
    expect(chartData(h, ['placed', 'lag'])).toEqual([[Date.parse(at(1)) / 1000], [1], [7]]);
  });

  it('reads only a metrics object', () => {
    expect(parseMetrics('{"second":"2026-12-02T07:01:12Z"}')?.second).toBe('2026-12-02T07:01:12Z');
    expect(parseMetrics('[]')).toBeUndefined();
    expect(parseMetrics('{')).toBeUndefined();
    expect(parseMetrics('null')).toBeUndefined();
  });
});

describe('the figures in words', () => {
  it('puts breakers that are not closed first', () => {
    const rows = breakerRows({ ...second(1), breakers: [
      { service: 'g', instance: 'g1', name: 'catalog', state: 'CLOSED' },
      { service: 'g', instance: 'g1', name: 'orders', state: 'HALF_OPEN' },
      { service: 'g', instance: 'g1', name: 'cart', state: 'OPEN' },
    ] });
    expect(rows.map((r) => r.name)).toEqual(['cart', 'orders', 'catalog']);
    expect(breakerRows(undefined)).toEqual([]);
  });

  it('writes times in ms below a second and in seconds above', () => {
    expect(formatMillis(180)).toBe('180 ms');
    expect(formatMillis(1640)).toBe('1.6 s');
    expect(formatMillis(null)).toBe('–');
  });

  it('tells each event type in a line', () => {
    const base = { topic: 't', aggregateId: '0b5f1234-5678', aggregateVersion: 2, occurredAt: at(1) };
    const line = (type: string, details: Record<string, unknown>, order?: { status: string }) =>
      feedEntry({ ...base, type, eventId: type, details: { orderId: '0b5f1234-5678', ...details }, order }).text;
    expect(line('OrderStatusChanged', { from: 'PENDING_PAYMENT', to: 'CONFIRMED' }, { status: 'CONFIRMED' })).toBe('PENDING_PAYMENT → CONFIRMED');
    expect(line('OrderCancelled', { reason: 'PAYMENT_TIMEOUT' })).toBe('cancelled (PAYMENT_TIMEOUT)');
    expect(line('PaymentSucceeded', { attempt: 2, amount: { amount: 1000, currency: 'EUR' } }, { status: 'CONFIRMED' }))
      .toBe('payment 2 succeeded, €10.00 · now CONFIRMED');
    expect(line('OrderShipped', { carrier: 'DHL', trackingNumber: 'J1' })).toBe('shipped with DHL');
    expect(feedEntry({ ...base, type: 'OrderDelivered', eventId: 'x' }).order).toBe('0b5f1234');
  });

  it('keeps the feed newest first, bounded, each event once', () => {
    const entry = (id: string) => ({ id, type: 'OrderPlaced', at: at(1), order: id, text: '' });
    let feed = addToFeed([], entry('a'), 2);
    feed = addToFeed(feed, entry('b'), 2);
    feed = addToFeed(feed, entry('b'), 2);
    expect(feed.map((e) => e.id)).toEqual(['b', 'a']);
    expect(addToFeed(feed, entry('c'), 2).map((e) => e.id)).toEqual(['c', 'b']);
  });
});
