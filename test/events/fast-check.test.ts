/**
 * The validation fast path must return exactly what the zod schema returns for a valid value,
 * and give way to zod (BAD) for everything zod refuses. Checked on the real captured bodies, the
 * wire fixtures, built bodies of every v1 type, and seeded mutations of them all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fastEnvelope, fastV1, type FastCheck } from '../../src/events/fast-check';
import { decodePhpForm, type PhpFormObject } from '../../src/events/php-form';
import { v1Schemas, type V1EventType } from '../../src/events/v1-schemas';
import { BAD, envelope } from '../../src/events/wire-schema';
import { createEventBuilders } from '../../src/testing/event-builders';
import { FIXTURES, readFixture } from './fixture-files';
import type { z } from 'zod';

type Obj = Record<string, unknown>;

function bodies(): string[] {
  const out: string[] = [];
  const real = join(FIXTURES, 'real');
  for (const f of readdirSync(real).filter((n) => n.endsWith('.wire.txt')))
    out.push(readFileSync(join(real, f), 'utf8'));
  for (const f of readdirSync(join(FIXTURES, 'v1')).filter((n) => n.endsWith('.txt')))
    out.push(readFixture(`v1/${f}`));
  const b = createEventBuilders({ botId: 571, botCode: 'support' });
  for (let i = 0; i < 3; i++) {
    const chat = { chatId: 100 + i, client: { id: 5000 + i, name: 'Ivan Petrov' } };
    out.push(
      b.v1.join(chat).body,
      b.v1.message({ ...chat, text: `hello, #${i}: ok?` }).body,
      b.v1.command({ ...chat, command: 'order' }).body,
      b.v1.messageUpdate({ ...chat, messageId: 900 + i, text: 'edited' }).body,
      b.v1.messageDelete({ ...chat, messageId: 950 + i }).body,
      b.v1.botDelete().body,
      b.v1.appInstall().body,
      b.v1.appUninstall().body,
      b.v1.operatorMessage({ ...chat, text: 'operator here' }).body,
    );
  }
  return out;
}

/** A seeded PRNG: the same mutations on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ODD_VALUES: unknown[] = [
  '',
  'abc',
  '-1',
  '1.5',
  '0',
  '9'.repeat(16),
  'Y',
  'n',
  'true',
  'x'.repeat(3000),
  'chat',
  'chat0',
  'bad host!',
  null,
  7,
  -3,
  true,
  [],
  ['1'],
  {},
  { 1: 'x' },
  Object.create(null) as object,
];

/** Paths to every value of a decoded tree. */
function paths(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (typeof value === 'object' && value !== null) {
    for (const k of Object.keys(value)) {
      const p = [...prefix, k];
      out.push(p);
      paths((value as Obj)[k], p, out);
    }
  }
  return out;
}

function cloneTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneTree);
  if (typeof value !== 'object' || value === null) return value;
  const out = Object.create(Object.getPrototypeOf(value) as object | null) as Obj;
  for (const k of Object.keys(value)) out[k] = cloneTree((value as Obj)[k]);
  return out;
}

function mutate(tree: PhpFormObject, rnd: () => number): PhpFormObject {
  const copy = cloneTree(tree) as PhpFormObject;
  const all = paths(copy);
  const times = 1 + Math.floor(rnd() * 3);
  for (let t = 0; t < times && all.length > 0; t++) {
    const p = all[Math.floor(rnd() * all.length)] as string[];
    let node = copy as Obj;
    for (const seg of p.slice(0, -1)) {
      const next = node[seg];
      if (typeof next !== 'object' || next === null) break;
      node = next as Obj;
    }
    const last = p[p.length - 1] as string;
    if (rnd() < 0.2) delete node[last];
    else node[last] = ODD_VALUES[Math.floor(rnd() * ODD_VALUES.length)];
  }
  return copy;
}

/** Compares the fast check with zod on one value; returns whether the fast path took it. */
function agree(fast: FastCheck, schema: z.ZodType, value: unknown, bad: symbol = BAD): boolean {
  const zod = schema.safeParse(value);
  const out = fast(value);
  if (out === bad) return false;
  expect(zod.success).toBe(true);
  expect(out).toStrictEqual(zod.data);
  return true;
}

describe('fast-check', () => {
  const trees = bodies().map((b) => decodePhpForm(b));

  it('compiles the envelope and the hot v1 types', () => {
    expect(fastEnvelope).toBeDefined();
    for (const type of ['ONIMBOTMESSAGEADD', 'ONIMBOTJOINCHAT', 'ONIMCOMMANDADD'] as const)
      expect(fastV1[type]).toBeDefined();
  });

  it('returns what zod returns for every real, fixture and built body', () => {
    let taken = 0;
    for (const tree of trees) {
      expect(agree(fastEnvelope as FastCheck, envelope, tree)).toBe(true);
      const type = (tree.event as string).toUpperCase() as V1EventType;
      const fast = fastV1[type];
      if (!fast) continue;
      if (agree(fast, v1Schemas[type], tree.data)) taken++;
      else expect(v1Schemas[type].safeParse(tree.data).success).toBe(false);
    }
    expect(taken).toBeGreaterThan(20);
  });

  it('gives way to zod for whatever zod refuses, and agrees on the rest (seeded mutations)', () => {
    const rnd = prng(20261207);
    let taken = 0;
    let refused = 0;
    for (let round = 0; round < 40; round++) {
      for (const tree of trees) {
        const bad = mutate(tree, rnd);
        agree(fastEnvelope as FastCheck, envelope, bad);
        const type = (tree.event as string).toUpperCase() as V1EventType;
        const fast = fastV1[type];
        if (!fast) continue;
        if (agree(fast, v1Schemas[type], bad.data)) taken++;
        else if (!v1Schemas[type].safeParse(bad.data).success) refused++;
      }
    }
    expect(taken).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });

  it('agrees on values of the wrong shape', () => {
    for (const odd of [...ODD_VALUES, undefined]) {
      agree(fastEnvelope as FastCheck, envelope, odd);
      for (const type of Object.keys(fastV1) as V1EventType[])
        agree(fastV1[type] as FastCheck, v1Schemas[type], odd);
    }
  });
});

describe('fast-check without code generation from strings', () => {
  it('falls back to the interpreted checks, with the same results', () => {
    const original = globalThis.Function;
    let mod: typeof import('../../src/events/fast-check') | undefined;
    let bad: symbol = BAD;
    let attempts = 0;
    globalThis.Function = function refused(): never {
      attempts++;
      throw new EvalError('Code generation from strings disallowed for this context');
    } as unknown as FunctionConstructor;
    try {
      jest.isolateModules(() => {
        mod = jest.requireActual('../../src/events/fast-check');
        // The isolated copy has its own wire-schema module, hence its own BAD.
        bad = jest.requireActual<typeof import('../../src/events/wire-schema')>(
          '../../src/events/wire-schema',
        ).BAD;
      });
    } finally {
      globalThis.Function = original;
    }
    expect(attempts).toBeGreaterThan(0);
    expect(bad).not.toBe(BAD);
    const fast = mod as typeof import('../../src/events/fast-check');
    const rnd = prng(7);
    let taken = 0;
    for (const body of bodies()) {
      const tree = decodePhpForm(body);
      const type = (tree.event as string).toUpperCase() as V1EventType;
      for (const value of [tree, mutate(tree, rnd)]) {
        agree(fast.fastEnvelope as FastCheck, envelope, value, bad);
        const check = fast.fastV1[type];
        if (check && agree(check, v1Schemas[type], value.data, bad)) taken++;
      }
    }
    expect(taken).toBeGreaterThan(20);
  });
});
