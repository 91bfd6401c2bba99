import { Injectable, InjectionToken, Signal, computed, inject, signal } from '@angular/core';
import { LiveOrder } from './orders';
import { StreamRetry } from './stream-retry';

/** Opens a server-sent event stream; a token, so tests can hand in a stream of their own. */
export const EVENT_SOURCE = new InjectionToken<(url: string) => EventSource>('EventSource', {
  providedIn: 'root',
  factory: () => (url: string) => new EventSource(url),
});

/** notify's stream of all of the shopper's orders, through the gateway, which relays the session's token. */
export const ORDER_EVENTS_URL = '/api/orders/events';

/**
 * `connecting` until the stream opened; `live` while it is open; `reconnecting` while the browser
 * opens it again after a drop (it sends `Last-Event-ID` itself, so notify sends only what was missed);
 * `stopped` when the browser gave up (a refusal such as `503`, `401` or `429`: `EventSource` does not
 * retry those), until {@link StreamRetry} opens a new stream a moment later.
 */
export type LiveState = 'off' | 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** EventSource's readyState once closed (the constant is not on the test's stand-in). */
const CLOSED = 2;

/**
 * The live status of the shopper's orders (notify-reactive/README.md, "A shopper's stream"): one
 * stream per tab, opened by the first page that wants it and shared by every page after. The
 * `snapshot` event is the truth as it stands (on the first connection, and again with
 * `lastEventIdTooOld` when a resume came too late to replay what was missed: then `resyncs` moves,
 * so pages read their orders again); each `order` event is one order's whole state after a change,
 * kept unless an order already shown is newer. Heartbeats are comments, which EventSource drops.
 */
@Injectable({ providedIn: 'root' })
export class OrderEvents {
  private readonly open = inject(EVENT_SOURCE);
  private source?: EventSource;
  private readonly orders = signal<ReadonlyMap<string, LiveOrder>>(new Map());
  private readonly stateSignal = signal<LiveState>('off');
  private readonly resyncSignal = signal(0);
  private readonly retryingSignal = signal(false);
  private readonly retry = new StreamRetry(() => this.openStream());

  readonly state = this.stateSignal.asReadonly();
  readonly all = this.orders.asReadonly();
  /** Counts the fresh snapshots that followed a gap: whatever a page read before may be out of date. */
  readonly resyncs = this.resyncSignal.asReadonly();
  /** While `stopped`: whether the app will open the stream again by itself (false once it gave up). */
  readonly retrying = this.retryingSignal.asReadonly();

  /** Opens the stream unless it is open or opening; after `stopped`, opens a new one at once. */
  connect(): void {
    if (this.source && this.source.readyState !== CLOSED) return;
    this.retry.opened();
    this.openStream();
  }

  private openStream(): void {
    if (this.source && this.source.readyState !== CLOSED) return;
    this.retry.cancel();
    this.retryingSignal.set(false);
    // a new EventSource sends no Last-Event-ID: its snapshot is the truth, and what pages read before may be out of date
    let resync = this.source !== undefined;
    this.source?.close();
    const source = this.open(ORDER_EVENTS_URL);
    this.source = source;
    this.stateSignal.set('connecting');
    source.addEventListener('open', () => {
      this.retry.opened();
      this.stateSignal.set('live');
    });
    source.addEventListener('error', () => {
      if (this.source !== source) return;
      this.stateSignal.set(this.retry.afterError(source));
      this.retryingSignal.set(this.retry.pending());
    });
    source.addEventListener('snapshot', (event) => {
      this.snapshot(event as MessageEvent<string>, resync);
      resync = false;
    });
    source.addEventListener('order', (event) => this.change(event as MessageEvent<string>));
  }

  /** One order's live state, once the stream has told of it. */
  order(id: () => string): Signal<LiveOrder | undefined> {
    return computed(() => this.orders().get(id()));
  }

  private snapshot(event: MessageEvent<string>, afterGap: boolean): void {
    const data = parse<{ orders?: LiveOrder[]; lastEventIdTooOld?: boolean }>(event.data);
    if (!data || !Array.isArray(data.orders)) return;
    this.stateSignal.set('live');
    this.orders.set(new Map(data.orders.filter(isOrder).map((o) => [o.orderId, o])));
    if (data.lastEventIdTooOld || afterGap) this.resyncSignal.update((n) => n + 1);
  }

  private change(event: MessageEvent<string>): void {
    const order = parse<LiveOrder>(event.data);
    if (!isOrder(order)) return;
    this.stateSignal.set('live');
    this.orders.update((orders) => {
      const known = orders.get(order.orderId);
      if (known && known.version > order.version) return orders;
      return new Map(orders).set(order.orderId, order);
    });
  }
}

function parse<T>(data: string): T | undefined {
  try {
    return JSON.parse(data) as T;
  } catch {
    return undefined;
  }
}

function isOrder(value: unknown): value is LiveOrder {
  const o = value as LiveOrder | undefined;
  return typeof o?.orderId === 'string' && typeof o?.status === 'string' && typeof o?.version === 'number';
}
