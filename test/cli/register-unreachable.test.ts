/**
 * `register` and `unregister` as real processes against a portal that cannot be reached and one
 * that answers 503 forever: the command fails (non-zero exit) with a one-line reason once the REST
 * client's retries are spent, instead of ending silently inside a retry backoff.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cleanEnv, runCliProcess } from './run-cli-process';

// Default client retry budget: 4 retries, backoff 0.5 s doubling, jitter up to the full step: < 8 s of waits.
const RETRY_BUDGET_MS = 8_000;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await close(s);
  return port;
}

function envFor(port: number): Record<string, string> {
  return cleanEnv({
    B24_WEBHOOK_URL: `http://127.0.0.1:${port}/rest/1/unreachable0secret/`,
    B24_BOT_TOKEN: 'unreachable_test_token',
  });
}

function expectOneLineFailure(r: { code: number | null; stdout: string; stderr: string }): string {
  expect(r.code).not.toBe(0);
  expect(r.code).not.toBeNull();
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^openlines-bot: /);
  expect(r.stderr).not.toContain('unreachable0secret');
  return lines[0] as string;
}

describe('register and unregister when the portal fails', () => {
  let server: Server | undefined;
  let requests = 0;
  afterEach(async () => {
    if (server) await close(server);
    server = undefined;
  });

  it('register against an unreachable portal: non-zero exit and one line, within the retry budget', async () => {
    const port = await closedPort();
    const started = Date.now();
    const r = await runCliProcess(
      ['register', 'bots/support', '--url', 'https://bot.example.test/events'],
      { env: envFor(port), timeoutMs: 25_000 },
    );
    const elapsed = Date.now() - started;
    const line = expectOneLineFailure(r);
    expect(line).toMatch(/ECONNREFUSED|refused|network/i);
    expect(elapsed).toBeLessThan(RETRY_BUDGET_MS + 10_000);
  });

  it('register against a portal answering 503 forever: non-zero exit and one line after the retries', async () => {
    requests = 0;
    server = createServer((req, res) => {
      requests++;
      req.resume();
      res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
    });
    const port = await listen(server);
    const r = await runCliProcess(
      ['register', 'bots/support', '--url', 'https://bot.example.test/events'],
      { env: envFor(port), timeoutMs: 25_000 },
    );
    const line = expectOneLineFailure(r);
    expect(line).toMatch(/503/);
    // Retried (the first attempt and 4 retries), not given up at once.
    expect(requests).toBe(5);
  });

  it('unregister against an unreachable portal: non-zero exit and one line', async () => {
    const port = await closedPort();
    const r = await runCliProcess(['unregister', 'bots/support'], {
      env: envFor(port),
      timeoutMs: 25_000,
    });
    expectOneLineFailure(r);
  });
});
