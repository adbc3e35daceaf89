/**
 * The test-facing surface shared by the loopback fake portal and its nock twin: addresses,
 * credentials, the call log, per-chat state, the v2 event queue and failure injection.
 */
import type {
  BotState,
  CallRecord,
  ChatMessage,
  ChatState,
  FailNextOptions,
  FakePortalTokens,
  LineConfig,
  QueueEventInput,
  QueuedEvent,
  SessionState,
} from './types';
import { bindCrmChat } from './methods-openlines-more';
import { chatFor, postMessage, setSession } from './portal-state';
import type { PortalCore } from './portal-core';

/** What a bot handler answered to {@link FakePortalApi.sendEvent}. */
export interface SentEventResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** Everything tests can do with a fake portal, whichever transport serves it. */
export interface FakePortalApi {
  /** Base address, e.g. `http://127.0.0.1:40123` (changes after `rename()`). */
  readonly url: string;
  /** Incoming-webhook base: `<url>/rest/<userId>/<secret>/`. */
  readonly webhookUrl: string;
  /** OAuth REST base: `<url>/rest/`. */
  readonly clientEndpoint: string;
  /** `server_endpoint` of the OAuth server (`<url>/rest/`); its token URL is `<url>/oauth/token/`. */
  readonly oauthServerEndpoint: string;
  readonly tokenUrl: string;
  readonly memberId: string;
  readonly domain: string;
  readonly applicationToken: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly webhookSecret: string;
  /** The current OAuth pair, in the shape the REST client takes. */
  readonly tokens: FakePortalTokens;
  /** Every REST call received, oldest first (batch sub-calls one by one). */
  readonly calls: readonly CallRecord[];
  /** HTTP requests received (REST and token endpoint). */
  readonly requests: number;
  /** Requests answered 503 (leaky bucket or injected). */
  readonly rejected503: number;
  /** Successful token refreshes. */
  readonly refreshes: number;
  /** Refreshes refused (a rotated-out or unknown refresh token, wrong client credentials...). */
  readonly refusedRefreshes: number;
  readonly bots: readonly BotState[];
  readonly lines: readonly LineConfig[];
  readonly leads: ReadonlyArray<{ id: number; fields: Record<string, unknown> }>;
  /** Calls of one method (case-insensitive), failed ones included. */
  callsOf(method: string): CallRecord[];
  /** A chat by numeric chat id or dialog id (`chat1777`); created empty on first use. */
  chat(ref: number | string): ChatState;
  chats(): ChatState[];
  /** Declares an open-line chat (line, user code) before the bot talks in it. */
  openChat(options: { chatId: number; lineId?: number; userCode?: string }): ChatState;
  /** Moves a session, e.g. to `operator` when a person took the dialog, or back to `bot`. */
  setSession(ref: number | string, session: SessionState): ChatState;
  /**
   * Binds an open-line chat to a CRM object, as the line's CRM integration does, so that
   * `imopenlines.crm.chat.get|getLastId|user.add|user.delete` and `crm.message.add` find it.
   */
  bindCrmChat(options: { entityType: 'lead' | 'deal' | 'contact' | 'company'; entityId: number; chatId: number }): void;
  /** Records a client message (so `imbot.command.answer` finds its chat); returns it with its id. */
  addClientMessage(options: { chat: number | string; text: string }): ChatMessage;
  /** Puts an item into a bot's `imbot.v2.Event.get` queue; `eventId` is assigned when missing. */
  queueEvent(botId: number, item: QueueEventInput): QueuedEvent;
  /** Events waiting for the bot (not yet acknowledged by an offset). */
  pendingEvents(botId: number): QueuedEvent[];
  /** Puts acknowledged events (ids ≥ `fromEventId`) back in the queue: at-least-once duplicates. */
  redeliverEvents(botId: number, options?: { fromEventId?: number }): number;
  /** Makes the next matching call(s) fail; `method` may be `*`, `batch` or `oauth/token`. */
  failNext(method: string, error: string, options?: FailNextOptions): void;
  /** Every access token issued so far now answers 401 `expired_token`. */
  expireAccessToken(): void;
  /** POSTs an event body to a bot handler as Bitrix24's queue server would. */
  sendEvent(url: string, options: { body: string; contentType?: string; headers?: Record<string, string> }): Promise<SentEventResponse>;
  /** Clears the log, counters, failures and bucket; also bots, chats and queues unless `keepState`. */
  reset(options?: { keepState?: boolean }): void;
}

