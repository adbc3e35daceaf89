import {
  buildBatchCommands,
  encodeBatchQuery,
  readBatchResult,
} from '../../src/bitrix/batch-encoding';
import { createRestClient } from '../../src/bitrix/create-rest-client';
import { isOpenlinesError } from '../../src/errors';

describe('encodeBatchQuery', () => {
  it('encodes nested params in PHP bracket form like http_build_query', () => {
    const q = encodeBatchQuery({
      BOT_ID: 571,
      FIELDS: { PROPERTIES: { NAME: 'Support & Co', WORK_POSITION: '1st line' } },
      LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Human?' }],
      KEYBOARD: { BUTTONS: [{ TEXT: 'A=B', COMMAND: 'op' }] },
      SKIP: null,
      NOTHING: undefined,
      EMPTY: [],
      FLAG: true,
      OFF: false,
    });
    expect(q).toBe(
      [
        'BOT_ID=571',
        'FIELDS[PROPERTIES][NAME]=Support%20%26%20Co',
        'FIELDS[PROPERTIES][WORK_POSITION]=1st%20line',
        'LANG[0][LANGUAGE_ID]=en',
        'LANG[0][TITLE]=Human%3F',
        'KEYBOARD[BUTTONS][0][TEXT]=A%3DB',
        'KEYBOARD[BUTTONS][0][COMMAND]=op',
        'FLAG=Y',
        'OFF=N',
      ].join('&'),
    );
    // What PHP's parse_str would see after URL-decoding each pair.
    expect(decodeURIComponent(q.split('&')[1]!)).toBe('FIELDS[PROPERTIES][NAME]=Support & Co');
  });

  it('refuses params nested without bound instead of overflowing the stack', () => {
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 40; i++) cur = cur.x = {} as Record<string, unknown>;
    let caught: unknown;
    try {
      encodeBatchQuery(deep);
    } catch (e) {
      caught = e;
    }
    expect(isOpenlinesError(caught) && caught.code).toBe('CONFIG');
  });
});

describe('buildBatchCommands', () => {
  it('rejects invalid method names and nested batch', () => {
    expect(() => buildBatchCommands([{ method: 'im.x?y=1' }], (_m, p) => p)).toThrow(
      /invalid REST method name/,
    );
    expect(() => buildBatchCommands([{ method: 'batch' }], (_m, p) => p)).toThrow(
      /batch cannot contain batch/,
    );
    expect(buildBatchCommands([{ method: 'imbot.bot.list' }], (_m, p) => p)).toEqual({
      c0: 'imbot.bot.list',
    });
  });
});

describe('readBatchResult', () => {
  it('accepts PHP empty arrays and unknown error shapes', () => {
    expect(readBatchResult(2, { result: [], result_error: { c0: 'OOPS' } })).toEqual([
      { status: 'error', error: 'OOPS' },
      {
        status: 'error',
        error: 'NOT_EXECUTED',
        description: 'not run: the batch halted at an earlier error',
      },
    ]);
    expect(readBatchResult(1, null)).toEqual([
      {
        status: 'error',
        error: 'NOT_EXECUTED',
        description: 'not run: the batch halted at an earlier error',
      },
    ]);
  });
});

describe('RestClient.call', () => {
  it('rejects a malformed method name with a ConfigError before any request', async () => {
    const client = createRestClient({
      auth: { type: 'webhook', url: 'https://acme.bitrix24.com/rest/1/abcd1234/' },
    });
    const e: unknown = await client.call('../../oauth/token').catch((x: unknown) => x);
    expect(isOpenlinesError(e) && e.code).toBe('CONFIG');
    const e2: unknown = await client
      .call('im.revision.get', null as never)
      .catch((x: unknown) => x);
    expect(isOpenlinesError(e2) && e2.code).toBe('CONFIG');
    await expect(client.batch([])).resolves.toEqual([]);
  });
});
