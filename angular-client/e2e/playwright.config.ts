import { defineConfig, devices } from '@playwright/test';

const DEV_SERVER_PORT = 4200;

/**
 * Browser tests against the running shop (`./surge up`, or `./surge test`, which starts it):
 * Debian's chromium, never a downloaded browser (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1), with the
 * flags that keep it quiet and off the network (../shared/STACK.md). One worker: the tests share
 * the shop's data (carts, stock, stream limits per user) and the machine has two cores.
 *
 * The `dev-server` project runs the browsing and cart tests once more through `ng serve` and its
 * proxy to the gateway (proxy.conf.json), the way the client is developed: the app from the dev
 * server, the API, the sign-in and its callback through the proxy. Playwright starts the dev
 * server and stops it after the run.
 */
export default defineConfig({
  testDir: '.',
  outputDir: '../test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env['CI'],
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: process.env['E2E_BASE_URL'] ?? 'http://127.0.0.1:8080',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    launchOptions: {
      executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `NG_CLI_ANALYTICS=false npx ng serve --host 127.0.0.1 --port ${DEV_SERVER_PORT}`,
    url: `http://127.0.0.1:${DEV_SERVER_PORT}/`,
    reuseExistingServer: !process.env['CI'],
    timeout: 120_000,
    stdout: 'ignore',
  },
  projects: [
    { name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } },
    {
      name: 'dev-server',
      testMatch: 'shop.spec.ts',
      use: { ...devices['Desktop Chrome'], channel: undefined, baseURL: `http://127.0.0.1:${DEV_SERVER_PORT}` },
    },
  ],
});
