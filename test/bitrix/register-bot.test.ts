import { createRestClient } from '../../src/bitrix/create-rest-client';
import { ensureBotRegistered, unregisterBot } from '../../src/bitrix/register-bot';
import { isOpenlinesError, type ConfigError } from '../../src/errors';
import { bodyOf, useNock } from './helpers/use-nock';

const nock = useNock();

const PORTAL = 'https://acme.bitrix24.com';
const BASE = '/rest/1/whsecret-register-1/';

interface Bot {
  id: number;
  code: string;
  type: string;
  name: string;
  isSupportOpenline?: boolean;
  eventMode?: string;
  webhookUrl?: string;
  handler?: string;
  openline?: string;
}

interface Command {
  id: number;
  botId: number;
  command: string;
  hidden: boolean;
  extranetSupport: boolean;
  title: unknown;
  handler?: string;
}

/** Just enough of a portal's bot registry to observe what registration changes. */
function botRegistry() {
  const bots = new Map<number, Bot>();
  const commands: Command[] = [];
  const calls: string[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies as sent
  const bodies: Array<{ method: string; body: Record<string, any> }> = [];
  let nextId = 100;
  let nextCommandId = 1;
  const v2Command = (c: Command) => ({
    command: {
      id: c.id,
      botId: c.botId,
      command: `/${c.command}`,
      common: false,
      hidden: c.hidden,
      extranetSupport: c.extranetSupport,
    },
  });
  /** Like Bitrix24: an existing (bot, command) pair is answered as stored, never changed. */
  const addCommand = (c: Omit<Command, 'id'>): Command => {
    const found = commands.find((x) => x.botId === c.botId && x.command === c.command);
    if (found) return found;
    const created = { ...c, id: nextCommandId++ };
    commands.push(created);
    return created;
  };
  const ok = (result: unknown) => [200, { result }] as const;
  const v2 = (b: Bot) => ({
    bot: {
      id: b.id,
      code: b.code,
      type: b.type,
      isSupportOpenline: b.isSupportOpenline,
      eventMode: b.eventMode,
    },
    users: [{ id: b.id, name: b.name }],
  });
  nock(PORTAL)
    .persist()
    .post(new RegExp(`^${BASE}`))
    .reply((uri, raw) => {
      const method = uri.slice(BASE.length);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test double reading loose JSON
      const p = bodyOf(raw) as Record<string, any>;
      calls.push(method);
      bodies.push({ method, body: p });
      const byCode = (code: string) => [...bots.values()].find((b) => b.code === code);
      switch (method) {
        case 'imbot.v2.Bot.get': {
          const b = byCode(p.code);
          return b
            ? ok(v2(b))
            : [400, { error: 'BOT_NOT_FOUND', error_description: 'Bot not found' }];
        }
        case 'imbot.v2.Bot.register': {
          const f = p.fields;
          const b = byCode(f.code) ?? {
            id: nextId++,
            code: f.code,
            type: f.type,
            name: f.properties.name,
            isSupportOpenline: f.isSupportOpenline,
            eventMode: f.eventMode ?? 'fetch',
            webhookUrl: f.webhookUrl,
          };
          bots.set(b.id, b);
          return ok(v2(b));
        }
        case 'imbot.v2.Bot.update': {
          const b = bots.get(p.botId)!;
          const f = p.fields;
          Object.assign(b, {
            ...(f.eventMode ? { eventMode: f.eventMode } : {}),
            ...(f.webhookUrl ? { webhookUrl: f.webhookUrl } : {}),
            ...(f.properties?.name ? { name: f.properties.name } : {}),
          });
          return ok(v2(b));
        }
        case 'imbot.v2.Bot.unregister':
          return ok(bots.delete(p.botId));
        case 'imbot.bot.list':
          return ok(
            Object.fromEntries(
              [...bots.values()].map((b) => [
                String(b.id),
                { ID: b.id, NAME: b.name, CODE: b.code, OPENLINE: b.openline ?? 'N' },
              ]),
            ),
          );
        case 'imbot.register': {
          const b = {
            id: nextId++,
            code: p.CODE,
            type: p.TYPE,
            name: p.PROPERTIES.NAME,
            handler: p.EVENT_HANDLER,
            openline: p.OPENLINE,
          };
          bots.set(b.id, b);
          return ok(b.id);
        }
        case 'imbot.update': {
          const b = bots.get(p.BOT_ID)!;
          Object.assign(b, {
            handler: p.FIELDS.EVENT_HANDLER,
            name: p.FIELDS.PROPERTIES?.NAME ?? b.name,
          });
          return ok(true);
        }
        case 'imbot.unregister':
          return ok(bots.delete(p.BOT_ID));
        case 'imbot.v2.Command.register': {
          const f = p.fields;
          const c = addCommand({
            botId: p.botId,
            command: f.command,
            hidden: f.hidden === true,
            extranetSupport: f.extranetSupport === true,
            title: f.title,
          });
          return ok(v2Command(c));
        }
        case 'imbot.v2.Command.update': {
          const c = commands.find((x) => x.id === p.commandId && x.botId === p.botId);
          if (!c)
            return [400, { error: 'COMMAND_NOT_FOUND', error_description: 'Command not found' }];
          if (p.fields.hidden) c.hidden = p.fields.hidden === 'Y';
          if (p.fields.extranetSupport) c.extranetSupport = p.fields.extranetSupport === 'Y';
          return ok(v2Command(c));
        }
        case 'imbot.command.register': {
          if (!p.EVENT_COMMAND_ADD)
            return [400, { error: 'EVENT_COMMAND_ADD_ERROR', error_description: 'no handler' }];
          const c = addCommand({
            botId: p.BOT_ID,
            command: p.COMMAND,
            hidden: p.HIDDEN === 'Y',
            extranetSupport: p.EXTRANET_SUPPORT === 'Y',
            title: p.LANG,
            handler: p.EVENT_COMMAND_ADD,
          });
          return ok(c.id);
        }
        default:
          return [400, { error: 'ERROR_METHOD_NOT_FOUND' }];
      }
    });
  return {
    bots,
    commands,
    calls,
    bodies,
    snapshot: () => JSON.stringify([[...bots.values()], commands]),
  };
}

const api = () =>
  createRestClient({
    auth: {
      type: 'webhook',
      url: `${PORTAL}${BASE}`,
      clientId: 'v1-client-reg',
      botToken: 'v2-token-reg',
    },
  }).api;

describe('ensureBotRegistered', () => {
  it('registers a v2 Open Lines bot once; a second run changes nothing', async () => {
    const portal = botRegistry();
    const options = {
      code: 'support',
      name: 'Support',
      apiVersion: 2 as const,
      mode: 'fetch' as const,
    };
    const id = await ensureBotRegistered(api(), options);
    const after = portal.snapshot();
    expect(portal.bots.get(id)).toMatchObject({
      code: 'support',
      type: 'openline',
      isSupportOpenline: true,
      eventMode: 'fetch',
    });

    await expect(ensureBotRegistered(api(), options)).resolves.toBe(id);
    expect(portal.snapshot()).toBe(after);
    expect(portal.calls).toEqual(['imbot.v2.Bot.get', 'imbot.v2.Bot.register', 'imbot.v2.Bot.get']);
  });

  it('updates a v2 bot whose event mode or handler URL changed instead of registering another', async () => {
    const portal = botRegistry();
    const id = await ensureBotRegistered(api(), {
      code: 'support',
      name: 'Support',
      apiVersion: 2,
      mode: 'fetch',
    });
    await ensureBotRegistered(api(), {
      code: 'support',
      name: 'Support',
      apiVersion: 2,
      mode: 'webhook',
      url: 'https://bot.example.com/b24',
    });
    expect(portal.bots.size).toBe(1);
    expect(portal.bots.get(id)).toMatchObject({
      eventMode: 'webhook',
      webhookUrl: 'https://bot.example.com/b24',
    });
    expect(portal.calls.filter((c) => c === 'imbot.v2.Bot.update')).toHaveLength(1);
  });

  it('registers a v1 bot with TYPE=O, OPENLINE=Y and one handler, then updates it in place', async () => {
    const portal = botRegistry();
    const options = {
      code: 'support',
      name: 'Support',
      apiVersion: 1 as const,
      mode: 'webhook' as const,
      url: 'https://bot.example.com/v1',
    };
    const id = await ensureBotRegistered(api(), options);
    expect(portal.bots.get(id)).toMatchObject({
      type: 'O',
      openline: 'Y',
      handler: 'https://bot.example.com/v1',
      name: 'Support',
    });
    const after = portal.snapshot();
    await expect(ensureBotRegistered(api(), options)).resolves.toBe(id);
    expect(portal.snapshot()).toBe(after);
    await ensureBotRegistered(api(), { ...options, url: 'https://bot.example.com/v1b' });
    expect(portal.bots.size).toBe(1);
    expect(portal.bots.get(id)?.handler).toBe('https://bot.example.com/v1b');
    expect(portal.calls).toEqual([
      'imbot.bot.list',
      'imbot.register',
      'imbot.bot.list',
      'imbot.update',
      'imbot.bot.list',
      'imbot.update',
    ]);
  });

  it('refuses a v1 bot registered without Open Lines support, and bad options, with a ConfigError', async () => {
    const portal = botRegistry();
    portal.bots.set(7, { id: 7, code: 'legacy', type: 'B', name: 'Legacy', openline: 'N' });
    const e1: unknown = await ensureBotRegistered(api(), {
      code: 'legacy',
      name: 'L',
      apiVersion: 1,
      mode: 'webhook',
      url: 'https://x.example.com',
    }).catch((x: unknown) => x);
    expect(isOpenlinesError(e1) && e1.code).toBe('CONFIG');
    const e2: unknown = await ensureBotRegistered(api(), {
      code: 'x',
      name: 'X',
      apiVersion: 1,
      mode: 'fetch',
    }).catch((x: unknown) => x);
    expect(isOpenlinesError(e2) && e2.code).toBe('CONFIG');
    expect((e2 as Error).message).toMatch(/fetch mode exists only for apiVersion 2/);
  });
});

describe('ensureBotRegistered', () => {
  const v2Options = {
    code: 'support',
    name: 'Support',
    apiVersion: 2 as const,
    mode: 'webhook' as const,
    url: 'https://bot.example.com/events',
    commands: ['order', { command: 'operator', title: 'Talk to a human', hidden: false }],
  };

  it('registers each v2 command after the bot, for extranet users; a second run changes nothing', async () => {
    const portal = botRegistry();
    const id = await ensureBotRegistered(api(), v2Options);
    expect(portal.calls).toEqual([
      'imbot.v2.Bot.get',
      'imbot.v2.Bot.register',
      'imbot.v2.Command.register',
      'imbot.v2.Command.register',
    ]);
    expect(
      portal.bodies.filter((b) => b.method === 'imbot.v2.Command.register').map((b) => b.body),
    ).toEqual([
      {
        botId: id,
        botToken: 'v2-token-reg',
        fields: { command: 'order', title: { en: 'order' }, hidden: true, extranetSupport: true },
      },
      {
        botId: id,
        botToken: 'v2-token-reg',
        fields: {
          command: 'operator',
          title: { en: 'Talk to a human' },
          hidden: false,
          extranetSupport: true,
        },
      },
    ]);
    const after = portal.snapshot();

    await expect(ensureBotRegistered(api(), v2Options)).resolves.toBe(id);
    expect(portal.snapshot()).toBe(after);
    expect(portal.commands.map((c) => [c.command, c.botId])).toEqual([
      ['order', id],
      ['operator', id],
    ]);
    expect(portal.calls).not.toContain('imbot.v2.Command.update');
  });

  it('puts right the flags of a v2 command registered earlier without extranet support', async () => {
    const portal = botRegistry();
    const id = await ensureBotRegistered(api(), { ...v2Options, commands: [] });
    portal.commands.push({
      id: 42,
      botId: id,
      command: 'order',
      hidden: false,
      extranetSupport: false,
      title: { en: 'Order' },
    });
    await ensureBotRegistered(api(), { ...v2Options, commands: ['order'] });
    expect(portal.bodies.find((b) => b.method === 'imbot.v2.Command.update')?.body).toEqual({
      botId: id,
      botToken: 'v2-token-reg',
      commandId: 42,
      fields: { hidden: 'Y', extranetSupport: 'Y' },
    });
    expect(portal.commands).toEqual([
      expect.objectContaining({ id: 42, hidden: true, extranetSupport: true }),
    ]);
    const calls = portal.calls.length;
    await ensureBotRegistered(api(), { ...v2Options, commands: ['order'] });
    expect(portal.calls.slice(calls)).not.toContain('imbot.v2.Command.update');
  });

  it('registers v2 commands in fetch mode without any handler URL', async () => {
    const portal = botRegistry();
    const id = await ensureBotRegistered(api(), {
      code: 'faq',
      name: 'FAQ',
      apiVersion: 2,
      mode: 'fetch',
      commands: ['topic'],
    });
    expect(portal.commands).toEqual([
      expect.objectContaining({ botId: id, command: 'topic', hidden: true, extranetSupport: true }),
    ]);
  });

  it('registers v1 commands with the handler URL, LANG and EXTRANET_SUPPORT=Y; a second run returns the same ids', async () => {
    const portal = botRegistry();
    const options = {
      code: 'support',
      name: 'Support',
      apiVersion: 1 as const,
      mode: 'webhook' as const,
      url: 'https://bot.example.com/v1',
      commands: ['order', { command: 'operator', title: 'Talk to a human' }],
    };
    const id = await ensureBotRegistered(api(), options);
    expect(
      portal.bodies.filter((b) => b.method === 'imbot.command.register').map((b) => b.body),
    ).toEqual([
      {
        BOT_ID: id,
        COMMAND: 'order',
        EVENT_COMMAND_ADD: 'https://bot.example.com/v1',
        HIDDEN: 'Y',
        EXTRANET_SUPPORT: 'Y',
        LANG: [{ LANGUAGE_ID: 'en', TITLE: 'order' }],
        CLIENT_ID: 'v1-client-reg',
      },
      {
        BOT_ID: id,
        COMMAND: 'operator',
        EVENT_COMMAND_ADD: 'https://bot.example.com/v1',
        HIDDEN: 'Y',
        EXTRANET_SUPPORT: 'Y',
        LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Talk to a human' }],
        CLIENT_ID: 'v1-client-reg',
      },
    ]);
    const after = portal.snapshot();
    await expect(ensureBotRegistered(api(), options)).resolves.toBe(id);
    expect(portal.snapshot()).toBe(after);
    expect(portal.commands).toHaveLength(2);
  });

  it('rejects bad command names with one ConfigError line each, before calling the portal', async () => {
    const portal = botRegistry();
    const e: unknown = await ensureBotRegistered(api(), {
      ...v2Options,
      commands: ['/order', { command: 'talk to human' }, 'ok_1'],
    }).catch((x: unknown) => x);
    expect(isOpenlinesError(e) && e.code).toBe('CONFIG');
    expect((e as ConfigError).problems).toEqual([
      'commands[0] "/order" must be 1-64 latin letters, digits or "_" (no slash)',
      'commands[1] "talk to human" must be 1-64 latin letters, digits or "_" (no slash)',
    ]);
    expect(portal.calls).toEqual([]);
  });
});

describe('unregisterBot', () => {
  it('removes v1 and v2 bots by code and reports false when there is none', async () => {
    const portal = botRegistry();
    await ensureBotRegistered(api(), { code: 'v2bot', name: 'Two', apiVersion: 2, mode: 'fetch' });
    await ensureBotRegistered(api(), {
      code: 'v1bot',
      name: 'One',
      apiVersion: 1,
      mode: 'webhook',
      url: 'https://bot.example.com/v1',
    });
    await expect(unregisterBot(api(), { code: 'v2bot', apiVersion: 2 })).resolves.toBe(true);
    await expect(unregisterBot(api(), { code: 'v1bot', apiVersion: 1 })).resolves.toBe(true);
    await expect(unregisterBot(api(), { code: 'v2bot', apiVersion: 2 })).resolves.toBe(false);
    await expect(unregisterBot(api(), { code: 'v1bot', apiVersion: 1 })).resolves.toBe(false);
    expect(portal.bots.size).toBe(0);
  });
});
