import { setup } from 'xstate';
import { defineBot, type MigrateFn } from '../../src/dsl/define-bot';
import { migrateSnapshot } from '../../src/runtime/migrate-snapshot';

const machine = setup({}).createMachine({});
const bot = (migrate?: MigrateFn) =>
  defineBot({ code: 'b1', name: 'B', version: '2', machine, ...(migrate ? { migrate } : {}) });

describe('migrateSnapshot', () => {
  it('keeps a snapshot of the current version', async () => {
    await expect(
      migrateSnapshot({ bot: bot(), snapshot: { value: 'a' }, fromVersion: '2' }),
    ).resolves.toEqual({ status: 'current', snapshot: { value: 'a' } });
  });

  it('migrates with a copy of the stored snapshot', async () => {
    const stored = { value: 'old' };
    const r = await migrateSnapshot({
      bot: bot(({ snapshot }) => {
        (snapshot as { value: string }).value = 'new';
        return snapshot;
      }),
      snapshot: stored,
      fromVersion: '1',
    });
    expect(r).toEqual({ status: 'migrated', snapshot: { value: 'new' } });
    expect(stored.value).toBe('old');
  });

  it('asks for a restart without migrate, when migrate returns nothing or throws', async () => {
    for (const b of [
      bot(),
      bot(() => undefined),
      bot(() => 'text'),
      bot(() => Promise.reject(new Error('nope'))),
    ]) {
      await expect(
        migrateSnapshot({ bot: b, snapshot: {}, fromVersion: '1' }),
      ).resolves.toMatchObject({ status: 'restart' });
    }
  });
});
