import { testBot, type BotChat } from '../../src/testing/test-bot';
import { createFakeClock } from '../../src/testing/fake-clock';
import { kitBot, kitBotV1, kitBotWithoutCommands } from './fixtures/kit-bots';

const noCoverage = { coverage: false } as const;

describe('testBot', () => {
  let chat: BotChat;
  afterEach(async () => {
    await chat.close();
  });

  it('joins through a real v2 wire event and records each effect with the REST call it became', async () => {
    chat = testBot(kitBot, noCoverage);
    await chat.join();
    expect(chat.effects.map((e) => [e.kind, e.call.method, e.status])).toEqual([
      ['greet', 'imopenlines.bot.session.message.send', 'sent'],
      ['say', 'imbot.v2.Chat.Message.send', 'sent'],
    ]);
    expect(chat.effects[0]?.call.params).toEqual({ CHAT_ID: 1777, NAME: 'WELCOME' });
    expect(chat.replies).toEqual(['Hi Ivan']);
    const hi = chat.effects[1];
    expect(hi?.kind === 'say' && hi.buttons).toEqual([
      { text: 'Yes', command: 'yes' },
      { text: 'No', command: 'no', params: 'really' },
    ]);
    expect(chat.portal.chat(1777).messages.map((m) => m.text)).toEqual([
      'Welcome! An operator will answer you soon.',
      'Hi Ivan',
    ]);
  });

  it('talks to a v1 bot through v1 events and the v1 methods', async () => {
    chat = testBot(kitBotV1, noCoverage);
    await chat.join();
    await chat.send('typing');
    expect(chat.calls.filter((c) => c.method !== 'batch').map((c) => c.method)).toEqual([
      'imopenlines.bot.session.message.send',
      'imbot.message.add',
      'imbot.chat.sendTyping',
      'imopenlines.bot.session.message.send',
    ]);
    expect(chat.effects.map((e) => e.kind)).toEqual(['greet', 'say', 'typing', 'sessionMessage']);
  });

  it('sends exactly the calls the effects became, registration left out', async () => {
    chat = testBot(kitBot, noCoverage);
    await chat.join();
    await chat.send('line');
    await chat.send('lead');
    const sent = chat.calls.filter((c) => c.method !== 'batch');
    expect(sent.map((c) => c.method)).toEqual(chat.effects.map((e) => e.call.method));
    const transferCall = chat.effects.find((e) => e.kind === 'transfer')?.call;
    expect(transferCall).toEqual({
      method: 'imopenlines.bot.session.transfer',
      params: { CHAT_ID: 1777, QUEUE_ID: 2, LEAVE: 'N' },
      // Webhook calls of transfer/finish carry the credential of the bot's own API generation.
      botApiVersion: 2,
    });
    expect(chat.portal.leads).toEqual([{ id: 1, fields: { TITLE: 'Kit' } }]);
  });

  it('records the REST calls the machine invokes itself, apart from its effects', async () => {
    chat = testBot(kitBot, noCoverage);
    await chat.join();
    await chat.send('invoke');
    await chat.failNext('crm.lead.add', 'ACCESS_DENIED');
    await chat.send('invoke');
    expect(chat.invokedCalls).toEqual([
      { method: 'crm.lead.add', params: { fields: { TITLE: 'Invoked' } }, status: 'ok', result: 1 },
      {
        method: 'crm.lead.add',
        params: { fields: { TITLE: 'Invoked' } },
        status: 'failed',
        error: 'ACCESS_DENIED',
      },
    ]);
    expect(chat.effects.some((e) => e.kind === 'call')).toBe(false);
    expect(chat.replies.slice(1)).toEqual(['lead 1', 'no lead']);
    expect(chat.transcript).toContain('client: invoke\n[call crm.lead.add → 1]\nbot: lead 1');
    expect(chat.transcript).toContain(
      '[call crm.lead.add]  ✗ refused: ACCESS_DENIED\nbot: no lead',
    );
  });

  it('knows the client by name, or not at all', async () => {
    chat = testBot(kitBot, { ...noCoverage, client: { firstName: 'Anna', lastName: 'Smith' } });
    await chat.join();
    await chat.join({ client: null });
    expect(chat.replies).toEqual(['Hi Anna', 'Hi stranger']);
    expect(chat.transcript).toMatch(/^\[join: Anna Smith\]/);
    expect(chat.transcript).toContain('[join: a client without a name]');
  });

  it('presses a shown button found by its text or its command', async () => {
    chat = testBot(kitBot, noCoverage);
    await chat.join();
    await chat.press('Yes');
    await chat.press('no');
    await chat.command('/help');
    expect(chat.replies.slice(1)).toEqual(['You said yes', 'You said no (really)', 'Command help']);
    expect(chat.transcript).toContain('client presses: [No] (no)');
    expect(chat.transcript).toContain('client: /help');
  });

  it('refuses to press a button no reply showed, listing the ones shown', async () => {
    chat = testBot(kitBot, noCoverage);
    await chat.join();
    await expect(chat.press('Maybe')).rejects.toThrow(
      /no button "Maybe" was shown; buttons shown: \[Yes\] \(yes\) \[No\] \(no\)[\s\S]*Transcript:\n\[join: Ivan Petrov\]/,
    );
  });

  it('refuses to press a button whose command the bot does not register', async () => {
    chat = testBot(kitBotWithoutCommands, noCoverage);
    await chat.join();
    await expect(chat.press('Yes')).rejects.toThrow(
      /the button \[Yes\] sends the command "yes", which the bot does not register: on a real portal pressing it does nothing/,
    );
  });

  it('fires durable timers in deadline order, each at its own time, while time passes', async () => {
    chat = testBot(kitBot, noCoverage);
    const t0 = chat.clock.now();
    await chat.join();
    await chat.send('chain');
    await chat.wait({ minutes: 4 });
    expect(chat.replies.slice(1)).toEqual(['A']);
    // chainA → chainB at 5 min, chainB → idle at 10 min, idle's own 10-minute timeout → bye at 20 min.
    await chat.wait({ minutes: 17 });
    expect(chat.replies.slice(1)).toEqual(['A', 'B', 'Bye']);
    const at = (text: string) => chat.calls.find((c) => c.params.MESSAGE === text)?.at;
    expect([at('B'), at('Bye')]).toEqual([t0 + 5 * 60_000, t0 + 20 * 60_000]);
    expect(chat.clock.now()).toBe(t0 + 21 * 60_000);
    expect(chat.done).toBe(true);
    expect(chat.state).toBe('bye');
    expect(chat.transcript).toContain('… 17 min later …\nbot: B\nbot: Bye\n[finish]');
  });

  it('hands a refusal back to the machine as effect.failed', async () => {
    chat = testBot(kitBot, noCoverage);
    await chat.join();
    await chat.failNext('imopenlines.bot.session.operator', 'WRONG_CHAT');
    await chat.send('human');
    const operator = chat.effects.find((e) => e.kind === 'toOperator');
    expect(operator).toMatchObject({ status: 'failed', error: 'WRONG_CHAT' });
    expect(chat.replies.at(-1)).toBe('refused: WRONG_CHAT');
    expect(chat.context).toMatchObject({ refusals: 1 });
    expect(chat.transcript).toContain(
      '[portal will refuse the next imopenlines.bot.session.operator with WRONG_CHAT]',
    );
    expect(chat.transcript).toContain('[operator]  ✗ refused: WRONG_CHAT');
    expect(chat.logs.map((l) => l.msg)).toContain('effect refused by Bitrix24');
  });

  it('retries an effect the portal refused for a while, when time passes', async () => {
    chat = testBot(kitBot, noCoverage);
    await chat.join();
    await chat.failNext('imopenlines.bot.session.message.send', 'QUERY_LIMIT_EXCEEDED');
    await chat.send('hello');
    expect(chat.effects.at(-1)).toMatchObject({
      kind: 'sessionMessage',
      status: 'retrying',
      error: 'QUERY_LIMIT_EXCEEDED',
    });
    expect(chat.replies).toEqual(['Hi Ivan']);
    await chat.wait({ seconds: 10 });
    expect(chat.effects.at(-1)).toMatchObject({ kind: 'sessionMessage', status: 'sent' });
    expect(chat.replies).toEqual(['Hi Ivan', 'echo: hello']);
  });

  it('shows a turn that failed in the machine, and the fallback the dialog got', async () => {
    chat = testBot(kitBot, noCoverage);
    await chat.join();
    await chat.send('boom');
    expect(chat.logs.some((l) => l.level === 'error' && /turn failed/.test(l.msg))).toBe(true);
    expect(chat.transcript).toMatch(
      /\[runtime error: turn failed; dialog gets the fallback \(.*planted bug.*\)\]/,
    );
    expect(chat.effects.map((e) => e.kind).slice(2)).toEqual(['sessionMessage', 'toOperator']);
  });

  it('exposes state, context and what the latest action caused', async () => {
    chat = testBot(kitBot, noCoverage);
    expect(chat.state).toBeUndefined();
    await chat.join();
    await chat.send('human');
    expect(chat.state).toBe('handoff');
    expect(chat.matches('handoff')).toBe(true);
    expect(chat.context).toEqual({ name: 'Ivan', refusals: 0 });
    expect(chat.last.replies).toEqual(['Connecting']);
    expect(chat.last.effects.map((e) => e.kind)).toEqual(['sessionMessage', 'toOperator']);
    expect(chat.last.transcript).toBe('client: human\nbot: Connecting\n[operator]');
  });

  it('runs actions one at a time in call order, even without await', async () => {
    chat = testBot(kitBot, noCoverage);
    const all = [chat.join(), chat.send('one'), chat.send('two')];
    await Promise.all(all);
    expect(chat.replies).toEqual(['Hi Ivan', 'echo: one', 'echo: two']);
  });

  it('shares a clock between chats when given one', async () => {
    const clock = createFakeClock({ start: Date.UTC(2030, 0, 1) });
    chat = testBot(kitBot, { ...noCoverage, clock });
    await chat.join();
    expect(chat.portal.calls.at(-1)?.at).toBe(Date.UTC(2030, 0, 1));
  });

  it('records the states and transitions the chat visited', async () => {
    chat = testBot(kitBot, noCoverage);
    await chat.join();
    await chat.send('chain');
    await chat.wait({ minutes: 10 });
    expect([...chat.coverage.states].sort()).toEqual(['chainA', 'chainB', 'idle']);
    expect([...chat.coverage.transitions]).toEqual(
      expect.arrayContaining([
        'idle|join|0',
        'idle|message|6',
        'chainA|xstate.after.300000.kit.chainA|0',
      ]),
    );
  });

  it('refuses actions after close, and closes once', async () => {
    chat = testBot(kitBot, noCoverage);
    await chat.join();
    await chat.close();
    await chat.close();
    await expect(chat.send('hi')).rejects.toThrow('testBot: this chat is closed');
  });

  it('says when the portal is read before the first action', () => {
    chat = testBot(kitBot, noCoverage);
    expect(() => chat.portal).toThrow(/starts with the first action/);
  });
});
