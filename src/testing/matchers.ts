/**
 * Jest matchers for test chats. Register them once per test file (or in a setup file):
 *
 * ```ts
 * import { botMatchers } from 'openlines-bot/testing';
 * expect.extend(botMatchers);
 * ```
 *
 * Every failure message ends with the transcript so far and the machine's state, so a red test
 * reads like the conversation that went wrong.
 */
import { matchesState, type StateValue } from 'xstate';
import type { ChatEffect } from './chat-effect';
import { keyboardsOf, type ChatView } from './chat-view';

/** The part of jest's matcher context the matchers use. */
interface MatcherContext {
  isNot?: boolean;
  utils?: { printExpected(v: unknown): string; printReceived(v: unknown): string };
}

/** A matcher's answer, as jest expects it. */
export interface BotMatcherResult {
  pass: boolean;
  message: () => string;
}

/** Where a transfer goes. */
export type TransferExpectation = { lineId: number } | { userId: number };

function isChatView(v: unknown): v is ChatView {
  const c = v as Partial<ChatView> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    Array.isArray(c.effects) &&
    typeof c.transcript === 'string'
  );
}

function show(ctx: MatcherContext, v: unknown): string {
  return ctx.utils ? ctx.utils.printExpected(v) : JSON.stringify(v);
}

function stateText(state: StateValue | undefined): string {
  if (state === undefined) return '(no conversation yet)';
  return typeof state === 'string' ? state : JSON.stringify(state);
}

/** The closing part of every failure message. */
function context(view: ChatView): string {
  const text = typeof view.conversation === 'string' ? view.conversation : view.transcript;
  return `\n\nTranscript:\n${text ? text.replace(/^/gm, '  ') : '  (nothing happened yet)'}\n\nState: ${stateText(view.state)}`;
}

function check(
  ctx: MatcherContext,
  received: unknown,
  name: string,
  judge: (view: ChatView) => { pass: boolean; expectation: string; detail?: string },
): BotMatcherResult {
  if (!isChatView(received)) {
    return {
      pass: false,
      message: () =>
        `${name}: expected a chat from testBot() (or chat.last), received ${typeof received}`,
    };
  }
  const { pass, expectation, detail } = judge(received);
  const not = ctx.isNot ? 'not ' : '';
  return {
    pass,
    message: () =>
      `Expected the bot ${not}${expectation}${detail && !ctx.isNot ? `\n${detail}` : ''}${context(received)}`,
  };
}

function refused(view: ChatView, kind: ChatEffect['kind']): string | undefined {
  const failed = view.effects.filter((e) => e.kind === kind && e.status !== 'sent');
  if (failed.length === 0) return undefined;
  return `It tried, but the portal refused it: ${failed.map((e) => `${e.call.method} → ${e.error ?? e.status}`).join(', ')}.`;
}

function toHaveReplied(
  this: MatcherContext,
  received: unknown,
  expected: string | RegExp,
): BotMatcherResult {
  return check(this, received, 'toHaveReplied', (view) => {
    const pass = view.replies.some((r) =>
      typeof expected === 'string'
        ? r.trim() === expected.trim()
        : new RegExp(expected.source, expected.flags.replace(/[gy]/g, '')).test(r),
    );
    const replies = view.replies.length
      ? view.replies.map((r, i) => `  ${i + 1}. ${r}`).join('\n')
      : '  (none)';
    return {
      pass,
      expectation: `to reply ${show(this, expected)}`,
      detail: `Replies:\n${replies}`,
    };
  });
}

function toHaveShownButtons(
  this: MatcherContext,
  received: unknown,
  expected: readonly string[],
): BotMatcherResult {
  return check(this, received, 'toHaveShownButtons', (view) => {
    const keyboards = keyboardsOf(view.effects);
    const same = (a: readonly string[]) =>
      a.length === expected.length && a.every((x, i) => x === expected[i]);
    const pass = keyboards.some(
      (k) => same(k.map((b) => b.text)) || same(k.map((b) => b.command ?? '')),
    );
    const shown = keyboards.length
      ? keyboards.map((k) => `  ${k.map((b) => `[${b.text}]`).join(' ')}`).join('\n')
      : '  (no reply had buttons)';
    return {
      pass,
      expectation: `to show the buttons ${show(this, expected)} (texts or commands, in order)`,
      detail: `Keyboards shown:\n${shown}`,
    };
  });
}

