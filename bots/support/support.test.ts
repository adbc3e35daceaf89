import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { createMachine, type AnyStateMachine } from 'xstate';
import { defineBot, type BotDefinition } from 'openlines-bot';
import {
  botMatchers,
  checkFlow,
  parseTranscript,
  runTranscriptScenario,
  testBot,
  transcriptTests,
  type TestBotOptions,
} from 'openlines-bot/testing';
import { createSupportBot, SUPPORT_TEXTS, supportOptionsFromEnv } from './bot';

expect.extend(botMatchers);

// The behaviour of issue 4, one scenario per test, in the words of the conversation.
transcriptTests(() => createSupportBot(), join(__dirname, 'transcripts/*.txt'));
transcriptTests(
  () => createSupportBot({ fallbackLineId: 5 }),
  join(__dirname, 'transcripts/fallback-line/*.txt'),
);

/**
 * Conversations with assertions that run against the real bot here, and against copies broken on
 * purpose below (they must fail there, showing the transcript).
 */
const checks = {
  async handsOverOnRequest(bot: BotDefinition, options: TestBotOptions = {}): Promise<void> {
    const chat = testBot(bot, options);
    try {
      await chat.join();
      await chat.send('I need a human');
      expect(chat.last).toHaveReplied(SUPPORT_TEXTS.toOperator);
      expect(chat.last).toHaveHandedToOperator();
    } finally {
      await chat.close();
    }
  },
  async closesAfterTenQuietMinutes(
    bot: BotDefinition,
    options: TestBotOptions = {},
  ): Promise<void> {
    const chat = testBot(bot, options);
    try {
      await chat.join();
      await chat.wait({ seconds: 599 });
      expect(chat.last).not.toHaveFinished();
      await chat.wait({ seconds: 1 });
      expect(chat.last).toHaveReplied(SUPPORT_TEXTS.idleClose);
      expect(chat.last).toHaveFinished();
    } finally {
      await chat.close();
    }
  },
};

