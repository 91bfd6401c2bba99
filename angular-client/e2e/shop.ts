import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import { APIRequestContext, Page, expect, request as playwrightRequest } from '@playwright/test';

const run = promisify(execFile);

/** The dev users of the identity provider (root README, "Tokens for scripts"): two shoppers and one ops user. */
export type DevUser = 'alice' | 'bob' | 'olga';
export const NAMES: Record<DevUser, string> = { alice: 'Alice Shopper', bob: 'Bob Shopper', olga: 'Olga Ops' };

/**
 * A shopper of a test's own (the provider's "Any other user" form: any subject, the claims given), so
 * a test's orders, cart and addresses are nobody else's: `erin-e2e`, with erin-e2e@surge.test.
 */
export interface Shopper { subject: string; name: string }
export function shopper(subject: string, name: string): Shopper { return { subject, name }; }
/** A dev user or a test's own shopper. */
export type User = DevUser | Shopper;
const claimsOf = (s: Shopper) => ({ email: `${s.subject}@surge.test`, name: s.name });

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

/**
 * Signs in as a shopper of the test's own: the header's "Sign in", then the provider's "Any other
 * user" form ({@link signInOnProvider}).
 */
export async function signInAs(page: Page, subject: string, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Account and cart' }).getByRole('link', { name: 'Sign in' }).click();
  await signInOnProvider(page, subject, name);
}

/**
 * On the provider's login page (where the header's "Sign in" or a guarded page sent the browser):
 * the "Any other user" form with the subject and its claims; done when the header names the shopper.
 */
export async function signInOnProvider(page: Page, subject: string, name: string): Promise<void> {
  await expect(page).toHaveTitle('Surge dev sign-in');
  const form = page.getByRole('group', { name: 'Any other user' });
  await form.getByLabel('Subject').fill(subject);
  await form.getByLabel('Claims (JSON)').fill(JSON.stringify(claimsOf({ subject, name })));
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Account and cart' }).getByText(name, { exact: true })).toBeVisible();
}

/** The header's cart link, whose accessible name carries the count ("Cart, 3 items"). */
export function cartLink(page: Page) {
  return page.getByRole('navigation', { name: 'Account and cart' }).getByRole('link', { name: /^Cart, / });
}

/**
 * The API as a script sees it: a bearer token of the user. A dev user's comes from the provider's
 * password grant (dev/oauth/config.json maps each dev username to its claims). That grant takes any
 * other username as the subject too, but with no claims (no e-mail, no name: the profile and the
 * orders would lack them), so a test's own shopper signs in as the browser does instead: the login
 * form posted to the authorize endpoint with the same claims as {@link signInAs}, then the code
 * exchanged. No `nonce` is sent: the services refuse an access token carrying one.
 */
export async function apiAs(user: User, baseURL = BASE_URL): Promise<APIRequestContext> {
  const provider = await playwrightRequest.newContext();
  let answer;
  if (typeof user === 'string') {
    answer = await provider.post(`${ISSUER}/token`, {
      form: { grant_type: 'password', client_id: 'surge-e2e', client_secret: 'dev', username: user, password: 'dev', scope: 'openid' },
    });
  } else {
    const redirectUri = 'http://127.0.0.1/e2e-callback';
    const authorize = `${ISSUER}/authorize?${new URLSearchParams({
      client_id: 'surge-e2e', response_type: 'code', redirect_uri: redirectUri, scope: 'openid', state: crypto.randomUUID(),
    })}`;
    const login = await provider.post(authorize, {
      form: { username: user.subject, claims: JSON.stringify(claimsOf(user)) }, maxRedirects: 0,
    });
    expect(login.status(), `sign-in of ${user.subject} at the provider`).toBe(302);
    const code = new URL(login.headers()['location']).searchParams.get('code');
    expect(code, `a code for ${user.subject}`).toBeTruthy();
    answer = await provider.post(`${ISSUER}/token`, {
      form: { grant_type: 'authorization_code', client_id: 'surge-e2e', client_secret: 'dev', code: code!, redirect_uri: redirectUri },
    });
  }
  expect(answer.ok(), `token for ${subjectOf(user)}`).toBe(true);
  const token = (await answer.json() as { access_token: string }).access_token;
  await provider.dispose();
  return playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
}

function subjectOf(user: User): string { return typeof user === 'string' ? user : user.subject; }

