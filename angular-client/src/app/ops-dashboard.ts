import { ChangeDetectionStrategy, Component, DestroyRef, WritableSignal, computed, inject, signal } from '@angular/core';
import { formatPrice } from './catalog';
import { ChartData, LiveChart } from './live-chart';
import {
  CHARTS, ChartSpec, EMPTY_HISTORY, FeedEntry, OPS_EVENT_TYPES, OpsMetrics, addToFeed, appendSecond,
  breakerRows, chartData, feedEntry, formatMillis, parseEvent, parseMetrics,
} from './ops-metrics';
import { EVENT_SOURCE, LiveState } from './order-events';
import { StreamRetry } from './stream-retry';

export const OPS_METRICS_URL = '/api/ops/metrics';
export const OPS_EVENTS_URL = '/api/ops/events';


const STATE_TEXT: Record<LiveState, string> = {
  off: 'Not connected',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Connection lost, reconnecting…',
  stopped: 'Stopped: the shop refused the stream or is not answering.',
};

const time = (iso: string | undefined) => {
  const at = iso ? new Date(iso) : undefined;
  return at && Number.isFinite(at.getTime()) ? at.toLocaleTimeString('en-GB', { hour12: false }) : '–';
};

/**
 * The SRE dashboard (`/ops`, ops role only, see `opsRole`): notify's vital signs, once a second
 * over `GET /api/ops/metrics`, drawn as live charts of the last two minutes and the newest
 * breaker, lag and stream figures; and the firehose of order, payment and fulfilment events over
 * `GET /api/ops/events`, newest first, the latest 50. Both streams are the browser's EventSource
 * through the gateway, which relays the session's token; a refused one is opened again by itself
 * ({@link StreamRetry}); they close when the page is left.
 */