describe('support bot', () => {
  it('greets the client by name with the menu, through the bot API to the right dialog', async () => {
    const chat = testBot(createSupportBot());
    await chat.join();
    expect(chat).toHaveReplied(/^Hello, Ivan! I am the support bot\./);
    expect(chat).toHaveShownButtons(['Order status', 'Talk to a human']);
    expect(chat).toHaveShownButtons(['order', 'operator']);
    expect(chat.effects[0]?.call).toMatchObject({
      method: 'imbot.v2.Chat.Message.send',
      params: { dialogId: 'chat1777' },
    });
    await chat.close();
  });

  it('greets through the v1 API when registered with it', async () => {
    const { machine, commands } = createSupportBot();
    const v1 = defineBot({
      code: 'support_v1',
      name: 'Support',
      version: '1',
      machine,
      commands,
      apiVersion: 1,
    });
    const chat = testBot(v1, { coverage: false, client: { firstName: 'Olga' } });
    await chat.join();
    await chat.press('Talk to a human');
    expect(chat).toHaveReplied(/^Hello, Olga!/);
    expect(chat).toHaveHandedToOperator();
    expect(chat.effects.map((e) => e.call.method)).toEqual([
      'imbot.message.add',
      'imopenlines.bot.session.message.send',
      'imopenlines.bot.session.operator',
    ]);
    await chat.close();
  });

  it('hands over on request, with the numeric CHAT_ID', async () => {
    await checks.handsOverOnRequest(createSupportBot());
    const chat = testBot(createSupportBot());
    await chat.join();
    await chat.press('Talk to a human');
    expect(chat.effects.at(-1)?.call).toEqual({
      method: 'imopenlines.bot.session.operator',
      params: { CHAT_ID: 1777 },
    });
    expect(chat.portal.chat(1777).session).toBe('operator');
    await chat.close();
  });

  it('lets go of the dialog five minutes after the hand-off', async () => {
    const chat = testBot(createSupportBot());
    await chat.join();
    await chat.send('operator');
    await chat.wait({ minutes: 5 });
    expect(chat.last.effects).toEqual([]);
    expect(chat).toBeInState('handedOff');
    expect(chat.done).toBe(true);
    await chat.close();
  });

  it('closes the chat after ten quiet minutes, or SUPPORT_IDLE_SECONDS', async () => {
    await checks.closesAfterTenQuietMinutes(createSupportBot());
    const chat = testBot(
      createSupportBot(supportOptionsFromEnv({ env: { SUPPORT_IDLE_SECONDS: '60' } })),
    );
    await chat.join();
    await chat.wait({ seconds: 59 });
    expect(chat).not.toHaveFinished();
    await chat.wait({ seconds: 1 });
    expect(chat).toHaveFinished();
    await chat.close();
  });

  it('answers with the status from the lookup it was given', async () => {
    const asked: Array<[string, number]> = [];
    const bot = createSupportBot({
      lookupOrder: async ({ orderNumber, dialog }) => {
        asked.push([orderNumber, dialog.chatId]);
        return 'delivered yesterday';
      },
    });
    const chat = testBot(bot);
    await chat.join();
    await chat.send('order status please');
    await chat.send('№ 555');
    expect(chat.last).toHaveReplied('Order 555: delivered yesterday. Anything else?');
    expect(chat.last).toHaveShownButtons(['Order status', 'Talk to a human']);
    expect(asked).toEqual([['555', 1777]]);
    expect(chat.context).toMatchObject({ orderNumber: '555', fallbacks: 0 });
    await chat.close();
  });

  it('apologises when the lookup fails, and shows the menu again', async () => {
    const chat = testBot(
      createSupportBot({ lookupOrder: () => Promise.reject(new Error('shop is down')) }),
    );
    await chat.join();
    await chat.press('order');
    await chat.send('12');
    expect(chat.last).toHaveReplied(
      'Sorry, I could not check order 12 right now. Please try again later.',
    );
    expect(chat).toBeInState('menu');
    await chat.close();
  });

  it('answers the buttons while it waits for the number', async () => {
    const chat = testBot(createSupportBot());
    await chat.join();
    await chat.press('order');
    await chat.press('order');
    expect(chat.last).toHaveReplied(SUPPORT_TEXTS.askOrder);
    await chat.command('help');
    expect(chat.last).toHaveReplied(/^Hello, Ivan!/);
    expect(chat).toBeInState('menu');
    await chat.command('menu');
    expect(chat.last).toHaveShownButtons(['Order status', 'Talk to a human']);
    await chat.press('order');
    await chat.press('Talk to a human');
    expect(chat.last).toHaveHandedToOperator();
    await chat.close();
  });

  it('says goodbye while waiting for the number', async () => {
    const chat = testBot(createSupportBot());
    await chat.join();
    await chat.press('order');
    await chat.send('bye');
    expect(chat.last).toHaveReplied(SUPPORT_TEXTS.goodbye);
    expect(chat).toHaveFinished();
    await chat.close();
  });

  it('keeps the client informed on the fallback line, and lets go later', async () => {
    const chat = testBot(createSupportBot({ fallbackLineId: 5 }));
    await chat.join();
    await chat.failNext('imopenlines.bot.session.operator', 'WRONG_CHAT');
    await chat.send('human');
    expect(chat).toHaveTransferredTo({ lineId: 5 });
    expect(chat.portal.chat(1777).transfers).toEqual([expect.objectContaining({ lineId: 5 })]);
    await chat.send('still there?');
    expect(chat.last).toHaveReplied(SUPPORT_TEXTS.operatorSoon);
    await chat.wait({ minutes: 5 });
    expect(chat).toBeInState('handedOff');
    await chat.close();
  });

  it('stays silent once an operator writes, in any state (#8)', async () => {
    const chat = testBot(createSupportBot());
    await chat.join();
    await chat.press('Order status');
    expect(chat.last).toHaveReplied(SUPPORT_TEXTS.askOrder);
    await chat.operator('Hello, this is Olga from the shop.', {
      operator: { id: 42, firstName: 'Olga' },
    });
    expect(chat.last.effects).toEqual([]);
    expect(chat).toBeInState('quiet');
    await chat.send('12345');
    await chat.send('I need a human');
    await chat.send('bye');
    expect(chat.last.effects).toEqual([]);
    expect(chat.calls.filter((c) => c.method.includes('operator'))).toEqual([]);
    await chat.wait({ minutes: 10 });
    expect(chat.last.effects).toEqual([]);
    expect(chat).toBeInState('handedOff');
    await chat.close();
  });

  it('greets once, then answers, when the first message overtakes the join (#8)', async () => {
    const chat = testBot(createSupportBot());
    await chat.join({ after: 'Where is my order?' });
    expect(chat.replies).toEqual([
      expect.stringMatching(/^Hello, Ivan! I am the support bot\./),
      SUPPORT_TEXTS.askOrder,
    ]);
    await chat.send('12345');
    expect(chat.last).toHaveReplied(/^Order 12345: in transit/);
    expect(chat.replies.filter((r) => r.startsWith('Hello'))).toHaveLength(1);
    await chat.close();
  });

  it('answers a first message whose join never comes, once the join window has passed (#8)', async () => {
    const chat = testBot(createSupportBot());
    await chat.send('hello there');
    expect(chat.replies).toEqual([SUPPORT_TEXTS.fallback]);
    await chat.close();
  });

  it("never starts a conversation on an operator's message (#8)", async () => {
    const chat = testBot(createSupportBot());
    await chat.operator('Hello?');
    expect(chat.effects).toEqual([]);
    expect(chat.state).toBeUndefined();
    await chat.close();
  });

  it('has no flow defects', () => {
    expect(checkFlow(createSupportBot()).problems).toEqual([]);
    expect(checkFlow(createSupportBot({ fallbackLineId: 5 })).problems).toEqual([]);
  });

  it('makes the same REST calls against the loopback portal and against nock', async () => {
    const run = async (options: TestBotOptions) => {
      const chat = testBot(createSupportBot(), { ...options, coverage: false });
      await chat.join();
      await chat.press('Order status');
      await chat.send('12345');
      await chat.send('what?');
      await chat.wait({ minutes: 10 });
      await chat.close();
      return chat.calls;
    };
    try {
      const loopback = await run({});
      expect(loopback.map((c) => c.method)).toContain('imopenlines.bot.session.finish');
      expect(await run({ nock })).toEqual(loopback);
    } finally {
      nock.cleanAll();
      nock.restore();
    }
  });
});

