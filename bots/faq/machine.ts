/**
 * The FAQ bot's flow: answers questions by keywords, offers its topics as buttons, and hands the
 * dialog to an operator after two questions in a row it cannot answer.
 */
import { assign, setup } from 'xstate';
import {
  finish,
  say,
  toOperator,
  isCommand,
  textMatches,
  keyboard,
  type Keyboard,
  type BotEvent,
  type DialogInput,
} from 'openlines-bot';

/** One question the bot can answer. */
export interface FaqTopic {
  /** Sent back as the `topic` button's params: letters, digits, `_`, `-`. */
  id: string;
  /** Button text. */
  title: string;
  /** Lower-case words or phrases; a message containing one of them gets this answer. */
  keywords: string[];
  answer: string;
}

/** Options of {@link createFaqMachine}. */
export interface FaqMachineOptions {
  /** Default: {@link DEFAULT_FAQ_TOPICS}. */
  topics?: FaqTopic[];
  /** Unanswered questions in a row before the bot calls an operator. Default 2. */
  maxMisses?: number;
  /** Silence after which the bot finishes the session. Default 600. */
  idleSeconds?: number;
}

/** The FAQ machine's context (persisted: JSON only). */
export interface FaqContext {
  misses: number;
  /** Id of the last topic answered. */
  lastTopic?: string;
}

/** A small shop's questions, used when no topics are given. */
export const DEFAULT_FAQ_TOPICS: readonly FaqTopic[] = [
  {
    id: 'delivery',
    title: 'Delivery',
    keywords: ['delivery', 'deliver', 'shipping', 'ship', 'courier', 'доставка'],
    answer: 'We deliver in 2-4 working days. Delivery is free for orders over 50 EUR.',
  },
  {
    id: 'payment',
    title: 'Payment',
    keywords: ['payment', 'pay', 'card', 'invoice', 'оплата'],
    answer: 'We accept cards, bank transfer against an invoice, and cash on delivery.',
  },
  {
    id: 'returns',
    title: 'Returns',
    keywords: ['return', 'refund', 'exchange', 'возврат'],
    answer:
      'You can return any item within 30 days. The refund reaches your card in 5 working days.',
  },
  {
    id: 'hours',
    title: 'Opening hours',
    keywords: ['hours', 'open', 'opening', 'weekend', 'график'],
    answer: 'We are open Monday to Friday, 9:00 to 18:00.',
  },
];

/** The FAQ bot's fixed texts. */
export const FAQ_TEXTS = {
  intro: 'Hi! Ask me a question or pick a topic.',
  miss: 'I do not know the answer to that yet. Try other words or pick a topic.',
  toOperator: 'Let me connect you with an operator who can help.',
  operatorSoon: 'An operator will answer you here soon.',
  noOperator: 'Sorry, no operator is available right now. Please write to us again later.',
  goodbye: 'Goodbye!',
  idleClose: 'Closing this chat for now. Write any time.',
} as const;

