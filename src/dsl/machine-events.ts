/**
 * The events a bot's machine receives and its `input`. Names are short and dot-free where they
 * can be (`join`, `message`, `command`), so machines read like the conversation.
 */
import type { ApiVersion, ClientRef, CrmBindings, InboundFile } from '../events/inbound-event';
import type { Effect } from './effect';

/** The dialog a machine runs for: its `input`, parsed once from the event that started it. */
export interface DialogInput {
  portal: { memberId: string; domain: string };
  bot: { id: number; code: string; apiVersion: ApiVersion };
  chatId: number;
  dialogId: string;
  lineId?: number;
  connector?: string;
  sessionId?: number;
  crm: CrmBindings;
  client?: ClientRef;
  language?: string;
}

/** The bot was put into the chat (a new open-line session reached it). */
export interface JoinBotEvent {
  type: 'join';
  client?: ClientRef;
}

/** The client wrote something. */
export interface MessageBotEvent {
  type: 'message';
  text: string;
  messageId: number;
  files: InboundFile[];
  author?: ClientRef;
}

/**
 * Someone other than the client wrote in the open-line chat: an operator (or another employee
 * or bot). It never starts a conversation and is ignored unless the machine handles it, e.g. to
 * go quiet once a person took over. `defineBot({ operatorMessages: 'message' })` delivers these
 * as ordinary `message` events instead.
 */
export interface OperatorMessageBotEvent {
  type: 'operator.message';
  text: string;
  messageId: number;
  files: InboundFile[];
  /** Who wrote it: id, name and flags as Bitrix24 sent them. */
  author: ClientRef;
}

/** A keyboard button was pressed or a slash command typed. */
export interface CommandBotEvent {
  type: 'command';
  command: string;
  params: string;
  source: 'keyboard' | 'slash' | 'menu';
  messageId?: number;
  /** The command's id on the portal (for `answerCommand`). */
  commandId?: number;
}

export interface MessageEditBotEvent {
  type: 'message.edit';
  text: string;
  messageId: number;
}

export interface MessageDeleteBotEvent {
  type: 'message.delete';
  messageId: number;
}

export interface ReactionBotEvent {
  type: 'reaction';
  messageId: number;
  reaction: string;
  action: 'add' | 'delete';
}

/**
 * Bitrix24 asks for the bot in a context (v2 `ONIMBOTV2CONTEXTGET`), e.g.
 * `{ entityType: 'task', entityId: 164, source: 'link' }`. The fields are Bitrix24's, as sent.
 */
export interface ContextBotEvent {
  type: 'context';
  context: { entityType?: string; entityId?: number | string; source?: string } & Record<
    string,
    unknown
  >;
}

/** A REST call the machine asked for was refused by Bitrix24 (e.g. `WRONG_CHAT`, `OPERATOR_WRONG`). */
export interface EffectFailedBotEvent {
  type: 'effect.failed';
  effect: Effect;
  method: string;
  /**
   * The Bitrix24 error code, e.g. `WRONG_CHAT`; `OUTCOME_UNKNOWN` when the call timed out after
   * it left (it may have happened: it is not resent, the flow decides).
   */
  code: string;
  description?: string;
}

/** Every event a bot's machine can receive. */
export type BotEvent =
  | JoinBotEvent
  | MessageBotEvent
  | OperatorMessageBotEvent
  | CommandBotEvent
  | MessageEditBotEvent
  | MessageDeleteBotEvent
  | ReactionBotEvent
  | ContextBotEvent
  | EffectFailedBotEvent;
