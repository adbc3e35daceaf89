/**
 * The event mix of the benchmark: many support dialogs, each a short realistic script of v1
 * open-line events (join, free text, button commands, order numbers, goodbyes), built as the
 * real form bodies Bitrix24 POSTs (the contract's §2.2 shape, through the test kit's builders).
 */
import type { EventBuilders } from '../src/testing/event-builders';

/** What a scripted event is, for the latency breakdown. */
export type StepKind = 'join' | 'message' | 'command' | 'order-number';

/** One dialog's events, in the order they must arrive. */
export interface DialogScript {
  chatId: number;
  /** The order number this dialog sends (unique per dialog), if its script has one. */
  orderNumber?: string;
  bodies: Buffer[];
  kinds: StepKind[];
}

type Step =
  | { kind: 'message'; text: string }
  | { kind: 'command'; command: string }
  | { kind: 'order-number' };

const msg = (text: string): Step => ({ kind: 'message', text });
const cmd = (command: string): Step => ({ kind: 'command', command });
const ORDER: Step = { kind: 'order-number' };

// Every script starts with a join (added below) and never writes after the bot finished the session.
const SCRIPTS: Step[][] = [
  [cmd('order'), ORDER, msg('thanks, bye')],
  [
    msg('Hello, where is my order? I ordered it last week.'),
    msg('not sure, let me check'),
    ORDER,
    msg('bye'),
  ],
  [msg('hello'), msg('what can you do for me'), msg('are you there?')],
  [cmd('operator'), msg('hi, is anybody there?')],
  [msg('hi'), cmd('order'), msg('abc'), ORDER, msg('ok, bye')],
];

/** Options of {@link buildDialogs}. */
export interface BuildDialogsOptions {
  builders: EventBuilders;
  /** Chat id of the first dialog; the others follow. */
  firstChatId: number;
  count: number;
}

/**
 * Builds `count` dialog scripts with consecutive chat ids. Message ids come from the builders'
 * counters, so no two events share a dedupe key.
 *
 * @example
 * const dialogs = buildDialogs({ builders: createEventBuilders({ botId: 7, botCode: 'support' }), firstChatId: 10_000, count: 500 });
 */
export function buildDialogs(options: BuildDialogsOptions): DialogScript[] {
  const { builders } = options;
  const out: DialogScript[] = [];
  for (let i = 0; i < options.count; i++) {
    const chatId = options.firstChatId + i;
    const client = { id: 100_000 + chatId, firstName: 'Ivan', name: 'Ivan Petrov' };
    const base = { chatId, client, connectorChatId: String(786_000_000 + chatId) };
    const script = SCRIPTS[chatId % SCRIPTS.length] ?? [];
    const orderNumber = `9${chatId}`;
    const bodies: Buffer[] = [Buffer.from(builders.v1.join(base).body)];
    const kinds: StepKind[] = ['join'];
    for (const step of script) {
      const built =
        step.kind === 'message'
          ? builders.v1.message({ ...base, text: step.text })
          : step.kind === 'command'
            ? builders.v1.command({ ...base, command: step.command })
            : builders.v1.message({ ...base, text: orderNumber });
      bodies.push(Buffer.from(built.body));
      kinds.push(step.kind);
    }
    out.push({ chatId, bodies, kinds, ...(script.includes(ORDER) ? { orderNumber } : {}) });
  }
  return out;
}

/** Mean events per dialog of the mix (to size a phase by events). */
export const MEAN_EVENTS_PER_DIALOG =
  SCRIPTS.reduce((n, s) => n + s.length + 1, 0) / SCRIPTS.length;
