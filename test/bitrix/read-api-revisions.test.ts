import { createRestClient } from '../../src/bitrix/create-rest-client';
import { readApiRevisions } from '../../src/bitrix/read-api-revisions';
import { createLogger } from '../../src/logger';
import { createFakePortal, type FakePortal } from '../../src/testing/fake-portal';

describe('readApiRevisions', () => {
  let portal: FakePortal;
  beforeEach(async () => {
    portal = await createFakePortal({ rateLimit: false });
  });
  afterEach(async () => {
    await portal.close();
  });

  const capture = () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({
      level: 'info',
      destination: {
        write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>),
      },
    });
    return { lines, logger };
  };

  it('reads both revisions in one batch and logs them', async () => {
    const { lines, logger } = capture();
    const client = createRestClient({ auth: { type: 'webhook', url: portal.webhookUrl } });
    const out = await readApiRevisions({ client, logger });
    expect(out).toEqual({
      imbotV2: { rest: 36, web: 36, mobile: 36, desktop: 36 },
      openlines: { rest: 2, web: 1, mobile: 1 },
      errors: {},
    });
    expect(portal.callsOf('batch')).toHaveLength(1);
    expect(portal.callsOf('imbot.v2.Revision.get')[0]?.params).toEqual({});
    expect(lines.map((l) => l.msg)).toEqual([
      'portal API revisions: imbot.v2 rest 36, imopenlines rest 2',
    ]);
  });

  it('reports a refused revision without failing', async () => {
    const { lines, logger } = capture();
    portal.failNext('imopenlines.revision.get', 'insufficient_scope');
    const client = createRestClient({ auth: { type: 'webhook', url: portal.webhookUrl } });
    const out = await readApiRevisions({ client, logger });
    expect(out.imbotV2?.rest).toBe(36);
    expect(out.openlines).toBeUndefined();
    expect(out.errors).toEqual({ 'imopenlines.revision.get': 'insufficient_scope' });
    expect(lines[0]).toMatchObject({
      level: 40,
      msg: 'could not read every API revision of the portal',
    });
  });
});
