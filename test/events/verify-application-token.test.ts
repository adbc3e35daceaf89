import { verifyApplicationToken } from '../../src/events/verify-application-token';

describe('verifyApplicationToken', () => {
  it('accepts the same token and refuses any other', () => {
    const token = '831c76b092f9f135d9b6b36c3a720757';
    expect(verifyApplicationToken(token, token)).toBe(true);
    expect(verifyApplicationToken(token, `${token}`.slice(0))).toBe(true);
    expect(verifyApplicationToken(token, token.slice(0, -1))).toBe(false);
    expect(verifyApplicationToken(token, `${token}0`)).toBe(false);
    expect(verifyApplicationToken(token, token.toUpperCase())).toBe(false);
    expect(verifyApplicationToken('customabc', 'customabd')).toBe(false);
  });

  it('is false for missing, empty or non-string values on either side', () => {
    for (const bad of [undefined, null, '', 0, {}, ['x']]) {
      expect(verifyApplicationToken(bad, 'token')).toBe(false);
      expect(verifyApplicationToken('token', bad)).toBe(false);
    }
    expect(verifyApplicationToken(undefined, undefined)).toBe(false);
    expect(verifyApplicationToken('', '')).toBe(false);
  });

  it('compares non-ASCII tokens by their UTF-8 bytes', () => {
    expect(verifyApplicationToken('тест', 'тест')).toBe(true);
    expect(verifyApplicationToken('тест', 'тесt')).toBe(false);
  });
});
