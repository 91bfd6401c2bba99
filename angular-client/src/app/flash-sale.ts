/**
 * A flash sale and its waiting room (cart-order-reactive/README.md, "Flash sales", "Waiting room"):
 * the shapes of its API, the buy-now with an admission, and one shopper's wait as signals.
 */
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, Signal, inject, signal } from '@angular/core';
import { Observable, catchError, of, throwError } from 'rxjs';
import { Money, Problem, toProblem } from './catalog';
import { EVENT_SOURCE } from './order-events';
import { OrderView, PRICE_CHANGED, PriceChange } from './orders';
import { StreamRetry } from './stream-retry';

/** `GET /api/flash-sales/{sku}`: a sale as anybody may see it. */
export interface FlashSale {
  sku: string; startsAt: string; status: 'SCHEDULED' | 'RUNNING' | 'SOLD_OUT'; perShopperLimit: number;
  waitingRoom: boolean; queue: string;
}

/** `POST /api/flash-sales/{sku}/queue` and the stream's `waiting` and `admitted` events: where the shopper stands. */
export interface Standing {
  sku: string; status: 'WAITING' | 'ADMITTED'; position?: number; estimatedWaitSeconds?: number; startsAt?: string;
  stream?: string; admission?: string; expiresAt?: string;
}

/** `POST /api/orders` as a buy-now: the lines are bought, the cart is left alone. */
export interface BuyNowBody {
  addressId: string; paymentMethod: string; expectedTotal: Money; lines: { sku: string; quantity: number }[];
}

export const ADMISSION_HEADER = 'Flash-Sale-Admission';

/**
 * One shopper's wait: `joining` while the place is asked for; `waiting` with the position (and
 * `paused` while admissions wait for the sale's stock gate); then one outcome: `admitted` with the
 * token buy-now needs until `expiresAt`, `sold-out`, `turn-passed` (the admission lapsed unused or
 * the room was reset: a place can be taken again), or `refused` (the place was not given: sold out,
 * the shopper's limit bought, no sale).
 */
export type Wait =
  | { phase: 'joining' }
  | { phase: 'waiting'; position: number; estimatedWaitSeconds: number; startsAt?: string; paused?: string }
  | { phase: 'admitted'; admission: string; expiresAt: string }
  | { phase: 'sold-out' }
  | { phase: 'turn-passed'; detail: string }
  | { phase: 'refused'; problem: Problem };

/**
 * The stream: `live` while open, `reconnecting` while the browser opens it again, `stopped` when it
 * gave up (until the watch opens it again by itself).
 */
export type StreamState = 'off' | 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** cart-order's flash sale API through the gateway. */
@Injectable({ providedIn: 'root' })
export class FlashSaleApi {
  private readonly http = inject(HttpClient);

  /** The sku's sale; none (`404`, or a guest the gateway does not let ask) is undefined. */
  sale(sku: string): Observable<FlashSale | undefined> {
    return this.http.get<FlashSale>(`/api/flash-sales/${encodeURIComponent(sku)}`).pipe(
      catchError((e: unknown) => (e instanceof HttpErrorResponse && (e.status === 404 || e.status === 401)
        ? of(undefined) : throwError(() => e))),
    );
  }

  /** Takes a place, or answers the one the shopper holds (a reload, a second tab). */
  join(sku: string): Observable<Standing> {
    return this.http.post<Standing>(`/api/flash-sales/${encodeURIComponent(sku)}/queue`, null);
  }

  /**
   * What the buy-now would cost now (`POST /api/orders/quote`: priced as checkout prices it, shipping
   * and VAT included; nothing is taken or held), so the shopper confirms the real total at once.
   */
  quote(addressId: string, lines: BuyNowBody['lines']): Observable<PriceChange> {
    return this.http.post<PriceChange>('/api/orders/quote', { addressId, lines });
  }

  buyNow(body: BuyNowBody, key: string, admission: string): Observable<OrderView> {
    return this.http.post<OrderView>('/api/orders', body, { headers: { 'Idempotency-Key': key, [ADMISSION_HEADER]: admission } });
  }
}

/** The stream's URL for a sku (the same origin: the session cookie goes along, the gateway relays the token). */
export function queueUrl(sku: string): string {
  return `/api/flash-sales/${encodeURIComponent(sku)}/queue`;
}

/**
 * Follows one shopper's place in a sale's waiting room: the place first (`POST`, which a reload
 * answers with the same place), then its stream until one of the final events, after which the
 * stream is closed (the server ends it, and EventSource would otherwise open it again).
 */
export class WaitingRoomWatch {
  private readonly waitSignal = signal<Wait>({ phase: 'joining' });
  private readonly streamSignal = signal<StreamState>('off');
  private source?: EventSource;
  private joining?: { unsubscribe(): void };
  /**
   * A refused stream (a `503 waiting-room-full` under the sale's load, say) is opened again a few
   * seconds later, and later each time: only the stream, the place is held. A few refusals in a row
   * (a place that lapsed answers `404` for good) leave it to "Reconnect now", which joins again.
   */
  private readonly retry = new StreamRetry(() => this.reopen(), 5_000, 30_000, 6);
  private readonly retryingSignal = signal(false);

