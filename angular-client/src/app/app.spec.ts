import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { ALICE, serverCart, shopTestBed } from '../testing';
import { App } from './app';
import { SessionStore } from './session';

describe('the header and sign-in', () => {
  const bed = shopTestBed();
  afterEach(() => { document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT'; });

  async function start(session: object) {
    const fixture = TestBed.createComponent(App);
    bed.http().expectOne('/api/session').flush({ roles: [], loginUrl: '/oauth2/authorization/surge', logoutUrl: '/logout', ...session });
    await fixture.whenStable();
    return fixture;
  }

  it('offers a guest to sign in through the gateway and counts the guest cart', async () => {
    const fixture = await start({ authenticated: false });
    const page: HTMLElement = fixture.nativeElement;
    const signIn = [...page.querySelectorAll('a')].find((a) => a.textContent === 'Sign in')!;
    expect([...page.querySelectorAll('a')].filter((a) => a.textContent === 'My orders' || a.textContent === 'Profile')).toEqual([]);
    expect(signIn.getAttribute('href')).toBe('/oauth2/authorization/surge');
    expect(page.querySelector('.cart-link')!.getAttribute('aria-label')).toBe('Cart, 0 items');
  });

  it("offers a guest to register when the provider has a sign-up, and not when it has none", async () => {
    const links = (page: HTMLElement) => [...page.querySelectorAll('.account a')].map((a) => [a.textContent, a.getAttribute('href')]);
    const fixture = await start({ authenticated: false, signUpUrl: '/oauth2/authorization/surge?sign-up' });
    expect(links(fixture.nativeElement)).toContainEqual(['Register', '/oauth2/authorization/surge?sign-up']);
    const register = [...(fixture.nativeElement as HTMLElement).querySelectorAll('a')].find((a) => a.textContent === 'Register')!;
    register.addEventListener('click', (e) => e.preventDefault());
    register.click();
    expect(sessionStorage.getItem('surge.return-to')).toBe(location.pathname + location.search + location.hash);
    fixture.destroy();
    sessionStorage.clear();

    const none = await start({ authenticated: false, signUpUrl: null });
    expect(links(none.nativeElement).map(([text]) => text)).not.toContain('Register');
  });

    it('creates the profile on the first sign-in, loads the cart, and signs out with the CSRF token', async () => {
    document.cookie = 'XSRF-TOKEN=token-2';
    const fixture = await start(ALICE);
    bed.http().expectOne({ method: 'GET', url: '/api/users/me' }).flush(
      { title: 'Profile not found', status: 404 }, { status: 404, statusText: 'Not Found' });
    const put = bed.http().expectOne({ method: 'PUT', url: '/api/users/me' });
    expect(put.request.headers.get('X-XSRF-TOKEN')).toBe('token-2');
    put.flush({ id: 'alice' });
    bed.http().expectOne({ method: 'GET', url: '/api/cart' }).flush(serverCart([{ sku: 'MUG-1', name: 'Blue mug', quantity: 1 }]));
    await fixture.whenStable();

    const page: HTMLElement = fixture.nativeElement;
    expect(page.querySelector('.user-menu summary')!.textContent).toBe('Alice');
    expect([...page.querySelectorAll('.account a')].map((a) => [a.textContent, a.getAttribute('href')]).slice(0, 2))
      .toEqual([['My orders', '/orders'], ['Profile', '/profile']]);
    expect(page.querySelector('.cart-link')!.getAttribute('aria-label')).toBe('Cart, 1 item');
    const form = page.querySelector<HTMLFormElement>('.user-menu form')!;
    expect(form.getAttribute('method')).toBe('post');
    expect(form.getAttribute('action')).toBe('/logout');
    const submit = new SubmitEvent('submit', { cancelable: true });
    form.dispatchEvent(submit);
    expect(form.querySelector<HTMLInputElement>('input[name=_csrf]')!.value).toBe('token-2');
    expect(submit.defaultPrevented).toBe(false);
  });

  it('lands the shopper back on the page they left to sign in', async () => {
    TestBed.inject(SessionStore).rememberReturn('/cart');
    const fixture = await start(ALICE);
    bed.http().expectOne('/api/users/me').flush({ id: 'alice' });
    await fixture.whenStable();
    expect(TestBed.inject(Router).url).toBe('/cart');
    // the start and the cart page both want the cart: one read answers both
    bed.http().expectOne('/api/cart').flush(serverCart([]));
  });
});

describe('the page to return to', () => {
  it('is only ever a path of this shop, and only once', () => {
    const session = TestBed.inject(SessionStore);
    session.rememberReturn('/products/MUG-1');
    expect(session.takeReturn()).toBe('/products/MUG-1');
    expect(session.takeReturn()).toBeUndefined();
    for (const url of ['//evil.example/x', '/\\evil.example', 'https://evil.example/']) {
      session.rememberReturn(url);
      expect(session.takeReturn()).toBeUndefined();
    }
  });
});