const HANDOFF_GRACE_MS = 5 * 60_000;
const word = (alternatives: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives})(?![\\p{L}\\p{N}_])`, 'iu');

function topicKeyboard(topics: readonly FaqTopic[]): Keyboard {
  const kb = keyboard();
  topics.forEach((t, i) => {
    if (i > 0 && i % 2 === 0) kb.row();
    kb.button(t.title, { command: 'topic', params: t.id });
  });
  return kb.row().button('Talk to a human', { command: 'operator' }).build();
}

/** The topic whose keywords a text hits most, if any. */
function findTopic(topics: readonly FaqTopic[], event: BotEvent): FaqTopic | undefined {
  if (event.type === 'command')
    return event.command === 'topic' ? topics.find((t) => t.id === event.params.trim()) : undefined;
  if (event.type !== 'message') return undefined;
  const text = event.text.toLowerCase();
  let best: FaqTopic | undefined;
  let bestHits = 0;
  for (const t of topics) {
    const hits = t.keywords.filter((k) =>
      word(k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).test(text),
    ).length;
    if (hits > bestHits) [best, bestHits] = [t, hits];
  }
  return best;
}

function checkTopics(topics: readonly FaqTopic[]): void {
  const ids = new Set<string>();
  for (const t of topics) {
    if (!/^[A-Za-z0-9_-]+$/.test(t.id))
      throw new TypeError(`FAQ topic id "${t.id}" must be letters, digits, "_" or "-"`);
    if (ids.has(t.id)) throw new TypeError(`FAQ topic id "${t.id}" is used twice`);
    ids.add(t.id);
    if (t.keywords.length === 0)
      throw new TypeError(`FAQ topic "${t.id}" needs at least one keyword`);
  }
}

/**
 * Builds the FAQ bot's machine.
 *
 * @example
 * const machine = createFaqMachine({ topics: [{ id: 'wifi', title: 'Wi-Fi', keywords: ['wifi'], answer: 'Password: guest' }] });
 */
export function createFaqMachine(options: FaqMachineOptions = {}) {
  const topics = options.topics ?? DEFAULT_FAQ_TOPICS;
  checkTopics(topics);
  const maxMisses = options.maxMisses ?? 2;
  if (!Number.isInteger(maxMisses) || maxMisses < 1)
    throw new TypeError('maxMisses must be a positive integer');
  const menu = topicKeyboard(topics);

  return setup({
    types: { context: {} as FaqContext, events: {} as BotEvent, input: {} as DialogInput },
    delays: {
      idle: Math.round((options.idleSeconds ?? 600) * 1000),
      handoffGrace: HANDOFF_GRACE_MS,
    },
    guards: {
      asksForOperator: textMatches(word('operator|human|оператор')),
      saysBye: textMatches(word('bye|пока')),
      operatorCommand: isCommand('operator'),
      knowsAnswer: ({ event }) => findTopic(topics, event) !== undefined,
      isLastMiss: ({ context }) => context.misses + 1 >= maxMisses,
      operatorRefused: ({ event }) =>
        event.type === 'effect.failed' && event.effect.type === 'toOperator',
    },
    actions: {
      showTopics: say(FAQ_TEXTS.intro, { keyboard: menu }),
      answer: say(({ event }) => findTopic(topics, event)?.answer ?? FAQ_TEXTS.miss, {
        keyboard: menu,
      }),
      rememberTopic: assign({ misses: 0, lastTopic: ({ event }) => findTopic(topics, event)?.id }),
      countMiss: assign({ misses: ({ context }) => context.misses + 1 }),
      sayMiss: say(FAQ_TEXTS.miss, { keyboard: menu }),
    },
  }).createMachine({
    id: 'faq',
    context: { misses: 0 },
    initial: 'ready',
    // Whatever the bot was doing, once an operator writes in the chat the bot leaves it to them.
    on: { 'operator.message': '.quiet' },
    states: {
      ready: {
        after: { idle: 'closing' },
        on: {
          join: { target: 'ready', reenter: true, actions: 'showTopics' },
          command: [
            { guard: 'operatorCommand', target: 'handoff' },
            {
              guard: 'knowsAnswer',
              target: 'ready',
              reenter: true,
              actions: ['rememberTopic', 'answer'],
            },
            { target: 'ready', reenter: true, actions: 'showTopics' },
          ],
          message: [
            { guard: 'asksForOperator', target: 'handoff' },
            { guard: 'saysBye', target: 'goodbye' },
            {
              guard: 'knowsAnswer',
              target: 'ready',
              reenter: true,
              actions: ['rememberTopic', 'answer'],
            },
            { guard: 'isLastMiss', target: 'handoff' },
            { target: 'ready', reenter: true, actions: ['countMiss', 'sayMiss'] },
          ],
        },
      },
      handoff: {
        entry: [say(FAQ_TEXTS.toOperator), toOperator()],
        after: { handoffGrace: 'handedOff' },
        on: {
          'effect.failed': { guard: 'operatorRefused', target: 'noOperator' },
          message: { actions: say(FAQ_TEXTS.operatorSoon) },
        },
      },
      noOperator: { type: 'final', entry: [say(FAQ_TEXTS.noOperator), finish()] },
      goodbye: { type: 'final', entry: [say(FAQ_TEXTS.goodbye), finish()] },
      closing: { type: 'final', entry: [say(FAQ_TEXTS.idleClose), finish()] },
      // An operator wrote: a person has the chat, so the bot stays silent until the chat goes idle.
      quiet: {
        after: { idle: 'handedOff' },
        on: {
          message: { target: 'quiet', reenter: true },
          command: { target: 'quiet', reenter: true },
          'operator.message': { target: 'quiet', reenter: true },
        },
      },
      handedOff: { type: 'final' },
    },
  });
}
