/**
 * `openlines-bot play bots/support` as a real process, driven in real Chromium: the greeting with
 * its two buttons, "Order status", an order number, the status reply; ten minutes skipped close
 * the chat; the diagram shows the current state at every step. Screenshots: test-artifacts/.
 */
import type { Page } from 'playwright-core';
import { cleanEnv, startCliProcess, waitForOutput } from '../cli/run-cli-process';
import { launchBrowser, screenshot, type TestBrowser } from './browser';

jest.setTimeout(90_000);

type Child = ReturnType<typeof startCliProcess>;

let child: Child | undefined;
let browser: TestBrowser | undefined;

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
});

/** The diagram's highlighted states (outermost first). */
const activeStates = (page: Page) =>
  page.$$eval('#diagram .state.active', (els) => els.map((e) => e.getAttribute('data-path')));

const idle = (page: Page) => page.waitForSelector('body:not([data-busy])', { state: 'attached' });

it('plays the support bot: buttons, an order status, time passing closes the chat', async () => {
  child = startCliProcess(
    ['play', 'bots/support', '--no-open', '--port', '0', '--name', 'Ann'],
    cleanEnv(),
  );
  const [, url] = await waitForOutput(
    child,
    /Playground for "support": (http:\/\/127\.0\.0\.1:\d+\/play\/)/,
    45_000,
  );
  browser = await launchBrowser();
  const page = await browser.page();
  await page.goto(url!);
  await page.waitForSelector('#diagram .state');

  await page.click('#join');
  await page.waitForSelector('#choices button');
  await idle(page);
  expect(await page.textContent('#chat')).toContain('Hello, Ann! I am the support bot.');
  expect(await page.$$eval('#choices button', (b) => b.map((x) => x.textContent))).toEqual([
    'Order status',
    'Talk to a human',
  ]);
  expect(await activeStates(page)).toEqual(['menu']);
  await screenshot(page, 'playground-1-greeting');

  await page.click('#choices button:has-text("Order status")');
  await page.locator('#chat').getByText('Please send me your order number.').last().waitFor();
  await idle(page);
  const asking = await activeStates(page);
  expect(asking.slice(0, 2)).toEqual(['order', 'order.waiting']);
  expect(asking.every((p) => p?.startsWith('order'))).toBe(true);
  await screenshot(page, 'playground-2-order-asked');

  await page.fill('#text', '12345');
  await page.click('#send');
  await page.locator('#chat').getByText('Order 12345: in transit. Anything else?').waitFor();
  await idle(page);
  expect(await activeStates(page)).toEqual(['menu']);
  expect(await page.textContent('#path')).toContain('order.waiting');
  await screenshot(page, 'playground-3-order-status');

  await page.selectOption('#wait-minutes', '10');
  await page.click('#wait');
  await page.locator('#chat').getByText('closing this chat').last().waitFor();
  await idle(page);
  expect(await page.textContent('#session')).toContain('session: finished');
  expect(await page.textContent('#state')).toBe('(ended)');
  expect(await activeStates(page)).toEqual([]);
  await screenshot(page, 'playground-4-closed-after-10-minutes');
  expect(page.pageErrors).toEqual([]);
  expect(page.consoleErrors).toEqual([]);
});
