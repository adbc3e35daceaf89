import { encodePhpForm } from '../../src/events/php-form';
import { isEventValidationError } from '../../src/events/event-validation-error';
import { parseInstallRequest } from '../../src/transport/parse-install-request';

const NOW = Date.UTC(2025, 0, 1);

describe('parseInstallRequest', () => {
  it('reads the installation callback / ONAPPINSTALL form with its auth block', () => {
    const body = encodePhpForm({
      event: 'ONAPPINSTALL',
      data: { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'ru' },
      ts: '1736000000',
      auth: {
        access_token: 'access_aaaaaaaa',
        expires: '1736003600',
        expires_in: '3600',
        scope: 'imbot,imopenlines',
        domain: 'acme.bitrix24.com',
        server_endpoint: 'https://oauth.bitrix.info/rest/',
        status: 'L',
        client_endpoint: 'https://acme.bitrix24.com/rest/',
        member_id: 'a223c6b3710f85df22e9377d6c4f7553',
        user_id: '1',
        refresh_token: 'refresh_bbbbbbbb',
        application_token: 'apptoken_cccccccc',
      },
    });
    const r = parseInstallRequest({
      body: Buffer.from(body),
      contentType: 'application/x-www-form-urlencoded',
      now: NOW,
    });
    expect(r).toEqual({
      ui: false,
      input: {
        memberId: 'a223c6b3710f85df22e9377d6c4f7553',
        domain: 'acme.bitrix24.com',
        clientEndpoint: 'https://acme.bitrix24.com/rest/',
        serverEndpoint: 'https://oauth.bitrix.info/rest/',
        accessToken: 'access_aaaaaaaa',
        refreshToken: 'refresh_bbbbbbbb',
        expiresAt: 1736003600 * 1000,
        scope: 'imbot,imopenlines',
        applicationToken: 'apptoken_cccccccc',
      },
    });
  });

  it('reads the installer frame POST (AUTH_ID, REFRESH_ID, DOMAIN in the query) as a UI install', () => {
    const body = new URLSearchParams({
      AUTH_ID: 'access_dddddddd',
      AUTH_EXPIRES: '3600',
      REFRESH_ID: 'refresh_eeeeeeee',
      SERVER_ENDPOINT: 'https://oauth.bitrix.info/rest/',
      member_id: 'm-2',
      status: 'L',
      PLACEMENT: 'DEFAULT',
    }).toString();
    const r = parseInstallRequest({
      body: Buffer.from(body),
      contentType: 'application/x-www-form-urlencoded',
      query: { DOMAIN: 'b.bitrix24.de', PROTOCOL: '1' },
      now: NOW,
    });
    expect(r).toEqual({
      ui: true,
      input: {
        memberId: 'm-2',
        domain: 'b.bitrix24.de',
        clientEndpoint: 'https://b.bitrix24.de/rest/',
        serverEndpoint: 'https://oauth.bitrix.info/rest/',
        accessToken: 'access_dddddddd',
        refreshToken: 'refresh_eeeeeeee',
        expiresAt: NOW + 3_600_000,
      },
    });
  });

  it('reads a JSON body', () => {
    const body = JSON.stringify({
      auth: {
        access_token: 'access_ffffffff',
        refresh_token: 'refresh_gggggggg',
        member_id: 'm3',
        domain: 'c.bitrix24.com',
      },
    });
    const r = parseInstallRequest({
      body: Buffer.from(body),
      contentType: 'application/json',
      now: NOW,
    });
    expect(r.input).toMatchObject({
      memberId: 'm3',
      clientEndpoint: 'https://c.bitrix24.com/rest/',
    });
  });

  it('refuses incomplete or hostile requests with validation issues', () => {
    const bodies: Array<[string, string]> = [
      ['', 'application/x-www-form-urlencoded'],
      ['auth[access_token]=short', 'application/x-www-form-urlencoded'],
      [
        'AUTH_ID=access_hhhhhhhh&REFRESH_ID=refresh_iiiiiiii&member_id=..%2F..%2Fetc',
        'application/x-www-form-urlencoded',
      ],
      ['{"auth":[1,2]}', 'application/json'],
      ['{not json', 'application/json'],
      [
        'auth[domain]=evil.com%2F%40x&auth[member_id]=m&auth[access_token]=aaaaaaaaa&auth[refresh_token]=bbbbbbbbbb',
        'application/x-www-form-urlencoded',
      ],
    ];
    for (const [body, contentType] of bodies) {
      let error: unknown;
      try {
        parseInstallRequest({ body: Buffer.from(body), contentType, now: NOW });
      } catch (e) {
        error = e;
      }
      expect(isEventValidationError(error)).toBe(true);
    }
  });
});
