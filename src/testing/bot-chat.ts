/**
 * The types of a `testBot` conversation: its options, its actions and what a test reads from it.
 */
import type { StateValue } from 'xstate';
import type { CrmBindings } from '../events/inbound-event';
import type { ChatView } from './chat-view';
import type { FakeClock } from './fake-clock';
import type {
  CallRecord,
  FailNextOptions,
  FakePortalApi,
  LineConfig,
  NockLike,
} from './fake-portal';
import type { RuntimeLogLine } from './start-bot-runtime';
import type { InvokedRestCall } from './watch-rest-client';
import type { ChatClient } from './wire-chat';

/** How long `chat.wait` lets time pass; the parts add up. */
export interface WaitDuration {
  ms?: number;
  seconds?: number;
  minutes?: number;
  hours?: number;
}

/** Options of {@link testBot}. */
export interface TestBotOptions {
  /** Serve the portal through nock (`mockPortal(nock)`) instead of a loopback HTTP server. */
  nock?: NockLike;
  /** The open-line client; `null` for a client whose name the bot does not know. Default: Ivan Petrov. */
  client?: ChatClient | null;
  /** Numeric chat id. Default 1777. */
  chatId?: number;
  /** The chat's open line. Default 1. */
  lineId?: number;
  /** The portal's open lines. Default: lines 1 to 9, so any small line id is a valid transfer target. */
  lines?: readonly LineConfig[];
  /** Share a clock between chats, or start at another instant. Default: a new fake clock. */
  clock?: FakeClock;
  /** The client's messenger as Bitrix24 names it (`telegrambot`, `livechat`, `whatsapp`...). Default `telegrambot`. */
  connector?: string;
  /** The language of the portal user in the events (`en`, `ru`, `de`...). Default `en`. */
  language?: string;
  /** CRM entities the open-line session is bound to. Default `{ lead: 1209 }`; `{}` for none. */
  crm?: CrmBindings;
  /** Talk to the bot through this Bitrix24 bot API (registration and events), whatever the bot declares. Default: the bot's `apiVersion`. */
  apiVersion?: 1 | 2;
  /** Count this chat in the flow coverage report. Default true. */
  coverage?: boolean;
  /**
   * The runtime's turn timeout, in real milliseconds (the rest of the chat runs on the fake clock).
   * A turn that does not settle in time fails the step with the turn-timeout error. Default 4_000.
   */
  turnTimeoutMs?: number;
}

/** A test conversation; every action resolves once the runtime is idle (turn committed, effects sent). */
export interface BotChat extends ChatView {
  /** The machine's context now. */
  readonly context: unknown;
  /** True once the conversation reached a final state. */
  readonly done: boolean;
  /** Only what the latest action caused (for `expect(chat.last).toHaveReplied(...)`). */
  readonly last: ChatView;
  /** REST calls the portal received from the bot (registration left out), failed ones included. */
  readonly calls: readonly CallRecord[];
  /** Runtime log lines at level warn and above: turn failures, refused effects. */
  readonly logs: readonly RuntimeLogLine[];
  /** REST calls the machine invoked itself (`fromRestCall`) and waited for, with their answers. */
  readonly invokedCalls: readonly InvokedRestCall[];
  readonly clock: FakeClock;
  /** The fake portal (started by the first action). */
  readonly portal: FakePortalApi;
  /** States and transitions this chat visited (dotted state keys, transition keys). */
  readonly coverage: {
    readonly states: ReadonlySet<string>;
    readonly transitions: ReadonlySet<string>;
  };
  /**
   * A new open-line session: the bot joins the chat (and greets, if it does). With `after`, the
   * client's first message of the session arrives before the join, as it often does on real
   * portals (README trap 13): the machine still sees the join first.
   */
  join(options?: { client?: ChatClient | null; after?: string }): Promise<void>;
  /** The client writes `text`. */
  send(text: string): Promise<void>;
  /**
   * An operator writes `text` in the chat (an employee, not the client; default Olga Smirnova).
   * The machine gets `operator.message`, or nothing when no conversation runs.
   */
  operator(text: string, options?: { operator?: ChatClient }): Promise<void>;
  /** The client presses a button shown in an earlier reply, found by its command or its text. */
  press(button: string): Promise<void>;
  /** The client types a slash command (not necessarily on any button). */
  command(name: string, params?: string): Promise<void>;
  /** Time passes: due durable timers fire in deadline order, effects waiting for a retry are retried. */
  wait(duration: WaitDuration): Promise<void>;
  /**
   * The host application delivers its own event to this dialog (as `runtime.deliver` does:
   * through the inbox, deduplicated by `key`); resolves with what the runtime did with it.
   */
  deliver(
    event: { type: string; [field: string]: unknown },
    options?: { key?: string },
  ): Promise<void>;
  /** The portal refuses the next call of `method` with the Bitrix24 error `code`. */
  failNext(method: string, code: string, options?: FailNextOptions): Promise<void>;
  /** True when the state matches `value` (`'order'`, `'order.waiting'`, `{ order: 'waiting' }`). */
  matches(value: StateValue): boolean;
  /** Stops the runtime and the portal; writes this chat's coverage. */
  close(): Promise<void>;
}
