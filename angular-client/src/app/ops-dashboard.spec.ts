import { vi } from 'vitest';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ALICE, FakeEventSource, fakeEventSources, serverCart, shopTestBed } from '../testing';
import { App } from './app';
import { ChartData, DRAW_CHART, DrawChart } from './live-chart';
import { OPS_EVENTS_URL, OPS_METRICS_URL } from './ops-dashboard';
import { OPS_EVENT_TYPES, OpsEvent, OpsMetrics } from './ops-metrics';

const OLGA = { authenticated: true, subject: 'olga', name: 'Olga', email: 'olga@surge.test', roles: ['ops'] };

/** Every chart drawn: its id, and each data it was given after being drawn (in place). */
interface Drawn { id: string; first: ChartData; updates: ChartData[]; destroyed: boolean; }
let drawn: Drawn[] = [];
const recordingDraw: DrawChart = (_into, spec, data) => {
  const chart: Drawn = { id: spec.id, first: data, updates: [], destroyed: false };
  drawn.push(chart);
  return { setData: (d) => chart.updates.push(d), setWidth: () => undefined, destroy: () => { chart.destroyed = true; } };
};

function metrics(second: string, changes: Partial<OpsMetrics> = {}): OpsMetrics {
  return {
    second,
    orders: { placed: 3, confirmed: 2, paymentFailed: 1, cancelled: 0 },
    revenue: [{ amount: 5980, currency: 'EUR' }],
    outOfStockRefusals: 4,
    placedToPaymentOutcome: { windowSeconds: 60, samples: 12, p50Millis: 180, p99Millis: 1640 },
    breakers: [
      { service: 'edge-gateway', instance: 'edge-gateway-1', name: 'catalog', state: 'CLOSED' },
      { service: 'edge-gateway', instance: 'edge-gateway-1', name: 'orders', state: 'OPEN' },
    ],
    consumerLag: [{ group: 'notify.order-notifications', lag: 0 }, { group: 'cart-order.payments', lag: 3 }],
    outboxBacklog: [{ service: 'cart-order', backlog: 2, parked: 0 }],
    sseSubscribers: [{ service: 'notify', instance: 'notify-1', streams: 7 }],
    instances: [
      { service: 'notify', instance: 'notify-1', measuredAt: second, silent: false },
      { service: 'fulfilment', instance: 'fulfilment-9', measuredAt: second, silent: true },
    ],
    ...changes,
  };
}

function event(n: number, type = 'OrderPlaced'): OpsEvent {
  return {
    type, topic: 'shop.orders.v1', eventId: `e-${n}`, aggregateId: `0b5f${String(n).padStart(4, '0')}-aaaa`, aggregateVersion: 1,
    occurredAt: '2026-12-02T07:01:12Z',
    details: { orderId: `0b5f${String(n).padStart(4, '0')}-aaaa`, total: { amount: 2990, currency: 'EUR' }, lineCount: 2 },
    order: { status: 'PENDING_PAYMENT', total: { amount: 2990, currency: 'EUR' } },
  };
}

const stream = (url: string) => FakeEventSource.opened.filter((s) => s.url === url).at(-1)!;
const text = (harness: RouterTestingHarness, selector: string) =>
  harness.routeNativeElement!.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim();

