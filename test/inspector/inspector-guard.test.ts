/**
 * The inspector is safe by default, over real HTTP on loopback: with a portal configured it is
 * 404 without a token, 401 with a wrong one, read-only unless actions are enabled; every page has
 * a strict Content-Security-Policy. Without a portal (local development) it is on. Also its
 * environment settings and the history settings of `serve`.
 */
import { loadConfig } from '../../src/config/load-config';
import { effectMaxAttemptsFromEnv, historyFromEnv } from '../../src/config/runtime-env';
import { createServer, type OpenlinesServer } from '../../src/http/create-server';
import {
  inspectorSettingsFromEnv,
  type InspectorSettings,
} from '../../src/inspector/inspector-settings';
import { isLoopback } from '../../src/inspector/create-inspector-router';
import { silentLogger } from '../../src/logger';
import { memoryStore } from '../../src/store/memory-store';
import type { Store } from '../../src/store/store';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { echoBot } from '../helpers/test-bots';

const TOKEN = 'guard-test-token-0123456789';

describe('inspector guard', () => {
  let portal: FakePortal;
  let server: OpenlinesServer | undefined;
  let store: Store;
  let url: string;

  beforeAll(async () => {
    portal = await createFakePortal({ rateLimit: false });
  });
  afterAll(async () => {
    await portal.close();
  });
  afterEach(async () => {
    await server?.close({ deadlineMs: 2000 });
    server = undefined;
  });

  const start = async (inspectorEnv: Record<string, string>): Promise<InspectorSettings> => {
    const config = loadConfig({
      env: {
        B24_WEBHOOK_URL: portal.webhookUrl,
        B24_BOT_TOKEN: 'guard_bot_token',
        OPENLINES_STORE: 'memory:',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
      },
    });
    const inspector = inspectorSettingsFromEnv({ env: inspectorEnv, mode: config.mode });
    store = memoryStore();
    server = createServer({
      bots: [echoBot],
      config,
      store,
      closeStore: true,
      logger: silentLogger(),
      inspector,
    });
    ({ url } = await server.listen(0));
    return inspector;
  };
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { headers, redirect: 'manual' });

  it('answers 404 everywhere under /inspector with a portal and no token', async () => {
    expect(await start({})).toMatchObject({ enabled: false });
    for (const path of [
      '/inspector',
      '/inspector/',
      '/inspector/api/dialogs',
      '/inspector/assets/app.js',
      '/inspector/login',
    ]) {
      const res = await get(path, { authorization: `Bearer ${TOKEN}` });
      expect([path, res.status]).toEqual([path, 404]);
    }
    const post = await fetch(`${url}/inspector/api/actions/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-inspector-action': '1' },
      body: JSON.stringify({ key: 'x' }),
    });
    expect(post.status).toBe(404);
  });

  it('with a token: 401 without it or with a wrong one, 200 with it (bearer or login cookie)', async () => {
    await start({ OPENLINES_INSPECTOR_TOKEN: TOKEN });
    expect((await get('/inspector/api/dialogs')).status).toBe(401);
    expect(
      (await get('/inspector/api/dialogs', { authorization: 'Bearer wrong-token-0123456789' }))
        .status,
    ).toBe(401);
    const page = await get('/inspector/');
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('<form class="login" method="post"');
    const ok = await get('/inspector/api/dialogs', { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ dialogs: [], actions: false, development: false });

    const login = (token: string) =>
      fetch(`${url}/inspector/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }).toString(),
        redirect: 'manual',
      });
    const wrong = await login('nope-nope-nope-nope');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const right = await login(TOKEN);
    expect(right.status).toBe(303);
    const cookie = right.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict/);
    expect(cookie).not.toContain(TOKEN);
    const withCookie = await get('/inspector/api/dialogs', { cookie: cookie.split(';')[0]! });
    expect(withCookie.status).toBe(200);
    expect((await get('/inspector/api/dialogs', { cookie: 'olb_inspector=forged' })).status).toBe(
      401,
    );
  });

  it('is read-only unless actions are enabled, and actions need their header', async () => {
    await start({ OPENLINES_INSPECTOR_TOKEN: TOKEN });
    const act = (headers: Record<string, string>) =>
      fetch(`${url}/inspector/api/actions/reset`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${TOKEN}`,
          ...headers,
        },
        body: JSON.stringify({ key: 'member:1:2' }),
      });
    expect((await act({ 'x-inspector-action': '1' })).status).toBe(403);
    await server!.close();
    await start({ OPENLINES_INSPECTOR_TOKEN: TOKEN, OPENLINES_INSPECTOR_ACTIONS: 'on' });
    expect((await act({})).status).toBe(403);
    // Enabled, but nothing to reset: 409, and no dialog appears.
    const none = await act({ 'x-inspector-action': '1' });
    expect(none.status).toBe(409);
    expect(await store.loadDialog('member:1:2')).toBeUndefined();
    // Firing a timer now is for development only.
    const fire = await fetch(`${url}/inspector/api/actions/fire-timer`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${TOKEN}`,
        'x-inspector-action': '1',
      },
      body: JSON.stringify({ key: 'member:1:2', timerKey: 't' }),
    });
    expect(fire.status).toBe(403);
  });

  it('serves pages and scripts with a strict Content-Security-Policy and no inline script', async () => {
    await start({ OPENLINES_INSPECTOR_TOKEN: TOKEN });
    for (const path of [
      '/inspector/',
      '/inspector/dialog?key=a',
      '/inspector/metrics',
      '/inspector/assets/app.js',
    ]) {
      const res = await get(path, { authorization: `Bearer ${TOKEN}` });
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const text = await res.text();
      if (path !== '/inspector/assets/app.js') {
        expect(text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
        expect(text).not.toMatch(/\son[a-z]+=/);
        expect(text).not.toMatch(/https?:\/\//);
      } else {
        expect(text).not.toContain('innerHTML');
      }
    }
  });
});

