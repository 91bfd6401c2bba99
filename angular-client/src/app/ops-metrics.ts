/**
 * Shapes of notify's ops streams (notify-reactive/README.md, "Ops streams") and the pure logic of the
 * ops dashboard: the vital signs kept as a bounded history for the charts, and the event feed.
 */
import { Money, formatPrice } from './catalog';

/** One `event:metrics` of `GET /api/ops/metrics`: the shop's figures of one second. */
export interface OpsMetrics {
  second: string;
  orders: { placed: number; confirmed: number; paymentFailed: number; cancelled: number };
  revenue: Money[];
  outOfStockRefusals: number;
  /** Over the last `windowSeconds`; the percentiles are null while there is no outcome in the window. */
  placedToPaymentOutcome: { windowSeconds: number; samples: number; p50Millis: number | null; p99Millis: number | null };
  breakers: { service: string; instance: string; name: string; state: string }[];
  consumerLag: { group: string; lag: number }[];
  outboxBacklog: { service: string; backlog: number; parked: number }[];
  sseSubscribers: { service: string; instance: string; streams: number }[];
  instances: { service: string; instance: string; measuredAt: string; silent: boolean }[];
}

/** One event of `GET /api/ops/events` (the firehose): the envelope, the payload as `details`, the order after it. */
export interface OpsEvent {
  type: string;
  topic: string;
  eventId: string;
  aggregateId: string;
  aggregateVersion: number;
  occurredAt: string;
  details?: Record<string, unknown>;
  order?: { status?: string; placedAt?: string; total?: Money | null } | null;
}

/** The firehose's event names (`event:` is the type): EventSource has no wildcard listener. */
export const OPS_EVENT_TYPES: readonly string[] = [
  'OrderPlaced', 'OrderStatusChanged', 'OrderCancelled',
  'PaymentSucceeded', 'PaymentFailed', 'PaymentRefunded',
  'OrderAllocated', 'OrderShipped', 'OrderDelivered',
];

/** How many seconds the charts show, and how many events the feed keeps. */
export const HISTORY_SECONDS = 120;
export const FEED_LIMIT = 50;

/** The figures the charts draw, one value per second each (null: no value that second). */
export type SeriesKey = 'placed' | 'confirmed' | 'paymentFailed' | 'cancelled' | 'outOfStock'
  | 'p50' | 'p99' | 'lag' | 'backlog' | 'streams';

export interface History {
  /** Unix seconds, oldest first. */
  readonly seconds: readonly number[];
  readonly series: Readonly<Record<SeriesKey, readonly (number | null)[]>>;
}

const KEYS: readonly SeriesKey[] = ['placed', 'confirmed', 'paymentFailed', 'cancelled', 'outOfStock', 'p50', 'p99', 'lag', 'backlog', 'streams'];

export const EMPTY_HISTORY: History = {
  seconds: [],
  series: Object.fromEntries(KEYS.map((k) => [k, []])) as unknown as History['series'],
};

const sum = (values: number[]) => values.reduce((n, v) => n + (Number.isFinite(v) ? v : 0), 0);

function values(m: OpsMetrics): Record<SeriesKey, number | null> {
  const latency = m.placedToPaymentOutcome;
  return {
    placed: m.orders?.placed ?? 0,
    confirmed: m.orders?.confirmed ?? 0,
    paymentFailed: m.orders?.paymentFailed ?? 0,
    cancelled: m.orders?.cancelled ?? 0,
    outOfStock: m.outOfStockRefusals ?? 0,
    p50: latency?.p50Millis ?? null,
    p99: latency?.p99Millis ?? null,
    lag: sum((m.consumerLag ?? []).map((g) => g.lag)),
    backlog: sum((m.outboxBacklog ?? []).map((o) => o.backlog)),
    streams: sum((m.sseSubscribers ?? []).map((s) => s.streams)),
  };
}

/**
 * The history with one more second, at most `limit` seconds long. A second already in it (a
 * reconnect may send the current one again) replaces its figures; an older one changes nothing.
 */
export function appendSecond(history: History, metrics: OpsMetrics, limit = HISTORY_SECONDS): History {
  const second = Date.parse(metrics.second) / 1000;
  if (!Number.isFinite(second)) return history;
  const last = history.seconds.at(-1);
  if (last !== undefined && second < last) return history;
  const replace = last === second;
  const keep = (list: readonly (number | null)[]) => {
    const base = replace ? list.slice(0, -1) : list.slice();
    return base.slice(Math.max(0, base.length + 1 - limit));
  };
  const now = values(metrics);
  const series = {} as Record<SeriesKey, (number | null)[]>;
  for (const key of KEYS) series[key] = [...keep(history.series[key]), now[key]];
  return { seconds: [...keep(history.seconds) as number[], second], series };
}

/** The chart's data as uPlot takes it: the x values, then one array per series. */
export function chartData(history: History, keys: readonly SeriesKey[]): [number[], ...(number | null)[][]] {
  return [history.seconds.slice(), ...keys.map((k) => history.series[k].slice())];
}

export interface ChartSpec {
  id: string;
  title: string;
  /** What the y axis counts, said with each value. */
  unit: string;
  series: { key: SeriesKey; label: string; color: string; dash?: number[] }[];
}

