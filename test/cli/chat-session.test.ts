/**
 * `createChatSession` in-process: the lead form through the real runtime and the fake portal.
 */
import { createChatSession } from '../../src/cli/chat-session';
import { formatChatOutput, type ChatOutput } from '../../src/cli/describe-rest-call';
import { createLeadFormBot } from '../../bots/lead-form/bot';

describe('createChatSession', () => {
  it('runs the lead form: re-asks bad answers, creates the lead, then transfers to the configured line', async () => {
    const seen: ChatOutput[] = [];
    const chat = await createChatSession({
      bot: createLeadFormBot({ lineId: 2 }),
      onOutput: (o) => seen.push(o),
    });
    try {
      await chat.join();
      await chat.send('Anna Schmidt');
      await chat.send('call me');
      await chat.send('+49 (30) 123-4567');
      await chat.send('anna@example');
      await chat.send(' Anna@Example.com ');
      const transcript = seen.flatMap(formatChatOutput);
      expect(transcript).toEqual([
        'bot: Hello! Let me take your contact details so that a manager can get back to you. What is your name?',
        'bot: Thank you! What phone number can we call you on?',
        'bot: That does not look like a phone number. Please use digits, e.g. +49 30 1234567.',
        'bot: And your e-mail address?',
        'bot: That does not look like an e-mail address. Please check it, e.g. anna@example.com.',
        '[bot created a CRM lead: Open line: Anna Schmidt]',
        'bot: Thank you! Your request number is 1. I have passed your details to our managers; one of them will continue this chat.',
        '[bot transferred the dialog to line 2]',
      ]);
      expect(chat.session).toBe('transferred');
    } finally {
      await chat.close();
    }
  });

  it('fires the idle timeout at its deadline, not before, when time passes with wait()', async () => {
    const seen: string[] = [];
    const chat = await createChatSession({
      bot: createLeadFormBot({ idleSeconds: 60 }),
      onOutput: (o) => seen.push(...formatChatOutput(o)),
    });
    try {
      await chat.join();
      await chat.wait(59_000);
      expect(seen).toHaveLength(1);
      await chat.wait(1_000);
      expect(seen.slice(1)).toEqual([
        'bot: Closing this chat for now. Write any time.',
        '[bot finished the session]',
      ]);
      expect(chat.session).toBe('finished');
    } finally {
      await chat.close();
    }
  });
});
