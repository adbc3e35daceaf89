import { choicesOf, describeRestCall, formatChatOutput } from '../../src/cli/describe-rest-call';
import { parseDuration } from '../../src/cli/chat-command';

describe('describeRestCall', () => {
  it('shows v1 and v2 bot messages with their keyboards as choices', () => {
    const v1 = describeRestCall({
      method: 'imbot.message.add',
      params: {
        BOT_ID: 7,
        DIALOG_ID: 'chat1',
        MESSAGE: 'Pick one',
        KEYBOARD: {
          BOT_ID: 7,
          BUTTONS: [
            { TEXT: 'A', COMMAND: 'a', COMMAND_PARAMS: 'x' },
            { TYPE: 'NEWLINE' },
            { TEXT: 'Site', LINK: 'https://example.com' },
          ],
        },
      },
    });
    expect(v1).toEqual({
      kind: 'bot',
      text: 'Pick one',
      via: 'imbot.message.add',
      choices: [
        { text: 'A', command: 'a', params: 'x' },
        { text: 'Site', link: 'https://example.com' },
      ],
    });
    expect(formatChatOutput(v1!)).toEqual([
      'bot: Pick one',
      '  1) A',
      '  2) Site (https://example.com)',
    ]);
    const v2 = describeRestCall({
      method: 'imbot.v2.Chat.Message.send',
      params: {
        fields: {
          message: 'Hi\nthere',
          keyboard: JSON.stringify([{ TEXT: 'Go', ACTION: 'send', ACTION_VALUE: 'go' }]),
        },
      },
    });
    expect(formatChatOutput(v2!)).toEqual(['bot: Hi', '     there', '  1) Go (send "go")']);
  });

  it('shows hand-off, typing and other calls as system lines, and hides registration', () => {
    const line = (method: string, params: Record<string, unknown> = {}) =>
      describeRestCall({ method, params, welcomeText: 'Welcome!' });
    expect(line('imopenlines.bot.session.message.send', { CHAT_ID: 1, NAME: 'WELCOME' })).toEqual({
      kind: 'system',
      text: "[bot sent the line's welcome message: Welcome!]",
    });
    expect(line('imopenlines.bot.session.operator')?.text).toBe(
      '[bot handed the dialog to an operator]',
    );
    expect(line('imopenlines.bot.session.transfer', { QUEUE_ID: 3, LEAVE: 'Y' })?.text).toBe(
      '[bot transferred the dialog to line 3 and left the chat]',
    );
    expect(line('imopenlines.bot.session.transfer', { USER_ID: '15' })?.text).toBe(
      '[bot transferred the dialog to operator #15]',
    );
    expect(line('imopenlines.bot.session.finish')?.text).toBe('[bot finished the session]');
    expect(line('imbot.chat.sendTyping')?.text).toBe('[bot is typing…]');
    expect(line('crm.lead.add', { fields: { TITLE: 'Open line: Ann' } })?.text).toBe(
      '[bot created a CRM lead: Open line: Ann]',
    );
    expect(line('tasks.task.add')?.text).toBe('[bot called tasks.task.add]');
    expect(line('imbot.v2.Bot.register')).toBeUndefined();
    expect(choicesOf('not json')).toEqual([]);
  });
});

describe('parseDuration', () => {
  it('reads seconds, units and combinations', () => {
    expect(parseDuration('600')).toBe(600_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(() => parseDuration('soon')).toThrow('"soon" is not a duration');
    expect(() => parseDuration('')).toThrow('is not a duration');
  });
});