/**
 * Builds the shared surface over a core; `base()` is the transport's current address.
 *
 * @example
 * const api = createPortalApi({ core, base: () => 'https://fake.bitrix24.test' });
 */
export function createPortalApi(options: { core: PortalCore; base: () => string }): FakePortalApi {
  const { core, base } = options;
  const cfg = core.config;
  const state = () => core.state;
  return {
    get url() {
      return base();
    },
    get webhookUrl() {
      return `${base()}/rest/${cfg.webhookUserId}/${cfg.webhookSecret}/`;
    },
    get clientEndpoint() {
      return `${base()}/rest/`;
    },
    get oauthServerEndpoint() {
      return `${base()}/rest/`;
    },
    get tokenUrl() {
      return `${base()}/oauth/token/`;
    },
    get memberId() {
      return cfg.memberId;
    },
    get domain() {
      return cfg.domain;
    },
    applicationToken: cfg.applicationToken,
    clientId: cfg.clientId,
    clientSecret: cfg.clientSecret,
    webhookSecret: cfg.webhookSecret,
    get tokens() {
      return {
        memberId: cfg.memberId,
        domain: cfg.domain,
        clientEndpoint: `${base()}/rest/`,
        serverEndpoint: `${base()}/rest/`,
        accessToken: core.oauth.accessToken(),
        refreshToken: core.oauth.refreshToken(),
        expiresAt: core.oauth.expiresAt(),
      };
    },
    get calls() {
      return core.calls;
    },
    get requests() {
      return core.counters.requests;
    },
    get rejected503() {
      return core.counters.rejected503;
    },
    get refreshes() {
      return core.oauth.refreshes();
    },
    get refusedRefreshes() {
      return core.oauth.refusedRefreshes();
    },
    get bots() {
      return [...state().bots.values()];
    },
    get lines() {
      return state().lines;
    },
    get leads() {
      return state().leads;
    },
    callsOf: (method) => core.calls.filter((c) => c.method.toLowerCase() === method.toLowerCase()),
    chat: (ref) => chatFor(state(), ref),
    chats: () => [...state().chats.values()],
    openChat({ chatId, lineId, userCode }) {
      const chat = chatFor(state(), chatId, lineId);
      if (lineId !== undefined) chat.lineId = lineId;
      chat.userCode = userCode ?? `livechat|${chat.lineId}|${chatId}|${chatId + 1}`;
      return chat;
    },
    setSession(ref, session) {
      const chat = chatFor(state(), ref);
      setSession(chat, session, state());
      return chat;
    },
    bindCrmChat({ entityType, entityId, chatId }) {
      bindCrmChat(state(), entityType, entityId, chatId);
    },
    addClientMessage({ chat, text }) {
      return postMessage(state(), chatFor(state(), chat), { text, via: 'client', author: 'client', at: core.clock.now() });
    },
    queueEvent(botId, item) {
      const s = state();
      const eventId = item.eventId ?? ++s.seq.event;
      s.seq.event = Math.max(s.seq.event, eventId);
      const event: QueuedEvent = {
        type: item.type,
        data: structuredClone(item.data) as Record<string, unknown>,
        eventId,
        date: item.date ?? new Date(core.clock.now()).toISOString(),
      };
      const queue = [...(s.events.get(botId) ?? []), event].sort((a, b) => a.eventId - b.eventId);
      s.events.set(botId, queue);
      return event;
    },
    pendingEvents: (botId) => [...(state().events.get(botId) ?? [])],
    redeliverEvents(botId, redeliver = {}) {
      const s = state();
      const from = redeliver.fromEventId ?? Number.NEGATIVE_INFINITY;
      const acked = s.acked.get(botId) ?? [];
      const again = acked.filter((e) => e.eventId >= from);
      s.acked.set(botId, acked.filter((e) => e.eventId < from));
      s.events.set(botId, [...(s.events.get(botId) ?? []), ...again].sort((a, b) => a.eventId - b.eventId));
      return again.length;
    },
    failNext: (method, error, failOptions) => core.failures.add(method, error, failOptions),
    expireAccessToken: () => core.oauth.expireAll(),
    async sendEvent(url, { body, contentType = 'application/x-www-form-urlencoded', headers = {} }) {
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': contentType, 'user-agent': 'Bitrix24 Webhook Engine', ...headers },
      });
      const out: Record<string, string> = {};
      res.headers.forEach((v, k) => (out[k] = v));
      return { status: res.status, body: await res.text(), headers: out };
    },
    reset: (resetOptions) => core.reset(resetOptions),
  };
}