describe('the ops dashboard', () => {
  const bed = shopTestBed([...fakeEventSources(), { provide: DRAW_CHART, useValue: recordingDraw }]);
  beforeEach(() => { drawn = []; FakeEventSource.opened.length = 0; });

  async function openAsOps(): Promise<RouterTestingHarness> {
    bed.session(OLGA);
    const harness = await RouterTestingHarness.create('/ops');
    await harness.fixture.whenStable();
    return harness;
  }

  it('opens both streams for the ops user, with a listener for every firehose type', async () => {
    const harness = await openAsOps();
    expect(text(harness, 'h1')).toBe('Ops dashboard');
    expect(FakeEventSource.opened.map((s) => s.url)).toEqual([OPS_METRICS_URL, OPS_EVENTS_URL]);
    expect(text(harness, '[data-stream=metrics]')).toBe('Connecting…');
    stream(OPS_METRICS_URL).connect();
    stream(OPS_EVENTS_URL).connect();
    await harness.fixture.whenStable();
    expect(text(harness, '[data-stream=metrics]')).toBe('Live');
    expect(text(harness, '[data-stream=events]')).toBe('Live');
    for (const type of OPS_EVENT_TYPES) stream(OPS_EVENTS_URL).emit(type, { ...event(OPS_EVENT_TYPES.indexOf(type), type), details: {} });
    await harness.fixture.whenStable();
    expect(harness.routeNativeElement!.querySelectorAll('.feed li').length).toBe(OPS_EVENT_TYPES.length);
  });

  it('draws each chart once and gives it every second in place, with the newest values written out', async () => {
    const harness = await openAsOps();
    expect(drawn.map((c) => c.id)).toEqual(['orders', 'failures', 'latency', 'lag', 'streams']);
    const metricsStream = stream(OPS_METRICS_URL);
    metricsStream.connect();
    metricsStream.emit('metrics', metrics('2026-12-02T07:01:12Z'));
    await harness.fixture.whenStable();
    metricsStream.emit('metrics', metrics('2026-12-02T07:01:13Z', {
      orders: { placed: 5, confirmed: 4, paymentFailed: 0, cancelled: 1 },
      placedToPaymentOutcome: { windowSeconds: 60, samples: 0, p50Millis: null, p99Millis: null },
    }));
    await harness.fixture.whenStable();

    expect(drawn.length).toBe(5);
    const orders = drawn.find((c) => c.id === 'orders')!;
    const t = Date.parse('2026-12-02T07:01:12Z') / 1000;
    expect(orders.updates.at(-1)).toEqual([[t, t + 1], [3, 5], [2, 4]]);
    expect(drawn.find((c) => c.id === 'latency')!.updates.at(-1)).toEqual([[t, t + 1], [180, null], [1640, null]]);
    expect(drawn.find((c) => c.id === 'lag')!.updates.at(-1)).toEqual([[t, t + 1], [3, 3], [2, 2]]);
    expect(text(harness, '[data-chart=orders] [data-series=placed]')).toBe('5 orders/s');
    expect(text(harness, '[data-chart=latency] [data-series=p99]')).toBe('–');
    expect(text(harness, '[data-chart=streams] [data-series=streams]')).toBe('7 streams');
    expect(text(harness, '[data-testid=last-second]')).toMatch(/^\d\d:\d\d:13$/);

    // an open breaker comes first and is not told by colour alone; a silent instance is named
    const rows = [...harness.routeNativeElement!.querySelectorAll('[data-breaker]')].map((td) => `${td.getAttribute('data-breaker')} ${td.textContent}`);
    expect(rows).toEqual(['orders OPEN', 'catalog CLOSED']);
    expect(harness.routeNativeElement!.textContent).toContain('fulfilment-9');
    expect(harness.routeNativeElement!.textContent).toContain('cart-order.payments');

    await TestBed.inject(Router).navigateByUrl('/nowhere');
    expect(drawn.every((c) => c.destroyed)).toBe(true);
  });

  it('lists events newest first, the latest 50, each once', async () => {
    const harness = await openAsOps();
    const events = stream(OPS_EVENTS_URL);
    events.connect();
    for (let n = 1; n <= 55; n++) events.emit('OrderPlaced', event(n));
    events.emit('OrderPlaced', event(55));
    events.emit('PaymentFailed', { ...event(56, 'PaymentFailed'), details: { orderId: '0b5f0056-aaaa', attempt: 1, reasonCode: 'CARD_DECLINED' } });
    events.emit('OrderPlaced', 'not json');
    await harness.fixture.whenStable();
    const items = [...harness.routeNativeElement!.querySelectorAll('.feed li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(items.length).toBe(50);
    expect(items[0]).toMatch(/^\d\d:\d\d:12 PaymentFailed order 0b5f0056 payment 1 failed: CARD_DECLINED/);
    expect(items[1]).toContain('OrderPlaced order 0b5f0055 placed, €29.90, 2 lines · now PENDING_PAYMENT');
    expect(items[49]).toContain('order 0b5f0007');
  });

  it('says when a stream is reconnecting or stopped, and opens a stopped one again on request', async () => {
    const harness = await openAsOps();
    const first = stream(OPS_METRICS_URL);
    first.connect();
    first.fail(true);
    await harness.fixture.whenStable();
    expect(text(harness, '[data-stream=metrics]')).toBe('Connection lost, reconnecting…');
    expect(harness.routeNativeElement!.querySelector('.streams button')).toBeNull();

    first.fail(false);
    await harness.fixture.whenStable();
    expect(text(harness, '[data-stream=metrics]')).toContain('Stopped');
    const button = harness.routeNativeElement!.querySelector<HTMLButtonElement>('.streams button')!;
    expect(button.textContent).toBe('Reconnect now');
    button.click();
    await harness.fixture.whenStable();
    expect(FakeEventSource.opened.filter((s) => s.url === OPS_METRICS_URL).length).toBe(2);
    expect(FakeEventSource.opened.filter((s) => s.url === OPS_EVENTS_URL).length).toBe(1);
    expect(text(harness, '[data-stream=metrics]')).toBe('Connecting…');
  });

  it('opens a refused stream again by itself, and not once the page is left', async () => {
    const harness = await openAsOps();
    vi.useFakeTimers();
    try {
      stream(OPS_EVENTS_URL).fail(false);
      vi.advanceTimersByTime(1_000);
      expect(FakeEventSource.opened.filter((s) => s.url === OPS_EVENTS_URL).length).toBe(2);
      expect(FakeEventSource.opened.filter((s) => s.url === OPS_METRICS_URL).length).toBe(1);
      stream(OPS_EVENTS_URL).fail(false);
      harness.fixture.destroy();
      vi.advanceTimersByTime(60_000);
      expect(FakeEventSource.opened.filter((s) => s.url === OPS_EVENTS_URL).length).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('closes both streams when the page is left', async () => {
    await openAsOps();
    await TestBed.inject(Router).navigateByUrl('/nowhere');
    expect(FakeEventSource.opened.length).toBe(2);
    expect(FakeEventSource.opened.every((s) => s.closed)).toBe(true);
  });
});

describe('the ops route for anyone else', () => {
  const bed = shopTestBed([...fakeEventSources(), { provide: DRAW_CHART, useValue: recordingDraw }]);
  beforeEach(() => { drawn = []; FakeEventSource.opened.length = 0; });

  it('shows a shopper "not allowed", opens no stream and draws nothing', async () => {
    bed.session(ALICE);
    const harness = await RouterTestingHarness.create('/ops');
    await harness.fixture.whenStable();
    expect(text(harness, 'h1')).toBe('Not allowed');
    expect(harness.routeNativeElement!.textContent).toContain('signed in as Alice');
    expect(FakeEventSource.opened).toEqual([]);
    expect(drawn).toEqual([]);
  });

  it('offers a guest the sign-in, and comes back to the dashboard after it', async () => {
    bed.session();
    const harness = await RouterTestingHarness.create('/ops');
    await harness.fixture.whenStable();
    expect(text(harness, 'h1')).toBe('Not allowed');
    const link = harness.routeNativeElement!.querySelector<HTMLAnchorElement>('a')!;
    expect(link.getAttribute('href')).toBe('/oauth2/authorization/surge');
    link.addEventListener('click', (e) => e.preventDefault());
    link.click();
    expect(sessionStorage.getItem('surge.return-to')).toBe('/ops');
    expect(FakeEventSource.opened).toEqual([]);
  });
});

describe('the header', () => {
  const bed = shopTestBed();

  async function headerLinks(session: object): Promise<string[]> {
    const fixture = TestBed.createComponent(App);
    bed.http().expectOne('/api/session').flush({ loginUrl: '/oauth2/authorization/surge', logoutUrl: '/logout', ...session });
    bed.http().expectOne('/api/users/me').flush({ id: 'someone' });
    bed.http().expectOne('/api/cart').flush(serverCart([]));
    await fixture.whenStable();
    return [...(fixture.nativeElement as HTMLElement).querySelectorAll('.account a')].map((a) => `${a.textContent} ${a.getAttribute('href')}`);
  }

  it('links the dashboard for the ops user only', async () => {
    expect(await headerLinks(OLGA)).toContain('Ops dashboard /ops');
  });

  it('has no dashboard link for a shopper', async () => {
    expect((await headerLinks(ALICE)).filter((l) => l.includes('/ops'))).toEqual([]);
  });
});
