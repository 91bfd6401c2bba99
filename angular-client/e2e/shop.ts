import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { APIRequestContext, Page, expect, request as playwrightRequest } from '@playwright/test';

/** The dev users of the identity provider (root README, "Tokens for scripts"): two shoppers and one ops user. */
export type DevUser = 'alice' | 'bob' | 'olga';
export const NAMES: Record<DevUser, string> = { alice: 'Alice Shopper', bob: 'Bob Shopper', olga: 'Olga Ops' };

const ISSUER = process.env['E2E_ISSUER'] ?? 'http://127.0.0.1:9000/surge';
const BASE_URL = process.env['E2E_BASE_URL'] ?? 'http://127.0.0.1:8080';

/**
 * Signs in the way a shopper does: the header's "Sign in", the identity provider's own login page
 * (dev/oauth/login.html, one button per user), and back through the gateway, which lands on `/`
 * (the app then opens the page that was left). Done when the header names the user.
 */
export async function signIn(page: Page, user: DevUser): Promise<void> {
  await page.getByRole('link', { name: 'Sign in' }).first().click();
  await expect(page).toHaveTitle('Surge dev sign-in');
  await page.locator(`#login-${user}`).click();
  await expect(page.getByRole('navigation', { name: 'Account and cart' }).getByText(NAMES[user])).toBeVisible();
}

/** The header's cart link, whose accessible name carries the count ("Cart, 3 items"). */
export function cartLink(page: Page) {
  return page.getByRole('navigation', { name: 'Account and cart' }).getByRole('link', { name: /^Cart, / });
}

/** The API as a script sees it: a bearer token of the user from the provider's password grant. */
export async function apiAs(user: DevUser): Promise<APIRequestContext> {
  const provider = await playwrightRequest.newContext();
  const answer = await provider.post(`${ISSUER}/token`, {
    form: { grant_type: 'password', client_id: 'surge-e2e', client_secret: 'dev', username: user, password: 'dev', scope: 'openid' },
  });
  expect(answer.ok(), `token for ${user}`).toBe(true);
  const token = (await answer.json() as { access_token: string }).access_token;
  await provider.dispose();
  return playwrightRequest.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
}

/** Empties the user's cart on the server, so a test sees only what it put there. */
export async function emptyServerCart(user: DevUser): Promise<void> {
  const api = await apiAs(user);
  const cart = await api.get('/api/cart');
  expect(cart.ok(), 'GET /api/cart').toBe(true);
  for (const line of (await cart.json() as { lines: { sku: string }[] }).lines) {
    const removed = await api.delete(`/api/cart/items/${encodeURIComponent(line.sku)}`);
    expect([200, 404], `DELETE ${line.sku}`).toContain(removed.status());
  }
  await api.dispose();
}

/** A product in stock, from the listing (the demo catalog has most in stock), with its name and price as shown. */
export async function productInStock(nth = 0): Promise<{ sku: string; name: string }> {
  const api = await playwrightRequest.newContext({ baseURL: BASE_URL });
  const answer = await api.get('/api/products?sort=rating&size=48');
  expect(answer.ok(), 'GET /api/products').toBe(true);
  const items = (await answer.json() as { items: { sku: string; name: string; availability: { status: string } }[] }).items;
  await api.dispose();
  const product = items.filter((p) => p.availability.status === 'IN_STOCK')[nth];
  expect(product, 'a product in stock').toBeDefined();
  return product!;
}

const ADDRESS = { recipientName: 'E2E Shopper', line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', countryCode: 'DE' };

/**
 * Places an order of one unit through the API as a script would (root README, "Watch one order go
 * through"): the first answer is `409 price-changed` naming the total to confirm, the same request
 * with that total places it. Returns the order's id.
 */
export async function placeOrderByApi(user: DevUser, sku: string, paymentMethod = 'tok_visa'): Promise<string> {
  const api = await apiAs(user);
  expect((await api.post('/api/cart/items', { data: { sku, quantity: 1 } })).ok(), 'POST /api/cart/items').toBe(true);
  const key = crypto.randomUUID();
  const body = (amount: number) => ({ address: ADDRESS, paymentMethod, expectedTotal: { amount, currency: 'EUR' } });
  const quoted = await api.post('/api/orders', { data: body(0), headers: { 'Idempotency-Key': key } });
  expect(quoted.status(), 'checkout with total 0').toBe(409);
  const total = (await quoted.json() as { total: { amount: number } }).total.amount;
  const placed = await api.post('/api/orders', { data: body(total), headers: { 'Idempotency-Key': key } });
  expect(placed.status(), 'checkout with the confirmed total').toBe(201);
  const id = (await placed.json() as { id: string }).id;
  await api.dispose();
  return id;
}

/** The user has a profile and a default delivery address (the checkout page picks the default). */
export async function ensureAddress(user: DevUser): Promise<void> {
  const api = await apiAs(user);
  expect([200, 201], 'PUT /api/users/me').toContain((await api.put('/api/users/me')).status());
  const saved = await api.get('/api/users/me/addresses');
  expect(saved.ok(), 'GET /api/users/me/addresses').toBe(true);
  if ((await saved.json() as { total: number }).total === 0) {
    const created = await api.post('/api/users/me/addresses', { data: { label: 'Home', ...ADDRESS, default: true } });
    expect(created.status(), 'POST /api/users/me/addresses').toBe(201);
  }
  await api.dispose();
}

/** Sets a sku's authoritative stock as ops does; answers what it was, to put back. */
export async function setStock(sku: string, available: number): Promise<number> {
  const api = await apiAs('olga');
  const before = await api.get(`/api/admin/inventory/${encodeURIComponent(sku)}`);
  expect(before.ok(), `GET /api/admin/inventory/${sku}`).toBe(true);
  const was = (await before.json() as { available: number }).available;
  const set = await api.put(`/api/admin/inventory/${encodeURIComponent(sku)}`, { data: { available } });
  expect(set.ok(), `PUT /api/admin/inventory/${sku}`).toBe(true);
  await api.dispose();
  return was;
}

/**
 * Stops a service of the shop on this machine dead (SIGSTOP: it holds its connections and answers
 * nothing, as a hung or frozen process does) for the length of `during`, then lets it go on
 * (SIGCONT), whatever `during` did. The pid is the one `./surge up` wrote (.run/pids/<name>.pid at
 * the repository's root).
 */
export async function withServiceStopped(name: string, during: (resume: () => void) => Promise<void>): Promise<void> {
  const file = resolve(process.cwd(), '..', '.run', 'pids', `${name}.pid`);
  const pid = Number(readFileSync(file, 'utf8').trim());
  expect(pid, `a pid in ${file}`).toBeGreaterThan(0);
  let stopped = true;
  const resume = () => {
    if (stopped) process.kill(pid, 'SIGCONT');
    stopped = false;
  };
  process.kill(pid, 'SIGSTOP');
  try {
    await during(resume);
  } finally {
    resume();
  }
}

/** Signed in as alice with an empty cart and a default address, one unit of the product in the cart, on the checkout page. */
export async function toCheckout(page: Page, product: { sku: string; name: string }): Promise<void> {
  await emptyServerCart('alice');
  await ensureAddress('alice');
  await page.goto(`/products/${product.sku}`);
  await signIn(page, 'alice');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(product.name);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Added 1 ×' })).toBeVisible();
  await page.goto('/cart');
  await page.getByRole('link', { name: 'Check out' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Checkout');
  await expect(page.locator('.summary-lines li').filter({ hasText: `${product.name} × 1` })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Place order · €\d/ })).toBeEnabled();
}
