import { APP_TOKEN, startHarness, type Harness } from './harness';
import { v2JoinBody, v2MessageBody } from './wire';

/** Small seeded PRNG (mulberry32), so a failing body can be reproduced from the seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY_KEYS = [
  '__proto__',
  'constructor[prototype]',
  'data[__proto__][x]',
  'auth[__proto__]',
  'data[chat][constructor]',
  '[]',
  'a[',
  ']]]',
  '%ZZ',
  'data[bot]',
];
const NASTY_VALUES = [
  '',
  '%',
  '%E0%A4%A',
  '\u0000',
  '-1',
  '1e309',
  'NaN',
  'Y',
  '[]',
  '{}',
  'x'.repeat(300_000),
  '%F0%9F%98%80',
];

function mutate(rand: () => number, base: string): { body: string; contentType: string } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const contentType = pick([
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=utf-8',
    'application/json',
  ]);
  const pairs = base.split('&');
  switch (Math.floor(rand() * 10)) {
    case 0:
      return { body: base.slice(0, Math.floor(rand() * base.length)), contentType };
    case 1: {
      const i = Math.floor(rand() * pairs.length);
      pairs.splice(i, 1);
      return { body: pairs.join('&'), contentType };
    }
    case 2: {
      const i = Math.floor(rand() * pairs.length);
      const key = (pairs[i] ?? '').split('=')[0];
      pairs[i] = `${key}=${encodeURIComponent(pick(NASTY_VALUES))}`;
      return { body: pairs.join('&'), contentType };
    }
    case 3:
      return {
        body: `${base}&${pick(NASTY_KEYS)}=${encodeURIComponent(pick(NASTY_VALUES))}`,
        contentType,
      };
    case 4: {
      const depth = 1 + Math.floor(rand() * 120);
      return { body: `${base}&data${'[a]'.repeat(depth)}=1`, contentType };
    }
    case 5: {
      const bytes = Buffer.from(base);
      for (let k = 0; k < 1 + Math.floor(rand() * 20); k++)
        bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      return { body: bytes.toString('latin1'), contentType };
    }
    case 6:
      return {
        body: pick([
          '{',
          '[]',
          'null',
          '"x"',
          '{"event":1}',
          '{"event":"ONIMBOTV2MESSAGEADD","data":[],"auth":{}}',
          `{"a":${'['.repeat(500)}`,
        ]),
        contentType: 'application/json',
      };
    case 7: {
      // Keys shuffled into a different event type.
      const other = pick([
        'ONIMBOTMESSAGEADD',
        'ONIMCOMMANDADD',
        'ONAPPINSTALL',
        'ONIMBOTV2COMMANDADD',
        'ONIMBOTV2REACTIONCHANGE',
        'ONUNKNOWN',
        '',
      ]);
      return { body: base.replace(/^event=[^&]*/, `event=${other}`), contentType };
    }
    case 8:
      return {
        body: Array.from({ length: 1 + Math.floor(rand() * 3000) }, (_, i) => `k${i}=${i}`).join(
          '&',
        ),
        contentType,
      };
    default: {
      const i = Math.floor(rand() * pairs.length);
      const [key, value] = (pairs[i] ?? '=').split('=');
      pairs[i] = `${key}%5B0%5D=${value}`;
      return { body: pairs.join('&'), contentType };
    }
  }
}

describe('createServer (hostile input)', () => {
  let h: Harness;
  afterAll(async () => {
    await h?.close();
  });

  it('answers 2,000 seeded random malformed bodies without a 5xx and keeps serving', async () => {
    h = await startHarness();
    const rand = prng(20250101);
    const bases = [
      v2MessageBody({
        memberId: 'a1b2c3',
        applicationToken: APP_TOKEN,
        botId: 7,
        chatId: 1777,
        messageId: 1,
        text: 'hello',
      }),
      v2JoinBody({ memberId: 'a1b2c3', applicationToken: APP_TOKEN, botId: 7, chatId: 1778 }),
    ];
    // Generated up front from the seed, then sent by a few concurrent senders (the order of
    // arrival does not matter: every body stands alone).
    const cases = Array.from({ length: 2000 }, (_, i) => mutate(rand, bases[i % 2] as string));
    const statuses = new Map<number, number>();
    let next = 0;
    const sender = async (): Promise<void> => {
      while (next < cases.length) {
        const i = next++;
        const { body, contentType } = cases[i] as { body: string; contentType: string };
        const res = await fetch(`${h.url}/events`, {
          method: 'POST',
          body,
          headers: { 'content-type': contentType },
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500)
          throw new Error(
            `seed 20250101, body #${i} answered ${res.status}: ${body.slice(0, 200)}`,
          );
      }
    };
    await Promise.all(Array.from({ length: 8 }, sender));
    expect([...statuses.keys()].every((s) => [200, 400, 401, 413].includes(s))).toBe(true);
    expect(statuses.get(400)).toBeGreaterThan(1000);
    expect(Object.prototype).not.toHaveProperty('x');
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const ok = await h.post(
      '/events',
      v2MessageBody({
        memberId: 'a1b2c3',
        applicationToken: APP_TOKEN,
        botId: 7,
        chatId: 1900,
        messageId: 99_999,
        text: 'still here',
      }),
    );
    expect(ok.status).toBe(200);
  }, 180_000);
});
