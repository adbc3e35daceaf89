import {
  createTokenMatcher,
  matchApplicationToken,
} from '../../src/transport/check-application-token';

const portal = { memberId: 'm1', domain: 'a.bitrix24.test' };
const noStore = {
  getPortal: () => {
    throw new Error('a static policy reads no store');
  },
};

describe('createTokenMatcher', () => {
  it('answers a static policy synchronously, naming the form that matched', () => {
    const match = createTokenMatcher({
      kind: 'static',
      tokens: ['t-one', 't-two', 'custom-cid'],
      forms: [{ form: 'custom+CLIENT_ID', token: 'custom-cid' }],
    });
    expect(match({ applicationToken: 't-two', portal }, noStore)).toBe('token');
    expect(match({ applicationToken: 'custom-cid', portal }, noStore)).toBe('custom+CLIENT_ID');
    expect(match({ applicationToken: 't-three', portal }, noStore)).toBeUndefined();
    expect(match({ applicationToken: '', portal }, noStore)).toBeUndefined();
    expect(match({ applicationToken: undefined, portal }, noStore)).toBeUndefined();
  });

  it('never matches an empty configured token', () => {
    const match = createTokenMatcher({ kind: 'static', tokens: [''] });
    expect(match({ applicationToken: 'x', portal }, noStore)).toBeUndefined();
  });

  it('compares with the token stored for the portal in app mode', async () => {
    const store = {
      getPortal: async (memberId: string) =>
        memberId === 'm1' ? ({ applicationToken: 'stored-token' } as never) : undefined,
    };
    const match = createTokenMatcher({ kind: 'stored' });
    await expect(match({ applicationToken: 'stored-token', portal }, store)).resolves.toBe(
      'stored',
    );
    await expect(match({ applicationToken: 'other', portal }, store)).resolves.toBeUndefined();
    await expect(
      match({ applicationToken: 'stored-token', portal: { ...portal, memberId: 'm2' } }, store),
    ).resolves.toBeUndefined();
    await expect(
      matchApplicationToken({
        event: { applicationToken: 'stored-token', portal },
        policy: { kind: 'stored' },
        store,
      }),
    ).resolves.toBe('stored');
  });
});
