/**
 * The options and the interface of `createRuntime`, and the validation of the options.
 */
import type { RestClient } from '../bitrix/types';
import type { Clock } from '../clock';
import type { BotDefinition, FallbackOption } from '../dsl/define-bot';
import { ConfigError } from '../errors';
import type { DialogEvent } from '../events/inbound-event';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { AppendResult, Store } from '../store/store';
import type { Dispatcher, DispatcherOptions } from './dispatcher';
import type { DeliverResult, ExternalDelivery, ExternalEvent } from './external-event';
import { admissionOptionProblems, type AdmissionOption } from './admission';
import { historyOptionProblems, type HistoryOption } from './history';

/** Dispatcher settings the runtime passes through (the runtime supplies store, clients, clock, logs, metrics and `onEffectFailed`). */
export type RuntimeDispatcherOptions = Omit<
  DispatcherOptions,
  'store' | 'clients' | 'clock' | 'logger' | 'metrics' | 'onEffectFailed' | 'owner' | 'history'
>;

/** Options of {@link createRuntime}. */
export interface RuntimeOptions {
  bots: readonly BotDefinition[];
  store: Store;
  /** The REST client of a portal, by `memberId`. */
  clients: (portalId: string) => RestClient | Promise<RestClient>;
  clock?: Clock;
  logger?: Logger;
  metrics?: Metrics;
  /** Longest a turn may take until the machine settles (ms); default 10_000. */
  turnTimeoutMs?: number;
  /**
   * The clock that bounds a turn (`turnTimeoutMs`); default `clock`. The test kit runs the runtime
   * on a fake clock but bounds turns in real time, so that a machine that never settles fails.
   */
  turnClock?: Clock;
  /** What a dialog gets when its turn fails; default: a short apology, then `toOperator()`. A bot's own `fallback` wins. */
  fallback?: FallbackOption;
  dispatcher?: RuntimeDispatcherOptions;
  /** Lease owner id (dialogs and effects); default `<host>:<pid>:<random>`. */
  owner?: string;
  /** Dialogs processed at the same time; default 32. */
  concurrency?: number;
  /**
   * Dialog lease (ms): renewed every third of it while the dialog runs, so another process takes
   * a dialog over this long after its process died; default 6_000 (at least 500).
   */
  leaseMs?: number;
  /**
   * How often to look for dialogs with waiting events that no process runs (a process died or
   * stopped) and take them (ms); 0 turns it off. Default 500, and off for the SQLite store (one
   * process per file: its pending dialogs are all scheduled at start).
   */
  orphanScanMs?: number;
  /**
   * The dialogs' history (the inspector's transcripts: inbound events, state after each turn,
   * effects with their REST calls and outcomes, timers), written with each turn. Default on,
   * keeping per dialog the last 500 entries of at most 30 days; `false` writes nothing.
   */
  history?: HistoryOption;
  /**
   * How long (ms) a new open-line session's first client message waits for the session's join,
   * which portals often deliver after it (README, Concepts); default 1000, 0 disables the wait.
   */
  joinWindowMs?: number;
  /**
   * Inline turns: a webhook event for a dialog with nothing waiting is processed as it arrives,
   * and acknowledged once its turn is committed (with its dedupe key, in one store transaction),
   * instead of being written to the inbox, read back and deleted. An event that needs the inbox
   * (the dialog is busy, a session's join is awaited, the turn is refused) takes the inbox path.
   * A turn that invokes a REST call, or runs longer than `budgetMs`, has its event written to the
   * inbox first, so the acknowledgement never waits for the call. Only stores whose process is
   * their only writer have it (memory, SQLite); on others this does nothing. At most
   * `maxConcurrent` inline turns run at once: under load, events are cheaper queued (their
   * acknowledgements share one grouped append, the turns run behind). Default: on, with a budget
   * of 200 ms and at most 4 at once; `false` sends every event through the inbox.
   */
  inlineTurns?: boolean | { budgetMs?: number; maxConcurrent?: number };
  /**
   * Admission under load: a new event is held back, before anything of it is recorded or
   * acknowledged, while this process has `maxBacklog` dialogs with queued or running turns; it
   * goes on in arrival order as turns end, or after `maxWaitMs` whatever the backlog. This keeps
   * the backlog (and the delay from an event to its reply) bounded instead of acknowledging
   * events far faster than their turns run. Default: on, 64 dialogs, 1000 ms; `false` records
   * every event at once. Waits are in `openlines_admission_wait_seconds`.
   */
  admission?: AdmissionOption;
  /** Replaces the outbox dispatcher factory (tests). */
  createDispatcher?: (options: DispatcherOptions) => Dispatcher;
}

