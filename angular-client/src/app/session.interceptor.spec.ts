import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { ALICE, shopTestBed } from '../testing';
import { SessionStore } from './session';

describe('sessionInterceptor', () => {
  const bed = shopTestBed();
  afterEach(() => { document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT'; });

  it('fetches a new CSRF cookie after a 403 csrf problem and sends the request once more with it', () => {
    bed.session(ALICE);
    const answers: unknown[] = [];
    TestBed.inject(HttpClient).post('/api/cart/items', { sku: 'MUG-1', quantity: 1 }).subscribe((a) => answers.push(a));
    const first = bed.http().expectOne('/api/cart/items');
    expect(first.request.headers.has('X-XSRF-TOKEN')).toBe(false);
    first.flush({ type: 'https://surge.dev/problems/csrf', title: 'Forbidden', status: 403 }, { status: 403, statusText: 'Forbidden' });

    document.cookie = 'XSRF-TOKEN=fresh';
    bed.http().expectOne('/api/session').flush(ALICE);
    const retry = bed.http().expectOne('/api/cart/items');
    expect(retry.request.headers.get('X-XSRF-TOKEN')).toBe('fresh');
    expect(retry.request.body).toEqual({ sku: 'MUG-1', quantity: 1 });
    retry.flush({ itemCount: 1 });
    expect(answers).toEqual([{ itemCount: 1 }]);
  });

  it('turns the app back to a guest when an API call answers 401, and passes the 401 on', () => {
    bed.session(ALICE);
    const errors: number[] = [];
    TestBed.inject(HttpClient).get('/api/cart').subscribe({ error: (e: HttpErrorResponse) => errors.push(e.status) });
    bed.http().expectOne('/api/cart').flush({ title: 'Unauthorized', status: 401 }, { status: 401, statusText: 'Unauthorized' });
    bed.http().expectOne('/api/session').flush({ authenticated: false, roles: [], loginUrl: '/oauth2/authorization/surge', logoutUrl: '/logout' });
    expect(errors).toEqual([401]);
    expect(TestBed.inject(SessionStore).signedIn()).toBe(false);
  });

  it('leaves any other refusal alone', () => {
    bed.session(ALICE);
    const errors: number[] = [];
    TestBed.inject(HttpClient).post('/api/cart/items', {}).subscribe({ error: (e: HttpErrorResponse) => errors.push(e.status) });
    bed.http().expectOne('/api/cart/items').flush({ title: 'Forbidden', status: 403 }, { status: 403, statusText: 'Forbidden' });
    bed.http().expectNone('/api/session');
    expect(errors).toEqual([403]);
  });
});
