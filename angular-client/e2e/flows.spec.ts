import { APIRequestContext, APIResponse, Page, expect, request as playwrightRequest, test } from '@playwright/test';
import {
  ADDRESS, Shopper, User, apiAs, cartLink, cartOrderPrice, catalogAvailability, emptyServerCart, ensureAddress, euros,
  placeOrderByApi, productInStock, setPrice, setStock, shopper, signInAs, signInOnProvider, withServiceStopped,
} from './shop';

/**
 * The shop's flows end to end, each as a shopper sees it on screen and, where it matters, as the
 * server holds it afterwards. The shoppers are this file's own (never alice, bob or olga, whose data
 * other tests use); olga only for what ops does (stock, prices), always put back. The products are
 * taken further down the listing than the other spec files take theirs.
 */

const ERIN = shopper('erin-e2e', 'Erin Flows');
const FRANK = shopper('frank-e2e', 'Frank Flows');
const GRACE = shopper('grace-e2e', 'Grace Flows');
const HEIDI = shopper('heidi-e2e', 'Heidi Flows');

type Money = { amount: number; currency: string };
interface OrderPage { items: { id: string; status: string; total: Money }[]; total: number }
interface Address { id: string; label?: string; line1: string; default: boolean }

const BASE_URL = process.env['E2E_BASE_URL'] ?? 'http://127.0.0.1:8080';

async function asUser<T>(user: User, call: (api: APIRequestContext) => Promise<T>): Promise<T> {
  const api = await apiAs(user);
  try {
    return await call(api);
  } finally {
    await api.dispose();
  }
}

async function json<T>(answer: Promise<APIResponse>, what: string): Promise<T> {
  const a = await answer;
  expect(a.ok(), `${what}: ${a.status()}`).toBe(true);
  return await a.json() as T;
}

/** How many orders the shopper has, as cart-order counts them. */
const orderCount = (user: User) => asUser(user, async (api) => (await json<OrderPage>(api.get('/api/orders?page=0&size=10'), 'GET /api/orders')).total);

/** The shopper's cart on the server, emptied, then holding the units of the product. */
async function cartWith(user: User, sku: string, quantity = 1): Promise<void> {
  await emptyServerCart(user);
  await asUser(user, async (api) => {
    const added = await api.post('/api/cart/items', { data: { sku, quantity } });
    expect(added.ok(), `POST /api/cart/items ${sku}: ${added.status()}`).toBe(true);
  });
}

/** Signed in as the shopper (from the home page), on the checkout page, priced and ready to place. */
async function openCheckout(page: Page, who: Shopper, productName: string): Promise<void> {
  await page.goto('/');
  await signInAs(page, who.subject, who.name);
  await page.goto('/checkout');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Checkout');
  // the shopper's details from the profile (created by the app at this first sign-in)
  await expect(page.locator('.your-details')).toContainText(`${who.name} · ${who.subject}@surge.test`);
  await expect(page.locator('.summary-lines li').filter({ hasText: `${productName} × 1` })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Place order · €\d/ })).toBeEnabled();
}

