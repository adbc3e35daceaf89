import { createActor, fromPromise, setup, type AnyActorRef } from 'xstate';
import { waitForSettled } from '../../src/runtime/wait-for-settled';
import { fakeClock } from '../helpers/fake-clock';

function pending<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function machineWith(work: () => Promise<string>) {
  const child = setup({ actors: { work: fromPromise(work) } }).createMachine({
    initial: 'busy',
    states: { busy: { invoke: { src: 'work', onDone: 'done' } }, done: {} },
  });
  return setup({ actors: { work: fromPromise(work), child } }).createMachine({
    initial: 'idle',
    states: {
      idle: { on: { go: 'working', nested: 'nesting' } },
      working: { invoke: { src: 'work', onDone: 'idle' } },
      nesting: { invoke: { src: 'child' } },
    },
  });
}

function started(machine: ReturnType<typeof machineWith>): AnyActorRef {
  const actor = createActor(machine);
  actor.subscribe({ error: () => undefined });
  actor.start();
  return actor;
}

describe('waitForSettled', () => {
  it('resolves at once when nothing is running', async () => {
    const actor = started(machineWith(() => Promise.resolve('x')));
    await expect(waitForSettled({ actor, clock: fakeClock(), timeoutMs: 10 })).resolves.toBe(
      'settled',
    );
  });

  it('waits for an invoked promise and the transition it causes', async () => {
    const work = pending<string>();
    const actor = started(machineWith(() => work.promise));
    actor.send({ type: 'go' });
    const result = waitForSettled({ actor, clock: fakeClock(), timeoutMs: 10 });
    work.resolve('ok');
    await expect(result).resolves.toBe('settled');
    expect(actor.getSnapshot().value).toBe('idle');
  });

  it('waits for work inside a child machine', async () => {
    const work = pending<string>();
    const actor = started(machineWith(() => work.promise));
    actor.send({ type: 'nested' });
    let settled = false;
    const result = waitForSettled({ actor, clock: fakeClock(), timeoutMs: 10 }).then(
      (r) => ((settled = true), r),
    );
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    work.resolve('ok');
    await expect(result).resolves.toBe('settled');
  });

  it('reports an error when unhandled invoked work fails', async () => {
    const work = pending<string>();
    const m = setup({ actors: { work: fromPromise(() => work.promise) } }).createMachine({
      invoke: { src: 'work' },
    });
    const actor = createActor(m);
    actor.subscribe({ error: () => undefined });
    actor.start();
    const result = waitForSettled({ actor, clock: fakeClock(), timeoutMs: 10 });
    work.reject(new Error('down'));
    await expect(result).resolves.toBe('error');
  });

  it('times out on the given clock', async () => {
    const clock = fakeClock();
    const actor = started(machineWith(() => new Promise<string>(() => undefined)));
    actor.send({ type: 'go' });
    const result = waitForSettled({ actor, clock, timeoutMs: 500 });
    clock.advance(499);
    clock.advance(1);
    await expect(result).resolves.toBe('timeout');
    expect(clock.pending()).toBe(0);
  });
});
