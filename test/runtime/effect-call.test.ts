import type { Effect, Keyboard } from '../../src/dsl/effect';
import { keyboard } from '../../src/dsl/keyboard';
import { ConfigError } from '../../src/errors';
import { effectMetaProblems, effectToCall, type EffectMeta } from '../../src/runtime/effect-call';
import { renderKeyboard } from '../../src/runtime/render-keyboard';

const v1: EffectMeta = { botId: 7, chatId: 1777, dialogId: 'chat1777', apiVersion: 1 };
const v2: EffectMeta = { botId: 7, chatId: 1777, dialogId: 'chat1777', apiVersion: 2 };

const menu: Keyboard = {
  rows: [
    [
      { text: 'Order status', command: 'order', params: '42' },
      { text: 'Human', command: 'operator', style: 'primary', block: true },
    ],
    [{ text: 'Site', link: 'https://example.com' }],
    [{ text: 'Call us', action: 'CALL', value: '+15550100' }],
  ],
};
const renderedMenu = {
  BOT_ID: 7,
  BUTTONS: [
    { TEXT: 'Order status', COMMAND: 'order', COMMAND_PARAMS: '42' },
    {
      TEXT: 'Human',
      COMMAND: 'operator',
      COMMAND_PARAMS: '',
      BG_COLOR_TOKEN: 'primary',
      BLOCK: 'Y',
    },
    { TYPE: 'NEWLINE' },
    { TEXT: 'Site', LINK: 'https://example.com' },
    { TYPE: 'NEWLINE' },
    { TEXT: 'Call us', ACTION: 'CALL', ACTION_VALUE: '+15550100' },
  ],
};
const attach = [{ MESSAGE: 'Order #42' }, { DELIMITER: { SIZE: 200 } }];

const SEND = 'imopenlines.bot.session.message.send';

