/** Contract: durable timers fire once, at their deadline, through the dialog's inbox. */
import { T0, drainDialog, timer, turn, type ContractContext } from './contract-helpers';

export function timerContract(ctx: ContractContext): void {
  describe('fireDueTimers', () => {
    it('fires a due timer once: marks it fired and appends one inbox item for its dialog', async () => {
      const store = ctx.store();
      await store.commitTurn(
        'a',
        turn(0, { timers: [timer('t1', T0 + 600_000, { meta: { target: 'root' } })] }),
      );
      expect(await store.fireDueTimers(T0 + 599_999, 10)).toEqual([]);
      expect(await store.fireDueTimers(T0 + 600_000, 10)).toEqual(['a']);
      expect(await store.fireDueTimers(T0 + 700_000, 10)).toEqual([]);
      const [item, ...rest] = await drainDialog(store, 'a');
      expect(rest).toEqual([]);
      expect(item).toMatchObject({
        dialogKey: 'a',
        dedupeKey: `timer:a:t1:${T0 + 600_000}`,
        receivedAt: T0 + 600_000,
        payload: {
          kind: 'timer',
          timerKey: 't1',
          event: { type: 'xstate.after.t1' },
          meta: { target: 'root' },
          deadline: T0 + 600_000,
        },
      });
      expect((await store.loadDialog('a'))?.timers[0]?.fired).toBe(true);
      expect((await store.stats()).timersPending).toBe(0);
    });

    it('fires timers that passed while nobody looked, earliest first, at most limit per call', async () => {
      const store = ctx.store();
      await store.commitTurn(
        'a',
        turn(0, { timers: [timer('late', T0 + 30), timer('early', T0 + 10)] }),
      );
      await store.commitTurn('b', turn(0, { timers: [timer('mid', T0 + 20)] }));
      expect(await store.fireDueTimers(T0 + 1_000_000, 2)).toEqual(['a', 'b']);
      expect((await store.nextInbox('a'))?.payload).toMatchObject({ timerKey: 'early' });
      expect(await store.fireDueTimers(T0 + 1_000_000, 2)).toEqual(['a']);
      expect(
        (await drainDialog(store, 'a')).map((i) => (i.payload as { timerKey: string }).timerKey),
      ).toEqual(['early', 'late']);
    });

    it('never fires a timer that a later commit removed', async () => {
      const store = ctx.store();
      await store.commitTurn('a', turn(0, { timers: [timer('t1', T0 + 10)] }));
      await store.commitTurn('a', turn(1, { timers: [] }));
      expect(await store.fireDueTimers(T0 + 100, 10)).toEqual([]);
      expect(await store.nextInbox('a')).toBeUndefined();
    });

    it('does not fire again a timer committed back as fired', async () => {
      const store = ctx.store();
      await store.commitTurn('a', turn(0, { timers: [timer('t1', T0 + 10)] }));
      await store.fireDueTimers(T0 + 10, 10);
      const fired = (await store.loadDialog('a'))!.timers;
      await store.commitTurn('a', turn(1, { timers: fired }));
      expect(await store.fireDueTimers(T0 + 20, 10)).toEqual([]);
      expect(await drainDialog(store, 'a')).toHaveLength(1);
    });

    it('fires a timer re-armed with a new deadline again, and never twice for one deadline', async () => {
      const store = ctx.store();
      await store.commitTurn('a', turn(0, { timers: [timer('t1', T0 + 10)] }));
      await store.fireDueTimers(T0 + 10, 10);
      await drainDialog(store, 'a');
      await store.commitTurn('a', turn(1, { timers: [timer('t1', T0 + 10)] }));
      expect(await store.fireDueTimers(T0 + 20, 10)).toEqual([]);
      expect((await store.loadDialog('a'))?.timers[0]?.fired).toBe(true);
      await store.commitTurn('a', turn(2, { timers: [timer('t1', T0 + 50)] }));
      expect(await store.fireDueTimers(T0 + 50, 10)).toEqual(['a']);
    });

    it('fires each timer exactly once under parallel calls', async () => {
      const store = ctx.store();
      for (let d = 0; d < 10; d++) {
        await store.commitTurn(
          `d${d}`,
          turn(0, { timers: [timer('x', T0 + d), timer('y', T0 + 100 + d)] }),
        );
      }
      const woken = await Promise.all(
        Array.from({ length: 6 }, () => store.fireDueTimers(T0 + 1000, 7)),
      );
      expect(woken.flat().length).toBeGreaterThan(0);
      await store.fireDueTimers(T0 + 1000, 100);
      expect((await store.stats()).inboxDepth).toBe(20);
      expect((await store.stats()).timersPending).toBe(0);
    });
  });

  describe('nextTimerDeadline', () => {
    it('reports the earliest deadline among timers not yet fired', async () => {
      const store = ctx.store();
      expect(await store.nextTimerDeadline()).toBeUndefined();
      await store.commitTurn(
        'a',
        turn(0, { timers: [timer('t1', T0 + 50), timer('t2', T0 + 20)] }),
      );
      await store.commitTurn('b', turn(0, { timers: [timer('t3', T0 + 30)] }));
      expect(await store.nextTimerDeadline()).toBe(T0 + 20);
      await store.fireDueTimers(T0 + 25, 10);
      expect(await store.nextTimerDeadline()).toBe(T0 + 30);
      await store.fireDueTimers(T0 + 100, 10);
      expect(await store.nextTimerDeadline()).toBeUndefined();
    });
  });
}
