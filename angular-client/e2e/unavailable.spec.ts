import { expect, test } from '@playwright/test';
import { withServiceStopped } from './shop';

test.describe('a service that stops answering', () => {
  test('the grid says so, asks again after the Retry-After the gateway sent, and shows the answer once catalog is back', async ({ page }) => {
    // a search nobody made before: the gateway has no earlier answer to serve in its place
    const query = `unavailable ${Date.now()}`;
    await withServiceStopped('catalog', async (resume) => {
      await page.goto(`/?q=${encodeURIComponent(query)}`);
      // the gateway's time limit for catalog (3 s) runs out: a 503 problem with Retry-After
      const alert = page.getByRole('main').getByRole('alert');
      await expect(alert).toContainText('The catalog service is unavailable', { timeout: 20_000 });
      await expect(alert).toContainText(/Trying again in \d+ seconds?…/);
      resume();
      // the page's own retry, after the wait the gateway named, finds catalog answering again
      await expect(page.getByText(/No products found\.|\d+ products/)).toBeVisible({ timeout: 30_000 });
      await expect(alert).toHaveCount(0);
    });
    expect(new URL(page.url()).searchParams.get('q')).toBe(query);
  });
});
