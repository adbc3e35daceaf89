/**
 * `openlines-bot lines`, `attach`, `detach` and `register --line` against the loopback fake
 * portal: the line's WELCOME_BOT_* settings change as asked, and a second run changes nothing.
 */
import { runCli } from '../../src/cli/main';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';
import { capturedIo } from './captured-io';

const TOKEN = 'lines_test_token';

const botKeys = (portal: FakePortal, id: number) => {
  const line = portal.lines.find((l) => l.ID === id)!;
  return {
    WELCOME_BOT_ENABLE: line.WELCOME_BOT_ENABLE,
    WELCOME_BOT_ID: line.WELCOME_BOT_ID,
    WELCOME_BOT_JOIN: line.WELCOME_BOT_JOIN,
    WELCOME_BOT_TIME: line.WELCOME_BOT_TIME,
    WELCOME_BOT_LEFT: line.WELCOME_BOT_LEFT,
  };
};

describe('openlines-bot lines / attach / detach / register --line', () => {
  let portal: FakePortal;
  let env: Record<string, string>;
  beforeEach(async () => {
    portal = await createFakePortal({
      rateLimit: false,
      lines: [
        {
          ID: 1,
          LINE_NAME: 'Support',
          ACTIVE: 'Y',
          WELCOME_BOT_ENABLE: 'N',
          WELCOME_BOT_JOIN: 'always',
          WELCOME_BOT_LEFT: 'queue',
          QUEUE: [1],
        },
        { ID: 2, LINE_NAME: 'Sales', ACTIVE: 'N', QUEUE: [] },
      ],
    });
    env = { B24_WEBHOOK_URL: portal.webhookUrl, B24_BOT_TOKEN: TOKEN, LOG_LEVEL: 'silent' };
  });
  afterEach(async () => {
    await portal.close();
  });

  const run = async (argv: string[]) => {
    const io = capturedIo({ env });
    const code = await runCli({ argv, io });
    return { code, out: io.out(), err: io.err() };
  };
  const updates = () => portal.callsOf('imopenlines.config.update');

  it('lists the lines with their bot, as a table and as JSON', async () => {
    const table = await run(['lines']);
    expect(table.code).toBe(0);
    expect(table.out.split('\n').filter(Boolean)).toEqual([
      'ID  NAME     ACTIVE  BOT  JOIN  TIME  LEFT',
      '1   Support  yes     -',
      '2   Sales    no      -',
    ]);
    // One config.list.get, then one batch of config.get for the WELCOME_BOT_* keys.
    expect(portal.callsOf('batch')).toHaveLength(1);
    expect(portal.callsOf('imopenlines.config.get').map((c) => c.viaBatch)).toEqual([true, true]);

    const reg = await run(['register', 'bots/support', '--fetch', '--line', '1', '--time', '90']);
    const json = await run(['lines', '--json']);
    expect(JSON.parse(json.out)).toEqual([
      {
        id: 1,
        name: 'Support',
        active: true,
        botId: Number(reg.out.trim()),
        join: 'always',
        timeSeconds: 90,
        left: 'queue',
      },
      { id: 2, name: 'Sales', active: false, botId: 0 },
    ]);
  });

  it('register --line registers and attaches in one step; a second run changes nothing', async () => {
    const args = [
      'register',
      'bots/support',
      '--fetch',
      '--line',
      '1',
      '--join',
      'first',
      '--time',
      '120',
      '--left',
      'close',
    ];
    const first = await run(args);
    expect(first.code).toBe(0);
    const id = Number(first.out.trim());
    expect(id).toBeGreaterThan(0);
    expect(first.err).toContain(`is attached to line 1`);
    expect(botKeys(portal, 1)).toEqual({
      WELCOME_BOT_ENABLE: 'Y',
      WELCOME_BOT_ID: id,
      WELCOME_BOT_JOIN: 'first',
      WELCOME_BOT_TIME: 120,
      WELCOME_BOT_LEFT: 'close',
    });
    expect(updates()).toHaveLength(1);
    const lines = JSON.stringify(portal.lines);
    const bots = JSON.stringify(portal.bots);

    const second = await run(args);
    expect(second.code).toBe(0);
    expect(Number(second.out.trim())).toBe(id);
    expect(second.err).toContain('nothing changed');
    expect(updates()).toHaveLength(1);
    expect(portal.callsOf('imbot.v2.Bot.register')).toHaveLength(1);
    expect(JSON.stringify(portal.lines)).toBe(lines);
    expect(JSON.stringify(portal.bots)).toBe(bots);
  });

  it('attach sets WELCOME_BOT_* as asked, keeps what is not given, and is idempotent', async () => {
    const id = Number((await run(['register', 'bots/support', '--fetch'])).out.trim());
    expect(botKeys(portal, 1).WELCOME_BOT_ENABLE).toBe('N');

    const a = await run(['attach', 'bots/support', '--line', '1', '--time', '300']);
    expect(a.code).toBe(0);
    expect(botKeys(portal, 1)).toEqual({
      WELCOME_BOT_ENABLE: 'Y',
      WELCOME_BOT_ID: id,
      WELCOME_BOT_JOIN: 'always',
      WELCOME_BOT_TIME: 300,
      WELCOME_BOT_LEFT: 'queue',
    });
    expect(await run(['attach', 'bots/support', '--line', '1', '--time', '300'])).toMatchObject({
      code: 0,
    });
    expect(updates()).toHaveLength(1);

    // A changed option is one more update; the other settings stay.
    await run(['attach', 'bots/support', '--line', '1', '--left', 'close']);
    expect(updates()).toHaveLength(2);
    expect(botKeys(portal, 1)).toMatchObject({ WELCOME_BOT_TIME: 300, WELCOME_BOT_LEFT: 'close' });
    // Line 2 was never touched.
    expect(portal.lines.find((l) => l.ID === 2)?.WELCOME_BOT_ID).toBeUndefined();
  });

  it('detach removes the bot once, then changes nothing; another bot is left alone', async () => {
    await run(['register', 'bots/support', '--fetch', '--line', '1']);
    const d1 = await run(['detach', 'bots/support', '--line', '1']);
    expect(d1.code).toBe(0);
    expect(botKeys(portal, 1)).toMatchObject({ WELCOME_BOT_ENABLE: 'N', WELCOME_BOT_ID: 0 });
    expect(updates()).toHaveLength(2);
    const d2 = await run(['detach', 'bots/support', '--line', '1']);
    expect(d2.err).toContain('no bot attached');
    expect(updates()).toHaveLength(2);

    const faq = Number((await run(['register', 'bots/faq', '--fetch', '--line', '1'])).out.trim());
    const d3 = await run(['detach', 'bots/support', '--line', '1']);
    expect(d3.err).toContain(`another bot (id ${faq})`);
    expect(botKeys(portal, 1)).toMatchObject({ WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: faq });
    expect(updates()).toHaveLength(3);
  });

  it('refuses wrong options before calling the portal', async () => {
    const cases = [
      ['attach', 'bots/support', '--line', 'chat1777'],
      ['attach', 'bots/support', '--line', '1', '--join', 'sometimes'],
      ['attach', 'bots/support', '--line', '1', '--left', 'away'],
      ['attach', 'bots/support', '--line', '1', '--time', '-5'],
      ['attach', 'bots/support'],
      ['register', 'bots/support', '--fetch', '--join', 'first'],
    ];
    for (const argv of cases) {
      const r = await run(argv);
      expect([argv.join(' '), r.code]).toEqual([argv.join(' '), 2]);
    }
    expect(portal.calls).toEqual([]);
  });

  it('says how to register a bot that is not on the portal, and changes nothing', async () => {
    const r = await run(['attach', 'bots/support', '--line', '1']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('openlines-bot register bots/support --line 1');
    expect(updates()).toHaveLength(0);
  });

  it('names a line that does not exist', async () => {
    await run(['register', 'bots/support', '--fetch']);
    const r = await run(['attach', 'bots/support', '--line', '42']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('no open line with id 42');
  });
});
