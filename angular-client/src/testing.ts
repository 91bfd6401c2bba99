import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { EnvironmentProviders, Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { appConfig } from './app/app.config';
import { CartView } from './app/cart';
import { EVENT_SOURCE } from './app/order-events';
import { LiveOrder } from './app/orders';
import { SessionStore, SessionView } from './app/session';

/**
 * The app's own providers (routes, HttpClient with its XSRF names) over a testing backend, for
 * page tests through the router, with any providers a test replaces (`providers`, last, so they win).
 * Every request a test does not answer fails it afterwards, and localStorage starts empty.
 */
export function shopTestBed(
  providers: (Provider | EnvironmentProviders)[] = [],
): { http: () => HttpTestingController; session: (view?: Partial<SessionView>) => void } {
  let http: HttpTestingController;
  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [...appConfig.providers, provideHttpClientTesting(), ...providers],
    });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => {
    http.verify();
    localStorage.clear();
    sessionStorage.clear();
  });
  return {
    http: () => http,
    /** Answers `GET /api/session`: a guest, or the shopper given. */
    session: (view = {}) => {
      TestBed.inject(SessionStore).load().subscribe();
      http.expectOne('/api/session').flush({
        authenticated: false, roles: [], loginUrl: '/oauth2/authorization/surge', logoutUrl: '/logout', ...view,
      });
    },
  };
}

/** A signed-in shopper as `GET /api/session` describes her. */
export const ALICE = { authenticated: true, subject: 'alice', name: 'Alice', email: 'alice@surge.test', roles: [] };

/** `GET /api/cart`'s answer with these lines, each in stock at €8.50. */
export function serverCart(lines: { sku: string; name: string; quantity: number }[]): CartView {
  return {
    lines: lines.map((l) => ({
      ...l, unitPrice: { amount: 850, currency: 'EUR' }, lineTotal: { amount: 850 * l.quantity, currency: 'EUR' },
      availability: 'IN_STOCK' as const, orderable: 10, priceChanged: false, priceWhenAdded: { amount: 850, currency: 'EUR' },
    })),
    itemCount: lines.reduce((n, l) => n + l.quantity, 0),
    subtotal: { amount: 850 * lines.reduce((n, l) => n + l.quantity, 0), currency: 'EUR' },
    version: 3,
  };
}

/**
 * Stands in for the browser's EventSource (jsdom has none): a test opens it, emits the events
 * notify would send, and drops or ends the connection.
 */
export class FakeEventSource extends EventTarget {
  static readonly opened: FakeEventSource[] = [];
  readyState = 0;
  closed = false;

  constructor(readonly url: string) {
    super();
    FakeEventSource.opened.push(this);
  }

  /** The stream opened (the browser fires `open`). */
  connect(): void {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }

  emit(type: string, data: unknown, lastEventId = ''): void {
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data), lastEventId }));
  }

  /** The connection dropped and the browser is trying again (`reconnect`), or it gave up. */
  fail(reconnect: boolean): void {
    this.readyState = reconnect ? 0 : 2;
    this.dispatchEvent(new Event('error'));
  }

  close(): void {
    this.readyState = 2;
    this.closed = true;
  }
}

/** The providers that make the app open FakeEventSources (`FakeEventSource.opened` lists them; clear it per test). */
export function fakeEventSources(): Provider[] {
  return [{ provide: EVENT_SOURCE, useValue: (url: string) => new FakeEventSource(url) as unknown as EventSource }];
}

/** notify's view of one order, as its stream sends it. */
export function liveOrder(orderId: string, status: LiveOrder['status'], version: number, more: Partial<LiveOrder> = {}): LiveOrder {
  return {
    orderId, status, version, reason: null, total: { amount: 2195, currency: 'EUR' }, paymentFailure: null, shipment: null,
    refund: null, placedAt: '2026-12-02T07:01:00Z', statusChangedAt: '2026-12-02T07:01:00Z', confirmedAt: null, allocatedAt: null,
    deliveredAt: null, cancelledAt: null, finalStatus: status === 'DELIVERED' || status === 'CANCELLED', ...more,
  };
}