/** Empties the user's cart on the server, so a test sees only what it put there. */
export async function emptyServerCart(user: User): Promise<void> {
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
export async function productInStock(nth = 0): Promise<{ sku: string; name: string; price: { amount: number; currency: string } }> {
  const api = await playwrightRequest.newContext({ baseURL: BASE_URL });
  const answer = await api.get('/api/products?sort=rating&size=48');
  expect(answer.ok(), 'GET /api/products').toBe(true);
  const items = (await answer.json() as {
    items: { sku: string; name: string; price: { amount: number; currency: string }; availability: { status: string } }[];
  }).items;
  await api.dispose();
  const product = items.filter((p) => p.availability.status === 'IN_STOCK')[nth];
  expect(product, 'a product in stock').toBeDefined();
  return product!;
}

export const ADDRESS = { recipientName: 'E2E Shopper', line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', countryCode: 'DE' };

/**
 * Places an order of one unit through the API as a script would (root README, "Watch one order go
 * through"): the first answer is `409 price-changed` naming the total to confirm, the same request
 * with that total places it. Returns the order's id.
 */
export async function placeOrderByApi(user: User, sku: string, paymentMethod = 'tok_visa'): Promise<string> {
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
export async function ensureAddress(user: User): Promise<void> {
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
  const file = pidFile(name);
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

/**
 * Stops a service of the shop (`./surge stop <name>`: SIGTERM, its connections closed, its port
 * refusing) for the length of `during`, which gets a `start` to bring it back (`./surge start
 * <name>`, which waits until it is ready); started again afterwards in any case.
 */
export async function withServiceDown(name: string, during: (start: () => Promise<void>) => Promise<void>): Promise<void> {
  let down = true;
  const start = async () => {
    if (!down) return;
    down = false;
    await surge('start', name);
  };
  await surge('stop', name);
  try {
    await during(start);
  } finally {
    // a failed start here must not hide why the test failed: it is said, not thrown
    await start().catch((failure: unknown) => console.error(`./surge start ${name} after the test:`, failure));
  }
}

/**
 * Starts again whichever of these services is not running: a test that ran out of time inside
 * {@link withServiceDown} is abandoned before its own start, and the next test must find the shop whole.
 */
export async function ensureRunning(names: string[]): Promise<void> {
  for (const name of names) {
    if (!running(name)) await surge('start', name);
  }
}

/** Whether the stack runs the replicas (SURGE_REPLICAS=2): a second notify keeps streams going while one is down. */
export function replicasRunning(): boolean {
  return running('notify-2');
}

/** The pid file `./surge up` wrote for a process of the shop (.run/pids/<name>.pid at the repository's root). */
function pidFile(name: string): string {
  return resolve(process.cwd(), '..', '.run', 'pids', `${name}.pid`);
}

/** Whether that process is alive (not just its pid file left behind). */
function running(name: string): boolean {
  try {
    process.kill(Number(readFileSync(pidFile(name), 'utf8').trim()), 0);
    return true;
  } catch {
    return false;
  }
}

/** `./surge stop|start <name>`, which waits until a started service is ready. */
async function surge(command: 'stop' | 'start', name: string): Promise<void> {
  await run(resolve(process.cwd(), '..', 'surge'), [command, name], { timeout: 120_000 });
}

/**
 * Alice signed in on the page of an order of hers that waits for its payment: placed through the
 * API with the card whose bank never answers (failed once fulfilment's retries give up, some
 * seconds later; cancelling is allowed either way). Answers the order's id.
 */
export async function onUnpaidOrderPage(page: Page, nth: number): Promise<string> {
  const product = await productInStock(nth);
  await ensureAddress('alice');
  const id = await placeOrderByApi('alice', product.sku, 'tok_timeout');
  await page.goto('/');
  await signIn(page, 'alice');
  await page.goto(`/orders/${id}`);
  await expect(page.locator('.order-status')).toHaveText(/^(Waiting for payment|Payment failed)$/);
  return id;
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

/** Money as the client shows it (`formatPrice`, en-IE): `€12.34`. */
export function euros(money: { amount: number; currency: string }): string {
  return new Intl.NumberFormat('en-IE', { style: 'currency', currency: money.currency }).format(money.amount / 100);
}

/**
 * Changes a product's price as ops does, through catalog's administration (`PUT /api/admin/products/{sku}`
 * replaces the whole product, so the rest is sent as catalog has it); answers the price it had, to put
 * back. Cart-order learns it from catalog's event ({@link cartOrderPrice} to wait for it).
 */
export async function setPrice(sku: string, amount: number): Promise<number> {
  const api = await apiAs('olga');
  const found = await api.get(`/api/products/${encodeURIComponent(sku)}`);
  expect(found.ok(), `GET /api/products/${sku}`).toBe(true);
  const p = await found.json() as {
    name: string; description: string; brand: string; categoryId: string; price: { amount: number; currency: string };
    attributes: Record<string, unknown>;
  };
  const replaced = await api.put(`/api/admin/products/${encodeURIComponent(sku)}`, {
    data: {
      sku, name: p.name, description: p.description, brand: p.brand, categoryId: p.categoryId,
      price: { amount, currency: p.price.currency }, attributes: p.attributes, active: true,
    },
  });
  expect(replaced.status(), `PUT /api/admin/products/${sku}`).toBe(200);
  await api.dispose();
  return p.price.amount;
}

/** The unit price cart-order's read model has for the sku now (the public `POST /api/cart/prices`). */
export async function cartOrderPrice(sku: string): Promise<number | undefined> {
  const api = await playwrightRequest.newContext({ baseURL: BASE_URL });
  const answer = await api.post('/api/cart/prices', { data: { skus: [sku] } });
  const items = answer.ok() ? (await answer.json() as { items: { sku: string; unitPrice: { amount: number } }[] }).items : [];
  await api.dispose();
  return items.find((i) => i.sku === sku)?.unitPrice.amount;
}

/** What catalog says of the sku's stock now (`GET /api/products/{sku}`), as a browser arriving now would see it. */
export async function catalogAvailability(sku: string): Promise<string | undefined> {
  const api = await playwrightRequest.newContext({ baseURL: BASE_URL });
  const answer = await api.get(`/api/products/${encodeURIComponent(sku)}`);
  const status = answer.ok() ? (await answer.json() as { availability: { status: string } }).availability.status : undefined;
  await api.dispose();
  return status;
}
