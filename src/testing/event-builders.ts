/**
 * Wire event builders for tests: real Bitrix24 request bodies (PHP bracket keys, percent-encoded,
 * string scalars) for every v1 and v2 event, and v2 fetch items, with consistent defaults (an
 * open-line Telegram chat on {@link DEFAULT_WIRE}'s portal).
 */
import { encodePhpForm } from '../events/php-form';
import {
  DEFAULT_WIRE,
  resolve,
  type ChatOptions,
  type Counters,
  type WireBody,
  type WireDefaults,
  type WireOptions,
  type WirePerson,
} from './event-builders-shared';
import * as v1 from './event-builders-v1';
import { topAuth } from './event-builders-v1';
import * as v2 from './event-builders-v2';

export { DEFAULT_WIRE };
export type { ChatOptions, WireBody, WireDefaults, WireOptions };
export type { WireFile, WirePerson } from './event-builders-shared';
export type * from './event-builders-v1';
export type * from './event-builders-v2';

/** Options of each v2 builder, by the short name `fetchItem` takes. */
export interface V2OptionsByType {
  message: v2.V2MessageOptions;
  messageUpdate: v2.V2MessageUpdateOptions;
  messageDelete: v2.V2MessageDeleteOptions;
  join: v2.V2JoinOptions;
  command: v2.V2CommandOptions;
  reaction: v2.V2ReactionOptions;
  botDelete: v2.V2BotDeleteOptions;
  contextGet: v2.V2ContextGetOptions;
}

const V2_TYPES: Record<keyof V2OptionsByType, string> = {
  message: 'ONIMBOTV2MESSAGEADD',
  messageUpdate: 'ONIMBOTV2MESSAGEUPDATE',
  messageDelete: 'ONIMBOTV2MESSAGEDELETE',
  join: 'ONIMBOTV2JOINCHAT',
  command: 'ONIMBOTV2COMMANDADD',
  reaction: 'ONIMBOTV2REACTIONCHANGE',
  botDelete: 'ONIMBOTV2DELETE',
  contextGet: 'ONIMBOTV2CONTEXTGET',
};

/** One element of `imbot.v2.Event.get`'s `result.events` (JSON types kept). */
export interface FetchItem {
  eventId: number;
  type: string;
  date: string;
  data: Record<string, unknown>;
}

type Args<T> = object extends T ? [options?: T] : [options: T];

/** Who writes a built operator message unless told otherwise: an employee of the portal. */
export const DEFAULT_OPERATOR: Readonly<Required<Omit<WirePerson, 'isConnector' | 'isBot'>>> =
  Object.freeze({
    id: 13,
    name: 'Olga Smirnova',
    firstName: 'Olga',
    lastName: 'Smirnova',
    gender: 'F',
  });

/** Options of `operatorMessage`: a message written in the open-line chat by an operator. */
export interface OperatorMessageOptions extends ChatOptions {
  text: string;
  messageId?: number;
  /** Default {@link DEFAULT_OPERATOR}; never a connector user (`IS_CONNECTOR=N`). */
  operator?: WirePerson;
}

/** Options of `sessionStart`: a new session's join and first client messages, in arrival order. */
export interface SessionStartOptions extends ChatOptions {
  /** The client's first messages, in the order they were written. */
  texts: readonly string[];
  /**
   * How many of the messages arrive before the join. Default 1: the first message overtakes
   * the join, as it often does on real portals (README trap 13). 0 is the documented order;
   * `texts.length` or more puts the join last.
   */
  joinAfter?: number;
}

/** What {@link createEventBuilders} returns; `events` is one with the defaults. */
export interface EventBuilders {
  readonly defaults: Readonly<WireDefaults>;
  v1: {
    message(options: v1.V1MessageOptions): WireBody;
    join(...args: Args<v1.V1JoinOptions>): WireBody;
    command(options: v1.V1CommandOptions): WireBody;
    messageUpdate(options: v1.V1MessageUpdateOptions): WireBody;
    messageDelete(options: v1.V1MessageDeleteOptions): WireBody;
    botDelete(...args: Args<v1.V1BotDeleteOptions>): WireBody;
    appInstall(...args: Args<v1.V1AppInstallOptions>): WireBody;
    appUninstall(...args: Args<v1.V1AppUninstallOptions>): WireBody;
    /** A message an operator (not the client) wrote in the open-line chat. */
    operatorMessage(options: OperatorMessageOptions): WireBody;
    /** A session's join and first messages (one session id), in the order a portal delivers them. */
    sessionStart(options: SessionStartOptions): WireBody[];
  };
  v2: { [K in keyof V2OptionsByType]: (...args: Args<V2OptionsByType[K]>) => WireBody } & {
    /** A message an operator (not the client) wrote in the open-line chat. */
    operatorMessage(options: OperatorMessageOptions): WireBody;
    /** A session's join and first messages (one session id), in the order a portal delivers them. */
    sessionStart(options: SessionStartOptions): WireBody[];
    /** A fetch-mode item; `eventId` defaults to the builder's next one. */
    fetchItem<K extends keyof V2OptionsByType>(
      type: K,
      ...args: Args<V2OptionsByType[K] & { eventId?: number }>
    ): FetchItem;
  };
}

function form(wire: Record<string, unknown>): WireBody {
  return { body: encodePhpForm(wire), contentType: 'application/x-www-form-urlencoded' };
}

/**
 * Event builders over your own defaults (e.g. the fake portal's member id and application
 * token). Each builder hands out the next `ts`, message id and fetch `eventId`, so two built
 * events never share a dedupe key by accident.
 *
 * @example
 * const events = createEventBuilders({ memberId: portal.memberId, applicationToken: portal.applicationToken });
 * await post('/events', events.v1.message({ text: 'hi', botId: 7 }));
 */
