import { BotLoadError, isBotDefinition, loadBot } from '../../src/cli/load-bot';
import { isOpenlinesError } from '../../src/errors';
import { REPO } from './run-cli-process';

describe('loadBot', () => {
  it('loads a folder holding bot.ts and a module with a named `bot` export', async () => {
    const support = await loadBot({ spec: 'bots/support', cwd: REPO });
    expect(support.code).toBe('support');
    expect(isBotDefinition(support)).toBe(true);
    const named = await loadBot({ spec: 'test/cli/fixtures/named-export-bot', cwd: REPO });
    expect(named.code).toBe('named_faq');
  });

  it('throws a typed BOT_LOAD error naming what is wrong', async () => {
    const missing = await loadBot({ spec: 'bots/none', cwd: REPO }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(BotLoadError);
    expect(isOpenlinesError(missing) && missing.code).toBe('BOT_LOAD');
    expect((missing as BotLoadError).toJSON()).toMatchObject({
      code: 'BOT_LOAD',
      spec: 'bots/none',
    });

    await expect(loadBot({ spec: 'package.json', cwd: REPO })).rejects.toThrow(
      '"package.json" is not a JavaScript or TypeScript module',
    );
    await expect(
      loadBot({ spec: 'test/cli/fixtures/machine-not-bot.ts', cwd: REPO }),
    ).rejects.toThrow(
      'The default export is an xstate machine (wrap it: defineBot({ code, name, version, machine }))',
    );
    const thrown = await loadBot({ spec: 'test/cli/fixtures/throws-on-load.ts', cwd: REPO }).catch(
      (e: unknown) => e,
    );
    expect((thrown as Error).message).toBe(
      'Could not load the bot module test/cli/fixtures/throws-on-load.ts: SHOP_API_URL is not set',
    );
    expect((thrown as { cause?: Error }).cause?.message).toBe('SHOP_API_URL is not set');
  });

  it('rejects values that only look like bots', () => {
    expect(
      isBotDefinition({ code: 'x', name: 'x', version: '1', apiVersion: 2, machine: {} }),
    ).toBe(false);
    expect(isBotDefinition(null)).toBe(false);
  });
});
