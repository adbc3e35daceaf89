/**
 * Effect descriptors: what a bot's machine asks the framework to do. Machines never do this I/O
 * themselves; the effect actions (`say`, `greet`, `typing`, `toOperator`, `transfer`, `finish`)
 * emit these descriptors, the runtime commits them with the dialog's state and the outbox
 * dispatcher turns each into one Bitrix24 REST call, in emitted order.
 */

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
  | { type: 'typing' }
  | { type: 'toOperator' }
  | { type: 'transfer'; to: { userId: number } | { lineId: number }; leave?: boolean }
  | { type: 'finish' }
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
