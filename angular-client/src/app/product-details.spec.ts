import { TestBed } from '@angular/core/testing';
import { RouterTestingHarness } from '@angular/router/testing';
import { shopTestBed } from '../testing';
import { Availability } from './catalog';
import { GuestCartStore } from './guest-cart';
import { SessionStore } from './session';
import { LEAVE_APP } from './signed-in.guard';

const NO_SALE = { type: 'https://surge.dev/problems/flash-sale-not-found', title: 'Flash sale not found', status: 404 };

describe('adding to the cart on the details page', () => {
  const bed = shopTestBed();

  beforeEach(() => localStorage.clear());

  async function open(availability: Availability): Promise<{ harness: RouterTestingHarness; page: HTMLElement }> {
    const harness = await RouterTestingHarness.create('/products/MUG-1');
    bed.http().expectOne('/api/products/MUG-1').flush({
      sku: 'MUG-1', name: 'Blue mug', description: 'A mug', brand: 'Surge', categoryId: 'kitchen', categoryPath: ['Kitchen'],
      price: { amount: 850, currency: 'EUR' }, images: [], attributes: {}, rating: { average: 0, count: 0 },
      availability, reviews: [], createdAt: '2026-01-01T00:00:00Z',
    });
    bed.http().expectOne('/api/flash-sales/MUG-1').flush(NO_SALE, { status: 404, statusText: 'Not Found' });
    await harness.fixture.whenStable();
    return { harness, page: harness.routeNativeElement! };
  }

  const button = (page: HTMLElement) => [...page.querySelectorAll('button')].find((b) => b.textContent === 'Add to cart')!;

  it('adds the chosen quantity and says so in a live region', async () => {
    const { harness, page } = await open({ status: 'IN_STOCK' });
    const quantity = page.querySelector<HTMLSelectElement>('#add-quantity')!;
    expect(quantity.value).toBe('1');
    quantity.value = '2';
    quantity.dispatchEvent(new Event('change'));
    await harness.fixture.whenStable();
    expect(quantity.value).toBe('2');
    button(page).click();
    await harness.fixture.whenStable();
    const status = page.querySelector('[role=status]')!;
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.textContent).toContain('Added 2 × Blue mug to your cart.');
    expect(TestBed.inject(GuestCartStore).lines()).toEqual([{ sku: 'MUG-1', quantity: 2 }]);
  });

  it('adds no more than are left', async () => {
    const { harness, page } = await open({ status: 'LOW_STOCK', count: 1 });
    button(page).click();
    button(page).click();
    await harness.fixture.whenStable();
    expect(page.querySelector('[role=status]')!.textContent).toContain('You already have 1 × Blue mug in your cart (only 1 is left)');
    expect(TestBed.inject(GuestCartStore).count()).toBe(1);
  });

  it('offers no more units than are left', async () => {
    const { page } = await open({ status: 'LOW_STOCK', count: 3 });
    expect([...page.querySelectorAll('#add-quantity option')].map((o) => o.textContent)).toEqual(['1', '2', '3']);
    expect(button(page).disabled).toBe(false);
  });

  it('disables "Add to cart" when out of stock, with the message', async () => {
    const { page } = await open({ status: 'OUT_OF_STOCK' });
    expect(button(page).disabled).toBe(true);
    expect(page.textContent).toContain('Out of stock: this product cannot be added to the cart right now.');
  });
});

describe('a flash sale on the details page', () => {
  const left: string[] = [];
  const bed = shopTestBed([{ provide: LEAVE_APP, useValue: (url: string) => left.push(url) }]);
  beforeEach(() => { left.length = 0; });

  async function open(status: 'SCHEDULED' | 'RUNNING' | 'SOLD_OUT'): Promise<{ harness: RouterTestingHarness; page: HTMLElement }> {
    const harness = await RouterTestingHarness.create('/products/MUG-1');
    bed.http().expectOne('/api/products/MUG-1').flush({
      sku: 'MUG-1', name: 'Blue mug', description: 'A mug', brand: 'Surge', categoryId: 'kitchen', categoryPath: ['Kitchen'],
      price: { amount: 850, currency: 'EUR' }, images: [], attributes: {}, rating: { average: 0, count: 0 },
      availability: { status: 'IN_STOCK' }, reviews: [], createdAt: '2026-01-01T00:00:00Z',
    });
    bed.http().expectOne('/api/flash-sales/MUG-1').flush({
      sku: 'MUG-1', startsAt: '2026-12-24T18:00:00Z', status, perShopperLimit: 2, waitingRoom: true, queue: '/api/flash-sales/MUG-1/queue',
    });
    await harness.fixture.whenStable();
    return { harness, page: harness.routeNativeElement! };
  }

  it('shows the sale and "Join the queue" instead of "Add to cart"', async () => {
    const { page } = await open('SCHEDULED');
    const sale = page.querySelector('.flash-sale')!.textContent!.replace(/\s+/g, ' ');
    expect(sale).toContain('Starts 24 Dec 2026');
    expect(sale).toContain('at most 2 per shopper');
    expect([...page.querySelectorAll('button')].some((b) => b.textContent === 'Add to cart')).toBe(false);
    expect(page.querySelector('#add-quantity')).toBeNull();
    const join = [...page.querySelectorAll('a')].find((a) => a.textContent === 'Join the queue')!;
    expect(join.getAttribute('href')).toBe('/flash-sales/MUG-1');
  });

  it('sends a guest who joins to the sign-in, to come back to the waiting room', async () => {
    const { harness, page } = await open('RUNNING');
    expect(page.textContent).toContain('On sale now');
    [...page.querySelectorAll('a')].find((a) => a.textContent === 'Join the queue')!.click();
    await new Promise((resolve) => setTimeout(resolve));
    bed.http().expectOne('/api/session').flush({ authenticated: false, roles: [], loginUrl: '/oauth2/authorization/surge', logoutUrl: '/logout' });
    await harness.fixture.whenStable();
    expect(left).toEqual(['/oauth2/authorization/surge']);
    expect(TestBed.inject(SessionStore).takeReturn()).toBe('/flash-sales/MUG-1');
  });

  it('offers no queue once the sale is sold out', async () => {
    const { page } = await open('SOLD_OUT');
    expect(page.querySelector('.flash-sale')!.textContent).toContain('Sold out');
    expect([...page.querySelectorAll('a')].some((a) => a.textContent === 'Join the queue')).toBe(false);
  });
});
