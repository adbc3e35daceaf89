/**
 * The hand-off summary bot's flow: talk with the client, and when they ask for a person, read the
 * session's history (`imopenlines.session.history.get`, an invoked call with typed input and
 * output), leave the operator a summary of what the client wrote (a note the client does not see)
 * and hand the dialog to the line's operators.
 */
import { assign, enqueueActions, setup } from 'xstate';
import {
  callRest,
  fromOpenlinesCall,
  react,
  say,
  toOperator,
  typing,
  type BotEvent,
  type DialogInput,
  type SessionHistory,
} from 'openlines-bot';

/** The bot's fixed texts. */
export const HANDOFF_TEXTS = {
  hello: 'Hello! Tell me what you need. Type "operator" at any time to talk to a person.',
  noted: 'Noted. Anything else? Type "operator" when you want a person.',
  connecting: 'Connecting you with an operator; they will see what you told me.',
  /** Heading of the operator's note; the client's messages follow, one per line. */
  summaryHeading: 'Summary for the operator (the client wrote):',
  noHistory: 'Summary unavailable: the history could not be read.',
} as const;

/** Options of {@link createHandoffMachine}. */
export interface HandoffMachineOptions {
  /** How many of the client's last messages go into the summary. Default 10. */
  maxLines?: number;
}

/** The machine's context (persisted with the dialog: JSON only). */
export interface HandoffContext {
  dialog: DialogInput;
  /** The summary left for the operator, once handed over. */
  summary?: string;
}

const asksForOperator = (text: string): boolean => /\b(operator|human|person)\b/i.test(text);

/**
 * The client's own messages of a session, oldest first: authors the history marks as connector
 * users (the open-line client), the bot and system messages left out.
 *
 * @example
 * clientLines(history); // ['My order 123 is late', 'operator']
 */
export function clientLines(history: SessionHistory): string[] {
  const users = history.users ?? {};
  return history.messages
    .filter((m) => m.authorId > 0 && users[String(m.authorId)]?.connector === true)
    .map((m) => m.text.trim())
    .filter((t) => t.length > 0);
}

/**
 * The operator's note: the heading and the client's last `maxLines` messages.
 *
 * @example
 * summarize(['My order is late'], 10); // 'Summary for the operator (the client wrote):\n- My order is late'
 */
export function summarize(lines: string[], maxLines: number): string {
  const last = lines.slice(-maxLines);
  return [HANDOFF_TEXTS.summaryHeading, ...last.map((l) => `- ${l}`)].join('\n');
}

/** A note in the chat that the client does not get (v2 `skipConnector`, v1 `SKIP_CONNECTOR`). */
function noteCall(
  dialog: DialogInput,
  text: string,
): { method: string; params: Record<string, unknown> } {
  return dialog.bot.apiVersion === 2
    ? {
        method: 'imbot.v2.Chat.Message.send',
        params: {
          botId: dialog.bot.id,
          dialogId: dialog.dialogId,
          fields: { message: text, skipConnector: true },
        },
      }
    : {
        method: 'imbot.message.add',
        params: {
          BOT_ID: dialog.bot.id,
          DIALOG_ID: dialog.dialogId,
          MESSAGE: text,
          SKIP_CONNECTOR: 'Y',
        },
      };
}

/**
 * Builds the hand-off summary machine.
 *
 * @example
 * const machine = createHandoffMachine({ maxLines: 5 });
 */
export function createHandoffMachine(options: HandoffMachineOptions = {}) {
  const maxLines = options.maxLines ?? 10;
  if (!Number.isInteger(maxLines) || maxLines < 1)
    throw new TypeError('maxLines must be a positive integer');
  return setup({
    types: {
      context: {} as HandoffContext,
      events: {} as BotEvent,
      input: {} as DialogInput,
    },
    actors: { history: fromOpenlinesCall('imopenlines.session.history.get') },
  }).createMachine({
    id: 'handoff',
    context: ({ input }) => ({ dialog: input }),
    initial: 'talking',
    states: {
      talking: {
        on: {
          join: { actions: say(HANDOFF_TEXTS.hello) },
          message: [
            { guard: ({ event }) => asksForOperator(event.text), target: 'summarising' },
            {
              actions: [
                react(({ event }) => ({ messageId: event.messageId, reaction: 'like' })),
                say(HANDOFF_TEXTS.noted),
              ],
            },
          ],
          command: { guard: ({ event }) => event.command === 'operator', target: 'summarising' },
        },
      },
      summarising: {
        entry: typing({ status: 'IMBOT_AGENT_ACTION_ANALYZING', seconds: 10 }),
        invoke: {
          src: 'history',
          input: ({ context }) => ({ CHAT_ID: context.dialog.chatId }),
          onDone: {
            target: 'handedOver',
            actions: assign({
              summary: ({ event }) => summarize(clientLines(event.output), maxLines),
            }),
          },
          onError: { target: 'handedOver', actions: assign({ summary: HANDOFF_TEXTS.noHistory }) },
        },
      },
      handedOver: {
        entry: [
          enqueueActions(({ context, enqueue }) => {
            const note = noteCall(context.dialog, context.summary ?? HANDOFF_TEXTS.noHistory);
            enqueue(callRest(note.method, note.params));
          }),
          say(HANDOFF_TEXTS.connecting),
          toOperator(),
        ],
        type: 'final',
      },
    },
  });
}