/** The dashboard's charts; the colours are told apart by dashes too, and every value is also written out. */
export const CHARTS: readonly ChartSpec[] = [
  { id: 'orders', title: 'Orders per second', unit: 'orders/s', series: [
    { key: 'placed', label: 'Placed', color: '#1f5fa8' },
    { key: 'confirmed', label: 'Confirmed', color: '#2a7a2a', dash: [6, 3] },
  ] },
  { id: 'failures', title: 'Failures per second', unit: '/s', series: [
    { key: 'paymentFailed', label: 'Payments failed', color: '#b00020' },
    { key: 'cancelled', label: 'Cancelled', color: '#6a3d9a', dash: [6, 3] },
    { key: 'outOfStock', label: 'Out-of-stock refusals', color: '#8a4b00', dash: [2, 2] },
  ] },
  { id: 'latency', title: 'Time to payment outcome', unit: 'ms', series: [
    { key: 'p50', label: 'p50', color: '#1f5fa8' },
    { key: 'p99', label: 'p99', color: '#b00020', dash: [6, 3] },
  ] },
  { id: 'lag', title: 'Kafka consumer lag and outbox backlog', unit: 'records', series: [
    { key: 'lag', label: 'Consumer lag (all groups)', color: '#1f5fa8' },
    { key: 'backlog', label: 'Outbox backlog (all services)', color: '#8a4b00', dash: [6, 3] },
  ] },
  { id: 'streams', title: 'SSE subscribers', unit: 'streams', series: [
    { key: 'streams', label: 'Open streams (all notify instances)', color: '#2a7a2a' },
  ] },
];

/** A breaker that is not closed is news: those come first, then by service and name. */
export function breakerRows(metrics: OpsMetrics | undefined): OpsMetrics['breakers'] {
  return [...(metrics?.breakers ?? [])].sort((a, b) =>
    Number(a.state === 'CLOSED') - Number(b.state === 'CLOSED')
    || a.service.localeCompare(b.service) || a.name.localeCompare(b.name) || a.instance.localeCompare(b.instance));
}

/** "1.2 s" past a second, "640 ms" below, "–" without a value. */
export function formatMillis(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export interface FeedEntry {
  id: string;
  type: string;
  at: string;
  /** The order's id, the first 8 characters as the shop's mails show it. */
  order: string;
  text: string;
}

/** One line of the feed, in words. */
export function feedEntry(event: OpsEvent): FeedEntry {
  const d = event.details ?? {};
  const orderId = String(d['orderId'] ?? event.aggregateId ?? '');
  const money = (value: unknown) => isMoney(value) ? formatPrice(value) : '';
  const status = event.order?.status;
  let text: string;
  switch (event.type) {
    case 'OrderPlaced': {
      const lines = Number(d['lineCount']);
      text = `placed, ${money(d['total']) || money(event.order?.total)}${Number.isFinite(lines) ? `, ${lines} ${lines === 1 ? 'line' : 'lines'}` : ''}`;
      break;
    }
    case 'OrderStatusChanged':
      text = `${d['from']} → ${d['to']}${d['reason'] ? ` (${d['reason']})` : ''}`;
      break;
    case 'OrderCancelled': text = `cancelled${d['reason'] ? ` (${d['reason']})` : ''}`; break;
    case 'PaymentSucceeded': text = `payment ${d['attempt'] ?? ''} succeeded, ${money(d['amount'])}`; break;
    case 'PaymentFailed': text = `payment ${d['attempt'] ?? ''} failed: ${d['reasonCode'] ?? 'unknown reason'}`; break;
    case 'PaymentRefunded': text = `refunded ${money(d['amount'])}`; break;
    case 'OrderAllocated': text = `allocated at ${d['warehouse'] ?? 'a warehouse'}`; break;
    case 'OrderShipped': text = `shipped with ${d['carrier'] ?? 'a carrier'}`; break;
    case 'OrderDelivered': text = 'delivered'; break;
    default: text = event.type;
  }
  if (status && event.type !== 'OrderStatusChanged') text += ` · now ${status}`;
  return { id: event.eventId, type: event.type, at: event.occurredAt, order: orderId.slice(0, 8), text: text.replace(/\s+/g, ' ').trim() };
}

/** The feed with one more event on top, at most `limit` long; an event already listed is not listed twice. */
export function addToFeed(feed: readonly FeedEntry[], entry: FeedEntry, limit = FEED_LIMIT): FeedEntry[] {
  if (feed.some((e) => e.id === entry.id)) return feed as FeedEntry[];
  return [entry, ...feed].slice(0, limit);
}

/** Reads an event's data; anything that is not the JSON object expected is dropped. */
export function parseMetrics(data: string): OpsMetrics | undefined {
  const value = parseObject(data) as OpsMetrics | undefined;
  return typeof value?.second === 'string' ? value : undefined;
}

export function parseEvent(data: string): OpsEvent | undefined {
  const value = parseObject(data) as OpsEvent | undefined;
  return typeof value?.eventId === 'string' && typeof value.type === 'string' ? value : undefined;
}

function parseObject(data: string): unknown {
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

function isMoney(value: unknown): value is Money {
  const m = value as Money | null | undefined;
  return typeof m?.amount === 'number' && typeof m.currency === 'string';
}