@Component({
  selector: 'app-ops-dashboard',
  imports: [LiveChart],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .streams { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; }
    .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr)); gap: 1rem; }
    .tables { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr)); gap: 1rem; margin-top: 1rem; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: .2rem .4rem; border-bottom: 1px solid #ddd; overflow-wrap: anywhere; }
    td.number, td.state { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .not-closed { color: #b00020; font-weight: bold; }
    .feed { list-style: none; padding: 0; margin: 0; max-height: 28rem; overflow-y: auto; }
    .feed li { display: flex; flex-wrap: wrap; gap: 0 .75rem; border-bottom: 1px solid #eee; padding: .25rem 0; }
    .feed time { font-variant-numeric: tabular-nums; color: #444; }
    .feed .type { font-weight: bold; }
  `,
  template: `
    <h1>Ops dashboard</h1>
    <div class="streams">
      <p>Vital signs: <strong data-stream="metrics">{{ stateText(metricsState(), 'metrics') }}</strong>
        · last second <time data-testid="last-second">{{ lastSecond() }}</time></p>
      <p>Events: <strong data-stream="events">{{ stateText(eventsState(), 'events') }}</strong></p>
      @if (metricsState() === 'stopped' || eventsState() === 'stopped') {
        <button type="button" (click)="reconnect()">Reconnect now</button>
      }
    </div>

    <section aria-labelledby="charts-title">
      <h2 id="charts-title" class="visually-hidden">Charts of the last two minutes</h2>
      <div class="charts">
        @for (chart of charts; track chart.id) {
          <app-live-chart [spec]="chart" [data]="data(chart)" [format]="formatOf(chart)" />
        }
      </div>
    </section>

    <div class="tables">
      <section aria-labelledby="breakers-title">
        <h2 id="breakers-title">Circuit breakers</h2>
        @if (breakers().length === 0) { <p>No breaker reported yet.</p> } @else {
          <table>
            <thead><tr><th scope="col">Breaker</th><th scope="col">Instance</th><th scope="col">State</th></tr></thead>
            <tbody>
              @for (b of breakers(); track b.instance + b.name) {
                <tr><td>{{ b.name }}</td><td>{{ b.instance }}</td>
                  <td class="state" [class.not-closed]="b.state !== 'CLOSED'" [attr.data-breaker]="b.name">{{ b.state }}</td></tr>
              }
            </tbody>
          </table>
        }
      </section>
      <section aria-labelledby="lag-title">
        <h2 id="lag-title">Consumer lag</h2>
        @if (latest()?.consumerLag?.length) {
          <table>
            <thead><tr><th scope="col">Consumer group</th><th scope="col">Records behind</th></tr></thead>
            <tbody>
              @for (g of latest()!.consumerLag; track g.group) {
                <tr><td>{{ g.group }}</td><td class="number">{{ g.lag }}</td></tr>
              }
            </tbody>
          </table>
        } @else { <p>No consumer group reported yet.</p> }
      </section>
      <section aria-labelledby="shop-title">
        <h2 id="shop-title">Streams, outbox and instances</h2>
        <table>
          <tbody>
            @for (s of latest()?.sseSubscribers ?? []; track s.instance) {
              <tr><th scope="row">{{ s.instance }} streams</th><td class="number">{{ s.streams }}</td></tr>
            }
            @for (o of latest()?.outboxBacklog ?? []; track o.service) {
              <tr><th scope="row">{{ o.service }} outbox waiting / parked</th><td class="number">{{ o.backlog }} / {{ o.parked }}</td></tr>
            }
            <tr><th scope="row">Revenue this second</th><td class="number">{{ revenue() }}</td></tr>
            <tr><th scope="row">Instances reporting</th><td class="number">{{ reporting() }}</td></tr>
            @for (i of silent(); track i.instance) {
              <tr><th scope="row">{{ i.instance }}</th><td class="state not-closed">silent</td></tr>
            }
          </tbody>
        </table>
      </section>
    </div>

    <section aria-labelledby="feed-title">
      <h2 id="feed-title">Events, newest first</h2>
      @if (feed().length === 0) { <p>No event since the page opened.</p> }
      <ol class="feed" aria-live="off" data-testid="event-feed">
        @for (e of feed(); track e.id) {
          <li ngPreserveWhitespaces><time [attr.datetime]="e.at">{{ time(e.at) }}</time> <span class="type">{{ e.type }}</span> <span>order {{ e.order }}</span> <span>{{ e.text }}</span></li>
        }
      </ol>
    </section>
  `,
})
export default class OpsDashboard {
  private readonly open = inject(EVENT_SOURCE);
  private readonly sources = new Map<string, EventSource>();
  private readonly retries = new Map<string, StreamRetry>();
  /** The streams the page will open again by itself. */
  private readonly retrying = signal<ReadonlySet<string>>(new Set());
  protected readonly charts = CHARTS;
  protected readonly time = time;

  private readonly history = signal(EMPTY_HISTORY);
  protected readonly latest = signal<OpsMetrics | undefined>(undefined);
  protected readonly feed = signal<FeedEntry[]>([]);
  protected readonly metricsState = signal<LiveState>('off');
  protected readonly eventsState = signal<LiveState>('off');

  /** Each chart's data, computed once per second for all charts (the charts take it in place). */
  private readonly chartData = computed(() =>
    new Map(CHARTS.map((c) => [c.id, chartData(this.history(), c.series.map((s) => s.key)) as ChartData])));
  protected readonly lastSecond = computed(() => time(this.latest()?.second));
  protected readonly breakers = computed(() => breakerRows(this.latest()));
  protected readonly revenue = computed(() => {
    const revenue = this.latest()?.revenue ?? [];
    return revenue.length ? revenue.map((m) => formatPrice(m)).join(', ') : formatPrice({ amount: 0, currency: 'EUR' });
  });
  protected readonly reporting = computed(() => (this.latest()?.instances ?? []).filter((i) => !i.silent).length);
  protected readonly silent = computed(() => (this.latest()?.instances ?? []).filter((i) => i.silent));

  constructor() {
    this.connect();
    inject(DestroyRef).onDestroy(() => {
      for (const source of this.sources.values()) source.close();
      this.sources.clear();
      for (const retry of this.retries.values()) retry.cancel();
      this.retries.clear();
    });
  }

  protected data(chart: ChartSpec): ChartData {
    return this.chartData().get(chart.id)!;
  }

  protected formatOf(chart: ChartSpec): (value: number) => string {
    return chart.unit === 'ms' ? formatMillis : (v) => `${v} ${chart.unit}`;
  }

  protected stateText(state: LiveState, stream: 'metrics' | 'events'): string {
    const retrying = this.retrying().has(stream === 'metrics' ? OPS_METRICS_URL : OPS_EVENTS_URL);
    return state === 'stopped' && retrying ? `${STATE_TEXT.stopped} Trying again in a moment.` : STATE_TEXT[state];
  }

  /** Opens again, now, whichever stream the browser gave up on; an open one is kept. */
  protected reconnect(): void {
    for (const retry of this.retries.values()) retry.opened();
    this.connect();
  }

  private connect(): void {
    if (this.metricsState() === 'off' || this.metricsState() === 'stopped') this.openMetrics();
    if (this.eventsState() === 'off' || this.eventsState() === 'stopped') this.openEvents();
  }

  private openMetrics(): void {
    this.stream(OPS_METRICS_URL, ['metrics'], this.metricsState, () => this.openMetrics(), (_type, data) => {
      const metrics = parseMetrics(data);
      if (!metrics) return;
      this.latest.set(metrics);
      this.history.update((h) => appendSecond(h, metrics));
    });
  }

  private openEvents(): void {
    this.stream(OPS_EVENTS_URL, OPS_EVENT_TYPES, this.eventsState, () => this.openEvents(), (_type, data) => {
      const event = parseEvent(data);
      if (event) this.feed.update((feed) => addToFeed(feed, feedEntry(event)));
    });
  }

  /**
   * One stream and its state: `live` once open (or once anything came), `reconnecting` while the
   * browser opens it again after a drop or the end at token expiry, `stopped` when it gave up (a
   * `401`, `403`, `429` or `503` answer, which EventSource does not retry) until the retry opens it again.
   */
  private stream(url: string, types: readonly string[], state: WritableSignal<LiveState>, reopen: () => void,
    receive: (type: string, data: string) => void): void {
    this.sources.get(url)?.close();
    const source = this.open(url);
    this.sources.set(url, source);
    state.set('connecting');
    let retry = this.retries.get(url);
    if (!retry) {
      retry = new StreamRetry(reopen);
      this.retries.set(url, retry);
    }
    retry.cancel();
    this.setRetrying(url, false);
    source.addEventListener('open', () => {
      retry.opened();
      state.set('live');
    });
    source.addEventListener('error', () => {
      if (this.sources.get(url) !== source) return;
      state.set(retry.afterError(source));
      this.setRetrying(url, retry.pending());
    });
    for (const type of types) {
      source.addEventListener(type, (event) => {
        state.set('live');
        receive(type, (event as MessageEvent<string>).data);
      });
    }
  }

  private setRetrying(url: string, retrying: boolean): void {
    this.retrying.update((urls) => {
      if (urls.has(url) === retrying) return urls;
      const next = new Set(urls);
      if (retrying) next.add(url); else next.delete(url);
      return next;
    });
  }
}