describe('effectToCall', () => {
  const table: Array<[string, Effect, EffectMeta, string, Record<string, unknown>]> = [
    [
      'plain say, v1',
      { type: 'say', text: 'Hi' },
      v1,
      SEND,
      { CHAT_ID: 1777, NAME: 'DEFAULT', MESSAGE: 'Hi' },
    ],
    [
      'plain say, v2',
      { type: 'say', text: 'Hi' },
      v2,
      SEND,
      { CHAT_ID: 1777, NAME: 'DEFAULT', MESSAGE: 'Hi' },
    ],
    [
      'say with keyboard, v1',
      { type: 'say', text: 'Pick', keyboard: menu },
      v1,
      'imbot.message.add',
      { BOT_ID: 7, DIALOG_ID: 'chat1777', MESSAGE: 'Pick', KEYBOARD: renderedMenu },
    ],
    [
      'say with keyboard, v2',
      { type: 'say', text: 'Pick', keyboard: menu },
      v2,
      'imbot.v2.Chat.Message.send',
      { botId: 7, dialogId: 'chat1777', fields: { message: 'Pick', keyboard: renderedMenu } },
    ],
    [
      'say with attach, v1',
      { type: 'say', text: 'Order', attach },
      v1,
      'imbot.message.add',
      { BOT_ID: 7, DIALOG_ID: 'chat1777', MESSAGE: 'Order', ATTACH: attach },
    ],
    [
      'say with attach, v2',
      { type: 'say', text: 'Order', attach },
      v2,
      'imbot.v2.Chat.Message.send',
      { botId: 7, dialogId: 'chat1777', fields: { message: 'Order', attach } },
    ],
    [
      'say via bot, v1',
      { type: 'say', text: 'Hi', via: 'bot' },
      v1,
      'imbot.message.add',
      { BOT_ID: 7, DIALOG_ID: 'chat1777', MESSAGE: 'Hi' },
    ],
    [
      'say via bot, v2',
      { type: 'say', text: 'Hi', via: 'bot' },
      v2,
      'imbot.v2.Chat.Message.send',
      { botId: 7, dialogId: 'chat1777', fields: { message: 'Hi' } },
    ],
    ['greet, v1', { type: 'greet' }, v1, SEND, { CHAT_ID: 1777, NAME: 'WELCOME' }],
    ['greet, v2', { type: 'greet' }, v2, SEND, { CHAT_ID: 1777, NAME: 'WELCOME' }],
    [
      'typing, v1',
      { type: 'typing' },
      v1,
      'imbot.chat.sendTyping',
      { BOT_ID: 7, DIALOG_ID: 'chat1777' },
    ],
    [
      'typing, v2',
      { type: 'typing' },
      v2,
      'imbot.v2.Chat.InputAction.notify',
      { botId: 7, dialogId: 'chat1777' },
    ],
    [
      'toOperator, v1',
      { type: 'toOperator' },
      v1,
      'imopenlines.bot.session.operator',
      { CHAT_ID: 1777 },
    ],
    [
      'toOperator, v2',
      { type: 'toOperator' },
      v2,
      'imopenlines.bot.session.operator',
      { CHAT_ID: 1777 },
    ],
    [
      'transfer to a user, v1',
      { type: 'transfer', to: { userId: 12 } },
      v1,
      'imopenlines.bot.session.transfer',
      { CHAT_ID: 1777, USER_ID: 12, LEAVE: 'N' },
    ],
    [
      'transfer to a line, leaving, v2',
      { type: 'transfer', to: { lineId: 3 }, leave: true },
      v2,
      'imopenlines.bot.session.transfer',
      { CHAT_ID: 1777, QUEUE_ID: 3, LEAVE: 'Y' },
    ],
    [
      'transfer to a line, staying, v1',
      { type: 'transfer', to: { lineId: 3 }, leave: false },
      v1,
      'imopenlines.bot.session.transfer',
      { CHAT_ID: 1777, QUEUE_ID: 3, LEAVE: 'N' },
    ],
    ['finish, v1', { type: 'finish' }, v1, 'imopenlines.bot.session.finish', { CHAT_ID: 1777 }],
    ['finish, v2', { type: 'finish' }, v2, 'imopenlines.bot.session.finish', { CHAT_ID: 1777 }],
    [
      'call, v1',
      { type: 'call', method: 'crm.lead.add', params: { fields: { TITLE: 'x' } } },
      v1,
      'crm.lead.add',
      { fields: { TITLE: 'x' } },
    ],
    [
      'call, v2',
      { type: 'call', method: 'crm.lead.add', params: { fields: { TITLE: 'x' } } },
      v2,
      'crm.lead.add',
      { fields: { TITLE: 'x' } },
    ],
  ];

  it.each(table)('maps %s', (_name, effect, meta, method, params) => {
    const call = effectToCall(effect, meta);
    expect({ method: call.method, params: call.params }).toEqual({ method, params });
  });

  it('uses the numeric CHAT_ID for session methods and the dialog id for bot methods', () => {
    const meta: EffectMeta = { botId: 9, chatId: 55, dialogId: 'chat55', apiVersion: 1 };
    expect(effectToCall({ type: 'say', text: 'a' }, meta).params.CHAT_ID).toBe(55);
    expect(effectToCall({ type: 'say', text: 'a', via: 'bot' }, meta).params.DIALOG_ID).toBe(
      'chat55',
    );
  });

  it('sends every say through the bot API when the bot is set to sayVia bot', () => {
    const call = effectToCall({ type: 'say', text: 'Hi' }, { ...v2, sayVia: 'bot' });
    expect(call.method).toBe('imbot.v2.Chat.Message.send');
    expect(effectToCall({ type: 'say', text: 'Hi' }, { ...v1, sayVia: 'bot' }).method).toBe(
      'imbot.message.add',
    );
  });

  it('lets a single say choose the session path over the bot default', () => {
    expect(
      effectToCall({ type: 'say', text: 'Hi', via: 'session' }, { ...v2, sayVia: 'bot' }).method,
    ).toBe(SEND);
  });

  it('keeps a keyboard on the bot API even when the session path is forced', () => {
    const call = effectToCall(
      { type: 'say', text: 'Pick', keyboard: menu, via: 'session' },
      { ...v1, sayVia: 'session' },
    );
    expect(call.method).toBe('imbot.message.add');
    expect(call.params.KEYBOARD).toEqual(renderedMenu);
  });

  it('renders a keyboard made by the keyboard() builder', () => {
    const built = keyboard()
      .button('Yes', { command: 'yes' })
      .row()
      .button('No', { command: 'no', style: 'alert' })
      .build();
    const call = effectToCall({ type: 'say', text: 'Sure?', keyboard: built }, v2);
    expect((call.params.fields as { keyboard: unknown }).keyboard).toEqual({
      BOT_ID: 7,
      BUTTONS: [
        { TEXT: 'Yes', COMMAND: 'yes', COMMAND_PARAMS: '' },
        { TYPE: 'NEWLINE' },
        { TEXT: 'No', COMMAND: 'no', COMMAND_PARAMS: '', BG_COLOR_TOKEN: 'alert' },
      ],
    });
  });

  it('copies the params of a call effect instead of sharing them', () => {
    const params = { id: 1 };
    const call = effectToCall({ type: 'call', method: 'crm.lead.get', params }, v1);
    call.params.id = 2;
    expect(params.id).toBe(1);
  });

  it('throws a ConfigError listing every problem of invalid meta', () => {
    const bad = { botId: 0, chatId: -1, dialogId: '', apiVersion: 3 } as unknown as EffectMeta;
    expect(() => effectToCall({ type: 'greet' }, bad)).toThrow(ConfigError);
    try {
      effectToCall({ type: 'greet' }, bad);
    } catch (e) {
      expect((e as ConfigError).problems).toHaveLength(4);
    }
  });

  it('throws a ConfigError for a call effect with an invalid method name', () => {
    expect(() =>
      effectToCall({ type: 'call', method: 'crm.lead.add?x=1', params: {} }, v1),
    ).toThrow(ConfigError);
    expect(() => effectToCall({ type: 'call', method: 'batch', params: {} }, v1)).toThrow(
      /invalid REST method name "batch"/,
    );
  });

  it('sends an attachment without an empty MESSAGE and refuses a say with neither (#8)', () => {
    expect(effectToCall({ type: 'say', text: '', attach }, v1)).toEqual({
      method: 'imbot.message.add',
      params: { BOT_ID: 7, DIALOG_ID: 'chat1777', ATTACH: attach },
    });
    expect(effectToCall({ type: 'say', text: '', attach }, v2)).toEqual({
      method: 'imbot.v2.Chat.Message.send',
      params: { botId: 7, dialogId: 'chat1777', fields: { attach } },
    });
    expect(() => effectToCall({ type: 'say', text: '' }, v1)).toThrow(/MESSAGE_EMPTY/);
  });

  it('tells the client which bot generation a transfer or finish acts for (#8)', () => {
    expect(effectToCall({ type: 'finish' }, v1).botApiVersion).toBe(1);
    expect(effectToCall({ type: 'transfer', to: { lineId: 3 } }, v2).botApiVersion).toBe(2);
  });

  it('throws a ConfigError for an unknown effect type', () => {
    expect(() => effectToCall({ type: 'dance' } as unknown as Effect, v1)).toThrow(
      /unknown effect type "dance"/,
    );
  });
});

describe('effectMetaProblems', () => {
  it('accepts valid meta and rejects non-objects', () => {
    expect(effectMetaProblems({ value: { ...v2, sayVia: 'auto' } })).toEqual([]);
    expect(effectMetaProblems({ value: null })).toEqual(['effect meta must be an object']);
    expect(effectMetaProblems({ value: { ...v1, sayVia: 'fax' } })).toEqual([
      'sayVia must be "auto", "session" or "bot"',
    ]);
  });
});

describe('renderKeyboard', () => {
  it('drops empty rows and puts no NEWLINE at the edges', () => {
    expect(
      renderKeyboard({ keyboard: { rows: [[], [{ text: 'A', link: '/a' }], []] }, botId: 3 }),
    ).toEqual({
      BOT_ID: 3,
      BUTTONS: [{ TEXT: 'A', LINK: '/a' }],
    });
  });
});
