/**
 * Installing the OAuth app on a portal registers each bot's commands along with the bot, so the
 * bot's keyboard buttons work there.
 */
import { setup } from 'xstate';
import { defineBot } from '../../src/dsl/define-bot';
import type { BotEvent, DialogInput } from '../../src/dsl/machine-events';
import { encodePhpForm } from '../../src/events/php-form';
import type { FakePortal } from '../../src/testing/fake-portal';
import { startHarness, type Harness } from './harness';

const APP = { clientId: 'local.app0002', clientSecret: 'app_client_secret_2' };

const menuBot = defineBot({
  code: 'menu_bot',
  name: 'Menu',
  version: '1',
  machine: setup({ types: { events: {} as BotEvent, input: {} as DialogInput } }).createMachine({
    initial: 'idle',
    states: { idle: {} },
  }),
  commands: ['order', { command: 'help', title: 'Help', hidden: false }],
});

function installBody(p: FakePortal): string {
  const t = p.tokens;
  return encodePhpForm({
    event: 'ONAPPINSTALL',
    data: { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'en' },
    ts: '1789545901',
    auth: {
      access_token: t.accessToken,
      expires: String(Math.floor(t.expiresAt / 1000)),
      expires_in: '3600',
      scope: 'imbot,imopenlines',
      domain: p.domain,
      server_endpoint: p.oauthServerEndpoint,
      status: 'L',
      client_endpoint: p.clientEndpoint,
      member_id: p.memberId,
      user_id: '1',
      refresh_token: t.refreshToken,
      application_token: p.applicationToken,
    },
  });
}

describe('createServer (app install)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ app: APP, bots: [menuBot] });
  });
  afterEach(async () => {
    await h.close();
  });

  it('registers the bot commands on install; a repeated install registers nothing new', async () => {
    const res = await h.post('/install', installBody(h.portal));
    expect(res.status).toBe(200);
    const [bot] = h.portal.bots;
    expect(bot).toMatchObject({ code: 'menu_bot', owner: { kind: 'app' } });
    expect(bot?.commands).toEqual([
      expect.objectContaining({ botId: bot?.id, command: 'order', hidden: true }),
      expect.objectContaining({ botId: bot?.id, command: 'help', hidden: false }),
    ]);
    expect(h.portal.callsOf('imbot.v2.Command.register').map((c) => c.params.fields)).toEqual([
      { command: 'order', title: { en: 'order' }, hidden: true, extranetSupport: true },
      { command: 'help', title: { en: 'Help' }, hidden: false, extranetSupport: true },
    ]);
    const before = JSON.stringify(h.portal.bots);

    expect((await h.post('/install', installBody(h.portal))).status).toBe(200);
    expect(JSON.stringify(h.portal.bots)).toBe(before);
  });
});
