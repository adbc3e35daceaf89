/**
 * From an empty folder to a tested bot, the way a user gets there: the package is packed with
 * `npm pack`, `openlines-bot init` (run from the packed package) scaffolds a project, the tarball
 * is installed there, and the project's own `npm test` passes and `npm start` serves a healthy
 * bot. The same bot is then served against a loopback fake portal twice: from the tarball install
 * and from a clone of this repository linked into the project (the launcher runs the sources
 * while the bot imports the package); both times its invoked REST call reaches the portal.
 *
 * The project's other dependencies are links to this repository's node_modules: no download.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventBuilders } from '../../src/testing/event-builders';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import {
  buildAndPack,
  extractTarball,
  linkDependencies,
  makeClone,
  projectEnv,
  runIn,
  startIn,
  waitForMatch,
  type ProjectProcess,
} from './package-harness';

jest.setTimeout(180_000);

const BOT_TOKEN = 'package_test_bot_token';

let work: string;
let app: string;
let tarball: string;
let pkgDir: string;
const running: ProjectProcess[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'olb-package-'));
  ({ tarball, pkgDir } = buildAndPack(work));
  // `npx openlines-bot init`: npx installs the package somewhere and runs its command.
  const npx = join(work, 'npx');
  extractTarball(tarball, join(npx, 'node_modules', 'openlines-bot'), join(work, 'unpack-npx'));
  linkDependencies(npx);
}, 180_000);

afterAll(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop(2_000)));
  if (work) rmSync(work, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop(5_000)));
});

describe('a project made with init from the packed package', () => {
  it('is scaffolded by the packed CLI with the files a project needs', async () => {
    const r = await runIn(
      work,
      join(work, 'npx', 'node_modules', '.bin', 'openlines-bot'),
      ['init', 'my-bot'],
      projectEnv(),
      30_000,
    );
    expect(r.code).toBe(0);
    expect(r.output).toContain('Created my-bot in my-bot:');
    app = join(work, 'my-bot');
    for (const f of [
      'package.json',
      'tsconfig.json',
      'jest.config.ts',
      'bot.ts',
      'test/bot.test.ts',
      'README.md',
    ])
      expect(existsSync(join(app, f))).toBe(true);
    expect(readdirSync(join(app, 'test', 'transcripts')).length).toBeGreaterThan(0);
    // A second init into the same folder refuses instead of overwriting.
    const again = await runIn(
      work,
      join(work, 'npx', 'node_modules', '.bin', 'openlines-bot'),
      ['init', 'my-bot'],
      projectEnv(),
      30_000,
    );
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/is not empty/);

    // `npm install`: the tarball becomes node_modules/openlines-bot, the rest is linked.
    extractTarball(tarball, join(app, 'node_modules', 'openlines-bot'), join(work, 'unpack-app'));
    linkDependencies(app);
  });

  it('passes its own npm test', async () => {
    const r = await runIn(app, 'npm', ['test'], projectEnv({ CI: 'true' }), 120_000);
    expect(r.output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(r.output).not.toMatch(/failed/);
    expect(r.output).toContain('Bot flow coverage');
    expect(r.code).toBe(0);
  });

  it('serves a healthy bot with npm start', async () => {
    const p = startIn(app, 'npm', ['start'], projectEnv({ PORT: '0' }));
    running.push(p);
    const [, url] = await waitForMatch(
      p,
      /is serving "front_desk" at (http:\/\/127\.0\.0\.1:\d+)/,
      60_000,
    );
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    // npm itself ends by the signal; the server under it stops gracefully, before any SIGKILL.
    expect(await p.stop()).not.toBe('SIGKILL');
  });
});

describe('the invoked REST call of the served bot reaches the portal', () => {
  let portal: FakePortal;
  beforeEach(async () => {
    portal = await createFakePortal({ rateLimit: false });
  });
  afterEach(async () => {
    await portal.close();
  });

  /** Registers the project's bot, serves it and plays a callback request; resolves with the portal's crm.lead.add call. */
  async function playCallback(project: string): Promise<void> {
    const bin = join(project, 'node_modules', '.bin', 'openlines-bot');
    const env = projectEnv({
      B24_WEBHOOK_URL: portal.webhookUrl,
      B24_BOT_TOKEN: BOT_TOKEN,
      OPENLINES_STORE: 'memory:',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    const reg = await runIn(
      project,
      bin,
      ['register', 'bot.ts', '--url', 'http://127.0.0.1:9/events'],
      env,
      60_000,
    );
    expect(reg.code).toBe(0);
    const botId = Number(/^(\d+)$/m.exec(reg.output)?.[1]);
    expect(botId).toBeGreaterThan(0);

    const server = startIn(project, bin, ['serve', 'bot.ts'], env);
    running.push(server);
    const [, url] = await waitForMatch(
      server,
      /is serving "front_desk" at (http:\/\/127\.0\.0\.1:\d+): portal /,
      60_000,
    );
    const wire = createEventBuilders({
      memberId: portal.memberId,
      domain: portal.domain,
      applicationToken: BOT_TOKEN,
      botId,
      botCode: 'front_desk',
      chatId: 42,
      lineId: 1,
    });
    const post = async (w: { body: string; contentType: string }) => {
      const res = await fetch(`${url}/events`, {
        method: 'POST',
        headers: { 'content-type': w.contentType },
        body: w.body,
      });
      expect(res.status).toBe(200);
    };
    const until = async <T>(what: string, probe: () => T | undefined): Promise<T> => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const v = probe();
        if (v !== undefined) return v;
        if (Date.now() > deadline)
          throw new Error(
            `no ${what}; calls: ${portal.calls.map((c) => c.method).join(', ')}\n${server.output()}`,
          );
        // The server is another process: real time must pass.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await post(wire.v2.join({}));
    await until('greeting', () => portal.callsOf('imbot.v2.Chat.Message.send')[0]);
    await post(wire.v2.command({ command: 'callback' }));
    await post(wire.v2.message({ text: '+1 555 010 0200' }));
    const lead = await until('crm.lead.add', () => portal.callsOf('crm.lead.add')[0]);
    expect(lead.error).toBeUndefined();
    expect(JSON.stringify(lead.params)).toContain('+1 555 010 0200');
    // The machine got the result: the reply carries the new lead's id.
    const saved = await until('the saved reply', () =>
      portal
        .callsOf('imbot.v2.Chat.Message.send')
        .find((c) => JSON.stringify(c.params).includes('callback request number')),
    );
    expect(JSON.stringify(saved.params)).toContain('number is 1.');
    expect(server.output()).not.toMatch(/invoked REST call failed|RestCallUnavailable/);
    expect(await server.stop()).toBe(0);
  }

  it('from the tarball install', async () => {
    await playCallback(app);
  });

  it('from a clone linked into the project (sources run, the bot imports the package)', async () => {
    const clone = join(work, 'clone');
    makeClone(clone, pkgDir);
    const linked = join(work, 'linked-app');
    mkdirSync(join(linked, 'node_modules'), { recursive: true });
    for (const f of ['package.json', 'tsconfig.json', 'bot.ts'])
      cpSync(join(app, f), join(linked, f));
    // `npm link openlines-bot`: the package is a link to the clone.
    symlinkSync(clone, join(linked, 'node_modules', 'openlines-bot'));
    linkDependencies(linked);
    await playCallback(linked);
  });
});