function sentKind(kind: ChatEffect['kind'], label: string, name: string) {
  return function (this: MatcherContext, received: unknown): BotMatcherResult {
    return check(this, received, name, (view) => {
      const pass = view.effects.some((e) => e.kind === kind && e.status === 'sent');
      const why = refused(view, kind);
      return { pass, expectation: label, ...(why ? { detail: why } : {}) };
    });
  };
}

function toHaveTransferredTo(
  this: MatcherContext,
  received: unknown,
  target: TransferExpectation,
): BotMatcherResult {
  return check(this, received, 'toHaveTransferredTo', (view) => {
    const hit = (e: ChatEffect) =>
      e.kind === 'transfer' &&
      ('lineId' in target
        ? 'lineId' in e.to && e.to.lineId === target.lineId
        : 'userId' in e.to && e.to.userId === target.userId);
    const pass = view.effects.some((e) => hit(e) && e.status === 'sent');
    const tried = view.effects.filter((e) => e.kind === 'transfer');
    const detail = tried.length
      ? `Transfers: ${tried.map((e) => `${JSON.stringify(e.kind === 'transfer' ? e.to : {})} (${e.status}${e.error ? `: ${e.error}` : ''})`).join(', ')}`
      : 'It made no transfer.';
    return { pass, expectation: `to transfer the dialog to ${show(this, target)}`, detail };
  });
}

function toBeInState(
  this: MatcherContext,
  received: unknown,
  expected: StateValue,
): BotMatcherResult {
  return check(this, received, 'toBeInState', (view) => ({
    pass: view.state !== undefined && matchesState(expected, view.state),
    expectation: `to be in the state ${show(this, expected)}`,
  }));
}

/**
 * The test kit's jest matchers; register with `expect.extend(botMatchers)`.
 *
 * @example
 * expect.extend(botMatchers);
 * expect(chat).toHaveReplied(/in transit/);
 * expect(chat.last).toHaveHandedToOperator();
 * expect(chat).toHaveTransferredTo({ lineId: 5 });
 * expect(chat).toBeInState('order.waiting');
 */
export const botMatchers = {
  /** A reply equal to the text (trimmed), or matching the RegExp. */
  toHaveReplied,
  /** A reply whose buttons are exactly these, in order (button texts, or commands). */
  toHaveShownButtons,
  /** `toOperator()` reached the portal (`imopenlines.bot.session.operator` accepted). */
  toHaveHandedToOperator: sentKind(
    'toOperator',
    'to hand the dialog to an operator',
    'toHaveHandedToOperator',
  ),
  /** `transfer(...)` to this line or user reached the portal. */
  toHaveTransferredTo,
  /** `finish()` reached the portal (`imopenlines.bot.session.finish` accepted). */
  toHaveFinished: sentKind('finish', 'to finish the session', 'toHaveFinished'),
  /** The machine's state matches (xstate `matches` semantics: `'order'` matches `{ order: 'waiting' }`). */
  toBeInState,
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** The bot sent a reply equal to `expected` (trimmed), or matching it. */
      toHaveReplied(expected: string | RegExp): R;
      /** Some reply showed exactly these buttons, in order (texts or commands). */
      toHaveShownButtons(expected: readonly string[]): R;
      /** `toOperator()` reached the portal. */
      toHaveHandedToOperator(): R;
      /** `transfer(...)` to this line or user reached the portal. */
      toHaveTransferredTo(target: { lineId: number } | { userId: number }): R;
      /** `finish()` reached the portal. */
      toHaveFinished(): R;
      /** The machine's state matches `value`. */
      toBeInState(value: import('xstate').StateValue): R;
    }
  }
}