export function createEventBuilders(defaults: Partial<WireDefaults> = {}): EventBuilders {
  const d: WireDefaults = { ...DEFAULT_WIRE, ...defaults };
  let ts = d.ts - 1;
  let messageId = d.messageId - 1;
  let eventId = d.eventId - 1;
  const counters: Counters = {
    ts: () => ++ts,
    messageId: () => ++messageId,
    eventId: () => ++eventId,
  };
  const r = (o: ChatOptions = {}) => resolve(d, counters, o);
  const id = (given: number | undefined) => given ?? counters.messageId();

  type Mode = 'fetch' | 'webhook';
  type Built = { rr: ReturnType<typeof r>; data: Record<string, unknown> };
  const build =
    <O extends ChatOptions>(
      make: (rr: ReturnType<typeof r>, mode: Mode, o: O) => Record<string, unknown>,
    ) =>
    (o: O, mode: Mode): Built => {
      const rr = r(o);
      return { rr, data: make(rr, mode, o) };
    };
  const data: { [K in keyof V2OptionsByType]: (o: V2OptionsByType[K], mode: Mode) => Built } = {
    message: build((rr, mode, o: v2.V2MessageOptions) =>
      v2.v2MessageData(rr, mode, o, id(o.messageId)),
    ),
    messageUpdate: build(v2.v2MessageUpdateData),
    messageDelete: build(v2.v2MessageDeleteData),
    join: build(v2.v2JoinData),
    command: build((rr, mode, o: v2.V2CommandOptions) =>
      v2.v2CommandData(rr, mode, o, id(o.messageId)),
    ),
    reaction: build((rr, mode, o: v2.V2ReactionOptions) =>
      v2.v2ReactionData(rr, mode, o, id(o.messageId)),
    ),
    botDelete: build(v2.v2BotDeleteData),
    contextGet: build(v2.v2ContextGetData),
  };

  const webhook = <K extends keyof V2OptionsByType>(type: K) =>
    ((o: V2OptionsByType[K] = {} as V2OptionsByType[K]) => {
      const { rr, data: payload } = data[type](o, 'webhook');
      // The top-level auth belongs to whoever triggered the event.
      const who = (payload.user as { id?: number } | undefined)?.id ?? rr.client.id;
      return form({
        event: V2_TYPES[type],
        event_handler_id: 111,
        data: payload,
        ts: rr.ts,
        auth: topAuth(rr, who),
      });
    }) as (...args: Args<V2OptionsByType[K]>) => WireBody;

  const operatorOf = (o: OperatorMessageOptions): WirePerson => ({
    ...DEFAULT_OPERATOR,
    ...o.operator,
    isConnector: false,
  });
  const sessionStart = (
    message: (o: { text: string } & ChatOptions) => WireBody,
    join: (o: ChatOptions) => WireBody,
    o: SessionStartOptions,
  ): WireBody[] => {
    const { texts, joinAfter = 1, ...chat } = o;
    const session = { ...chat, sessionId: chat.sessionId ?? d.sessionId };
    const bodies = texts.map((text) => message({ ...session, text }));
    bodies.splice(Math.max(0, Math.min(joinAfter, bodies.length)), 0, join(session));
    return bodies;
  };

  const built: EventBuilders = {
    defaults: Object.freeze({ ...d }),
    v1: {
      message: (o) => form(v1.v1Message(r(o), o, id(o.messageId))),
      join: (o = {}) => form(v1.v1Join(r(o), o)),
      command: (o) => form(v1.v1Command(r(o), o, id(o.messageId))),
      messageUpdate: (o) => form(v1.v1MessageEdit('ONIMBOTMESSAGEUPDATE', r(o), o)),
      messageDelete: (o) => form(v1.v1MessageEdit('ONIMBOTMESSAGEDELETE', r(o), o)),
      botDelete: (o = {}) => form(v1.v1BotDelete(r(o))),
      appInstall: (o = {}) => form(v1.v1AppInstall(r(o), o)),
      appUninstall: (o = {}) => form(v1.v1AppUninstall(r(o), o)),
      operatorMessage: (o) => built.v1.message({ ...o, author: operatorOf(o) }),
      sessionStart: (o) =>
        sessionStart(
          (m) => built.v1.message(m),
          (j) => built.v1.join(j),
          o,
        ),
    },
    v2: {
      message: webhook('message'),
      messageUpdate: webhook('messageUpdate'),
      messageDelete: webhook('messageDelete'),
      join: webhook('join'),
      command: webhook('command'),
      reaction: webhook('reaction'),
      botDelete: webhook('botDelete'),
      contextGet: webhook('contextGet'),
      operatorMessage: (o) => built.v2.message({ ...o, author: operatorOf(o) }),
      sessionStart: (o) =>
        sessionStart(
          (m) => built.v2.message(m),
          (j) => built.v2.join(j),
          o,
        ),
      fetchItem: (type, o = {} as never) => {
        const options = o as ChatOptions & { eventId?: number };
        const { rr, data: payload } = data[type](options as never, 'fetch');
        const eventId = options.eventId ?? counters.eventId();
        return {
          eventId,
          type: V2_TYPES[type],
          date: v2.iso(rr.ts),
          data: payload,
        };
      },
    },
  };
  return built;
}

/**
 * Builders with {@link DEFAULT_WIRE}'s portal, bot and open-line chat.
 *
 * @example
 * const { body, contentType } = events.v1.message({ text: 'Where is my order?', botId: 7 });
 * const event = parseEventBody({ body, contentType }); // event.bot.id === 7
 */
export const events: EventBuilders = createEventBuilders();
