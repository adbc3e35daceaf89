/**
 * The examples of docs/testing.md's reference ("everything openlines-bot/testing exports"), run
 * as written (imported from the package name, as a user's project does).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { createRestClient } from 'openlines-bot';
import {
  botMatchers,
  checkFlow,
  COVERAGE_DIR_ENV,
  createEventBuilders,
  createFakeClock,
  createFakePortal,
  events,
  formatCoverageTable,
  mergeCoverage,
  mockPortal,
  parseDuration,
  parseTranscript,
  readCoverageRecords,
  runTranscriptScenario,
  summarizeCoverage,
  testBot,
  TranscriptMismatch,
  TranscriptSyntaxError,
} from 'openlines-bot/testing';
import { createSupportBot } from '../../bots/support/bot';

expect.extend(botMatchers);

describe('docs/testing.md reference examples', () => {
  // Each test file loads its own copy of nock; leave no interceptor behind for the next file
  // that runs in this worker (it would swallow that file's simulated network failures).
  afterAll(() => {
    nock.cleanAll();
    nock.restore();
  });

  it('testBot with options, and the matchers', async () => {
    const chat = testBot(createSupportBot(), {
      client: { firstName: 'Anna' },
      lineId: 3,
      coverage: false,
    });
    await chat.join();
    expect(chat.effects.map((e) => e.call.method)).toContain('imbot.v2.Chat.Message.send');
    expect(chat.last).toHaveReplied(/^Hello, Anna!/);
    expect(chat).not.toHaveHandedToOperator();
    await chat.close();
  });

  it('createFakeClock fires a timeout at its deadline, not before', () => {
    const clock = createFakeClock();
    const start = clock.now();
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 60_000);
    clock.advance(59_999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([start + 60_000]);
    expect(clock.pending()).toBe(0);
  });

  it('createFakePortal answers the REST client and records the call', async () => {
    const portal = await createFakePortal({ rateLimit: false });
    try {
      const client = createRestClient({
        auth: { type: 'webhook', url: portal.webhookUrl, botToken: 'my_bot_token' },
      });
      await client.call('imopenlines.config.list.get', {});
      expect(portal.callsOf('imopenlines.config.list.get')).toHaveLength(1);
    } finally {
      await portal.close();
    }
  });

  it('mockPortal serves the same portal through nock', async () => {
    const portal = mockPortal(nock);
    try {
      const client = createRestClient({
        auth: { type: 'webhook', url: portal.webhookUrl, botToken: 'my_bot_token' },
      });
      await client.call('imopenlines.config.list.get', {});
      expect(portal.webhookUrl).toMatch(/^https:\/\/fake\.bitrix24\.test\//);
      expect(portal.callsOf('imopenlines.config.list.get')).toHaveLength(1);
    } finally {
      portal.close();
    }
  });

  it('event builders make form-encoded bodies with their own ids', () => {
    const wire = createEventBuilders({
      memberId: 'm1',
      applicationToken: 'app',
      botId: 7,
      chatId: 42,
    });
    const join = wire.v2.join({});
    expect(join.contentType).toBe('application/x-www-form-urlencoded');
    expect(decodeURIComponent(join.body)).toContain('event=ONIMBOTV2JOINCHAT');
    const a = wire.v2.message({ text: 'Where is my order?' });
    const b = wire.v2.message({ text: 'Where is my order?' });
    expect(a.body).not.toBe(b.body);
    expect(decodeURIComponent(events.v1.message({ text: 'hi' }).body)).toContain(
      'event=ONIMBOTMESSAGEADD',
    );
  });

  it('parseTranscript, parseDuration, TranscriptSyntaxError', () => {
    const transcript = parseTranscript({
      text: '## greets\njoin\nbot: /^Hello/\n',
      file: 'greets.txt',
    });
    expect(transcript.scenarios[0]?.steps.map((s) => s.kind)).toEqual(['join', 'bot']);
    expect(parseDuration('1h 30m')).toBe(5_400_000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(() => parseTranscript({ text: '## x\nclinet: hi\n', file: 'bad.txt' })).toThrow(
      TranscriptSyntaxError,
    );
  });

  it('runTranscriptScenario runs a parsed scenario on your own chat, TranscriptMismatch on a failing step', async () => {
    const transcript = parseTranscript({
      text: '## greets\njoin\nbot: /^Hello/\n',
      file: 'greets.txt',
    });
    const chat = testBot(createSupportBot(), { client: null, coverage: false });
    await runTranscriptScenario({ chat, scenario: transcript.scenarios[0]!, file: 'greets.txt' });
    await chat.close();
    const wrong = parseTranscript({ text: '## greets\njoin\nbot: Goodbye\n', file: 'wrong.txt' });
    const other = testBot(createSupportBot(), { coverage: false });
    await expect(
      runTranscriptScenario({ chat: other, scenario: wrong.scenarios[0]!, file: 'wrong.txt' }),
    ).rejects.toBeInstanceOf(TranscriptMismatch);
    await other.close();
  });

  it('checkFlow with an accepted finding', () => {
    const report = checkFlow(createSupportBot(), {
      ignore: [{ kind: 'no-timeout', state: 'survey' }],
    });
    expect(report.problems).toEqual([]);
  });

  it('coverage records: read, merge, summarize, format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'olb-docs-coverage-'));
    const before = process.env[COVERAGE_DIR_ENV];
    process.env[COVERAGE_DIR_ENV] = dir;
    try {
      const chat = testBot(createSupportBot());
      await chat.join();
      await chat.close();
      const records = mergeCoverage(readCoverageRecords({ dir: process.env[COVERAGE_DIR_ENV] }));
      expect(records.map((r) => r.bot)).toEqual(['support']);
      const table = formatCoverageTable(records.map(summarizeCoverage));
      expect(table).toMatch(/support\s+\d+\/\d+/);
    } finally {
      if (before === undefined) delete process.env[COVERAGE_DIR_ENV];
      else process.env[COVERAGE_DIR_ENV] = before;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
