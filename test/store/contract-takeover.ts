/**
 * Contract: what lets live processes take over the work of dead or stopped ones without ever
 * doing it twice: the orphan scan, claim heartbeats, release at a graceful stop, fenced settling,
 * and bounded claims.
 */
import type { Store } from '../../src/store/store';
import { T0, effectOf, texts, turn, type ContractContext } from './contract-helpers';

const claim = (store: Store, now: number, owner: string, limit = 100, leaseMs = 1000) =>
  store.claimEffects({ now, limit, leaseMs, owner });

async function append(store: Store, dialogKey: string, id: string, now = T0): Promise<void> {
  const [r] = await store.appendInbox([{ dialogKey, dedupeKey: id, payload: { id } }], { now });
  expect(r?.status).toBe('accepted');
}

/** Walks every page of the scan from the start. */
async function scanAll(store: Store, now: number, owner: string, limit: number): Promise<string[]> {
  const found: string[] = [];
  let after = 0;
  for (let page = 0; page < 100; page++) {
    const { dialogs, next } = await store.orphanedDialogs({ now, owner, after, limit });
    found.push(...dialogs);
    if (next === 0) return found;
    expect(next).toBeGreaterThan(after);
    after = next;
  }
  throw new Error('the scan never reached its end');
}

export function takeoverContract(ctx: ContractContext): void {
  describe('orphanedDialogs', () => {
    it('lists dialogs with pending items that nobody else holds, oldest first, page by page', async () => {
      const store = ctx.store();
      for (const d of ['a', 'b', 'c', 'd', 'e']) await append(store, d, `${d}1`);
      await append(store, 'a', 'a2');
      expect(await store.acquireDialog('b', 'other', 1000, T0)).toBe(true);
      expect(await store.acquireDialog('c', 'me', 1000, T0)).toBe(true);
      expect(await store.acquireDialog('d', 'other', 1000, T0 - 2000)).toBe(true);
      // b is held by a live lease of another owner; c is ours; d's lease expired.
      expect(await scanAll(store, T0 + 1, 'me', 2)).toEqual(['a', 'c', 'd', 'e']);
      expect(await scanAll(store, T0 + 1, 'me', 100)).toEqual(['a', 'c', 'd', 'e']);
      // Once b's lease runs out, b is an orphan too.
      expect(await scanAll(store, T0 + 1000, 'me', 3)).toEqual(['a', 'b', 'c', 'd', 'e']);
    });

    it('forgets a dialog once its inbox is empty, and returns an empty last page', async () => {
      const store = ctx.store();
      await append(store, 'a', 'a1');
      const item = await store.nextInbox('a');
      await store.commitTurn('a', turn(0, { consumedSeq: item!.seq }));
      expect(await store.orphanedDialogs({ now: T0, owner: 'me', after: 0, limit: 10 })).toEqual({
        dialogs: [],
        next: 0,
      });
    });
  });

  describe('extendEffectClaims', () => {
    it('keeps a held claim from expiring, and reports the claims that were taken over', async () => {
      const store = ctx.store();
      await store.commitTurn('a', turn(0, { effects: [effectOf('a1')] }));
      await store.commitTurn('b', turn(0, { effects: [effectOf('b1')] }));
      const [a1, b1] = await claim(store, T0, 'slow');
      // b1's claim expires and another process takes it before the heartbeat.
      expect(texts(await claim(store, T0 + 1000, 'fast'))).toEqual(['a1', 'b1']);
      await store.settleEffect(a1!.seq, { status: 'sent' }, T0 + 1000, 'fast');
      expect(await store.extendEffectClaims([a1!.seq, b1!.seq], 'slow', T0 + 60_000)).toEqual([]);
      expect(await store.extendEffectClaims([b1!.seq], 'fast', T0 + 60_000)).toEqual([b1!.seq]);
      expect(await claim(store, T0 + 30_000, 'third')).toEqual([]);
      expect(await store.nextEffectAvailableAt()).toBe(T0 + 60_000);
    });

    it('extends a claim only as long as the owner still holds it', async () => {
      const store = ctx.store();
      await store.commitTurn('a', turn(0, { effects: [effectOf('a1'), effectOf('a2')] }));
      const claimed = await claim(store, T0, 'p1');
      const seqs = claimed.map((e) => e.seq);
      expect(await store.extendEffectClaims(seqs, 'p1', T0 + 10_000)).toEqual(seqs);
      expect(await claim(store, T0 + 5000, 'p2')).toEqual([]);
      expect(texts(await claim(store, T0 + 10_000, 'p2'))).toEqual(['a1', 'a2']);
    });
  });

  describe('settleEffect with an owner', () => {
    it('changes nothing when the owner lost the claim, so only the current holder settles', async () => {
      const store = ctx.store();
      await store.commitTurn('a', turn(0, { effects: [effectOf('a1'), effectOf('a2')] }));
      const [a1] = await claim(store, T0, 'p1', 1);
      const [again] = await claim(store, T0 + 1000, 'p2', 1);
      expect(again?.seq).toBe(a1!.seq);
      // p1's late outcome is refused: a1 is still in flight for p2, a2 still waits behind it.
      await store.settleEffect(a1!.seq, { status: 'sent' }, T0 + 1001, 'p1');
      await store.settleEffect(
        a1!.seq,
        { status: 'failed', error: 'late', deadLetter: true },
        T0 + 1001,
        'p1',
      );
      expect(await store.deadLetters(10)).toEqual([]);
      expect(await claim(store, T0 + 1001, 'p3')).toEqual([]);
      await store.settleEffect(a1!.seq, { status: 'sent' }, T0 + 1002, 'p2');
      expect(texts(await claim(store, T0 + 1002, 'p3'))).toEqual(['a2']);
    });

    it('accepts the outcome of a claim that expired but was not taken by anyone', async () => {
      const store = ctx.store();
      await store.commitTurn('a', turn(0, { effects: [effectOf('a1')] }));
      const [a1] = await claim(store, T0, 'p1');
      await store.settleEffect(a1!.seq, { status: 'sent' }, T0 + 5000, 'p1');
      expect(await claim(store, T0 + 5000, 'p2')).toEqual([]);
      expect((await store.stats()).outboxDepth).toBe(0);
    });
  });

  describe('releaseEffects', () => {
    it('gives unsent claims back at once, without counting an attempt, and only the owner’s', async () => {
      const store = ctx.store();
      await store.commitTurn('a', turn(0, { effects: [effectOf('a1'), effectOf('a2')] }));
      await store.commitTurn('b', turn(0, { effects: [effectOf('b1')] }));
      const held = await claim(store, T0, 'p1');
      await store.releaseEffects(
        held.map((e) => e.seq),
        'someone-else',
      );
      expect(await claim(store, T0 + 1, 'p2')).toEqual([]);
      await store.releaseEffects(
        held.map((e) => e.seq),
        'p1',
      );
      const again = await claim(store, T0 + 1, 'p2');
      expect(texts(again)).toEqual(['a1', 'a2', 'b1']);
      expect(again.map((e) => e.attempts)).toEqual([0, 0, 0]);
    });
  });

  describe('claimEffects under a large backlog', () => {
    it('claims at most the limit, each dialog a prefix in seq order, however long the outbox', async () => {
      const store = ctx.store();
      for (let d = 0; d < 30; d++) {
        await store.commitTurn(
          `d${d}`,
          turn(0, { effects: Array.from({ length: 40 }, (_, i) => effectOf(`d${d}-${i}`)) }),
        );
      }
      const claimed = await claim(store, T0, 'p1', 25);
      expect(claimed).toHaveLength(25);
      const byDialog = new Map<string, number[]>();
      for (const e of claimed)
        byDialog.set(e.dialogKey, [...(byDialog.get(e.dialogKey) ?? []), e.seq]);
      for (const [dialogKey, seqs] of byDialog) {
        const expected = texts(claimed.filter((e) => e.dialogKey === dialogKey));
        expect(expected).toEqual(expected.map((_, i) => `${dialogKey}-${i}`));
        expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      }
    });
  });
}