/** The skus of the cards the grid shows, in order. */
async function shownSkus(page: Page): Promise<string[]> {
  const hrefs = await page.locator('ul.grid > li:not(.skeleton-card) > a').evaluateAll(
    (links) => links.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.map((h) => h.replace(/^.*\/products\//, ''));
}

/** A GET of the public API, as a guest's browser would ask it (no cache, no session). */
async function publicGet<T>(path: string): Promise<T> {
  const api = await playwrightRequest.newContext({ baseURL: BASE_URL });
  try {
    return await json<T>(api.get(path), `GET ${path}`);
  } finally {
    await api.dispose();
  }
}

/** The skus of the catalog's own answer for a listing query (as the grid asks it). */
async function listingSkus(query: string): Promise<{ skus: string[]; total: number }> {
  const page = await publicGet<{ items: { sku: string }[]; total: number }>(`/api/products?${query}`);
  return { skus: page.items.map((i) => i.sku), total: page.total };
}

test.describe('checkout flows', () => {
  test('a double click on "Place order" places exactly one order, and the landing says it is placed', async ({ page }) => {
    const product = await productInStock(10);
    await ensureAddress(ERIN);
    await cartWith(ERIN, product.sku);
    await openCheckout(page, ERIN, product.name);
    const before = await orderCount(ERIN);

    const posts: string[] = [];
    page.on('request', (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/orders') posts.push(r.headers()['idempotency-key'] ?? ''); });
    await page.getByLabel('Visa test card (pays)').check();
    await page.getByRole('button', { name: /^Place order · €\d/ }).dblclick();

    await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    await expect(page.getByRole('status').filter({ hasText: 'Thank you — your order is placed.' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Order ${id.slice(0, 8).toUpperCase()}`);

    // one order more on the server, the one the page shows; and no late second one
    await expect.poll(() => orderCount(ERIN)).toBe(before + 1);
    await page.waitForTimeout(1500);
    expect(await orderCount(ERIN)).toBe(before + 1);
    const newest = await asUser(ERIN, (api) => json<OrderPage>(api.get('/api/orders?page=0&size=10'), 'GET /api/orders'));
    expect(newest.items[0].id).toBe(id);
    // whatever went over the wire went with one key (cart-order would replay a second request of it)
    expect(new Set(posts).size).toBe(1);

    // the thanks belong to the landing from checkout only, not to the page opened again
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Order ${id.slice(0, 8).toUpperCase()}`);
    await expect(page.locator('.order-placed')).toHaveCount(0);
  });

  test('a price changed by ops while the shopper checks out: the new total is shown, and confirming places the order at it', async ({ page }) => {
    const product = await productInStock(11);
    await ensureAddress(ERIN);
    await cartWith(ERIN, product.sku);
    await openCheckout(page, ERIN, product.name);
    const placeButton = page.getByRole('button', { name: /^Place order · €\d/ });
    const oldTotal = (await placeButton.innerText()).replace(/^Place order · /, '').trim();

    const newPrice = product.price.amount + 500;
    const was = await setPrice(product.sku, newPrice);
    try {
      // catalog's event reaches cart-order's read model through Kafka
      await expect.poll(() => cartOrderPrice(product.sku), { timeout: 20_000 }).toBe(newPrice);
      const addressId = await asUser(ERIN, async (api) =>
        (await json<{ items: Address[] }>(api.get('/api/users/me/addresses'), 'GET addresses')).items[0].id);
      const quote = await asUser(ERIN, (api) =>
        json<{ estimate: { total: Money } }>(api.get(`/api/cart?addressId=${addressId}`), 'GET /api/cart'));
      const newTotal = quote.estimate.total;
      expect(euros(newTotal)).not.toBe(oldTotal);

      const keys: string[] = [];
      page.on('request', (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/orders') keys.push(r.headers()['idempotency-key'] ?? ''); });
      await placeButton.click();
      const alert = page.getByRole('alert').filter({ hasText: 'The total changed while you were checking out' });
      await expect(alert).toContainText(`it is now ${euros(newTotal)} (it was ${oldTotal})`);
      await expect(page).toHaveURL(/\/checkout$/);
      await expect(page.locator('.totals')).toContainText(`Total${euros(newTotal)}`);
      await page.getByRole('button', { name: `Confirm and place order · ${euros(newTotal)}` }).click();

      await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
      const id = page.url().split('/').pop()!;
      await expect(page.locator('.totals')).toContainText(`Total${euros(newTotal)}`);
      const order = await asUser(ERIN, (api) => json<{ total: Money; lines: { sku: string; unitPrice: Money }[] }>(
        api.get(`/api/orders/${id}`), 'GET /api/orders/{id}'));
      expect(order.total).toEqual(newTotal);
      expect(order.lines).toEqual([expect.objectContaining({ sku: product.sku, unitPrice: { amount: newPrice, currency: 'EUR' } })]);
      // the confirmed total made it another request: a new Idempotency-Key (the first key's answer is the refusal, kept)
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(keys[1]).not.toBe(keys[0]);
    } finally {
      await setPrice(product.sku, was);
      await expect.poll(() => cartOrderPrice(product.sku), { timeout: 20_000 }).toBe(was);
    }
  });

  test('an answer lost on the way back is asked for again with the same key: one order, the one the page opens', async ({ page }) => {
    const product = await productInStock(17);
    await ensureAddress(ERIN);
    await cartWith(ERIN, product.sku);
    await openCheckout(page, ERIN, product.name);
    const before = await orderCount(ERIN);

    // the first checkout reaches cart-order and is placed, but its answer never reaches the browser (the
    // connection is reset on the way back); every later request goes through untouched
    const keys: string[] = [];
    let first = true;
    await page.route('**/api/orders', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (!first) return route.fallback();
      first = false;
      const answer = await route.fetch();
      expect(answer.status(), 'the lost answer').toBe(201);
      await route.abort('connectionreset');
    });
    await page.getByLabel('Visa test card (pays)').check();
    await page.getByRole('button', { name: /^Place order · €\d/ }).click();

    // the app sends it again by itself, with the same key; cart-order answers with the first answer
    await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/, { timeout: 20_000 });
    const id = page.url().split('/').pop()!;
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    await expect(page.getByRole('status').filter({ hasText: 'Thank you — your order is placed.' })).toBeVisible();
    expect(await orderCount(ERIN)).toBe(before + 1);
    const newest = await asUser(ERIN, (api) => json<OrderPage>(api.get('/api/orders?page=0&size=10'), 'GET /api/orders'));
    expect(newest.items[0].id).toBe(id);
  });

  test('a guest opening checkout is sent to sign in and lands back on checkout', async ({ page }) => {
    await page.goto('/checkout');
    // the guard sent the browser to the gateway's sign-in, which is the provider's login page
    await signInOnProvider(page, ERIN.subject, ERIN.name);
    await expect(page).toHaveURL(/\/checkout$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Checkout');
    await expect(page.getByRole('heading', { name: 'Delivery address' })).toBeVisible();
  });

  test('addresses at checkout: a new one added in the form, a choice between the saved ones, one made the default', async ({ page }) => {
    // a cheap product, so shipping to Germany and to France cost differently (free shipping starts at €50)
    const product = await cheapProductInStock();
    await asUser(FRANK, async (api) => {
      expect([200, 201]).toContain((await api.put('/api/users/me')).status());
      const saved = await json<{ items: Address[] }>(api.get('/api/users/me/addresses'), 'GET addresses');
      for (const a of saved.items) expect((await api.delete(`/api/users/me/addresses/${a.id}`)).status()).toBe(204);
      const home = await api.post('/api/users/me/addresses', { data: { label: 'Home', ...ADDRESS, default: true } });
      expect(home.status()).toBe(201);
    });
    await cartWith(FRANK, product.sku);
    await openCheckout(page, FRANK, product.name);

    const choice = (line1: string) => page.locator('.choice').filter({ hasText: line1 });
    await expect(choice(ADDRESS.line1).getByRole('radio')).toBeChecked();
    await expect(choice(ADDRESS.line1)).toContainText('(default)');
    const totalFor = (addressId: string) => asUser(FRANK, async (api) =>
      euros((await json<{ estimate: { total: Money } }>(api.get(`/api/cart?addressId=${addressId}`), 'GET /api/cart')).estimate.total));

    // a new address, from the form
    await page.getByRole('button', { name: 'Add a new address' }).click();
    const form = page.locator('form.address-form');
    await form.getByLabel('Label (e.g. Home, Work)').fill('Work');
    await expect(form.getByLabel('Recipient')).toHaveValue(FRANK.name);
    await form.getByLabel('Street and number').fill('9 Rue de Rivoli');
    await form.getByLabel('Postal code').fill('75001');
    await form.getByLabel('City', { exact: true }).fill('Paris');
    await form.getByLabel('Country').selectOption('FR');
    await form.getByRole('button', { name: 'Save address' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Saved ${FRANK.name}, 9 Rue de Rivoli, 75001 Paris, FR; your order goes there.` })).toBeVisible();
    await expect(choice('9 Rue de Rivoli').getByRole('radio')).toBeChecked();

    const saved = await asUser(FRANK, async (api) => (await json<{ items: Address[] }>(api.get('/api/users/me/addresses'), 'GET addresses')).items);
    const home = saved.find((a) => a.line1 === ADDRESS.line1)!;
    const work = saved.find((a) => a.line1 === '9 Rue de Rivoli')!;
    expect(work, 'the new address saved').toBeDefined();
    expect(work.label).toBe('Work');
    const homeTotal = await totalFor(home.id);
    const workTotal = await totalFor(work.id);
    expect(workTotal).not.toBe(homeTotal);
    // priced for the address chosen
    await expect(page.getByRole('button', { name: `Place order · ${workTotal}` })).toBeEnabled();

    // the other saved one chosen
    await choice(ADDRESS.line1).getByRole('radio').check();
    await expect(page.getByRole('button', { name: `Place order · ${homeTotal}` })).toBeEnabled();

    // the new one made the default: the page and the server agree, and the choice stays
    await choice('9 Rue de Rivoli').getByRole('button', { name: /^Make default/ }).click();
    await expect(page.getByRole('status').filter({ hasText: '9 Rue de Rivoli, 75001 Paris, FR is now your default address.' })).toBeVisible();
    await expect(choice('9 Rue de Rivoli')).toContainText('(default)');
    await expect(choice(ADDRESS.line1)).not.toContainText('(default)');
    await expect(choice(ADDRESS.line1).getByRole('button', { name: /^Make default/ })).toBeVisible();
    await expect(choice(ADDRESS.line1).getByRole('radio')).toBeChecked();
    const after = await asUser(FRANK, async (api) => (await json<{ items: Address[] }>(api.get('/api/users/me/addresses'), 'GET addresses')).items);
    expect(after.map((a) => [a.id, a.default])).toEqual([[work.id, true], [home.id, false]]);
  });
});

test.describe('orders', () => {
  test('"My orders" shows a status change live, and an order placed elsewhere, without a reload', async ({ page }) => {
    const product = await productInStock(12);
    await ensureAddress(GRACE);
    await emptyServerCart(GRACE);
    // a declined card: the order waits as "Payment failed" until the shopper pays again
    const failed = await placeOrderByApi(GRACE, product.sku, 'tok_chargeDeclined');
    await expect.poll(() => asUser(GRACE, async (api) =>
      (await json<{ status: string }>(api.get(`/api/orders/${failed}`), 'GET order')).status), { timeout: 20_000 }).toBe('PAYMENT_FAILED');

    await page.goto('/');
    await signInAs(page, GRACE.subject, GRACE.name);
    await page.getByRole('navigation', { name: 'Account and cart' }).getByRole('link', { name: 'My orders' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('My orders');
    const row = (id: string) => page.locator('.order-list li').filter({ has: page.getByRole('link', { name: `Order ${id.slice(0, 8).toUpperCase()}` }) });
    await expect(row(failed).locator('.order-status')).toHaveText('Payment failed');
    // a mark on the page's window: it would be gone after a reload
    await page.evaluate(() => { (window as unknown as { mark: number }).mark = 1; });

    // paid again through the API, as from another device: the list follows by itself
    await asUser(GRACE, async (api) => {
      const paid = await api.post(`/api/orders/${failed}/payment`, {
        data: { paymentMethod: 'tok_visa' }, headers: { 'Idempotency-Key': crypto.randomUUID() },
      });
      expect(paid.status(), 'POST /api/orders/{id}/payment').toBe(200);
    });
    await expect(row(failed).locator('.order-status')).toHaveText(/Waiting for payment|Paid and confirmed|Being packed|Shipped|Delivered/);
    await expect(row(failed).locator('.order-status')).toHaveText('Delivered', { timeout: 40_000 });

    // an order placed elsewhere appears in the list
    const other = await placeOrderByApi(GRACE, product.sku, 'tok_visa');
    await expect(row(other)).toBeVisible({ timeout: 20_000 });
    await expect(page.locator('.order-list li').first()).toContainText(`Order ${other.slice(0, 8).toUpperCase()}`);
    expect(await page.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(1);
  });
});

test.describe('catalog trouble', () => {
  test('catalog frozen: the grid and the details show the copy the gateway kept, with the stale notice', async ({ page }) => {
    const STALE = 'The catalog is not answering right now, so this is the last copy the shop kept';
    const product = await productInStock(13);
    const listing = await listingSkus('size=24');
    await page.goto('/');
    await expect.poll(() => shownSkus(page)).toEqual(listing.skus);
    await page.goto(`/products/${product.sku}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(product.name);
    await expect(page.locator('.notice')).toHaveCount(0);
    // the browser's own copies (max-age 10 s) would answer a reload without asking the gateway
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');

    await withServiceStopped('catalog', async () => {
      // the gateway's 3 s time limit runs out, and it answers with its last good copy
      await page.reload();
      await expect(page.getByText(STALE)).toBeVisible({ timeout: 20_000 });
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(product.name);
      await expect(page.getByText(euros(product.price), { exact: true })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Add to cart' })).toBeVisible();

      await page.getByRole('link', { name: 'Back to products' }).click();
      await expect(page.getByText(STALE)).toBeVisible({ timeout: 20_000 });
      expect(await shownSkus(page)).toEqual(listing.skus);
    });
    // catalog answers again: the notice goes with a fresh answer
    await page.reload();
    await expect.poll(() => shownSkus(page), { timeout: 20_000 }).toEqual(listing.skus);
    await expect(page.getByText(STALE)).toHaveCount(0);
  });

  test('out of stock: the details say so and "Add to cart" is disabled', async ({ page }) => {
    const product = await productInStock(14);
    const was = await setStock(product.sku, 0);
    try {
      // stock reaches catalog's availability through its event
      await expect.poll(() => catalogAvailability(product.sku), { timeout: 20_000 }).toBe('OUT_OF_STOCK');
      await page.goto(`/products/${product.sku}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(product.name);
      await expect(page.getByText('Out of stock: this product cannot be added to the cart right now.')).toBeVisible();
      await expect(page.getByText(/· Out of stock$/)).toBeVisible();
      await expect(page.getByRole('button', { name: 'Add to cart' })).toBeDisabled();
      await expect(page.getByLabel('Quantity')).toBeDisabled();
      await expect(cartLink(page)).toHaveAccessibleName('Cart, 0 items');
    } finally {
      await setStock(product.sku, was);
      await expect.poll(() => catalogAvailability(product.sku), { timeout: 20_000 }).not.toBe('OUT_OF_STOCK');
    }
  });
});

test.describe('the guest cart', () => {
  test('merged at sign-in with fewer units left than chosen: the notice says so, the server cart has what is left', async ({ page }) => {
    const product = await productInStock(15);
    await emptyServerCart(HEIDI);
    await page.goto(`/products/${product.sku}`);
    await page.getByLabel('Quantity').selectOption('3');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Added 3 × ${product.name}` })).toBeVisible();
    await expect(cartLink(page)).toHaveAccessibleName('Cart, 3 items');

    const was = await setStock(product.sku, 2);
    try {
      await signInAs(page, HEIDI.subject, HEIDI.name);
      await expect(page).toHaveURL(new RegExp(`/products/${product.sku}$`));
      const notice = page.locator('.notice-region');
      await expect(notice).toContainText('The cart from before you signed in is now in your cart.');
      await expect(notice).toContainText(`${product.name}: you chose 3, only 2 can be ordered, so your cart has 2.`);
      await expect(cartLink(page)).toHaveAccessibleName('Cart, 2 items');
      const cart = await asUser(HEIDI, (api) => json<{ lines: { sku: string; quantity: number }[] }>(api.get('/api/cart'), 'GET /api/cart'));
      expect(cart.lines).toEqual([expect.objectContaining({ sku: product.sku, quantity: 2 })]);
    } finally {
      await setStock(product.sku, was);
    }
  });
});

test.describe('the grid', () => {
  test('the category filter, the sort order and paging change what is shown, as the catalog answers', async ({ page }) => {
    // a category with more than one page
    const categories = await publicGet<{ id: string }[]>('/api/categories');
    let category: string | undefined;
    for (const c of categories) {
      if ((await listingSkus(`category=${c.id}&size=1`)).total > 24) { category = c.id; break; }
    }
    expect(category, 'a category with more than 24 products').toBeDefined();

    await page.goto('/');
    const all = await listingSkus('size=24');
    await expect.poll(() => shownSkus(page)).toEqual(all.skus);

    await page.getByLabel('Category').selectOption(category!);
    await expect(page).toHaveURL(new RegExp(`[?&]category=${category}`));
    const filtered = await listingSkus(`category=${category}&size=24`);
    expect(filtered.skus).not.toEqual(all.skus);
    await expect.poll(() => shownSkus(page)).toEqual(filtered.skus);
    await expect(page.getByText(`${filtered.total} products`, { exact: true })).toBeVisible();

    await page.getByLabel('Sort by').selectOption({ label: 'Price, high to low' });
    await expect(page).toHaveURL(/[?&]sort=price-desc/);
    const byPrice = await listingSkus(`category=${category}&sort=price-desc&size=24`);
    expect(byPrice.skus).not.toEqual(filtered.skus);
    await expect.poll(() => shownSkus(page)).toEqual(byPrice.skus);
    const prices = await page.locator('ul.grid > li strong').allInnerTexts();
    const amounts = prices.map((p) => Number(p.replace(/[^\d.]/g, '')));
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));

    const pages = Math.ceil(byPrice.total / 24);
    await expect(page.getByText(`Page 1 of ${pages}`)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Previous' })).toBeDisabled();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/[?&]page=1/);
    await expect(page.getByText(`Page 2 of ${pages}`)).toBeVisible();
    const second = await listingSkus(`category=${category}&sort=price-desc&page=1&size=24`);
    await expect.poll(() => shownSkus(page)).toEqual(second.skus);
    expect(second.skus.some((s) => byPrice.skus.includes(s))).toBe(false);

    await page.getByLabel('Per page').selectOption('12');
    await expect(page).toHaveURL(/[?&]size=12/);
    await expect(page).not.toHaveURL(/[?&]page=/);
    const twelve = await listingSkus(`category=${category}&sort=price-desc&size=12`);
    await expect.poll(() => shownSkus(page)).toEqual(twelve.skus);
    expect(twelve.skus).toHaveLength(12);
  });

  test('with the keyboard only: Tab to a product, Enter opens it, a quantity and "Add to cart" by keys, the count moves', async ({ page }) => {
    const listing = await publicGet<{ items: { sku: string; name: string; availability: { status: string } }[] }>('/api/products?sort=rating&size=24');
    const product = listing.items.find((p) => p.availability.status === 'IN_STOCK');
    expect(product, 'a product in stock on the first page').toBeDefined();
    await page.goto('/?sort=rating');
    await expect(page.locator('ul.grid > li:not(.skeleton-card)')).toHaveCount(24);
    await expect(cartLink(page)).toHaveAccessibleName('Cart, 0 items');

    const focused = () => page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      return { tag: e?.tagName ?? '', href: e?.getAttribute('href') ?? '', id: e?.id ?? '', text: (e?.textContent ?? '').trim() };
    });
    const tabTo = async (what: string, found: (f: Awaited<ReturnType<typeof focused>>) => boolean, most: number) => {
      for (let i = 0; i < most; i++) {
        await page.keyboard.press('Tab');
        if (found(await focused())) return;
      }
      throw new Error(`${what} not reached with ${most} presses of Tab`);
    };
    await tabTo(product!.name, (f) => f.tag === 'A' && f.href === `/products/${product!.sku}`, 80);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/products/${product!.sku}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(product!.name);

    await tabTo('the quantity', (f) => f.id === 'add-quantity', 30);
    await page.keyboard.press('ArrowDown');
    await expect(page.getByLabel('Quantity')).toHaveValue('2');
    await tabTo('Add to cart', (f) => f.tag === 'BUTTON' && f.text === 'Add to cart', 5);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: `Added 2 × ${product!.name}` })).toBeVisible();
    await expect(cartLink(page)).toHaveAccessibleName('Cart, 2 items');
  });
});

/** An in-stock product under €40 (shipping within Germany is free from €50). */
async function cheapProductInStock(): Promise<{ sku: string; name: string }> {
  const page = await publicGet<{ items: { sku: string; name: string; price: Money; availability: { status: string } }[] }>(
    '/api/products?sort=price&size=48');
  const cheap = page.items.filter((p) => p.availability.status === 'IN_STOCK' && p.price.amount < 4000);
  expect(cheap.length, 'cheap products in stock').toBeGreaterThan(5);
  return cheap[5];
}
