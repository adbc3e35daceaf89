/**
 * The client's side of a test chat as Bitrix24 sends it: real wire bodies from the event
 * builders (v1 or v2, as the bot is registered), parsed by the same `parseEventBody` the server
 * uses, so a test exercises the real parsing path.
 */
import type { BotDefinition } from '../dsl/define-bot';
import { isDialogEvent, type CrmBindings, type DialogEvent } from '../events/inbound-event';
import { parseEventBody } from '../events/parse-event-body';
import { createEventBuilders, DEFAULT_WIRE, type WireBody } from './event-builders';
import type { WirePerson } from './event-builders-shared';
import type { FakePortalApi } from './fake-portal';

/** The open-line client of a test chat. Missing fields come from the default client (Ivan Petrov). */
export interface ChatClient {
  id?: number;
  firstName?: string;
  lastName?: string;
  /** Full display name; default `<firstName> <lastName>`. */
  name?: string;
}

/** Builds and parses the client's events of one chat. */
export interface WireChat {
  /** A `join` of a new session; `label` names the client for the transcript. */
  join(client: ChatClient | null | undefined): { event: DialogEvent; label: string };
  message(text: string): DialogEvent;
  /** A message an operator wrote in the chat (`IS_CONNECTOR=N`). */
  operatorMessage(text: string, operator?: ChatClient): DialogEvent;
  command(command: string, params: string, context: 'keyboard' | 'textarea'): DialogEvent;
}

function person(client: ChatClient | null | undefined): WirePerson {
  if (client === null) return { firstName: '', lastName: '', name: '' };
  if (client === undefined) return {};
  const firstName = client.firstName ?? (client.name !== undefined ? '' : undefined);
  const lastName =
    client.lastName ??
    (client.name !== undefined || client.firstName !== undefined ? '' : undefined);
  const name =
    client.name ??
    (client.firstName !== undefined
      ? [client.firstName, client.lastName].filter(Boolean).join(' ')
      : undefined);
  return {
    ...(client.id !== undefined ? { id: client.id } : {}),
    ...(firstName !== undefined ? { firstName } : {}),
    ...(lastName !== undefined ? { lastName } : {}),
    ...(name !== undefined ? { name } : {}),
  };
}

/**
 * Creates the wire side of a chat with the bot `botId` on `portal`.
 *
 * @example
 * const wire = createWireChat({ bot, botId: 7, portal, chatId: 1777, lineId: 1 });
 * await runtime.accept([wire.message('hi')]);
 */
export function createWireChat(options: {
  bot: BotDefinition;
  botId: number;
  portal: FakePortalApi;
  chatId: number;
  lineId: number;
  client?: ChatClient | null;
  /** The client's messenger (`telegrambot`, `livechat`, ...). Default `telegrambot`. */
  connector?: string;
  /** The portal user's language (`en`, `ru`, ...). Default `en`. */
  language?: string;
  /** CRM entities the session is bound to. Default `{ lead: 1209 }`. */
  crm?: CrmBindings;
}): WireChat {
  const { bot, portal } = options;
  const builders = createEventBuilders({
    memberId: portal.memberId,
    domain: portal.domain,
    applicationToken: portal.applicationToken,
    botId: options.botId,
    botCode: bot.code,
    chatId: options.chatId,
    lineId: options.lineId,
    ...(options.connector !== undefined ? { connector: options.connector } : {}),
    ...(options.language !== undefined ? { language: options.language } : {}),
    ...(options.crm !== undefined ? { crm: Object.freeze({ ...options.crm }) } : {}),
  });
  let client = person(options.client);
  let session = DEFAULT_WIRE.sessionId;
  const parse = (wire: WireBody): DialogEvent => {
    const event = parseEventBody({
      ...wire,
      portal: { memberId: portal.memberId, domain: portal.domain },
    });
    if (!isDialogEvent(event))
      throw new Error(`testBot: the built ${event.kind} event is not a dialog event`);
    return event;
  };
  const chat = () => ({ sessionId: session, client });
  const v1 = bot.apiVersion === 1;
  return {
    join(given) {
      if (given !== undefined) client = person(given);
      session += 1;
      const event = parse(v1 ? builders.v1.join(chat()) : builders.v2.join(chat()));
      const c = event.client;
      const label =
        c?.name ??
        ([c?.firstName, c?.lastName].filter(Boolean).join(' ') || 'a client without a name');
      return { event, label };
    },
    message: (text) =>
      parse(
        v1 ? builders.v1.message({ ...chat(), text }) : builders.v2.message({ ...chat(), text }),
      ),
    operatorMessage: (text, operator) => {
      const o = { ...chat(), text, ...(operator ? { operator: person(operator) } : {}) };
      return parse(v1 ? builders.v1.operatorMessage(o) : builders.v2.operatorMessage(o));
    },
    command: (command, params, context) => {
      // A real portal sends the id the command was registered with.
      const registered = portal.bots
        .find((b) => b.id === options.botId)
        ?.commands.find((c) => c.command === command.replace(/^\//, ''));
      const id = registered ? { commandId: registered.id } : {};
      return parse(
        v1
          ? builders.v1.command({ ...chat(), command, params, context, ...id })
          : builders.v2.command({ ...chat(), command, params, context, ...id }),
      );
    },
  };
}
