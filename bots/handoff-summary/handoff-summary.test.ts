import { botMatchers, testBot } from 'openlines-bot/testing';
import { HANDOFF_TEXTS, createHandoffBot } from './bot';

expect.extend(botMatchers);

/** The client writes `text`; the portal keeps it in the session's history, as a real one does. */
async function clientSays(chat: ReturnType<typeof testBot>, text: string): Promise<void> {
  chat.portal.addClientMessage({ chat: 1777, text });
  await chat.send(text);
}

describe('hand-off summary bot', () => {
  it('reads the session history with an invoked call and leaves the operator a summary (v2)', async () => {
    const chat = testBot(createHandoffBot());
    await chat.join();
    expect(chat.last).toHaveReplied(HANDOFF_TEXTS.hello);
    await clientSays(chat, 'My order 123 has not arrived');
    await clientSays(chat, 'It was due on Monday');
    await clientSays(chat, 'operator please');

    // The history call went out with the numeric CHAT_ID and came back typed.
    expect(chat.invokedCalls).toEqual([
      expect.objectContaining({
        method: 'imopenlines.session.history.get',
        params: { CHAT_ID: 1777 },
        status: 'ok',
      }),
    ]);
    const summary = [
      HANDOFF_TEXTS.summaryHeading,
      '- My order 123 has not arrived',
      '- It was due on Monday',
      '- operator please',
    ].join('\n');
    expect(chat.context).toMatchObject({ summary });
    // The note reaches the chat without going to the client's messenger, then the hand-off.
    const notes = chat.calls.filter((c) => c.method === 'imbot.v2.Chat.Message.send');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.params).toMatchObject({
      dialogId: 'chat1777',
      fields: { message: summary, skipConnector: 'Y' },
    });
    expect(chat.last).toHaveReplied(HANDOFF_TEXTS.connecting);
    expect(chat).toHaveHandedToOperator();
    expect(chat.portal.chat(1777).messages.map((m) => m.text)).toContain(summary);
    await chat.close();
  });

  it('likes what the client writes and shows a status while it reads the history', async () => {
    const chat = testBot(createHandoffBot());
    await chat.join();
    await clientSays(chat, 'Hello there');
    const like = chat.calls.find((c) => c.method === 'imbot.v2.Chat.Message.Reaction.add');
    expect(like?.params).toMatchObject({ reaction: 'like' });
    expect(like?.error).toBeUndefined();
    await chat.command('operator');
    const typingCall = chat.calls.find((c) => c.method === 'imbot.v2.Chat.InputAction.notify');
    expect(typingCall?.params.statusMessageCode).toBe('IMBOT_AGENT_ACTION_ANALYZING');
    // Sent in a batch with the history's effects, so as the string of a query parameter.
    expect(String(typingCall?.params.duration)).toBe('10');
    expect(chat).toHaveHandedToOperator();
    await chat.close();
  });

  it('still hands over, with a note that the summary is missing, when the history is refused', async () => {
    const chat = testBot(createHandoffBot());
    await chat.join();
    await chat.failNext('imopenlines.session.history.get', 'ACCESS_DENIED');
    await clientSays(chat, 'operator');
    expect(chat.invokedCalls).toEqual([
      expect.objectContaining({ method: 'imopenlines.session.history.get', status: 'failed' }),
    ]);
    expect(chat.context).toMatchObject({ summary: HANDOFF_TEXTS.noHistory });
    expect(chat).toHaveHandedToOperator();
    await chat.close();
  });

  it('leaves the note through imbot.message.add with SKIP_CONNECTOR for a v1 bot', async () => {
    const chat = testBot(createHandoffBot({ apiVersion: 1 }));
    await chat.join();
    await clientSays(chat, 'Need help with billing');
    await clientSays(chat, 'human');
    const notes = chat.calls.filter(
      (c) => c.method === 'imbot.message.add' && c.params.SKIP_CONNECTOR === 'Y',
    );
    expect(notes).toHaveLength(1);
    expect(String(notes[0]?.params.MESSAGE)).toContain('- Need help with billing');
    // A v1 bot can only like: imbot.message.like.
    const like = chat.calls.find((c) => c.method === 'imbot.message.like');
    expect(like?.params).toMatchObject({ ACTION: 'plus' });
    expect(like?.error).toBeUndefined();
    expect(chat).toHaveHandedToOperator();
    await chat.close();
  });
});
