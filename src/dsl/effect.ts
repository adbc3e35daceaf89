/**
 * Effect descriptors: what a bot's machine asks the framework to do. Machines never do this I/O
 * themselves; the effect actions (`say`, `greet`, `typing`, `toOperator`, `transfer`, `finish`)
 * emit these descriptors, the runtime commits them with the dialog's state and the outbox
 * dispatcher turns each into one Bitrix24 REST call, in emitted order.
 */

import type { ReactionCode } from '../bitrix/reactions';

/** The v2 typing status codes (`imbot.v2.Chat.InputAction.notify` `statusMessageCode`). */
export type TypingStatus =
  | 'IMBOT_AGENT_ACTION_THINKING'
  | 'IMBOT_AGENT_ACTION_SEARCHING'
  | 'IMBOT_AGENT_ACTION_GENERATING'
  | 'IMBOT_AGENT_ACTION_ANALYZING'
  | 'IMBOT_AGENT_ACTION_PROCESSING'
  | 'IMBOT_AGENT_ACTION_TRANSLATING'
  | 'IMBOT_AGENT_ACTION_CONNECTING'
  | 'IMBOT_AGENT_ACTION_CHECKING'
  | 'IMBOT_AGENT_ACTION_CALCULATING'
  | 'IMBOT_AGENT_ACTION_READING_DOCS'
  | 'IMBOT_AGENT_ACTION_COMPOSING';

/** One keyboard button. Pressing a `command` button arrives back as a `command` machine event. */
export type KeyboardButton =
  | { text: string; command: string; params?: string; style?: 'primary' | 'secondary' | 'alert' | 'base'; block?: boolean }
  | { text: string; link: string }
  | { text: string; action: 'PUT' | 'SEND' | 'COPY' | 'CALL' | 'DIALOG'; value: string };

/** Rows of buttons. */
export interface Keyboard {
  rows: KeyboardButton[][];
}

/** Which API a text reply goes through. */
export type SayVia = 'session' | 'bot';

/** Every effect a machine can emit. Discriminated by `type`; all fields are JSON. */
export type Effect =
  | {
      type: 'say';
      text: string;
      keyboard?: Keyboard;
      /** Bitrix24 ATTACH structure (blocks), passed through as is. */
      attach?: unknown;
      /** Forced path; by default plain text goes via `session`, keyboard/attach via `bot`. */
      via?: SayVia;
    }
  | { type: 'greet' }
  | {
      type: 'typing';
      /** v2 status text code (`IMBOT_AGENT_ACTION_THINKING`, ...); default: "typing". */
      status?: TypingStatus;
      /** v2: how long the indicator shows, 1–600 s. */
      durationSeconds?: number;
    }
  | { type: 'toOperator' }
  | { type: 'transfer'; to: { userId: number } | { lineId: number }; leave?: boolean }
  | { type: 'finish' }
  | {
      /** A file to the client: `imbot.v2.File.upload` (v2 bots only). */
      type: 'sendFile';
      name: string;
      /** The file's bytes, base64. */
      content: string;
      /** Text of the message that carries the file. */
      text?: string;
    }
  | {
      /** A reaction on a message: `imbot.v2.Chat.Message.Reaction.add|delete`. */
      type: 'react';
      messageId: number;
      reaction: ReactionCode;
      remove?: boolean;
    }
  | {
      /** The answer to a slash command: `imbot.v2.Command.answer` / `imbot.command.answer`. */
      type: 'answerCommand';
      commandId: number;
      messageId: number;
      text: string;
      keyboard?: Keyboard;
      attach?: unknown;
    }
  | {
      /** Any other REST call, e.g. `crm.lead.add`; sent through the same outbox. */
      type: 'call';
      method: string;
      params: Record<string, unknown>;
    };

/** The type of the xstate emitted event that carries an effect. */
export const EFFECT_EVENT = 'openlines.effect' as const;

/** The emitted event the runtime listens for. */
export interface EffectEmitted {
  type: typeof EFFECT_EVENT;
  effect: Effect;
}