describe('inspectorSettingsFromEnv', () => {
  it('is on for local development, on this machine, with actions', () => {
    expect(inspectorSettingsFromEnv({ env: {}, mode: 'local' })).toEqual({
      enabled: true,
      actions: true,
      development: true,
    });
    expect(
      inspectorSettingsFromEnv({ env: { OPENLINES_INSPECTOR: 'off' }, mode: 'local' }),
    ).toMatchObject({ enabled: false });
  });

  it('with a portal: off without a token, read-only with one unless actions are on', () => {
    expect(inspectorSettingsFromEnv({ env: {}, mode: 'webhook' })).toMatchObject({
      enabled: false,
    });
    expect(
      inspectorSettingsFromEnv({ env: { OPENLINES_INSPECTOR_TOKEN: TOKEN }, mode: 'app' }),
    ).toEqual({
      enabled: true,
      token: TOKEN,
      actions: false,
      development: false,
    });
    expect(
      inspectorSettingsFromEnv({
        env: { OPENLINES_INSPECTOR_TOKEN: TOKEN, OPENLINES_INSPECTOR_ACTIONS: 'on' },
        mode: 'webhook',
      }),
    ).toMatchObject({ enabled: true, actions: true });
  });

  it('refuses a short token and unknown switches, naming the variables', () => {
    expect(() =>
      inspectorSettingsFromEnv({
        env: { OPENLINES_INSPECTOR_TOKEN: 'short', OPENLINES_INSPECTOR_ACTIONS: 'maybe' },
        mode: 'webhook',
      }),
    ).toThrow(
      /OPENLINES_INSPECTOR_TOKEN: must be at least 16 characters[\s\S]*OPENLINES_INSPECTOR_ACTIONS/,
    );
  });
});

describe('history and attempts from the environment', () => {
  it('reads OPENLINES_HISTORY, its limits, and OPENLINES_EFFECT_MAX_ATTEMPTS', () => {
    expect(historyFromEnv({})).toBeUndefined();
    expect(historyFromEnv({ OPENLINES_HISTORY: 'off' })).toBe(false);
    expect(
      historyFromEnv({ OPENLINES_HISTORY_MAX_ENTRIES: '20', OPENLINES_HISTORY_MAX_AGE_DAYS: '2' }),
    ).toEqual({
      maxEntries: 20,
      maxAgeMs: 2 * 86_400_000,
    });
    expect(() => historyFromEnv({ OPENLINES_HISTORY_MAX_ENTRIES: '-1' })).toThrow(
      /OPENLINES_HISTORY_MAX_ENTRIES/,
    );
    expect(() => historyFromEnv({ OPENLINES_HISTORY: 'sometimes' })).toThrow(/OPENLINES_HISTORY/);
    expect(effectMaxAttemptsFromEnv({ OPENLINES_EFFECT_MAX_ATTEMPTS: '3' })).toBe(3);
    expect(() => effectMaxAttemptsFromEnv({ OPENLINES_EFFECT_MAX_ATTEMPTS: '0' })).toThrow(
      /OPENLINES_EFFECT_MAX_ATTEMPTS/,
    );
  });
});

describe('isLoopback', () => {
  it('accepts only this machine', () => {
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.1.2.3'].map(isLoopback)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['10.0.0.5', '::ffff:192.168.1.2', '2001:db8::1', undefined].map(isLoopback)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
