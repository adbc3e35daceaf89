import { setup } from 'xstate';
import { defineBot } from '../../src/dsl/define-bot';
import { ConfigError } from '../../src/errors';
import { createBotRegistry } from '../../src/runtime/bot-registry';
import { memoryStore } from '../../src/store/memory-store';
import { messageEvent } from '../helpers/dialog-events';

const machine = setup({}).createMachine({});
const a = defineBot({ code: 'bot_a', name: 'A', version: '1', machine });
const b = defineBot({ code: 'bot_b', name: 'B', version: '1', machine });

describe('createBotRegistry', () => {
  it('resolves by the code the event carries', async () => {
    const r = createBotRegistry({ bots: [a, b], store: memoryStore() });
    await expect(r.resolve(messageEvent({ chatId: 1, botCode: 'bot_b' }, 1))).resolves.toBe(b);
    await expect(
      r.resolve(messageEvent({ chatId: 1, botCode: 'other' }, 1)),
    ).resolves.toBeUndefined();
  });

  it('resolves by the bot ids of the portal record when the code is missing', async () => {
    const store = memoryStore();
    await store.savePortal({
      memberId: 'member-1',
      domain: 'x',
      bots: { bot_a: { id: 571, apiVersion: 2 }, bot_b: { id: 572, apiVersion: 2 } },
      installedAt: 0,
      updatedAt: 0,
    });
    const r = createBotRegistry({ bots: [a, b], store });
    await expect(r.resolve(messageEvent({ chatId: 1, botId: 572 }, 1))).resolves.toBe(b);
    await expect(r.resolve(messageEvent({ chatId: 1, botId: 999 }, 1))).resolves.toBeUndefined();
  });

  it('falls back to the only bot served', async () => {
    const r = createBotRegistry({ bots: [a], store: memoryStore() });
    await expect(r.resolve(messageEvent({ chatId: 1, botId: 5 }, 1))).resolves.toBe(a);
  });

  it('rejects an empty list and duplicate codes', () => {
    expect(() => createBotRegistry({ bots: [], store: memoryStore() })).toThrow(ConfigError);
    expect(() => createBotRegistry({ bots: [a, a], store: memoryStore() })).toThrow(
      /two bots have the code "bot_a"/,
    );
  });
});