describe('support bot, broken on purpose', () => {
  const { machine, commands } = createSupportBot();
  const broken = (m: AnyStateMachine) =>
    defineBot({ code: 'support', name: 'Support', version: '1', machine: m, commands });
  const quiet: TestBotOptions = { coverage: false };

  /** A copy of the machine whose menu and order question no longer react to a request for a person. */
  function withoutOperatorRequests(m: AnyStateMachine): AnyStateMachine {
    type Node = { on?: Record<string, unknown>; states?: Record<string, Node> };
    const drop = (node: Node): Node => {
      const on = Object.fromEntries(
        Object.entries(node.on ?? {}).map(([event, list]) => [
          event,
          Array.isArray(list)
            ? list.filter(
                (t: { guard?: unknown }) =>
                  t.guard !== 'asksForOperator' && t.guard !== 'operatorCommand',
              )
            : list,
        ]),
      );
      const states =
        node.states &&
        Object.fromEntries(Object.entries(node.states).map(([k, v]) => [k, drop(v)]));
      return { ...node, ...(node.on ? { on } : {}), ...(states ? { states } : {}) };
    };
    return createMachine(
      drop(m.config as Node) as never,
      m.implementations as never,
    ) as AnyStateMachine;
  }

  const transcript = (name: string) =>
    parseTranscript({
      text: readFileSync(join(__dirname, 'transcripts', name), 'utf8'),
      file: name,
    });
  const failures = async (bot: BotDefinition, name: string) => {
    const { scenarios } = transcript(name);
    const messages: string[] = [];
    for (const scenario of scenarios) {
      const chat = testBot(bot, quiet);
      await runTranscriptScenario({ chat, scenario, file: name }).catch((e: Error) =>
        messages.push(e.message),
      );
      await chat.close();
    }
    return messages;
  };

  it('without the operator transition: the hand-off check fails, showing the transcript', async () => {
    const bot = broken(withoutOperatorRequests(machine));
    await expect(checks.handsOverOnRequest(bot, quiet)).rejects.toThrow(
      /Expected the bot to reply "Connecting you with an operator, please wait\."[\s\S]*Transcript:\n {2}\[join: Ivan Petrov\]\n[\s\S]* {2}client: I need a human\n {2}bot: Sorry, I did not get that\./,
    );
  });

  it('without the operator transition: the operator transcripts fail, showing the transcript', async () => {
    const messages = await failures(broken(withoutOperatorRequests(machine)), 'operator.txt');
    expect(messages).toHaveLength(5);
    for (const m of messages)
      expect(m).toMatch(
        /^operator\.txt:\d+: expected the bot to say "Connecting you[\s\S]*\n\nTranscript:\n {2}\[join: Ivan Petrov\]\n/,
      );
  });

  it('with the idle timeout changed: the idle check fails, showing the transcript', async () => {
    const bot = broken(machine.provide({ delays: { idle: 3_600_000 } }));
    await expect(checks.closesAfterTenQuietMinutes(bot, quiet)).rejects.toThrow(
      /Expected the bot to reply "I have not heard from you[\s\S]*Transcript:\n {2}\[join: Ivan Petrov\]\n[\s\S]* {2}… 9 min 59 s later …\n {2}… 1 s later …\n\nState: menu/,
    );
    const messages = await failures(bot, 'idle.txt');
    expect(messages).toHaveLength(3);
    for (const m of messages)
      expect(m).toMatch(
        /^idle\.txt:\d+: [\s\S]*\n\nTranscript:\n {2}\[join: Ivan Petrov\]\n[\s\S]*later …/,
      );
  });

  it('with a shorter idle timeout: the idle check fails too', async () => {
    const bot = broken(machine.provide({ delays: { idle: 300_000 } }));
    await expect(checks.closesAfterTenQuietMinutes(bot, quiet)).rejects.toThrow(
      /Expected the bot not to finish the session[\s\S]*Transcript:[\s\S]*\[finish\]/,
    );
  });
});
