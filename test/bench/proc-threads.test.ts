import { Worker } from 'node:worker_threads';
import { procThreads } from '../../bench/targets';

/**
 * Starts a worker thread that burns `ms` of CPU time (its own, measured by itself), says so, and
 * stays alive until told to end: /proc forgets a thread once it has ended.
 */
async function burnOnWorker(ms: number): Promise<{ end(): Promise<void> }> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const start = process.cpuUsage();
     let x = 0;
     while (true) {
       for (let i = 0; i < 1e5; i++) x += Math.sqrt(x + i);
       const used = process.cpuUsage(start);
       // process.cpuUsage is the whole process's: the main thread is idle meanwhile.
       if ((used.user + used.system) / 1000 >= ${ms}) break;
     }
     parentPort.postMessage('burned');
     parentPort.once('message', () => process.exit(0));`,
    { eval: true },
  );
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => resolve());
  });
  return {
    end: () =>
      new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('end');
      }),
  };
}

describe('bench: procThreads reads CPU and wake-ups per thread from /proc', () => {
  beforeAll(() => {
    if (process.platform !== 'linux') throw new Error('procThreads reads /proc (Linux only)');
  });

  it('charges a busy worker to the other threads and a busy event loop to the main one', async () => {
    const before = procThreads({ pid: process.pid });
    const worker = await burnOnWorker(400);
    const during = procThreads({ pid: process.pid });
    await worker.end();
    const end = Date.now() + 300;
    let x = 0;
    while (Date.now() < end) x += Math.sqrt(x + 1);
    const after = procThreads({ pid: process.pid });
    expect(before && during && after).toBeTruthy();
    if (!before || !during || !after) return;
    expect(during.otherSeconds - before.otherSeconds).toBeGreaterThan(0.15);
    expect(after.mainSeconds - during.mainSeconds).toBeGreaterThan(0.15);
  });

  it('counts the main thread sleeping and waking as voluntary switches', async () => {
    const before = procThreads({ pid: process.pid });
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    const after = procThreads({ pid: process.pid });
    if (!before || !after) throw new Error('no /proc reading');
    expect(after.mainSwitches - before.mainSwitches).toBeGreaterThanOrEqual(20);
  });

  it('answers undefined for a process that does not exist', () => {
    expect(procThreads({ pid: 2 ** 22 + 12345 })).toBeUndefined();
  });
});
