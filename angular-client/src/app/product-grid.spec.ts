import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { shopTestBed } from '../testing';
import { paramsFromQuery, queryFromParams } from './catalog';

const params = (query: string) => new URLSearchParams(query);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the grid query in the address bar', () => {
  it('reads what it can and defaults the rest', () => {
    expect(queryFromParams(params('category=shoes&sort=price-desc&page=2&size=48')))
      .toEqual({ q: undefined, category: 'shoes', sort: 'price-desc', page: 2, size: 48 });
    expect(queryFromParams(params('sort=cheapest&page=-1&size=1000')))
      .toEqual({ q: undefined, category: undefined, sort: 'name', page: 0, size: 24 });
    expect(queryFromParams(params('page=1.5&size=abc')).page).toBe(0);
  });
  it('writes only what differs from the defaults, the search text as typed', () => {
    expect(paramsFromQuery({ q: 'red ', sort: 'name', page: 0, size: 24 })).toEqual({ q: 'red ' });
    expect(paramsFromQuery({ category: 'shoes', sort: 'rating', page: 3, size: 12 }))
      .toEqual({ category: 'shoes', sort: 'rating', page: '3', size: '12' });
  });
});

describe('the product grid', () => {
  const bed = shopTestBed();

  it('lists what the address asks for, and a change of sort is a new address on page 1', async () => {
    const harness = await RouterTestingHarness.create('/?category=shoes&sort=price&page=2');
    bed.http().expectOne('/api/categories').flush([{ id: 'shoes', name: 'Shoes', children: [] }]);
    const skeletons = harness.routeNativeElement!.querySelectorAll('.skeleton-card');
    expect(skeletons.length).toBe(12);
    expect(skeletons[0].parentElement!.getAttribute('aria-hidden')).toBe('true');
    expect(harness.routeNativeElement!.querySelector('.visually-hidden')!.textContent).toBe('Loading products…');
    await pause(0);
    bed.http().expectOne('/api/products?category=shoes&sort=price&page=2&size=24')
      .flush({ items: [], page: 2, size: 24, total: 60 });
    await harness.fixture.whenStable();
    expect(harness.routeNativeElement!.textContent).toContain('No products found.');

    const sort = [...harness.routeNativeElement!.querySelectorAll('select')][1];
    sort.value = 'rating';
    sort.dispatchEvent(new Event('change'));
    await harness.fixture.whenStable();
    expect(TestBed.inject(Router).url).toBe('/?category=shoes&sort=rating');
    await pause(0);
    bed.http().expectOne('/api/products?category=shoes&sort=rating&size=24').flush({ items: [], page: 0, size: 24, total: 0 });
  });
});

describe('the grid controls', () => {
  const bed = shopTestBed();

  it('show the query of the address, the category once the tree has come', async () => {
    const harness = await RouterTestingHarness.create('/?category=boots&sort=rating&size=48');
    bed.http().expectOne('/api/categories').flush([{ id: 'shoes', name: 'Shoes', children: [{ id: 'boots', name: 'Boots', children: [] }] }]);
    await harness.fixture.whenStable();
    const [category, sort, size] = [...harness.routeNativeElement!.querySelectorAll('select')];
    expect([category.value, sort.value, size.value]).toEqual(['boots', 'rating', '48']);
    await pause(0);
    bed.http().expectOne('/api/products?category=boots&sort=rating&size=48').flush({ items: [], page: 0, size: 48, total: 0 });
  });
});

describe('searching from the grid', () => {
  const bed = shopTestBed();
  afterEach(() => vi.useRealTimers());

  it('waits for a 300 ms pause in typing, then asks once for the text typed', async () => {
    const harness = await RouterTestingHarness.create('/');
    bed.http().expectOne('/api/categories').flush([]);
    await pause(0);
    bed.http().expectOne('/api/products?size=24').flush({ items: [], page: 0, size: 24, total: 0 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const search = harness.routeNativeElement!.querySelector<HTMLInputElement>('input[type=search]')!;
    for (const text of ['b', 'bl', 'blu']) {
      search.value = text;
      search.dispatchEvent(new Event('input'));
      await vi.advanceTimersByTimeAsync(299);
      bed.http().expectNone((r) => r.url.startsWith('/api/products/search'));
    }
    await vi.advanceTimersByTimeAsync(1);
    bed.http().expectOne('/api/products/search?q=blu&size=24').flush({ items: [], page: 0, size: 24, total: 0, query: 'blu' });
  });
});

describe('the grid when catalog is away', () => {
  const bed = shopTestBed();
  afterEach(() => vi.useRealTimers());

  it('says so, and asks again by itself after the Retry-After the gateway sent', async () => {
    const harness = await RouterTestingHarness.create('/');
    bed.http().expectOne('/api/categories').flush([]);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    await vi.advanceTimersByTimeAsync(0);
    bed.http().expectOne('/api/products?size=24').flush(
      { title: 'Service unavailable', detail: 'catalog is not answering.', status: 503 },
      { status: 503, statusText: 'Service Unavailable', headers: { 'Retry-After': '2' } });
    await vi.advanceTimersByTimeAsync(0);
    // rendered here: the zoneless scheduler may have raced the faked setTimeout with a real animation frame
    harness.detectChanges();
    const alert = () => harness.routeNativeElement!.querySelector('[role=alert]')?.textContent?.replace(/\s+/g, ' ');
    expect(alert()).toContain('catalog is not answering.');
    expect(alert()).toContain('Trying again in 2 seconds…');
    await vi.advanceTimersByTimeAsync(1999);
    bed.http().expectNone('/api/products?size=24');
    await vi.advanceTimersByTimeAsync(1);
    bed.http().expectOne('/api/products?size=24').flush({ items: [], page: 0, size: 24, total: 0 });
    await vi.advanceTimersByTimeAsync(0);
    harness.detectChanges();
    expect(alert()).toBeUndefined();
    expect(harness.routeNativeElement!.textContent).toContain('No products found.');
  });

  it('shows the gateway’s stale copy with a notice', async () => {
    const harness = await RouterTestingHarness.create('/');
    bed.http().expectOne('/api/categories').flush([]);
    await pause(0);
    bed.http().expectOne('/api/products?size=24').flush({ items: [], page: 0, size: 24, total: 0, stale: true });
    await harness.fixture.whenStable();
    expect(harness.routeNativeElement!.querySelector('.notice')?.textContent).toContain('the last copy the shop kept');
  });
});
