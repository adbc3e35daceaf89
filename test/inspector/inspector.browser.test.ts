/**
 * The inspector on a real `serve` process (webhook mode, a loopback fake portal, SQLite store),
 * after 50 dialogs of traffic, driven in real Chromium: sign-in (a wrong token is 401), the list
 * of 50 dialogs, a dialog's transcript with the REST call of each reply, the highlighted state and
 * the pending idle timer with its deadline, a dead-lettered effect with its error code that
 * "retry" sends, a client message with HTML and script shown as text with no script run, and the
 * metrics charts. Screenshots: test-artifacts/screenshots.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';
import { encodePhpForm } from '../../src/events/php-form';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { capturedIo } from '../cli/captured-io';
import { cleanEnv, startCliProcess, waitForOutput } from '../cli/run-cli-process';
import { launchBrowser, screenshot, type TestBrowser } from './browser';

jest.setTimeout(120_000);

const TOKEN = 'inspector-test-token-0123456789';
const BOT_TOKEN = 'inspector_test_bot_token';
const XSS = '<img src=x onerror="alert(1)"><script>alert(2)</script> & "quotes"';
const SEND = 'imbot.v2.Chat.Message.send';
const FIRST_CHAT = 1001;
const DIALOGS = 50;
const XSS_CHAT = FIRST_CHAT + DIALOGS - 2;
const DEAD_CHAT = FIRST_CHAT + DIALOGS - 1;

type Child = ReturnType<typeof startCliProcess>;

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface ListedDialog {
  key: string;
  chat: string;
  state: unknown;
  deadLetters: number;
  outboxDepth: number;
  timersPending: number;
}

describe('inspector on a real serve process', () => {
  let dir: string;
  let portal: FakePortal;
  let child: Child;
  let url: string;
  let botId: number;
  let browser: TestBrowser;

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}/inspector${path}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  const listed = async () => (await api<{ dialogs: ListedDialog[] }>('/api/dialogs')).dialogs;
  const keyOf = (chat: number) => `${portal.memberId}:${botId}:${chat}`;

  const wire = (chat: number, event: string, data: Record<string, unknown>) =>
    encodePhpForm({
      event,
      data: {
        bot: { id: botId, code: 'support' },
        chat: {
          id: chat,
          dialogId: `chat${chat}`,
          type: 'lines',
          entityType: 'LINES',
          entityId: `telegrambot|1|${chat}|900`,
          entityData1: `N|NONE|0|N|N|${chat}|1771925398|0|0|0`,
        },
        user: { id: 900, name: 'Ivan Petrov', firstName: 'Ivan', connector: 'Y' },
        ...data,
      },
      ts: '1771929100',
      auth: {
        domain: portal.domain,
        member_id: portal.memberId,
        application_token: `custom${BOT_TOKEN}`,
      },
    });
  const post = async (body: string): Promise<void> => {
    const res = await fetch(`${url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(res.status).toBe(200);
  };
  const join_ = (chat: number) =>
    post(wire(chat, 'ONIMBOTV2JOINCHAT', { dialogId: `chat${chat}` }));
  const say = (chat: number, id: number, text: string) =>
    post(
      wire(chat, 'ONIMBOTV2MESSAGEADD', {
        message: { id: String(id), chatId: String(chat), authorId: '900', text },
      }),
    );
  const sentTo = (chat: number) =>
    portal.callsOf(SEND).filter((c) => !c.error && c.params.dialogId === `chat${chat}`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'olb-inspector-'));
    portal = await createFakePortal({ rateLimit: false });
    const env = cleanEnv({
      B24_WEBHOOK_URL: portal.webhookUrl,
      B24_BOT_TOKEN: BOT_TOKEN,
      OPENLINES_STORE: `sqlite:${join(dir, 'state.db')}`,
      PORT: '0',
      HOST: '127.0.0.1',
      OPENLINES_INSPECTOR_TOKEN: TOKEN,
      OPENLINES_INSPECTOR_ACTIONS: 'on',
      OPENLINES_EFFECT_MAX_ATTEMPTS: '1',
    });
    const io = capturedIo({ env });
    expect(
      await runCli({
        argv: ['register', 'bots/support', '--url', 'http://127.0.0.1:9/events'],
        io,
      }),
    ).toBe(0);
    botId = Number(io.out().trim());
    child = startCliProcess(['serve', 'bots/support'], env);
    [, url] = (await waitForOutput(
      child,
      /is serving "support" at (http:\/\/127\.0\.0\.1:\d+): portal /,
      45_000,
    )) as unknown as [string, string];
    expect(child.output()).toContain(
      `Inspector: ${url}/inspector (token required, operator actions on)`,
    );
    browser = await launchBrowser();

    // 48 ordinary dialogs and the one whose client writes HTML and script: a join, then a message.
    for (let chat = FIRST_CHAT; chat < DEAD_CHAT; chat++) {
      await join_(chat);
      await say(chat, chat * 10, chat === XSS_CHAT ? XSS : 'hello there');
    }
    await until('49 dialogs answered twice', async () => {
      const ds = await listed();
      return ds.length === DIALOGS - 1 &&
        ds.every((d) => d.outboxDepth === 0) &&
        Array.from({ length: DIALOGS - 1 }, (_, i) => sentTo(FIRST_CHAT + i).length).every(
          (n) => n >= 2,
        )
        ? true
        : undefined;
    });
    // The 50th dialog's greeting is refused (a server error, every retry of the client too): with
    // OPENLINES_EFFECT_MAX_ATTEMPTS=1 it becomes a dead letter.
    portal.failNext(SEND, 'INTERNAL_SERVER_ERROR', { times: 5, description: 'portal is down' });
    await join_(DEAD_CHAT);
    await until('the dead letter', async () => {
      const d = (await listed()).find((x) => x.key === keyOf(DEAD_CHAT));
      return d && d.deadLetters === 1 ? d : undefined;
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await portal?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('asks for the token, refuses a wrong one (401), then lists the 50 dialogs', async () => {
    const page = await browser.page();
    const first = await page.goto(`${url}/inspector/`);
    expect(first?.status()).toBe(401);
    await page.fill('#token', 'not-the-token-at-all');
    const [wrong] = await Promise.all([
      page.waitForNavigation(),
      page.click('button[type=submit]'),
    ]);
    expect(wrong?.status()).toBe(401);
    expect(await page.textContent('.error')).toBe('Wrong token.');
    await page.fill('#token', TOKEN);
    await Promise.all([page.waitForURL(`${url}/inspector/`), page.click('button[type=submit]')]);
    await page.waitForSelector('#dialogs tr');
    await until('50 rows', async () =>
      (await page.locator('#dialogs tr').count()) === DIALOGS ? true : undefined,
    );
    expect(await page.textContent('#count')).toBe(`${DIALOGS} of ${DIALOGS} dialogs`);
    const deadRow = page.locator(`#dialogs tr[data-key="${keyOf(DEAD_CHAT)}"] td.dead`);
    expect(await deadRow.textContent()).toBe('1');
    await page.fill('#filter', String(FIRST_CHAT + 3));
    expect(await page.locator('#dialogs tr').count()).toBe(1);
    await page.fill('#filter', '');
    await screenshot(page, 'inspector-1-list-of-50');
    expect(page.pageErrors).toEqual([]);
    expect(page.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  it("shows a dialog's transcript, each reply's REST call, the current state and the idle timer", async () => {
    const page = await browser.page();
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${TOKEN}` });
    const key = keyOf(FIRST_CHAT);
    await page.goto(`${url}/inspector/dialog?key=${encodeURIComponent(key)}`);
    await page.waitForSelector('#transcript .msg-client');
    const transcript = await page.textContent('#transcript');
    expect(transcript).toContain('client opened the chat');
    expect(transcript).toContain('hello there');
    expect(transcript).toContain('Hello, Ivan! I am the support bot.');
    expect(transcript).toContain('Sorry, I did not get that.');
    const calls = await page.$$eval('#transcript details.call summary', (els) =>
      els.map((e) => e.textContent),
    );
    expect(calls).toEqual([`${SEND}sent`, `${SEND}sent`]);
    expect(
      await page.$$eval('#diagram .state.active', (els) =>
        els.map((e) => e.getAttribute('data-path')),
      ),
    ).toEqual(['menu']);
    const detail = await api<{
      timers: Array<{ timerKey: string; deadline: number }>;
      updatedAt: number;
    }>(`/api/dialog?key=${encodeURIComponent(key)}`);
    expect(detail.timers).toHaveLength(1);
    const deadline = detail.timers[0]!.deadline;
    expect(deadline - detail.updatedAt).toBe(600_000);
    const timerText = await page.textContent('#timers li.timer');
    expect(timerText).toContain(
      new Date(deadline)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC'),
    );
    expect(timerText).toMatch(/in (9|10) min/);
    await page.click('#transcript details.call summary >> nth=0');
    expect(await page.textContent('#transcript details.call pre')).toContain(
      `"dialogId": "chat${FIRST_CHAT}"`,
    );
    await screenshot(page, 'inspector-2-dialog');
    expect(page.pageErrors).toEqual([]);
    expect(page.consoleErrors).toEqual([]);
  });

  it('shows a dead-lettered effect with its error code, and "retry" sends it', async () => {
    const page = await browser.page();
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${TOKEN}` });
    await page.goto(`${url}/inspector/dialog?key=${encodeURIComponent(keyOf(DEAD_CHAT))}`);
    const dead = page.locator('#outbox li.effect-dead');
    await dead.waitFor();
    expect(await dead.textContent()).toContain('dead INTERNAL_SERVER_ERROR');
    expect(await page.textContent('#transcript')).toContain(
      'dead INTERNAL_SERVER_ERROR: portal is down',
    );
    expect(sentTo(DEAD_CHAT)).toHaveLength(0);
    await screenshot(page, 'inspector-3-dead-letter');
    await dead.locator('button[data-action=retry]').click();
    await page.locator('#outbox').getByText('outbox empty').waitFor();
    await page.locator('#transcript .outcome-sent').waitFor();
    expect(sentTo(DEAD_CHAT)).toHaveLength(1);
    expect(sentTo(DEAD_CHAT)[0]!.params).toMatchObject({
      fields: { message: expect.stringContaining('Hello, Ivan!') },
    });
    expect(await page.textContent('#transcript')).toContain('operator: retry');
    const d = (await listed()).find((x) => x.key === keyOf(DEAD_CHAT));
    expect(d).toMatchObject({ deadLetters: 0, outboxDepth: 0 });
    await screenshot(page, 'inspector-4-dead-letter-retried');
    expect(page.pageErrors).toEqual([]);
    expect(page.consoleErrors).toEqual([]);
  });

  it('renders a client message with HTML and script as text; no script runs', async () => {
    const page = await browser.page();
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${TOKEN}` });
    await page.goto(`${url}/inspector/dialog?key=${encodeURIComponent(keyOf(XSS_CHAT))}`);
    const bubble = page.locator('#transcript .msg-client .msg-text');
    await bubble.waitFor();
    expect(await bubble.textContent()).toBe(XSS);
    expect(await page.locator('#transcript img, #transcript script').count()).toBe(0);
    // The reply quotes nothing of it, but the context and list must not run it either.
    await page.goto(`${url}/inspector/`);
    await page.waitForSelector('#dialogs tr');
    await screenshot(page, 'inspector-5-xss-as-text');
    expect(page.dialogs).toEqual([]);
    expect(page.pageErrors).toEqual([]);
    expect(page.consoleErrors).toEqual([]);
  });

  it('draws the metrics charts', async () => {
    const page = await browser.page();
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${TOKEN}` });
    await page.goto(`${url}/inspector/metrics`);
    await page.waitForSelector('#value-outbox:not(:empty)');
    await say(FIRST_CHAT + 1, 999_001, 'Where is my order?');
    await until('events charted', async () =>
      Number(await page.textContent('#value-events')) > 0 ? true : undefined,
    );
    await screenshot(page, 'inspector-6-metrics');
    expect(page.pageErrors).toEqual([]);
    expect(page.consoleErrors).toEqual([]);
  });
});
