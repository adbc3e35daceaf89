/** Contract: the effects outbox keeps per-dialog order through leases, retries and dead letters. */
import type { Store } from '../../src/store/store';
import {
  T0,
  effectOf,
  seededRandom,
  shuffle,
  texts,
  turn,
  type ContractContext,
} from './contract-helpers';

const claim = (store: Store, now: number, limit = 100, owner = 'p1', leaseMs = 1000) =>
  store.claimEffects({ now, limit, leaseMs, owner });

/** Commits one turn of `dialogKey` with `say` effects carrying the given texts. */
async function emit(
  store: Store,
  dialogKey: string,
  revision: number,
  ...said: string[]
): Promise<void> {
  const result = await store.commitTurn(
    dialogKey,
    turn(revision, { effects: said.map((s) => effectOf(s)) }),
  );
  expect(result.status).toBe('committed');
}

export function outboxContract(ctx: ContractContext): void {
  describe('claimEffects', () => {
    it('claims effects in emission order across dialogs, up to the limit, with their fields', async () => {
      const store = ctx.store();
      await emit(store, 'a', 0, 'a1');
      await emit(store, 'b', 0, 'b1', 'b2');
      await emit(store, 'a', 1, 'a2');
      const first = await claim(store, T0, 3);
      expect(texts(first)).toEqual(['a1', 'b1', 'b2']);
      expect(first[0]).toEqual({
        seq: first[0]!.seq,
        dialogKey: 'a',
        portalId: 'portal-a',
        effect: { type: 'say', text: 'a1' },
        meta: { chatId: 1 },
        attempts: 0,
        availableAt: T0,
        createdAt: T0,
      });
      expect(first[1]!.seq).toBeGreaterThan(first[0]!.seq);
      // a2 waits: a1 is in flight.
      expect(await claim(store, T0)).toEqual([]);
    });

    it('claims several consecutive effects of one dialog together', async () => {
      const store = ctx.store();
      await emit(store, 'a', 0, 'a1', 'a2', 'a3');
      expect(texts(await claim(store, T0))).toEqual(['a1', 'a2', 'a3']);
    });

    it('holds later effects of a dialog while an earlier one is in flight, and releases them once it is sent', async () => {
      const store = ctx.store();
      await emit(store, 'a', 0, 'a1', 'a2');
      await emit(store, 'b', 0, 'b1');
      const [a1] = await claim(store, T0, 1);
      expect(texts(await claim(store, T0, 10, 'p2'))).toEqual(['b1']);
      await store.settleEffect(a1!.seq, { status: 'sent' }, T0 + 1);
      expect(texts(await claim(store, T0 + 1, 10, 'p2'))).toEqual(['a2']);
      expect((await store.stats()).outboxDepth).toBe(2);
    });

    it('lets another owner reclaim an effect whose lease expired, keeping order behind it', async () => {
      const store = ctx.store();
      await emit(store, 'a', 0, 'a1', 'a2');
      await claim(store, T0, 1, 'dead-process', 5000);
      expect(await claim(store, T0 + 4999, 10, 'p2')).toEqual([]);
      expect(texts(await claim(store, T0 + 5000, 10, 'p2'))).toEqual(['a1', 'a2']);
      expect(await claim(store, T0 + 5001, 10, 'p3')).toEqual([]);
    });

    it('returns nothing for a zero limit', async () => {
      const store = ctx.store();
      await emit(store, 'a', 0, 'a1');
      expect(await claim(store, T0, 0)).toEqual([]);
      expect(texts(await claim(store, T0, 1))).toEqual(['a1']);
    });

    it('keeps each dialog in emitted order under interleaved commits, retries and lease expiries', async () => {
      const store = ctx.store();
      const random = seededRandom(7);
      const emitted = new Map<string, string[]>();
      const turns = shuffle(
        Array.from({ length: 30 * 4 }, (_, i) => ({
          dialogKey: `d${i % 30}`,
          n: Math.floor(i / 30),
        })),
        random,
      );
      const revisions = new Map<string, number>();
      for (const t of turns) {
        const said = [`${t.dialogKey}.${t.n}.x`, `${t.dialogKey}.${t.n}.y`];
        const rev = revisions.get(t.dialogKey) ?? 0;
        revisions.set(t.dialogKey, rev + 1);
        emitted.set(t.dialogKey, [...(emitted.get(t.dialogKey) ?? []), ...said]);
        await emit(store, t.dialogKey, rev, ...said);
      }
      const sent = new Map<string, string[]>();
      let now = T0;
      for (let round = 0; round < 2000 && (await store.stats()).outboxDepth > 0; round++) {
        now += 100;
        const batch = await claim(store, now, 7, 'p1', 250);
        // A dispatcher sends a batch in order; once an effect of a dialog is not sent, the dialog's
        // later effects in the batch share its fate.
        const fate = new Map<string, 'abandon' | 'retry'>();
        for (const e of batch) {
          const r = random();
          const outcome =
            fate.get(e.dialogKey) ?? (r < 0.1 ? 'abandon' : r < 0.25 ? 'retry' : 'send');
          if (outcome === 'abandon') {
            // The process "died" holding the claim: the lease expires and the effect comes back.
            fate.set(e.dialogKey, outcome);
          } else if (outcome === 'retry') {
            fate.set(e.dialogKey, outcome);
            await store.settleEffect(
              e.seq,
              { status: 'retry', availableAt: now + 300, error: 'QUERY_LIMIT_EXCEEDED' },
              now,
            );
          } else {
            sent.set(e.dialogKey, [...(sent.get(e.dialogKey) ?? []), texts([e])[0]!]);
            await store.settleEffect(e.seq, { status: 'sent' }, now);
          }
        }
      }
      expect((await store.stats()).outboxDepth).toBe(0);
      expect(sent).toEqual(emitted);
    });
  });

  describe('settleEffect', () => {
    it('hides a retried effect until its availableAt, holding its dialog but not the others', async () => {
      const store = ctx.store();
      await emit(store, 'a', 0, 'a1', 'a2');
      await emit(store, 'b', 0, 'b1');
      const [a1] = await claim(store, T0, 1);
      await store.settleEffect(
        a1!.seq,
        { status: 'retry', availableAt: T0 + 2000, error: 'HTTP 503' },
        T0,
      );
      expect(texts(await claim(store, T0 + 1999))).toEqual(['b1']);
      const again = await claim(store, T0 + 2000);
      expect(texts(again)).toEqual(['a1', 'a2']);
      expect(again[0]).toMatchObject({ attempts: 1, availableAt: T0 + 2000 });
      expect(again[1]).toMatchObject({ attempts: 0 });
    });

    it('does not count a retry passed countAttempt: false (the portal rate-limited it)', async () => {
      const store = ctx.store();
      await emit(store, 'a', 0, 'a1');
      const [first] = await claim(store, T0);
      await store.settleEffect(
        first!.seq,
        {
          status: 'retry',
          availableAt: T0 + 100,
          error: 'QUERY_LIMIT_EXCEEDED',
          countAttempt: false,
        },
        T0,
      );
      const [second] = await claim(store, T0 + 100);
      expect(second).toMatchObject({ seq: first!.seq, attempts: 0, availableAt: T0 + 100 });
      await store.settleEffect(
        second!.seq,
        { status: 'retry', availableAt: T0 + 200, error: 'HTTP 500', countAttempt: true },
        T0 + 100,
      );
      const [third] = await claim(store, T0 + 200);
      expect(third).toMatchObject({ seq: first!.seq, attempts: 1 });
    });

    it('moves a failed effect to the dead letters with its error and lets the dialog go on', async () => {
      const store = ctx.store();
      await emit(store, 'a', 0, 'a1', 'a2');
      const [a1] = await claim(store, T0, 1);
      await store.settleEffect(
        a1!.seq,
        { status: 'failed', error: 'OPERATOR_WRONG', deadLetter: true },
        T0 + 5,
      );
      const dead = await store.deadLetters(10);
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({
        seq: a1!.seq,
        dialogKey: 'a',
        effect: { type: 'say', text: 'a1' },
        error: 'OPERATOR_WRONG',
        attempts: 1,
      });
      expect(texts(await claim(store, T0 + 5))).toEqual(['a2']);
      expect(await store.stats()).toMatchObject({ outboxDepth: 1, deadLetters: 1 });
      await store.settleEffect(a1!.seq, { status: 'sent' }, T0 + 6);
      expect(await store.deadLetters(10)).toHaveLength(1);
    });

    it('drops a failed effect when deadLetter is false', async () => {
      const store = ctx.store();
      await emit(store, 'a', 0, 'a1');
      const [a1] = await claim(store, T0);
      await store.settleEffect(
        a1!.seq,
        { status: 'failed', error: 'WRONG_CHAT', deadLetter: false },
        T0,
      );
      expect(await store.deadLetters(10)).toEqual([]);
      expect(await store.stats()).toMatchObject({ outboxDepth: 0, deadLetters: 0 });
    });

    it('ignores an effect that is not in the outbox', async () => {
      const store = ctx.store();
      await store.settleEffect(12345, { status: 'sent' }, T0);
      await store.settleEffect(12345, { status: 'retry', availableAt: T0, error: 'x' }, T0);
      expect(await store.stats()).toMatchObject({ outboxDepth: 0, deadLetters: 0 });
    });
  });

  describe('nextEffectAvailableAt', () => {
    it('reports when the first unsettled effect of some dialog becomes claimable', async () => {
      const store = ctx.store();
      expect(await store.nextEffectAvailableAt()).toBeUndefined();
      await emit(store, 'a', 0, 'a1', 'a2');
      expect(await store.nextEffectAvailableAt()).toBe(T0);
      await claim(store, T0 + 10, 1, 'p1', 500);
      // a2 is available but waits behind a1: the lease expiry of a1 is what counts.
      expect(await store.nextEffectAvailableAt()).toBe(T0 + 510);
      const [a1] = await claim(store, T0 + 510, 1);
      await store.settleEffect(
        a1!.seq,
        { status: 'retry', availableAt: T0 + 900, error: 'x' },
        T0 + 511,
      );
      expect(await store.nextEffectAvailableAt()).toBe(T0 + 900);
      for (const e of await claim(store, T0 + 900))
        await store.settleEffect(e.seq, { status: 'sent' }, T0 + 901);
      expect(await store.nextEffectAvailableAt()).toBeUndefined();
    });

    it('is later than now whenever claimEffects finds nothing at now', async () => {
      const store = ctx.store();
      await emit(store, 'a', 0, 'a1', 'a2');
      await emit(store, 'b', 0, 'b1');
      const [a1, , b1] = await claim(store, T0, 10, 'p1', 1000);
      await store.settleEffect(a1!.seq, { status: 'retry', availableAt: T0 + 300, error: 'x' }, T0);
      await store.settleEffect(b1!.seq, { status: 'sent' }, T0);
      expect(await claim(store, T0 + 100)).toEqual([]);
      expect(await store.nextEffectAvailableAt()).toBe(T0 + 300);
    });
  });

  describe('deadLetters', () => {
    it('lists dead letters in seq order up to the limit', async () => {
      const store = ctx.store();
      await emit(store, 'a', 0, 'a1');
      await emit(store, 'b', 0, 'b1');
      await emit(store, 'c', 0, 'c1');
      for (const e of await claim(store, T0)) {
        await store.settleEffect(
          e.seq,
          { status: 'failed', error: `no ${e.dialogKey}`, deadLetter: true },
          T0,
        );
      }
      expect((await store.deadLetters(2)).map((d) => d.error)).toEqual(['no a', 'no b']);
    });
  });
}
