import { EventEmitter } from 'node:events';
import { installShutdown } from '../../src/http/install-shutdown';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('installShutdown', () => {
  it('closes the server with the deadline on SIGTERM, then exits 0', async () => {
    const target = new EventEmitter();
    const done = deferred();
    const close = jest.fn((_o?: { deadlineMs?: number }) => done.promise);
    const exits: number[] = [];
    installShutdown({ close }, { deadlineMs: 1234, target, exit: (c) => exits.push(c) });
    target.emit('SIGTERM', 'SIGTERM');
    expect(close).toHaveBeenCalledWith({ deadlineMs: 1234 });
    expect(exits).toEqual([]);
    done.resolve();
    await done.promise;
    await new Promise((r) => setImmediate(r));
    expect(exits).toEqual([0]);
  });

  it('exits 1 at once on a second signal, and 1 when closing fails', async () => {
    const target = new EventEmitter();
    const done = deferred();
    const exits: number[] = [];
    installShutdown({ close: () => done.promise }, { target, exit: (c) => exits.push(c) });
    target.emit('SIGINT', 'SIGINT');
    target.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([1]);
    done.reject(new Error('store would not close'));
    await done.promise.catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    expect(exits).toEqual([1, 1]);
  });

  it('removes its handlers when uninstalled', () => {
    const target = new EventEmitter();
    const close = jest.fn(() => Promise.resolve());
    const uninstall = installShutdown({ close }, { target, exit: () => undefined });
    expect(target.listenerCount('SIGTERM')).toBe(1);
    uninstall();
    target.emit('SIGTERM', 'SIGTERM');
    expect(close).not.toHaveBeenCalled();
    expect(target.listenerCount('SIGTERM')).toBe(0);
  });
});
