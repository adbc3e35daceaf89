import { dialogInputOf, toBotEvent } from '../../src/runtime/bot-event';
import { commandEvent, joinEvent, messageEvent } from '../helpers/dialog-events';

const chat = { chatId: 1777 };

describe('toBotEvent', () => {
  it('maps join, message and command events', () => {
    expect(toBotEvent(joinEvent(chat))).toEqual({
      type: 'join',
      client: { id: 11_777, name: 'Client', isConnector: true },
    });
    expect(toBotEvent(messageEvent(chat, 5, 'hi'))).toEqual({
      type: 'message',
      text: 'hi',
      messageId: 5,
      files: [],
    });
    expect(toBotEvent(commandEvent(chat, 'order', 1))).toEqual({
      type: 'command',
      command: 'order',
      params: '',
      source: 'keyboard',
    });
    expect(
      toBotEvent({ ...commandEvent(chat, 'help', 2), context: 'textarea', messageId: 9 }),
    ).toEqual({ type: 'command', command: 'help', params: '', source: 'slash', messageId: 9 });
  });

  it('maps edits, deletions and reactions', () => {
    const m = messageEvent(chat, 5, 'x');
    expect(toBotEvent({ ...m, kind: 'message.edit' })).toEqual({
      type: 'message.edit',
      text: 'x',
      messageId: 5,
    });
    expect(toBotEvent({ ...m, kind: 'message.delete' })).toEqual({
      type: 'message.delete',
      messageId: 5,
    });
    expect(toBotEvent({ ...m, kind: 'reaction', reaction: 'like', action: 'add' })).toEqual({
      type: 'reaction',
      messageId: 5,
      reaction: 'like',
      action: 'add',
    });
  });

  it('keeps system messages away from machines', () => {
    expect(toBotEvent({ ...messageEvent(chat, 5), isSystem: true })).toBeUndefined();
  });

  it('hands the v2 context event to machines as a typed event (#8)', () => {
    const context = { entityId: 164, entityType: 'task', source: 'link' };
    expect(toBotEvent({ ...messageEvent(chat, 5), kind: 'context', context })).toEqual({
      type: 'context',
      context,
    });
    expect(toBotEvent({ ...messageEvent(chat, 5), kind: 'context', context: 'x' })).toEqual({
      type: 'context',
      context: { value: 'x' },
    });
  });
});

describe('dialogInputOf', () => {
  it('builds the machine input from the event that starts the conversation', () => {
    expect(
      dialogInputOf({
        event: { ...joinEvent(chat), crm: { lead: 3 }, language: 'en' },
        botCode: 'support',
      }),
    ).toEqual({
      portal: { memberId: 'member-1', domain: 'member-1.bitrix24.com' },
      bot: { id: 571, code: 'support', apiVersion: 2 },
      chatId: 1777,
      dialogId: 'chat1777',
      lineId: 3,
      connector: 'telegrambot',
      sessionId: 2677,
      crm: { lead: 3 },
      client: { id: 11_777, name: 'Client', isConnector: true },
      language: 'en',
    });
  });
});
