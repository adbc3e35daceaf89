import { defineBot } from '../../src/dsl/define-bot';
import { createEventBuilders } from '../../src/testing/event-builders';
import { echoMachine } from '../helpers/test-bots';
import { startHarness, type Harness } from './harness';

const V1_TOKEN = 'v1_application_token';
const v1Bot = defineBot({
  code: 'echo_v1',
  name: 'Echo v1',
  version: '1',
  apiVersion: 1,
  machine: echoMachine,
});

describe('createServer (v1 bots)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  async function post(built: { body: string; contentType: string }) {
    return h.post('/events', built.body, built.contentType);
  }

  it('accepts v1 form bodies carrying B24_APPLICATION_TOKEN, with a small bot id kept as a key', async () => {
    h = await startHarness({
      env: { B24_BOT_TOKEN: '', B24_CLIENT_ID: 'v1_client_id', B24_APPLICATION_TOKEN: V1_TOKEN },
      bots: [v1Bot],
    });
    const events = createEventBuilders({
      memberId: 'a1b2c3d4',
      applicationToken: V1_TOKEN,
      botId: 7,
      botCode: 'echo_v1',
    });
    expect((await post(events.v1.join({ chatId: 1777 }))).status).toBe(200);
    expect(
      (await post(events.v1.message({ chatId: 1777, text: 'hello', messageId: 42 }))).status,
    ).toBe(200);
    expect(
      (await post(events.v1.command({ chatId: 1777, command: 'wait', commandId: 3 }))).status,
    ).toBe(200);
    await h.runtime.idle();
    expect(
      h.portal.callsOf('imopenlines.bot.session.message.send').map((c) => c.params.MESSAGE),
    ).toEqual(['hello', '1777:42']);
  });

  it('refuses v1 bodies carrying another application token', async () => {
    h = await startHarness({
      env: { B24_BOT_TOKEN: '', B24_CLIENT_ID: 'v1_client_id', B24_APPLICATION_TOKEN: V1_TOKEN },
      bots: [v1Bot],
    });
    const wrong = createEventBuilders({
      memberId: 'a1b2c3d4',
      applicationToken: 'another_token',
      botId: 7,
      botCode: 'echo_v1',
    });
    const res = await post(wrong.v1.message({ chatId: 1777, text: 'hello' }));
    expect(res.status).toBe(401);
    await h.runtime.idle();
    expect(h.portal.calls).toHaveLength(0);
    expect(await h.store.pendingDialogs(10)).toEqual([]);
  });
});
