/**
 * Durability against a real crash: a separate process writes through the SQLite store and dies by
 * SIGKILL (by its own hand or from outside, at seeded random moments); after each death the file
 * must hold everything the process saw acknowledged, exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteStore } from '../../src/store/sqlite-store';
import { seededRandom } from './contract-helpers';
import { runChild } from './run-child';

const DIALOGS = 20;
const dir = mkdtempSync(join(tmpdir(), 'openlines-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Acknowledged {
  appended: Map<string, number>;
  committed: Array<{ dialogKey: string; revision: number; id: string }>;
  claimed: Set<string>;
}

function record(lines: string[], into: Acknowledged): void {
  for (const line of lines) {
    const [tag, a, b, c] = line.split(' ');
    if (tag === 'A') into.appended.set(a!, Number(b));
    else if (tag === 'C') into.committed.push({ dialogKey: a!, revision: Number(b), id: c! });
    else if (tag === 'L') into.claimed.add(a!);
  }
}

const countOf = (items: string[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
};

/** Checks the file against everything acknowledged so far. */
async function verify(path: string, ack: Acknowledged): Promise<void> {
  const store = sqliteStore({ path });
  const applied = new Map<string, string[]>();
  const revisions = new Map<string, number>();
  for (let d = 0; d < DIALOGS; d++) {
    const record = await store.loadDialog(`d${d}`);
    applied.set(`d${d}`, (record?.snapshot as { applied?: string[] } | undefined)?.applied ?? []);
    revisions.set(`d${d}`, record?.revision ?? 0);
  }
  const raw = new Database(path, { readonly: true });
  const pending = (
    raw.prepare('SELECT payload FROM inbox').all() as Array<{ payload: string }>
  ).map((r) => (JSON.parse(r.payload) as { id: string }).id);
  const outboxTexts = (
    raw.prepare('SELECT effect FROM outbox').all() as Array<{ effect: string }>
  ).map((r) => (JSON.parse(r.effect) as { text: string }).text);
  raw.close();

  // Every event is either still waiting or applied, never both, never twice.
  const seen = countOf([...pending, ...[...applied.values()].flat()]);
  expect([...seen].filter(([, n]) => n !== 1)).toEqual([]);
  expect([...ack.appended.keys()].filter((id) => !seen.has(id))).toEqual([]);
  for (const c of ack.committed) {
    expect(revisions.get(c.dialogKey)).toBeGreaterThanOrEqual(c.revision);
    expect(applied.get(c.dialogKey)).toContain(c.id);
  }
  // Every applied event's effect is still in the outbox once, or was claimed (and maybe sent).
  const outbox = countOf(outboxTexts);
  for (const id of [...applied.values()].flat()) {
    expect({ id, ok: outbox.get(id) === 1 || (!outbox.has(id) && ack.claimed.has(id)) }).toEqual({
      id,
      ok: true,
    });
  }
  expect(await store.getOffset('fetch')).toBeGreaterThanOrEqual(
    Math.max(0, ...ack.appended.values()),
  );
  const again = await store.appendInbox(
    [...ack.appended.keys()].map((id) => ({ dialogKey: 'd0', dedupeKey: id, payload: { id } })),
    { now: Date.now() },
  );
  expect(again.filter((r) => r.status !== 'duplicate')).toEqual([]);
  await store.close();
}

describe('sqliteStore', () => {
  it('keeps everything acknowledged through SIGKILLs at seeded random moments', async () => {
    const path = join(dir, 'crash.db');
    const ack: Acknowledged = { appended: new Map(), committed: [], claimed: new Set() };
    const random = seededRandom(2024);
    for (let round = 0; round < 4; round++) {
      const base = {
        mode: 'crash' as const,
        path,
        round,
        seed: 1000 + round,
        dialogs: DIALOGS,
        maxOps: 20_000,
      };
      const killAt = 100 + Math.floor(random() * 500);
      // Round 0 kills itself right after an acknowledgement; the others are killed from outside mid-write.
      const result =
        round === 0
          ? await runChild({ ...base, selfKillAfter: killAt })
          : await runChild(base, { killWhen: (lines) => lines.length >= killAt });
      expect({ round, signal: result.signal, stderr: result.stderr }).toEqual({
        round,
        signal: 'SIGKILL',
        stderr: '',
      });
      expect(result.lines.filter((l) => l.startsWith('A ')).length).toBeGreaterThan(20);
      record(result.lines, ack);
      await verify(path, ack);
    }
    expect(ack.committed.length).toBeGreaterThan(50);
  }, 120_000);
});
