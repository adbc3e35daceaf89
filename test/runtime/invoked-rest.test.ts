import { createActor, waitFor } from 'xstate';
import { createRestClient } from '../../src/bitrix/create-rest-client';
import type { RestClient } from '../../src/bitrix/types';
import { fromRestCall, RestCallUnavailableError } from '../../src/dsl/from-rest-call';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';
import { DEFAULT_FALLBACK } from '../../src/runtime/fallback';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime';
import { memoryStore } from '../../src/store/memory-store';
import { dialogKeyOf, type Store } from '../../src/store/store';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { messageEvent } from '../helpers/dialog-events';
import { fakeClock, type FakeClock } from '../helpers/fake-clock';
import { leadBot, leadMachine } from '../helpers/lead-bot';
import { recordingPortals } from '../helpers/recording-client';

const chat = { chatId: 1777, botCode: 'lead_bot' };
const key = dialogKeyOf('member-1', 571, 1777);

async function contextOf(store: Store): Promise<unknown> {
  const record = await store.loadDialog(key);
  return (record?.snapshot as { context: unknown } | undefined)?.context;
}

describe('fromRestCall', () => {
  describe('in the runtime, against a fake portal', () => {
    let portal: FakePortal;
    let clock: FakeClock;
    let store: Store;
    let runtime: Runtime;
    const portalIds: string[] = [];

    beforeEach(async () => {
      portal = await createFakePortal({ rateLimit: false });
      portal.openChat({ chatId: 1777, lineId: 1 });
      const client = createRestClient({
        auth: { type: 'webhook', url: portal.webhookUrl },
        retries: { retries: 0 },
      });
      clock = fakeClock();
      store = memoryStore();
      portalIds.length = 0;
      runtime = createRuntime({
        // A first message starts its conversation at once: these tests are not about the join race.
        joinWindowMs: 0,
        bots: [leadBot()],
        store,
        clock,
        clients: (portalId) => {
          portalIds.push(portalId);
          return client;
        },
      });
      await runtime.start();
    });
    afterEach(async () => {
      await runtime.stop();
      await portal.close();
    });

    it('gives the machine the REST result and commits it with the state', async () => {
      await runtime.accept([messageEvent(chat, 1, 'Anna')]);
      await runtime.idle();

      expect(portal.leads).toEqual([{ id: 1, fields: { TITLE: 'Anna' } }]);
      expect(await contextOf(store)).toEqual({ title: 'Anna', leadId: 1 });
      expect(portal.chat(1777).messages.map((m) => m.text)).toEqual(['saving', 'lead 1']);
      expect(new Set(portalIds)).toEqual(new Set(['member-1']));
    });

    it('makes the call inside the turn: the turn’s effects leave after it, even those emitted before', async () => {
      await runtime.accept([messageEvent(chat, 1, 'Anna')]);
      await runtime.idle();

      const methods = portal.calls.filter((c) => c.method !== 'batch').map((c) => c.method);
      expect(methods).toEqual([
        'crm.lead.add',
        'imopenlines.bot.session.message.send',
        'imopenlines.bot.session.message.send',
      ]);
    });

    it('passes a refused call to onError as an ApiError with the Bitrix24 code', async () => {
      portal.failNext('crm.lead.add', 'ACCESS_DENIED');
      await runtime.accept([messageEvent(chat, 1, 'Anna')]);
      await runtime.idle();

      expect(await contextOf(store)).toEqual({
        title: 'Anna',
        refusal: { name: 'ApiError', code: 'API_ERROR', error: 'ACCESS_DENIED' },
      });
      expect(portal.leads).toEqual([]);
      expect(portal.chat(1777).messages.map((m) => m.text)).toEqual(['saving', 'refused']);
    });
  });

  describe('in the runtime, against a recording client', () => {
    let clock: FakeClock;
    let runtime: Runtime | undefined;

    beforeEach(() => {
      clock = fakeClock();
    });
    afterEach(async () => {
      await runtime?.stop();
      runtime = undefined;
    });

    it('makes the call again when the commit after it is lost (at-least-once)', async () => {
      const portals = recordingPortals();
      const store = memoryStore();
      let lose = true;
      // The first commit fails the way a process dying after the call would leave it: not committed.
      const flaky = new Proxy(store, {
        get(target, prop) {
          if ((prop === 'commitTurn' || prop === 'commitInlineTurn') && lose)
            return () => {
              lose = false;
              return Promise.reject(new Error('the process died before the commit'));
            };
          const value = Reflect.get(target, prop) as unknown;
          return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
        },
      });
      runtime = createRuntime({
        joinWindowMs: 0,
        bots: [leadBot()],
        store: flaky,
        clients: portals.clients,
        clock,
      });
      await runtime.start();
      await runtime.accept([messageEvent(chat, 1, 'Anna')]);
      await runtime.idle();
      expect(portals.calls('member-1').map((c) => c.method)).toEqual(['crm.lead.add']);

      clock.advance(1_000); // the runtime's retry of the failed dialog
      await runtime.idle();

      expect(portals.calls('member-1').map((c) => c.method)).toEqual([
        'crm.lead.add',
        'crm.lead.add',
        'imopenlines.bot.session.message.send',
        'imopenlines.bot.session.message.send',
      ]);
      expect(
        portals
          .calls('member-1')
          .slice(2)
          .map((c) => c.params.MESSAGE),
      ).toEqual(['saving', 'lead true']);
    });

    it('aborts a call that outlives the turn timeout, and the dialog gets the fallback', async () => {
      const portals = recordingPortals();
      let signal: AbortSignal | undefined;
      let called!: () => void;
      const started = new Promise<void>((resolve) => (called = resolve));
      const hanging = (portalId: string): RestClient => {
        const recording = portals.clients(portalId);
        return {
          portalId,
          batch: (calls, options) => recording.batch(calls, options),
          call<T>(
            method: string,
            params?: Record<string, unknown>,
            options?: { signal?: AbortSignal },
          ) {
            if (method !== 'crm.lead.add') return recording.call<T>(method, params, options);
            signal = options?.signal;
            called();
            return new Promise<T>(() => undefined);
          },
        };
      };
      const store = memoryStore();
      runtime = createRuntime({
        joinWindowMs: 0,
        bots: [leadBot()],
        store,
        clients: hanging,
        clock,
        turnTimeoutMs: 1_000,
      });
      await runtime.start();
      await runtime.accept([messageEvent(chat, 1, 'Anna')]);
      await started;
      expect(signal?.aborted).toBe(false);

      clock.advance(1_000);
      await runtime.idle();

      expect(signal?.aborted).toBe(true);
      expect(portals.calls('member-1').map((c) => c.method)).toEqual([
        'imopenlines.bot.session.message.send',
        'imopenlines.bot.session.operator',
      ]);
      expect(portals.calls('member-1')[0]?.params.MESSAGE).toBe(
        (DEFAULT_FALLBACK[0] as { text: string }).text,
      );
    });

    it('refuses input that names no REST method, without calling', async () => {
      const portals = recordingPortals();
      const store = memoryStore();
      runtime = createRuntime({
        joinWindowMs: 0,
        bots: [leadBot('not a method!')],
        store,
        clients: portals.clients,
        clock,
      });
      await runtime.start();
      await runtime.accept([messageEvent(chat, 1, 'Anna')]);
      await runtime.idle();

      expect(await contextOf(store)).toEqual({
        title: 'Anna',
        refusal: { name: 'ConfigError', code: 'CONFIG' },
      });
      expect(portals.calls('member-1').map((c) => c.params.MESSAGE)).toEqual(['saving', 'refused']);
    });
  });

  describe('outside the runtime', () => {
    it('rejects with RestCallUnavailableError, which reaches onError', async () => {
      const actor = createActor(leadMachine(), {
        input: { chatId: 1 } as unknown as DialogInput,
      }).start();
      actor.send({ type: 'message', text: 'Anna' } as BotEvent);
      const snap = await waitFor(actor, (s) => s.context.refusal !== undefined);
      actor.stop();

      expect(snap.context.refusal).toEqual({ name: 'RestCallUnavailableError', code: 'CONFIG' });
    });

    it('explains where invoked calls run and how to replace them', async () => {
      const actor = createActor(fromRestCall(), { input: { method: 'crm.lead.add' } });
      const failed = new Promise<unknown>((resolve) => actor.subscribe({ error: resolve }));
      actor.start();
      const error = await failed;

      expect(error).toBeInstanceOf(RestCallUnavailableError);
      expect((error as RestCallUnavailableError).method).toBe('crm.lead.add');
      expect((error as Error).message).toMatch(/only inside the openlines-bot runtime/);
      expect((error as Error).message).toMatch(/machine\.provide/);
    });
  });
});
