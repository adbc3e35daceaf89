import { OutboxIndex } from '../../src/store/sqlite-outbox-index';

const T0 = 1_000_000;

function indexOf(entries: Array<[seq: number, dialog: string, availableAt?: number]>): OutboxIndex {
  const index = new OutboxIndex();
  for (const [seq, dialogKey, availableAt] of entries)
    index.add({ seq, dialogKey, availableAt: availableAt ?? T0 });
  return index;
}

const seqs = (entries: ReadonlyArray<{ seq: number }>): number[] => entries.map((e) => e.seq);

describe('the SQLite outbox index', () => {
  it('offers a dialog’s effects in order, and none behind one that is held back', () => {
    const index = indexOf([
      [1, 'a'],
      [2, 'b', T0 + 500],
      [3, 'a'],
      [4, 'b'],
      [5, 'c'],
    ]);
    // b's first effect waits for its retry time: b's later effect waits behind it.
    expect(seqs(index.claimable(T0, 10))).toEqual([1, 3, 5]);
    expect(seqs(index.claimable(T0, 2))).toEqual([1, 3]);
    const [first] = index.claimable(T0, 1);
    index.lease([first!], 'p1', T0 + 1000);
    // a's first effect is in flight under a live lease: a's second one waits.
    expect(seqs(index.claimable(T0, 10))).toEqual([5]);
    // Once the lease has expired, the effect can be claimed again, with the one behind it.
    expect(seqs(index.claimable(T0 + 1000, 10))).toEqual([1, 2, 3, 4, 5]);
  });

  it('answers when the first unsettled effect of some dialog becomes claimable', () => {
    const index = indexOf([
      [1, 'a', T0 + 300],
      [2, 'a', T0 + 100],
      [3, 'b', T0 + 200],
    ]);
    // a's second effect (T0 + 100) waits behind its first: it does not count.
    expect(index.nextAvailableAt()).toBe(T0 + 200);
    index.remove(3);
    expect(index.nextAvailableAt()).toBe(T0 + 300);
    const [a1] = index.claimable(T0 + 300, 1);
    index.lease([a1!], 'p1', T0 + 5000);
    expect(index.nextAvailableAt()).toBe(T0 + 5000);
    index.remove(1);
    index.remove(2);
    expect(index.nextAvailableAt()).toBeUndefined();
    expect(index.size).toBe(0);
  });

  it('puts a requeued older effect back in seq order, and keeps order across compactions', () => {
    const index = new OutboxIndex();
    for (let seq = 1; seq <= 1000; seq++)
      index.add({ seq, dialogKey: `d${seq % 7}`, availableAt: T0 });
    // Settle most of them: the settled entries are compacted away on the way.
    for (let seq = 1; seq <= 1000; seq++) if (seq % 10 !== 0) index.remove(seq);
    expect(index.size).toBe(100);
    index.add({ seq: 55, dialogKey: 'requeued', availableAt: T0 });
    const all = seqs(index.claimable(T0, 1000));
    expect(all).toEqual([
      10,
      20,
      30,
      40,
      50,
      55,
      ...Array.from({ length: 95 }, (_, i) => 60 + i * 10),
    ]);
  });

  it('gives an unleased effect back to every claimer at once', () => {
    const index = indexOf([[1, 'a']]);
    const chosen = index.claimable(T0, 1);
    index.lease(chosen, 'p1', T0 + 60_000);
    expect(index.claimable(T0, 1)).toEqual([]);
    index.unlease(chosen);
    expect(seqs(index.claimable(T0, 1))).toEqual([1]);
    expect(index.get(1)).toMatchObject({ state: 'pending' });
    expect(index.get(1)?.owner).toBeUndefined();
  });
});
