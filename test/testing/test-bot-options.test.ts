/**
 * testBot options that shape the client's events: connector, language, CRM bindings, and the
 * Bitrix24 bot API the chat goes through.
 */
import { setup } from 'xstate';
import { defineBot } from '../../src/dsl/define-bot';
import { say } from '../../src/dsl/effect-actions';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';
import { testBot, type BotChat } from '../../src/testing/test-bot';

const echoInput = setup({
  types: {
    events: {} as BotEvent,
    input: {} as DialogInput,
    context: {} as { input: DialogInput },
  },
}).createMachine({
  id: 'echo_input',
  context: ({ input }) => ({ input }),
  initial: 'ready',
  states: {
    ready: {
      on: {
        join: {
          actions: say(
            ({ context }) =>
              `${context.input.connector}|${context.input.language}|${JSON.stringify(context.input.crm)}|v${context.input.bot.apiVersion}`,
          ),
        },
      },
    },
  },
});

const bot = defineBot({ code: 'echo_input', name: 'Echo input', version: '1', machine: echoInput });

describe('testBot options', () => {
  let chat: BotChat;
  afterEach(async () => {
    await chat.close();
  });

  it("uses the default connector, language, CRM binding and the bot's API version", async () => {
    chat = testBot(bot, { coverage: false });
    await chat.join();
    expect(chat.replies).toEqual(['telegrambot|en|{"lead":1209}|v2']);
  });

  it("sets the connector, language and CRM bindings of the client's events", async () => {
    chat = testBot(bot, {
      coverage: false,
      connector: 'whatsapp',
      language: 'ru',
      crm: { deal: 55, contact: 7 },
    });
    await chat.join();
    expect(chat.replies).toEqual(['whatsapp|ru|{"contact":7,"deal":55}|v2']);
  });

  it('talks through the v1 API when asked, whatever the bot declares', async () => {
    chat = testBot(bot, { coverage: false, apiVersion: 1, crm: {} });
    await chat.join();
    expect(chat.replies).toEqual(['telegrambot|en|{}|v1']);
    expect(chat.portal.bots.map((b) => [b.code, b.apiVersion])).toEqual([['echo_input', 1]]);
  });
});
