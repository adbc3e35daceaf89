/**
 * Admission under load: new events are held back (nothing recorded, nothing acknowledged) while
 * the backlog is full, go on in arrival order as room frees, and never wait past `maxWaitMs`.
 */
import { admissionFromEnv } from '../../src/config/runtime-env';
import type { Metrics } from '../../src/metrics';
import {
  admissionOptionProblems,
  createAdmission,
  type AdmissionOutcome,
} from '../../src/runtime/admission';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime';
import { RuntimeStoppedError } from '../../src/runtime/runtime-stopped-error';
import { memoryStore } from '../../src/store/memory-store';
import type { Store } from '../../src/store/store';
import { messageEvent } from '../helpers/dialog-events';
import { capturingLogger } from '../helpers/capturing-logger';
import { fakeClock } from '../helpers/fake-clock';
import { recordingPortals, type RecordingPortals } from '../helpers/recording-client';
import { lookupBot } from '../helpers/test-bots';

/** Lets queued promise callbacks and immediates run (no time passes). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function tracked<T>(p: Promise<T>): { done: () => boolean; value: Promise<T> } {
  let done = false;
  const value = p.finally(() => (done = true));
  value.catch(() => undefined);
  return { done: () => done, value };
}

describe('createAdmission', () => {
  const setup = (option: { maxBacklog?: number; maxWaitMs?: number } | false) => {
    const clock = fakeClock();
    let backlog = 0;
    const waits: Array<[number, AdmissionOutcome]> = [];
    const gate = createAdmission({
      option,
      clock,
      backlog: () => backlog,
      onWaited: (ms, outcome) => waits.push([ms, outcome]),
    });
    return {
      clock,
      gate,
      waits,
      setBacklog: (n: number) => (backlog = n),
      enter: async () => {
        const e = gate.enter();
        return typeof e === 'function' ? e : e;
      },
    };
  };

  it('lets an event in at once while there is room, and counts it until it leaves', () => {
    const { gate } = setup({ maxBacklog: 2 });
    const first = gate.enter();
    const second = gate.enter();
    expect(typeof first).toBe('function');
    expect(typeof second).toBe('function');
    // Two inside: the third waits.
    expect(gate.enter()).toBeInstanceOf(Promise);
    expect(gate.waiting()).toBe(1);
  });

  it('holds events while the backlog is full and lets them in, in arrival order, as room frees', async () => {
    const { gate, waits, clock, setBacklog } = setup({ maxBacklog: 2, maxWaitMs: 5000 });
    setBacklog(2);
    const order: string[] = [];
    const a = tracked(Promise.resolve(gate.enter()).then((leave) => (order.push('a'), leave)));
    const b = tracked(Promise.resolve(gate.enter()).then((leave) => (order.push('b'), leave)));
    const c = tracked(Promise.resolve(gate.enter()).then((leave) => (order.push('c'), leave)));
    await settle();
    expect([a.done(), b.done(), c.done()]).toEqual([false, false, false]);
    clock.advance(40);
    setBacklog(1);
    gate.wake();
    await settle();
    // One slot freed: only the first waiter goes on.
    expect(order).toEqual(['a']);
    expect(gate.waiting()).toBe(2);
    (await a.value)();
    await settle();
    expect(order).toEqual(['a', 'b']);
    expect(c.done()).toBe(false);
    setBacklog(0);
    gate.wake();
    await settle();
    expect(order).toEqual(['a', 'b', 'c']);
    expect(waits.map(([, outcome]) => outcome)).toEqual(['admitted', 'admitted', 'admitted']);
    expect(waits[0]?.[0]).toBe(40);
  });

  it('lets a held event in after maxWaitMs whatever the backlog', async () => {
    const { gate, waits, clock, setBacklog } = setup({ maxBacklog: 1, maxWaitMs: 250 });
    setBacklog(5);
    const a = tracked(Promise.resolve(gate.enter()));
    clock.advance(249);
    await settle();
    expect(a.done()).toBe(false);
    clock.advance(1);
    await settle();
    expect(a.done()).toBe(true);
    expect(waits).toEqual([[250, 'timeout']]);
    expect(gate.waiting()).toBe(0);
  });

  it('a second leave() of the same event frees nothing more', async () => {
    const { gate } = setup({ maxBacklog: 1 });
    const leave = gate.enter() as () => void;
    const held = tracked(Promise.resolve(gate.enter()));
    leave();
    leave();
    await settle();
    expect(held.done()).toBe(true);
    // The held event is inside now: a third one waits, although leave() ran twice.
    expect(gate.enter()).toBeInstanceOf(Promise);
  });

  it('open() lets every held event in and holds none back after', async () => {
    const { gate, waits, setBacklog } = setup({ maxBacklog: 1 });
    setBacklog(3);
    const a = tracked(Promise.resolve(gate.enter()));
    const b = tracked(Promise.resolve(gate.enter()));
    gate.open();
    await settle();
    expect([a.done(), b.done()]).toEqual([true, true]);
    expect(waits.map(([, o]) => o)).toEqual(['opened', 'opened']);
    expect(typeof gate.enter()).toBe('function');
  });

  it('with admission off, never holds anything back', () => {
    const { gate, setBacklog } = setup(false);
    setBacklog(1_000_000);
    expect(typeof gate.enter()).toBe('function');
    expect(gate.waiting()).toBe(0);
  });

  it('refuses bad options with readable problems', () => {
    expect(admissionOptionProblems({ maxBacklog: 0 })).toEqual([
      'admission.maxBacklog must be a positive integer',
    ]);
    expect(admissionOptionProblems({ maxWaitMs: -1 })).toEqual([
      'admission.maxWaitMs must be a number of milliseconds from 0 to 60000',
    ]);
    expect(admissionOptionProblems('on')).toEqual([
      'admission must be false or { maxBacklog?, maxWaitMs? }',
    ]);
    expect(admissionOptionProblems(undefined)).toEqual([]);
    expect(admissionOptionProblems(false)).toEqual([]);
  });

  it('reads OPENLINES_MAX_BACKLOG and OPENLINES_ADMISSION_WAIT_MS', () => {
    expect(admissionFromEnv({})).toBeUndefined();
    expect(admissionFromEnv({ OPENLINES_MAX_BACKLOG: 'off' })).toBe(false);
    expect(
      admissionFromEnv({ OPENLINES_MAX_BACKLOG: '128', OPENLINES_ADMISSION_WAIT_MS: '500' }),
    ).toEqual({ maxBacklog: 128, maxWaitMs: 500 });
    expect(() => admissionFromEnv({ OPENLINES_MAX_BACKLOG: '-3' })).toThrow(
      /OPENLINES_MAX_BACKLOG: must be "off" or a positive integer/,
    );
    expect(() => admissionFromEnv({ OPENLINES_ADMISSION_WAIT_MS: 'soon' })).toThrow(
      /OPENLINES_ADMISSION_WAIT_MS/,
    );
  });
});

describe('the runtime holds new events back while its backlog is full', () => {
  let store: Store;
  let portals: RecordingPortals;
  let runtime: Runtime | undefined;
  const lookups = new Map<string, (status: string) => void>();
  const observed: Array<[string, number, string | undefined]> = [];
  const metrics: Metrics = {
    inc() {},
    set() {},
    observe: (name, value, labels) => observed.push([name, value, labels?.outcome]),
  };
  // Each lookup waits until the test answers it: the dialog's turn runs until then.
  const bot = lookupBot((id) => new Promise<string>((resolve) => lookups.set(id, resolve)));

  beforeEach(() => {
    store = memoryStore();
    portals = recordingPortals();
    lookups.clear();
    observed.length = 0;
    logLines.length = 0;
  });
  afterEach(async () => {
    for (const answer of lookups.values()) answer('late');
    await runtime?.stop();
    runtime = undefined;
    await store.close();
  });

  const { logger, lines: logLines } = capturingLogger({ level: 'info' });

  const start = async (admission: { maxBacklog: number; maxWaitMs?: number }): Promise<Runtime> => {
    runtime = createRuntime({
      logger,
      bots: [bot],
      store,
      clients: portals.clients,
      clock: fakeClock(),
      joinWindowMs: 0,
      inlineTurns: false,
      concurrency: 1,
      metrics,
      admission,
    });
    await runtime.start();
    return runtime;
  };
  const event = (chatId: number, text: string) =>
    messageEvent({ chatId, botCode: bot.code }, chatId, text);

  it('records nothing of a held event until a turn ends, then records and acknowledges it', async () => {
    const rt = await start({ maxBacklog: 1, maxWaitMs: 60_000 });
    expect(await rt.accept([event(1, 'a')])).toEqual([{ status: 'accepted', seq: 1 }]);
    await settle();
    expect(lookups.has('a')).toBe(true);
    const held = tracked(rt.accept([event(2, 'b')]));
    await settle();
    expect(held.done()).toBe(false);
    // Held back before the store: only the first event is in the inbox.
    expect((await store.stats()).inboxDepth).toBe(1);
    lookups.get('a')?.('shipped');
    expect(await held.value).toEqual([{ status: 'accepted', seq: 2 }]);
    expect(observed.filter(([n]) => n === 'openlines_admission_wait_seconds')).toEqual([
      ['openlines_admission_wait_seconds', expect.any(Number), 'admitted'],
    ]);
    await settle();
    lookups.get('b')?.('lost');
    await rt.idle();
    expect(portals.calls('member-1').map((c) => c.params.MESSAGE)).toEqual([
      'status: shipped',
      'status: lost',
    ]);
  });

  it('records a held event after maxWaitMs even though the backlog is still full', async () => {
    const rt = await start({ maxBacklog: 1, maxWaitMs: 0 });
    await rt.accept([event(1, 'a')]);
    await settle();
    expect(await rt.accept([event(2, 'b')])).toEqual([{ status: 'accepted', seq: 2 }]);
    expect(
      observed.filter(([n]) => n === 'openlines_admission_wait_seconds').map(([, , o]) => o),
    ).toEqual(['timeout']);
    expect(lookups.has('b')).toBe(false);
    // Said once (a minute apart at most), with the backlog it waited on.
    await rt.accept([event(3, 'c')]);
    const warnings = logLines.filter((l) => /waiting for the backlog/.test(l.msg));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, backlog: 1 });
  });

  it('refuses a held event when the runtime stops, so the sender sends it again', async () => {
    const rt = await start({ maxBacklog: 1, maxWaitMs: 60_000 });
    await rt.accept([event(1, 'a')]);
    await settle();
    const held = tracked(rt.accept([event(2, 'b')]));
    await settle();
    const stopped = rt.stop();
    await expect(held.value).rejects.toBeInstanceOf(RuntimeStoppedError);
    lookups.get('a')?.('shipped');
    await stopped;
    runtime = undefined;
    // Only the first event was ever recorded.
    expect((await store.stats()).inboxDepth).toBe(0);
    expect(lookups.has('b')).toBe(false);
  });
});
