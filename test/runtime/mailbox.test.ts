import { createMailbox } from '../../src/runtime/mailbox';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('createMailbox', () => {
  it('runs one dialog at a time and different dialogs concurrently, up to the bound', async () => {
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const runningNow = new Set<string>();
    let maxConcurrent = 0;
    const mailbox = createMailbox({
      concurrency: 2,
      async run(key) {
        runningNow.add(key);
        maxConcurrent = Math.max(maxConcurrent, runningNow.size);
        const gate = deferred();
        gates.set(key, gate);
        await gate.promise;
        runningNow.delete(key);
        return false;
      },
      onError: () => undefined,
    });
    mailbox.start();
    for (const k of ['a', 'b', 'c', 'a']) mailbox.schedule(k);
    await tick();
    expect([...runningNow].sort()).toEqual(['a', 'b']);
    gates.get('a')!.resolve();
    await tick();
    // `a` was scheduled again while running: it runs again, after `c` got its turn in the queue.
    expect([...runningNow].sort()).toEqual(['b', 'c']);
    gates.get('b')!.resolve();
    await tick();
    expect([...runningNow].sort()).toEqual(['a', 'c']);
    gates.get('a')!.resolve();
    gates.get('c')!.resolve();
    await mailbox.idle();
    expect(maxConcurrent).toBe(2);
    expect(mailbox.isIdle()).toBe(true);
  });

  it('queues before start and runs after it', async () => {
    const ran: string[] = [];
    const mailbox = createMailbox({
      run: async (k) => (ran.push(k), false),
      onError: () => undefined,
    });
    mailbox.schedule('x');
    await tick();
    expect(ran).toEqual([]);
    mailbox.start();
    await mailbox.idle();
    expect(ran).toEqual(['x']);
  });

  it('runs a dialog again when its run asks for more', async () => {
    let runs = 0;
    const mailbox = createMailbox({ run: async () => ++runs < 3, onError: () => undefined });
    mailbox.start();
    mailbox.schedule('x');
    await mailbox.idle();
    expect(runs).toBe(3);
  });

  it('reports a failing run and goes on with other dialogs', async () => {
    const errors: string[] = [];
    const ran: string[] = [];
    const mailbox = createMailbox({
      concurrency: 1,
      run: async (k) => {
        if (k === 'bad') throw new Error('boom');
        ran.push(k);
        return false;
      },
      onError: (k) => errors.push(k),
    });
    mailbox.start();
    mailbox.schedule('bad');
    mailbox.schedule('good');
    await mailbox.idle();
    expect(errors).toEqual(['bad']);
    expect(ran).toEqual(['good']);
  });

  it('stop waits for running dialogs and starts no new ones', async () => {
    const gate = deferred();
    const ran: string[] = [];
    const mailbox = createMailbox({
      concurrency: 1,
      run: async (k) => {
        ran.push(k);
        await gate.promise;
        return false;
      },
      onError: () => undefined,
    });
    mailbox.start();
    mailbox.schedule('a');
    mailbox.schedule('b');
    await tick();
    let stopped = false;
    const stopping = mailbox.stop().then(() => (stopped = true));
    await tick();
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(ran).toEqual(['a']);
  });
});
