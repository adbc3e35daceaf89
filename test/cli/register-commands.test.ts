/**
 * `openlines-bot register` registers the commands the example bots' buttons use, so that the
 * buttons work on a real portal; running it again registers nothing new.
 */
import { runCli } from '../../src/cli/main';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { capturedIo } from './captured-io';

describe('runRegisterCommand', () => {
  let portal: FakePortal;
  let env: Record<string, string>;
  beforeEach(async () => {
    portal = await createFakePortal({ rateLimit: false });
    env = {
      B24_WEBHOOK_URL: portal.webhookUrl,
      B24_BOT_TOKEN: 'commands_test_token',
      LOG_LEVEL: 'silent',
    };
  });
  afterEach(async () => {
    await portal.close();
  });

  const register = async (argv: string[]) => {
    const io = capturedIo({ env });
    expect(await runCli({ argv: ['register', ...argv], io })).toBe(0);
    return Number(io.out().trim());
  };

  it('registers the support bot button commands as hidden, extranet commands of that bot, once', async () => {
    const id = await register(['bots/support', '--url', 'https://bot.example.test/events']);
    expect(portal.bots[0]?.commands).toEqual([
      expect.objectContaining({ botId: id, command: 'order', hidden: true }),
      expect.objectContaining({ botId: id, command: 'operator', hidden: true }),
    ]);
    expect(portal.callsOf('imbot.v2.Command.register').map((c) => c.params.fields)).toEqual([
      { command: 'order', title: { en: 'order' }, hidden: true, extranetSupport: true },
      { command: 'operator', title: { en: 'operator' }, hidden: true, extranetSupport: true },
    ]);
    const before = JSON.stringify(portal.bots);

    await expect(
      register(['bots/support', '--url', 'https://bot.example.test/events']),
    ).resolves.toBe(id);
    expect(JSON.stringify(portal.bots)).toBe(before);
    expect(portal.callsOf('imbot.v2.Command.update')).toHaveLength(0);
  });

  it('registers the FAQ bot topic and operator commands in fetch mode', async () => {
    const id = await register(['bots/faq', '--fetch']);
    expect(portal.bots[0]?.commands.map((c) => [c.botId, c.command])).toEqual([
      [id, 'topic'],
      [id, 'operator'],
    ]);
  });
});