/** A running bot host. */
export interface Runtime {
  /**
   * Durably records dialog events (deduped by `dedupeKey`, with the fetch offset when given), then
   * schedules them; resolves once they are durable. One event without an offset, for a dialog with
   * nothing waiting, may run its turn at once (`inlineTurns`): it resolves once that turn is
   * committed (with `seq: 0`, as the event never waited in the inbox), or once the event is
   * appended when the turn makes an invoked REST call or outlives the budget.
   */
  accept(
    events: readonly DialogEvent[],
    options?: { offset?: { key: string; value: number } },
  ): Promise<AppendResult[]>;
  /** Recovers pending inbox items, starts the timer scheduler and the outbox dispatcher. */
  start(): Promise<void>;
  /** Stops accepting, lets running turns and in-flight sends end within the deadline (default 10_000 ms). */
  stop(options?: { deadlineMs?: number }): Promise<void>;
  /**
   * Durably delivers the host application's own events to running dialogs, through their inbox
   * (ordered with their other events; a repeated `key` is a duplicate). A dialog the store does
   * not know, with nothing pending, gets nothing (`no-dialog`); a dialog whose conversation has
   * ended by the time the event's turn comes drops it. Throws a `ConfigError` for a malformed delivery.
   *
   * @example
   * await runtime.deliver([{ dialog: dialogKey, event: { type: 'crm.booking.confirmed', slot: 'Tue 10:30' }, key: 'deal-15' }]);
   */
  deliver<TEvent extends ExternalEvent = ExternalEvent>(
    deliveries: readonly ExternalDelivery<TEvent>[],
  ): Promise<DeliverResult[]>;
  /** Fires the durable timers due now (with a fake clock: after advancing it). */
  runDueTimers(): Promise<void>;
  /** Resolves when no dialog has pending work and nothing in the outbox is sendable now. */
  idle(): Promise<void>;
  readonly dispatcher: Dispatcher;
  /** What an operator can do to dialogs (the inspector's actions). */
  readonly operator: RuntimeOperator;
}

/** Operator actions on dialogs; each answers whether it did something. */
export interface RuntimeOperator {
  /** Sends a dead-lettered effect again (it becomes pending, attempts reset). */
  retryDeadLetter(dialogKey: string, seq: number): Promise<boolean>;
  /** Fires a pending timer of the dialog now, as if its deadline had come (development). */
  fireTimer(dialogKey: string, timerKey: string): Promise<boolean>;
  /** Ends the dialog's conversation: no state, no timers; its next event starts afresh. */
  resetDialog(dialogKey: string): Promise<boolean>;
}

/**
 * Throws a `ConfigError` listing every problem of the runtime options.
 *
 * @example
 * checkRuntimeOptions({ options });
 */
export function checkRuntimeOptions({ options: o }: { options: RuntimeOptions }): void {
  const problems: string[] = [];
  if (!o.store || typeof o.store.appendInbox !== 'function')
    problems.push('store must be a Store (memoryStore(), sqliteStore(...))');
  if (typeof o.clients !== 'function')
    problems.push('clients must be a function (portalId) => RestClient');
  if (o.turnTimeoutMs !== undefined && !(o.turnTimeoutMs > 0))
    problems.push('turnTimeoutMs must be a positive number');
  const inline = o.inlineTurns;
  if (
    inline !== undefined &&
    typeof inline !== 'boolean' &&
    (typeof inline !== 'object' ||
      inline === null ||
      (inline.budgetMs !== undefined &&
        !(Number.isFinite(inline.budgetMs) && inline.budgetMs >= 0 && inline.budgetMs <= 60_000)))
  )
    problems.push(
      'inlineTurns must be true, false or { budgetMs, maxConcurrent } with 0 to 60000 ms',
    );
  const maxInline =
    typeof inline === 'object' && inline !== null ? inline.maxConcurrent : undefined;
  if (maxInline !== undefined && !(Number.isInteger(maxInline) && maxInline >= 1))
    problems.push('inlineTurns.maxConcurrent must be a positive integer');
  if (o.concurrency !== undefined && !(Number.isInteger(o.concurrency) && o.concurrency > 0))
    problems.push('concurrency must be a positive integer');
  if (o.leaseMs !== undefined && !(o.leaseMs >= 500))
    problems.push('leaseMs must be at least 500 (it is renewed every third of it)');
  if (o.orphanScanMs !== undefined && !(o.orphanScanMs >= 0))
    problems.push('orphanScanMs must be 0 (off) or a positive number');
  if (
    o.joinWindowMs !== undefined &&
    !(Number.isFinite(o.joinWindowMs) && o.joinWindowMs >= 0 && o.joinWindowMs <= 600_000)
  )
    problems.push('joinWindowMs must be a number of milliseconds from 0 to 600000');
  problems.push(...historyOptionProblems(o.history));
  problems.push(...admissionOptionProblems(o.admission));
  if (problems.length > 0) throw new ConfigError(problems, 'Invalid runtime options');
}
