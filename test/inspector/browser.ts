/**
 * Real Chromium for the inspector and playground tests: Debian's `chromium` package driven by
 * playwright-core. A missing browser fails the test with how to install it, never skips it.
 * Screenshots go to test-artifacts/screenshots (git-ignored).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.OPENLINES_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');

export interface TestBrowser {
  context: BrowserContext;
  /** A new page that records every dialog (alert/confirm) and console error it sees. */
  page(): Promise<Page & { dialogs: string[]; consoleErrors: string[]; pageErrors: string[] }>;
  close(): Promise<void>;
}

/** Launches headless Chromium with a fresh profile. */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the browser tests need it. Install it with ` +
        '"apt-get update && apt-get install -y chromium" (.ci/run does this), or set OPENLINES_CHROMIUM.',
    );
  const profile = mkdtempSync(join(tmpdir(), 'olb-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  context.setDefaultTimeout(15_000);
  return {
    context,
    async page() {
      const page = await context.newPage();
      const dialogs: string[] = [];
      const consoleErrors: string[] = [];
      const pageErrors: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => pageErrors.push(e.message));
      return Object.assign(page, { dialogs, consoleErrors, pageErrors });
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as a test artifact; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
