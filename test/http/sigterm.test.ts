import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { APP_TOKEN, BOT_TOKEN } from './harness';
import { v2MessageBody } from './wire';

const CHILD = join(__dirname, 'fixtures', 'serve-child.ts');

function start(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', CHILD], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /LISTENING (\d+)/.exec(out);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}`, exited });
    });
    void exited.then((code) =>
      reject(new Error(`server exited early (${code}): ${stderr.slice(-2000)}`)),
    );
  });
}

describe('installShutdown (real SIGTERM)', () => {
  let dir: string;
  let portal: FakePortal;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openlines-sigterm-'));
    portal = await createFakePortal({ rateLimit: false });
  });
  afterEach(async () => {
    await portal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drains and exits 0 on SIGTERM under load; after a restart no acknowledged event is lost', async () => {
    const env = {
      B24_WEBHOOK_URL: portal.webhookUrl,
      B24_BOT_TOKEN: BOT_TOKEN,
      OPENLINES_STORE: `sqlite:${join(dir, 'state.db')}`,
      LOG_LEVEL: 'warn',
    };
    const first = await start(env);
    const acked: string[] = [];
    let signalled = false;
    const send = async (i: number): Promise<void> => {
      const chatId = 3000 + (i % 50);
      const body = v2MessageBody({
        memberId: 'a1b2c3',
        applicationToken: APP_TOKEN,
        botId: 7,
        chatId,
        messageId: 20_000 + i,
        text: `t${i}`,
      });
      try {
        const res = await fetch(`${first.url}/events`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        await res.arrayBuffer();
        if (res.status === 200) acked.push(`${chatId}:${20_000 + i}`);
      } catch {
        // refused or reset: not acknowledged
      }
      if (acked.length >= 80 && !signalled) {
        signalled = true;
        first.child.kill('SIGTERM');
      }
    };
    await Promise.all(Array.from({ length: 250 }, (_, i) => send(i)));
    if (!signalled) first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(acked.length).toBeGreaterThanOrEqual(80);

    const second = await start(env);
    // Recovery and sending happen in the background: wait (bounded) until every acknowledged
    // event has its reply, then check that none was sent twice.
    const replies = () =>
      portal.callsOf('imopenlines.bot.session.message.send').map((c) => String(c.params.MESSAGE));
    for (let i = 0; i < 300 && !acked.every((k) => replies().includes(k)); i++)
      await new Promise((r) => setTimeout(r, 100));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const counts = new Map<string, number>();
    for (const r of replies()) counts.set(r, (counts.get(r) ?? 0) + 1);
    const missing = acked.filter((k) => counts.get(k) !== 1);
    expect(missing).toEqual([]);
  }, 120_000);
});
