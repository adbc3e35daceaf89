/**
 * `mockPortal(nock)`: the fake portal's method semantics and call log, installed as nock
 * interceptors on an https host instead of a loopback server. nock is passed in (it is a
 * devDependency of the user's project, not a dependency of the framework).
 */
import { ConfigError } from '../../errors';
import type { FakePortalOptions } from './types';
import { createPortalCore, type PortalCore } from './portal-core';
import { createPortalApi, type FakePortalApi } from './portal-api';

type Headers = Record<string, string | string[] | undefined>;
type ReplyFn = (this: { req: { headers: Headers; method?: string } }, uri: string, body: unknown) => Promise<[number, string, Record<string, string>]>;

/** The part of nock's API the twin uses (structural, so no nock types leak into ours). */
export interface NockLike {
  (basePath: string): NockScopeLike;
  removeInterceptor(interceptor: object): boolean;
}
export interface NockScopeLike {
  persist(flag?: boolean): NockScopeLike;
  intercept(uri: (uri: string) => boolean, method: string): { reply(fn: ReplyFn): unknown };
}

/** Options of {@link mockPortal}. */
export interface MockPortalOptions extends FakePortalOptions {
  /** Origin to intercept; default `https://fake.bitrix24.test`. */
  host?: string;
}

/** A fake portal served through nock interceptors. */
export interface MockPortal extends FakePortalApi {
  /** Like `FakePortal.rename`: the old host answers 302; without a target the portal moves to a new host. */
  rename(target?: { url: string } | string): string;
  /** Removes the portal's interceptors. */
  close(): void;
}

interface Host {
  base: string;
  redirectTo?: string;
  interceptors: object[];
}

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

function install(nock: NockLike, core: PortalCore, host: Host): void {
  const scope = nock(host.base).persist();
  const reply: ReplyFn = async function (uri, body) {
    if (host.redirectTo) return [302, '', { location: `${host.redirectTo}${uri}` }];
    const q = uri.indexOf('?');
    const contentType = header(this.req.headers, 'content-type');
    const answer = core.handle({
      method: this.req.method ?? 'GET',
      path: q < 0 ? uri : uri.slice(0, q),
      query: q < 0 ? '' : uri.slice(q + 1),
      // nock hands JSON bodies over already parsed.
      body: body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body),
      ...(contentType ? { contentType } : {}),
    });
    if (answer.kind === 'destroy') {
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    // Never settles: the client's own timeout (or abort) ends the request.
    if (answer.kind === 'stall') return new Promise<never>(() => undefined);
    return [answer.status, JSON.stringify(answer.body), { 'content-type': 'application/json; charset=utf-8' }];
  };
  for (const method of ['GET', 'POST']) {
    const interceptor = scope.intercept(() => true, method);
    host.interceptors.push(interceptor);
    interceptor.reply(reply);
  }
}

/**
 * Installs a fake Bitrix24 portal as nock interceptors: same methods, errors, limits, failure
 * injection and call log as {@link createFakePortal}, so one scenario records identical calls
 * against both.
 *
 * @example
 * import nock from 'nock';
 * const portal = mockPortal(nock, { host: 'https://fake.bitrix24.test' });
 * await axios.post(`${portal.webhookUrl}imbot.bot.list`, {});
 * expect(portal.calls[0]?.method).toBe('imbot.bot.list');
 * portal.close();
 */
export function mockPortal(nock: NockLike, options: MockPortalOptions = {}): MockPortal {
  if (typeof nock !== 'function' || typeof nock.removeInterceptor !== 'function') {
    throw new ConfigError(['mockPortal needs the nock module as its first argument: mockPortal(nock)'], 'Invalid mockPortal call');
  }
  if (options.host !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(options.host)) {
    throw new ConfigError([`host must be an origin like https://fake.bitrix24.test`], 'Invalid mockPortal options');
  }
  const origin = (options.host ?? 'https://fake.bitrix24.test').replace(/\/+$/, '');
  const core = createPortalCore({ domain: origin.replace(/^https?:\/\//, ''), ...options });
  const hosts: Host[] = [{ base: origin, interceptors: [] }];
  let current = hosts[0] as Host;
  install(nock, core, current);
  core.base = () => current.base;
  const api = createPortalApi({ core, base: core.base });
  const extra: Pick<MockPortal, 'rename' | 'close'> = {
    rename(target) {
      if (target !== undefined) {
        current.redirectTo = (typeof target === 'string' ? target : target.url).replace(/\/+$/, '');
        return current.redirectTo;
      }
      const next: Host = { base: origin.replace('://', `://renamed${hosts.length}.`), interceptors: [] };
      install(nock, core, next);
      hosts.push(next);
      current.redirectTo = next.base;
      current = next;
      if (!options.domain) core.config.domain = next.base.replace(/^https?:\/\//, '');
      return next.base;
    },
    close() {
      for (const host of hosts) for (const interceptor of host.interceptors) nock.removeInterceptor(interceptor);
    },
  };
  return Object.assign(api, extra);
}
