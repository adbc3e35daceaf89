/**
 * `openlines-bot chat`, driven the way a user drives it: a real child process with piped
 * standard input, the real runtime and the in-process fake portal behind it.
 */
import { cleanEnv, runCliProcess } from './run-cli-process';

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trimEnd());
}

describe('runChatCommand', () => {
  it('shows the greeting with numbered buttons, runs the order flow and prints the operator hand-off', async () => {
    const input = ['1', 'abc', '12345', 'what?', 'hmm', 'still there?'].join('\n') + '\n';
    const r = await runCliProcess(['chat', 'bots/support', '--name', 'Ann'], { input });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    const at = (text: string) => {
      const i = out.indexOf(text);
      if (i < 0) throw new Error(`missing line ${JSON.stringify(text)} in:\n${r.stdout}`);
      return i;
    };
    // Greeting with the client's first name and the two buttons as numbered choices.
    const greeting = at(
      'bot: Hello, Ann! I am the support bot. I can check the status of your order or connect you with a person.',
    );
    expect(out.slice(greeting + 1, greeting + 3)).toEqual([
      '  1) Order status',
      '  2) Talk to a human',
    ]);
    // Pressing 1 is the `order` command; a non-number is re-asked; a number gets the default status.
    const pressed = at('[you pressed "Order status"]');
    const ask = at('bot: Please send me your order number.');
    const again = at(
      'bot: That does not look like an order number. Please send the digits only, e.g. 12345.',
    );
    const status = at('bot: Order 12345: in transit. Anything else?');
    // Two fallbacks in a row hand the dialog to an operator; the bot then no longer sees messages.
    const fallback = at(
      'bot: Sorry, I did not get that. I can check the status of an order or connect you with a person.',
    );
    const notice = at('bot: Connecting you with an operator, please wait.');
    const handoff = at('[bot handed the dialog to an operator]');
    const after = at(
      '[the dialog is with an operator now: the bot does not see this message; /join starts a new session, /quit leaves]',
    );
    expect([greeting, pressed, ask, again, status, fallback, notice, handoff, after]).toEqual(
      [greeting, pressed, ask, again, status, fallback, notice, handoff, after]
        .slice()
        .sort((a, b) => a - b),
    );
    expect(out.filter((l) => l === '[bot handed the dialog to an operator]')).toHaveLength(1);
  });

  it('closes an idle chat after /wait, and /quit ends the session before the rest of the input', async () => {
    const input =
      ['/wait 9m', 'operator?', '/join', '/wait 10m', '/quit', 'never read'].join('\n') + '\n';
    const r = await runCliProcess(['chat', 'bots/support'], { input });
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    // 9 minutes: still open (the idle timeout is 10); "operator?" is the word "operator" → hand-off.
    expect(out).toContain(
      'bot: Hello! I am the support bot. I can check the status of your order or connect you with a person.',
    );
    const handoff = out.indexOf('[bot handed the dialog to an operator]');
    const closing = out.indexOf(
      'bot: I have not heard from you for a while, so I am closing this chat. Write to us any time.',
    );
    expect(handoff).toBeGreaterThan(out.indexOf('you: /wait 9m'));
    expect(closing).toBeGreaterThan(out.indexOf('you: /wait 10m'));
    expect(out[closing + 1]).toBe('[bot finished the session]');
    expect(r.stdout).not.toContain('never read');
  });

  it('falls back when the portal refuses the operator hand-off (SUPPORT_FALLBACK_LINE_ID set)', async () => {
    const input = ['/fail imopenlines.bot.session.operator WRONG_CHAT', '2'].join('\n') + '\n';
    const r = await runCliProcess(['chat', 'bots/support'], {
      input,
      env: cleanEnv({ SUPPORT_FALLBACK_LINE_ID: '3' }),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '[imopenlines.bot.session.operator was refused by the portal: WRONG_CHAT]',
    );
    expect(r.stdout).toContain('[bot transferred the dialog to line 3]');
  });

  it('reports a missing bot with a clear error and exit code 1', async () => {
    const r = await runCliProcess(['chat', 'bots/no-such-bot']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No bot at "bots/no-such-bot": no such file or folder');
    expect(r.stdout).toBe('');
  });
});
