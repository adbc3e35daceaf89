import { assign, setup } from 'xstate';
import { defineBot } from '../../src/dsl/define-bot';
import { answerCommand, react, sendFile, unreact } from '../../src/dsl/media-actions';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';
import { effectToCall, type EffectMeta } from '../../src/runtime/effect-call';
import { isOpenlinesError } from '../../src/errors';
import { testBot } from '../../src/testing/test-bot';

const PDF = Buffer.from('%PDF-1.4 invoice 42\n');
const v2: EffectMeta = { botId: 571, chatId: 1777, dialogId: 'chat1777', apiVersion: 2 };
const v1: EffectMeta = { ...v2, apiVersion: 1 };

function fileBot(apiVersion: 1 | 2) {
  const machine = setup({
    types: {
      context: {},
      events: {} as BotEvent,
      input: {} as DialogInput,
    },
  }).createMachine({
    context: {},
    on: {
      message: {
        actions: sendFile({ name: 'invoice.pdf', content: PDF, text: 'Your invoice' }),
      },
      command: {
        actions: [
          answerCommand(({ event }) => `You asked for /${event.command}`),
          react({ messageId: 555, reaction: 'redHeart' }),
          unreact({ messageId: 555, reaction: 'redHeart' }),
        ],
      },
      'effect.failed': { actions: assign({ failed: ({ event }) => event.code }) },
    },
  });
  return defineBot({
    code: `files_v${apiVersion}`,
    name: 'Files',
    version: '1',
    apiVersion,
    machine,
    commands: [{ command: 'help', title: 'Help' }],
  });
}

describe('sendFile', () => {
  it('maps to imbot.v2.File.upload with the base64 content and the message', () => {
    expect(
      effectToCall({ type: 'sendFile', name: 'a.txt', content: 'aGk=', text: 'hi' }, v2),
    ).toEqual({
      method: 'imbot.v2.File.upload',
      params: {
        botId: 571,
        dialogId: 'chat1777',
        fields: { name: 'a.txt', content: 'aGk=', message: 'hi' },
      },
    });
  });

  it('refuses a v1 bot with an error that says to use v2', () => {
    let error: unknown;
    try {
      effectToCall({ type: 'sendFile', name: 'a.txt', content: 'aGk=' }, v1);
    } catch (e) {
      error = e;
    }
    expect(isOpenlinesError(error) && error.code).toBe('CONFIG');
    expect(String((error as Error).message)).toMatch(/needs a v2 bot.*imbot\.v2\.File\.upload/s);
  });

  it('refuses content that is not base64 and names with slashes', () => {
    expect(() =>
      effectToCall({ type: 'sendFile', name: 'a.txt', content: 'not base64!' }, v2),
    ).toThrow(/base64/);
    expect(() => effectToCall({ type: 'sendFile', name: '../a.txt', content: 'aGk=' }, v2)).toThrow(
      /slashes/,
    );
  });

  it('arrives at the fake portal as the documented upload (name, base64 content, message)', async () => {
    const chat = testBot(fileBot(2));
    await chat.send('send me the invoice');
    const [upload] = chat.calls.filter((c) => c.method === 'imbot.v2.File.upload');
    expect(upload?.error).toBeUndefined();
    expect(upload?.params).toMatchObject({
      botId: expect.anything(),
      dialogId: 'chat1777',
      fields: { name: 'invoice.pdf', content: PDF.toString('base64'), message: 'Your invoice' },
    });
    const message = chat.portal.chat(1777).messages.find((m) => m.files?.length);
    expect(message?.text).toBe('Your invoice');
    expect(message?.files?.[0]).toMatchObject({ name: 'invoice.pdf', size: PDF.length });
    expect(Buffer.from(message?.files?.[0]?.content ?? '', 'base64').equals(PDF)).toBe(true);
    await chat.close();
  });

  it('fails as effect.failed for a v1 bot, nothing sent', async () => {
    const chat = testBot(fileBot(1));
    await chat.send('send me the invoice');
    expect(chat.calls.filter((c) => c.method === 'imbot.v2.File.upload')).toEqual([]);
    expect(chat.context).toMatchObject({ failed: 'INVALID_EFFECT' });
    await chat.close();
  });
});

describe('react / unreact / answerCommand', () => {
  it('map to the v2 reaction methods and Command.answer', () => {
    expect(effectToCall({ type: 'react', messageId: 9, reaction: 'like' }, v2)).toEqual({
      method: 'imbot.v2.Chat.Message.Reaction.add',
      params: { botId: 571, messageId: 9, reaction: 'like' },
    });
    expect(
      effectToCall({ type: 'react', messageId: 9, reaction: 'like', remove: true }, v2).method,
    ).toBe('imbot.v2.Chat.Message.Reaction.delete');
    expect(
      effectToCall({ type: 'answerCommand', commandId: 3, messageId: 9, text: 'ok' }, v2),
    ).toEqual({
      method: 'imbot.v2.Command.answer',
      params: {
        botId: 571,
        commandId: 3,
        messageId: 9,
        dialogId: 'chat1777',
        fields: { message: 'ok' },
      },
    });
    expect(
      effectToCall({ type: 'answerCommand', commandId: 3, messageId: 9, text: 'ok' }, v1),
    ).toEqual({
      method: 'imbot.command.answer',
      params: { COMMAND_ID: 3, MESSAGE_ID: 9, MESSAGE: 'ok' },
    });
  });

  it('refuses unknown reaction codes, and anything but like for v1', () => {
    expect(() =>
      effectToCall({ type: 'react', messageId: 9, reaction: 'meh' as never }, v2),
    ).toThrow(/unknown reaction/);
    expect(() => effectToCall({ type: 'react', messageId: 9, reaction: 'fire' }, v1)).toThrow(
      /v2 bot/,
    );
  });

  it('reach the fake portal: the command answered, the reaction set and removed', async () => {
    const chat = testBot(fileBot(2));
    await chat.command('help');
    const answer = chat.calls.find((c) => c.method === 'imbot.v2.Command.answer');
    expect(answer?.error).toBeUndefined();
    expect(answer?.params).toMatchObject({
      fields: { message: 'You asked for /help' },
      dialogId: 'chat1777',
    });
    const reactions = chat.calls.filter((c) =>
      c.method.startsWith('imbot.v2.Chat.Message.Reaction.'),
    );
    expect(reactions.map((c) => [c.method, c.params.reaction, c.error])).toEqual([
      ['imbot.v2.Chat.Message.Reaction.add', 'redHeart', undefined],
      ['imbot.v2.Chat.Message.Reaction.delete', 'redHeart', undefined],
    ]);
    await chat.close();
  });
});
