/**
 * How one HTTP request leaves the process. The default transport is node's own `http`/`https`
 * client over keep-alive agents kept by the REST client (one pool per portal client), which is
 * what a REST call costs least with. An axios instance can still be given (proxies, interceptors,
 * tests); it is also used when the environment names an HTTP proxy (`HTTP_PROXY`, `HTTPS_PROXY`,
 * `ALL_PROXY`), because axios honours those and node's client does not.
 *
 * A transport neither follows redirects nor times out by itself: `sendHttp` does both.
 */
import type { AxiosInstance } from 'axios';
import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/** One request as `sendHttp` hands it to a transport. */
export interface TransportRequest {
  verb: 'GET' | 'POST';
  url: string;
  /** Serialized JSON body (POST). */
  body: string | undefined;
  userAgent: string;
}

/** The raw answer: status, headers (lower-case names) and the body, as text when it is text. */
export interface TransportAnswer {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  data: unknown;
}

/**
 * A request in flight: its answer, and a way to drop it (the answer then rejects, with the code
 * {@link NOT_SENT} when the transport knows the request never left).
 */
export interface Exchange {
  readonly answer: Promise<TransportAnswer>;
  readonly cancel: () => void;
}

export type HttpTransport = (request: TransportRequest) => Exchange;

/** The code an answer rejects with when the request was cancelled before it was handed to a connection. */
export const NOT_SENT = 'ERR_NOT_SENT';

/** Sockets one portal client keeps at most per host; the dispatcher sends a few at a time. */
export const MAX_SOCKETS_PER_HOST = 16;
/** An idle kept-alive socket is closed after this long (node's global agent default). */
export const IDLE_SOCKET_MS = 5_000;

/**
 * A keep-alive agent for one portal client.
 *
 * @example
 * const agent = keepAliveAgent('https:');
 */
export function keepAliveAgent(protocol: 'http:' | 'https:'): HttpAgent {
  const options = {
    keepAlive: true,
    maxSockets: MAX_SOCKETS_PER_HOST,
    maxFreeSockets: MAX_SOCKETS_PER_HOST,
    scheduling: 'lifo' as const,
    timeout: IDLE_SOCKET_MS,
  };
  return protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
}

/** True when the environment names an HTTP proxy that axios would use. */
export function proxyConfiguredInEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return ['http_proxy', 'https_proxy', 'all_proxy'].some((k) => !!(env[k] || env[k.toUpperCase()]));
}

/** Parsed targets are kept per URL (a portal calls a few dozen methods); bounded all the same. */
const MAX_TARGETS = 256;

/**
 * The transport over node's `http`/`https` client. Agents not given are created on first use,
 * with keep-alive (see {@link keepAliveAgent}).
 *
 * @example
 * const transport = createNodeTransport({});
 * const { answer } = transport({ verb: 'POST', url, body: '{}', userAgent: 'openlines-bot' });
 */
export function createNodeTransport(agents: {
  httpAgent?: HttpAgent | undefined;
  httpsAgent?: HttpsAgent | undefined;
}): HttpTransport {
  let httpAgent = agents.httpAgent;
  let httpsAgent = agents.httpsAgent;
  const targets = new Map<string, RequestOptions>();

  // Only POST targets are kept: the OAuth refresh is a GET whose query holds the client secret
  // and a refresh token that rotates, nothing to keep around.
  const targetOf = (url: string, keep: boolean): RequestOptions => {
    let target = keep ? targets.get(url) : undefined;
    if (target) return target;
    const parsed = urlToHttpOptions(new URL(url));
    const https = parsed.protocol === 'https:';
    const agent = https
      ? (httpsAgent ??= keepAliveAgent('https:') as HttpsAgent)
      : (httpAgent ??= keepAliveAgent('http:'));
    target = {
      protocol: parsed.protocol,
      hostname: parsed.hostname,
      path: parsed.path,
      agent,
      ...(parsed.port === undefined || parsed.port === '' ? {} : { port: parsed.port }),
      ...(parsed.auth ? { auth: parsed.auth } : {}),
    };
    if (!keep) return target;
    if (targets.size >= MAX_TARGETS) targets.clear();
    targets.set(url, target);
    return target;
  };

  return ({ verb, url, body, userAgent }) => {
    let req: ClientRequest | undefined;
    let fail: (e: Error) => void = () => undefined;
    const answer = new Promise<TransportAnswer>((resolve, reject) => {
      let settled = false;
      fail = (e) => {
        if (settled) return;
        settled = true;
        reject(e);
      };
      const target = targetOf(url, verb === 'POST');
      const headers: Record<string, string | number> =
        body === undefined
          ? { Accept: 'application/json', 'User-Agent': userAgent }
          : {
              Accept: 'application/json',
              'User-Agent': userAgent,
              'Content-Type': 'application/json',
              'Content-Length': Buffer.byteLength(body),
            };
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      req = send({ ...target, method: verb, headers }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('close', () => {
          if (!res.complete) fail(codedError('ECONNRESET'));
        });
        res.on('end', () => {
          if (settled) return;
          let data: string;
          try {
            data = decode(chunks, res.headers['content-encoding']);
          } catch {
            fail(codedError('ERR_BAD_RESPONSE'));
            return;
          }
          settled = true;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, data });
        });
      });
      req.on('error', fail);
      req.end(body);
    });
    return {
      answer,
      cancel() {
        if (!req) return;
        if (req.socket) {
          req.destroy(codedError('ERR_CANCELED'));
          return;
        }
        // Still queued for one of the pool's connections, so it has not left: say so at once (a
        // destroyed request only reports when a connection frees up), so that a timeout here is
        // not taken for an unknown outcome. The pool skips it when its turn comes.
        const notSent = codedError(NOT_SENT);
        req.destroy(notSent);
        fail(notSent);
      },
    };
  };
}

/**
 * The transport over an axios instance (redirects off, every status answered, body as text).
 *
 * @example
 * const transport = createAxiosTransport(axios.create());
 */
export function createAxiosTransport(axios: AxiosInstance): HttpTransport {
  return ({ verb, url, body, userAgent }) => {
    const controller = new AbortController();
    const answer = axios
      .request({
        url,
        method: verb,
        data: body,
        signal: controller.signal,
        maxRedirects: 0,
        validateStatus: () => true,
        responseType: 'text',
        transformResponse: (d: unknown) => d,
        timeout: 0,
        headers: {
          Accept: 'application/json',
          'User-Agent': userAgent,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
      })
      .then((res) => ({ status: res.status, headers: flatHeaders(res.headers), data: res.data }));
    return { answer, cancel: () => controller.abort() };
  };
}

/** The body as UTF-8 text, inflated when the server compressed it without being asked to. */
function decode(chunks: Buffer[], encoding: string | undefined): string {
  const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  switch (encoding?.trim().toLowerCase()) {
    case undefined:
    case '':
    case 'identity':
      return raw.toString('utf8');
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(raw).toString('utf8');
    case 'deflate':
      return inflateSync(raw).toString('utf8');
    case 'br':
      return brotliDecompressSync(raw).toString('utf8');
    default:
      throw new Error('unsupported content encoding');
  }
}

function codedError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

function flatHeaders(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (h && typeof h === 'object') {
    for (const [k, v] of Object.entries(h as Record<string, unknown>)) {
      if (typeof v === 'string') out[k.toLowerCase()] = v;
      else if (typeof v === 'number') out[k.toLowerCase()] = String(v);
    }
  }
  return out;
}
