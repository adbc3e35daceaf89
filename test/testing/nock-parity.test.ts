import nock from 'nock';
import { testBot, type BotChat } from '../../src/testing/test-bot';
import { kitBot, kitBotV1 } from './fixtures/kit-bots';

/** One scenario touching every effect, a refusal and a retry. */
async function scenario(chat: BotChat): Promise<void> {
  await chat.join();
  await chat.press('No');
  await chat.send('typing');
  await chat.send('line');
  await chat.send('lead');
  await chat.failNext('imopenlines.bot.session.message.send', 'QUERY_LIMIT_EXCEEDED');
  await chat.send('retry me');
  await chat.wait({ seconds: 30 });
  await chat.failNext('imopenlines.bot.session.operator', 'WRONG_CHAT');
  await chat.send('human');
  await chat.wait({ minutes: 5 });
}

describe('testBot with mockPortal(nock)', () => {
  afterAll(() => {
    nock.cleanAll();
    nock.restore();
  });

  it.each([
    ['v2', kitBot],
    ['v1', kitBotV1],
  ])('records the same REST calls as the loopback portal (%s bot)', async (_v, bot) => {
    const loopback = testBot(bot, { coverage: false });
    const nocked = testBot(bot, { coverage: false, nock });
    try {
      await scenario(loopback);
      await scenario(nocked);
      // Same calls, same parameters, same order, same (fake) times and HTTP request numbers.
      expect(nocked.calls).toEqual(loopback.calls);
      expect(nocked.calls.length).toBeGreaterThan(12);
      expect(nocked.calls.filter((c) => c.error).map((c) => [c.method, c.error])).toEqual([
        ['imopenlines.bot.session.message.send', 'QUERY_LIMIT_EXCEEDED'],
        ['imopenlines.bot.session.operator', 'WRONG_CHAT'],
      ]);
      expect(nocked.transcript).toBe(loopback.transcript);
      expect(nocked.portal.url).toBe('https://fake.bitrix24.test');
      expect(loopback.portal.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await loopback.close();
      await nocked.close();
    }
  });
});