  readonly wait: Signal<Wait> = this.waitSignal.asReadonly();
  readonly stream: Signal<StreamState> = this.streamSignal.asReadonly();
  /** While `stopped`: whether the watch will open the stream again by itself. */
  readonly retrying: Signal<boolean> = this.retryingSignal.asReadonly();

  constructor(private readonly sku: string, private readonly api: FlashSaleApi, private readonly open: (url: string) => EventSource) {}

  /** Takes (or finds) the place and follows it; again after an outcome, a new place or the one held. */
  join(): void {
    this.close();
    this.waitSignal.set({ phase: 'joining' });
    this.joining = this.api.join(this.sku).subscribe({
      next: (standing) => {
        if (standing.status === 'ADMITTED' && standing.admission && standing.expiresAt) {
          this.waitSignal.set({ phase: 'admitted', admission: standing.admission, expiresAt: standing.expiresAt });
          return;
        }
        this.waiting(standing);
        this.follow();
      },
      error: (e) => this.waitSignal.set({ phase: 'refused', problem: toProblem(e) }),
    });
  }

  close(): void {
    this.retry.cancel();
    this.retry.opened();
    this.retryingSignal.set(false);
    this.joining?.unsubscribe();
    this.source?.close();
    this.source = undefined;
    this.streamSignal.set('off');
  }

  private reopen(): void {
    this.retryingSignal.set(false);
    if (this.waitSignal().phase !== 'waiting') return;
    this.source?.close();
    this.follow();
  }

  private follow(): void {
    const source = this.open(queueUrl(this.sku));
    this.source = source;
    this.streamSignal.set('connecting');
    source.addEventListener('open', () => {
      this.retry.opened();
      this.streamSignal.set('live');
    });
    source.addEventListener('error', () => {
      if (this.source !== source) return;
      this.streamSignal.set(this.retry.afterError(source));
      this.retryingSignal.set(this.retry.pending());
    });
    const on = (type: string, handle: (data: Record<string, unknown>) => void) =>
      source.addEventListener(type, (event) => {
        const data = parse((event as MessageEvent<string>).data);
        if (data && this.source === source) { this.streamSignal.set('live'); handle(data); }
      });
    on('waiting', (data) => this.waiting(data as unknown as Standing));
    on('paused', (data) => {
      const w = this.waitSignal();
      const detail = typeof data['detail'] === 'string' ? data['detail'] : 'Admissions are paused; your place is kept.';
      if (w.phase === 'waiting') this.waitSignal.set({ ...w, paused: detail });
    });
    on('admitted', (data) => {
      if (typeof data['admission'] !== 'string' || typeof data['expiresAt'] !== 'string') return;
      this.end({ phase: 'admitted', admission: data['admission'], expiresAt: data['expiresAt'] });
    });
    on('sold-out', () => this.end({ phase: 'sold-out' }));
    on('turn-passed', (data) => this.end({
      phase: 'turn-passed', detail: typeof data['detail'] === 'string' ? data['detail'] : 'Your turn passed.',
    }));
  }

  private waiting(standing: Standing): void {
    if (typeof standing.position !== 'number') return;
    this.waitSignal.set({
      phase: 'waiting', position: standing.position, estimatedWaitSeconds: standing.estimatedWaitSeconds ?? 0,
      startsAt: standing.startsAt,
    });
  }

  private end(outcome: Wait): void {
    this.close();
    this.waitSignal.set(outcome);
  }
}

/** Opens watches with the app's EventSource (a token, so tests hand in their own). */
@Injectable({ providedIn: 'root' })
export class WaitingRoom {
  private readonly api = inject(FlashSaleApi);
  private readonly open = inject(EVENT_SOURCE);

  watch(sku: string): WaitingRoomWatch {
    return new WaitingRoomWatch(sku, this.api, this.open);
  }
}

function parse(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

/** A wait or a time left as a shopper reads it: "about 2 minutes", "45 seconds". */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} ${s === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.floor(s / 60);
  const rest = s % 60;
  return `${minutes} min${rest ? ` ${rest} s` : ''}`;
}

/** The totals of a `409 price-changed` refusal, when that is what it is. */
export function priceChangeOf(error: unknown): PriceChange | undefined {
  const body = (error as { error?: { type?: unknown } & Partial<PriceChange> } | null)?.error;
  if (body?.type !== PRICE_CHANGED) return undefined;
  const { subtotal, shipping, tax, total } = body;
  return [subtotal, shipping, tax, total].every(isMoney) ? { subtotal: subtotal!, shipping: shipping!, tax: tax!, total: total! } : undefined;
}

function isMoney(value: unknown): value is Money {
  const m = value as Money | undefined;
  return typeof m?.amount === 'number' && typeof m?.currency === 'string';
}
