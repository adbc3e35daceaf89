import { botMatchers } from '../../src/testing/matchers';
import { testBot, type BotChat } from '../../src/testing/test-bot';
import { kitBot } from './fixtures/kit-bots';

expect.extend(botMatchers);

/** The message of the assertion error `fn` throws. */
function failure(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the assertion passed');
}

describe('botMatchers', () => {
  let chat: BotChat;
  beforeEach(async () => {
    chat = testBot(kitBot, { coverage: false });
    await chat.join();
  });
  afterEach(async () => {
    await chat.close();
  });

  it('match replies by exact text or RegExp', async () => {
    await chat.send('hello there');
    expect(chat).toHaveReplied('echo: hello there');
    expect(chat).toHaveReplied(/hello/);
    expect(chat).not.toHaveReplied('echo: hello');
    expect(chat.last).not.toHaveReplied('Hi Ivan');
  });

  it('show the replies and the transcript when a reply is missing', async () => {
    await chat.send('hello');
    const message = failure(() => expect(chat).toHaveReplied('Goodbye'));
    expect(message).toContain('Expected the bot to reply "Goodbye"');
    expect(message).toContain('Replies:\n  1. Hi Ivan\n  2. echo: hello');
    expect(message).toContain(
      "Transcript:\n  [join: Ivan Petrov]\n  [greet: the line's welcome message]\n  bot: Hi Ivan\n       [Yes] [No]\n  client: hello\n  bot: echo: hello",
    );
    expect(message).toContain('State: idle');
  });

  it('match shown buttons by texts or commands, in order', () => {
    expect(chat).toHaveShownButtons(['Yes', 'No']);
    expect(chat).toHaveShownButtons(['yes', 'no']);
    expect(chat).not.toHaveShownButtons(['No', 'Yes']);
    expect(failure(() => expect(chat).toHaveShownButtons(['Maybe']))).toContain(
      'Keyboards shown:\n  [Yes] [No]',
    );
  });

  it('match a hand-off that reached the portal, and explain a refused one', async () => {
    expect(chat).not.toHaveHandedToOperator();
    await chat.failNext('imopenlines.bot.session.operator', 'WRONG_CHAT');
    await chat.send('human');
    const message = failure(() => expect(chat).toHaveHandedToOperator());
    expect(message).toContain('Expected the bot to hand the dialog to an operator');
    expect(message).toContain(
      'the portal refused it: imopenlines.bot.session.operator → WRONG_CHAT',
    );
    expect(message).toContain('[operator]  ✗ refused: WRONG_CHAT');
  });

  it('match a transfer by line or user', async () => {
    await chat.send('line');
    expect(chat).toHaveTransferredTo({ lineId: 2 });
    expect(chat).not.toHaveTransferredTo({ lineId: 3 });
    expect(chat).not.toHaveTransferredTo({ userId: 2 });
    expect(failure(() => expect(chat).toHaveTransferredTo({ lineId: 3 }))).toContain(
      'Transfers: {"lineId":2} (sent)',
    );
  });

  it('match a finished session and the state', async () => {
    expect(chat).toBeInState('idle');
    expect(chat).not.toHaveFinished();
    await chat.send('bye');
    expect(chat).toHaveFinished();
    expect(chat).toBeInState('bye');
    const message = failure(() => expect(chat).toBeInState('idle'));
    expect(message).toContain('Expected the bot to be in the state "idle"');
    expect(message).toContain('State: bye');
  });

  it('say so when given something that is not a chat', () => {
    expect(failure(() => expect({}).toHaveFinished())).toContain(
      'toHaveFinished: expected a chat from testBot()',
    );
  });
});
