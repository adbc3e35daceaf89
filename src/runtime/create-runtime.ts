/**
 * `createRuntime`: hosts bots. Accepted events are written to the store inbox (durable before the
 * caller acknowledges them), each dialog's items are processed in order by the mailbox, every turn
 * commits atomically, durable timers fire through the inbox, and the outbox dispatcher sends the
 * committed effects.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { systemClock, type Clock } from '../clock';
import { ConfigError } from '../errors';
import { isDialogEvent } from '../events/inbound-event';
import { silentLogger } from '../logger';
import { METRIC, noopMetrics } from '../metrics';
import { dialogKeyOf, type NewInboxItem, type OutboxEffect } from '../store/store';
import { createBotRegistry } from './bot-registry';
import { createDispatcher as defaultCreateDispatcher, type EffectFailure } from './dispatcher';
import { createDialogDrainer } from './drain-dialog';
import type { EffectFailedPayload, EventPayload, ExternalPayload } from './inbox-payload';
import { checkDeliveries, type DeliverResult } from './external-event';
import { resolveHistory } from './history';
import { createAdmission } from './admission';
import { createInlineTurns } from './inline-turn';
import { createOperator } from './operator';
import { createMailbox } from './mailbox';
import type { TurnEnv } from './process-next';
import { RuntimeStoppedError } from './runtime-stopped-error';
import { checkRuntimeOptions, type Runtime, type RuntimeOptions } from './runtime-options';
import { createTimerScheduler } from './timer-scheduler';

export type { Runtime, RuntimeDispatcherOptions, RuntimeOptions } from './runtime-options';

const RECOVER_PAGE = 10_000;
/** Default dialog lease (ms); renewed every third of it while a dialog runs. */
export const DEFAULT_DIALOG_LEASE_MS = 6_000;
/** Default period of the scan for dialogs nobody runs (ms). */
export const DEFAULT_ORPHAN_SCAN_MS = 500;
/** Dialogs looked at per store call of the orphan scan, and calls per scan (the cursor goes on next time). */
const ORPHAN_PAGE = 256;
const ORPHAN_PAGES_PER_SCAN = 4;

/**
 * Creates the runtime that hosts `bots`.
 *
 * @example
 * const runtime = createRuntime({ bots: [supportBot], store: sqliteStore({ path: './state.db' }), clients: (memberId) => clientFor(memberId) });
 * await runtime.start();
 * await runtime.accept([event]); // acknowledge the webhook only after this resolves
 */
export function createRuntime(options: RuntimeOptions): Runtime {
  checkRuntimeOptions({ options });
  const { store } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger();
  const metrics = options.metrics ?? noopMetrics;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const turnTimeoutMs = options.turnTimeoutMs ?? 10_000;
  // Short, renewed while held (drain-dialog.ts): a dead process's dialogs move within seconds.
  const leaseMs = options.leaseMs ?? DEFAULT_DIALOG_LEASE_MS;
  // One process per SQLite file: every pending dialog is scheduled at start, nobody else has work.
  const orphanScanMs =
    options.orphanScanMs ?? (store.kind === 'sqlite' ? 0 : DEFAULT_ORPHAN_SCAN_MS);
  const bots = createBotRegistry({ bots: options.bots, store });
  const history = resolveHistory(options.history);
  let started = false;
  // Processed dedupe keys expire after their TTL; forget them hourly so the store does not grow forever.
  let purgeHandle: ReturnType<Clock['setTimeout']> | undefined;
  const schedulePurge = (): void => {
    purgeHandle = clock.setTimeout(() => {
      if (stopping) return;
      options.store.purgeExpired(clock.now()).then(
        (n) => {
          if (n > 0) logger.debug({ purged: n }, 'expired dedupe keys forgotten');
          schedulePurge();
        },
        (err: unknown) => {
          logger.warn({ err }, 'purging expired dedupe keys failed');
          schedulePurge();
        },
      );
    }, 3_600_000);
  };
  let stopping = false;

  const onEffectFailed = async (effect: OutboxEffect, failure: EffectFailure): Promise<void> => {
    const payload: EffectFailedPayload = {
      kind: 'effect.failed',
      effect: effect.effect,
      method: failure.method,
      code: failure.code,
    };
    if (failure.description !== undefined) payload.description = failure.description;
    await store.appendInbox(
      [{ dialogKey: effect.dialogKey, dedupeKey: `effect.failed:${effect.seq}`, payload }],
      { now: clock.now() },
    );
    mailbox.schedule(effect.dialogKey);
  };

  const dispatcher = (options.createDispatcher ?? defaultCreateDispatcher)({
    ...options.dispatcher,
    store,
    clients: options.clients,
    clock,
    logger,
    metrics,
    owner,
    onEffectFailed,
    ...(history ? { history } : {}),
  });

  const timers = createTimerScheduler({
    store,
    clock,
    logger,
    onDue: (keys) => keys.forEach((k) => mailbox.schedule(k)),
  });

  const env: TurnEnv = {
    store,
    bots,
    clock,
    logger,
    metrics,
    turnTimeoutMs,
    joinWindowMs: options.joinWindowMs ?? 1000,
    ...(options.turnClock ? { turnClock: options.turnClock } : {}),
    clients: options.clients,
    ...(options.fallback !== undefined ? { fallback: options.fallback } : {}),
    ...(history ? { history } : {}),
    claimFor: () => dispatcher.claimFor(),
    onCommitted({ effects, timers: set, claimed }) {
      if (claimed && claimed.length > 0) dispatcher.adopt(claimed);
      if (effects > (claimed?.length ?? 0)) dispatcher.wake();
      let next: number | undefined;
      for (const t of set)
        if (!t.fired && (next === undefined || t.deadline < next)) next = t.deadline;
      if (next !== undefined) timers.notify(next);
      metrics.set(METRIC.dialogsInMemory, mailbox.size());
    },
  };

  const retryLater = (dialogKey: string, ms: number): void => {
    clock.setTimeout(() => {
      if (!stopping) mailbox.schedule(dialogKey);
    }, ms);
  };
  const drainDialog = createDialogDrainer({
    env,
    owner,
    leaseMs,
    isStopping: () => stopping,
    retryLater,
  });

  // Machine failures never get here (they are TurnErrors, committed with the fallback); what does is
  // the store failing. Items are never dropped for it: the dialog is retried with a capped backoff.
  const failures = new Map<string, number>();
  const mailbox = createMailbox({
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    async run(dialogKey) {
      const more = await drainDialog(dialogKey);
      failures.delete(dialogKey);
      return more;
    },
    onError: (dialogKey, error) => onRunError(dialogKey, error),
    onEnded: () => admission.wake(),
  });
  let lastAdmissionWarning = Number.NEGATIVE_INFINITY;
  const admission = createAdmission({
    option: options.admission,
    // Before start the mailbox only queues: nothing would free room, so nothing is held back.
    backlog: () => (started ? mailbox.pending() : 0),
    onWaited: (waitedMs, outcome) => {
      metrics.observe(METRIC.admissionWait, waitedMs / 1000, { outcome });
      // A backlog that does not drain within the longest wait: said once a minute at most.
      const now = Date.now();
      if (outcome === 'timeout' && now - lastAdmissionWarning >= 60_000) {
        lastAdmissionWarning = now;
        logger.warn(
          { waitedMs: Math.round(waitedMs), backlog: mailbox.pending() },
          'events are recorded after waiting for the backlog to shrink: turns run slower than events arrive',
        );
      }
    },
  });
  function onRunError(dialogKey: string, error: unknown): void {
    const n = (failures.get(dialogKey) ?? 0) + 1;
    failures.set(dialogKey, n);
    const delay = Math.min(1_000 * 2 ** (n - 1), 60_000);
    logger.error(
      {
        err: error,
        error: error instanceof Error ? error.message : typeof error,
        dialog: dialogKey,
        attempt: n,
        retryInMs: delay,
      },
      'processing the dialog failed; retrying later',
    );
    if (!stopping) retryLater(dialogKey, delay);
  }
  const inline = createInlineTurns({
    env,
    mailbox,
    option: options.inlineTurns,
    onError: onRunError,
  });

  // The scan for orphaned work: dialogs with waiting items that nobody runs (their process died,
  // stopped, or lost track of them in a store outage). A dialog is taken when two scans in a row
  // found it free, so dialogs merely queued in a live process are rarely taken from it (and when
  // they are, the dialog lease and the revision compare-and-set keep the turn single).
  let scanCursor = 0;
  let scanHandle: ReturnType<Clock['setTimeout']> | undefined;
  let seenFree = new Set<string>();
  let seenFreeNext = new Set<string>();
  const scanOrphans = async (): Promise<void> => {
    for (let page = 0; page < ORPHAN_PAGES_PER_SCAN; page++) {
      const { dialogs, next } = await store.orphanedDialogs({
        now: clock.now(),
        owner,
        after: scanCursor,
        limit: ORPHAN_PAGE,
      });
      for (const k of dialogs) {
        if (mailbox.has(k)) continue;
        if (seenFree.has(k)) mailbox.schedule(k);
        else seenFreeNext.add(k);
      }
      scanCursor = next;
      if (next === 0) {
        // A full pass ended: what was seen free in it is what the next pass confirms.
        seenFree = seenFreeNext;
        seenFreeNext = new Set();
        return;
      }
    }
  };
  const scheduleScan = (): void => {
    if (orphanScanMs <= 0 || stopping) return;
    scanHandle = clock.setTimeout(() => {
      scanHandle = undefined;
      if (stopping) return;
      scanOrphans()
        .catch((err: unknown) => logger.warn({ err }, 'scanning for orphaned dialogs failed'))
        .finally(scheduleScan);
    }, orphanScanMs);
  };

  const recover = async (): Promise<void> => {
    const keys = await store.pendingDialogs(RECOVER_PAGE);
    for (const k of keys) mailbox.schedule(k);
    if (keys.length > 0)
      logger.info({ dialogs: keys.length }, 'recovered dialogs with pending inbox items');
    // More than a page: look again once this page is done.
    if (keys.length >= RECOVER_PAGE) {
      void mailbox
        .idle()
        .then(() =>
          stopping
            ? undefined
            : recover().catch((e: unknown) => logger.error({ err: e }, 'recovery failed')),
        );
    }
  };

  const operator = createOperator({
    store,
    clock,
    logger,
    owner,
    leaseMs,
    history,
    wakeDispatcher: () => dispatcher.wake(),
    schedule: (dialogKey) => mailbox.schedule(dialogKey),
  });

  /** Records accepted events: inline when the dialog is idle here, else in the inbox. */
  const record: Runtime['accept'] = async (events, acceptOptions = {}) => {
    const items: NewInboxItem[] = events.map((event) => {
      const payload: EventPayload = { kind: 'event', event };
      return {
        dialogKey: dialogKeyOf(event.portal.memberId, event.bot.id, event.chatId),
        dedupeKey: event.dedupeKey,
        payload,
      };
    });
    const single = items.length === 1 && !acceptOptions.offset ? items[0] : undefined;
    const acked = single && inline.accept(single);
    if (acked) {
      const result = await acked;
      metrics.inc(METRIC.eventsTotal, {
        type: events[0]?.kind ?? 'unknown',
        outcome: result.status,
      });
      return [result];
    }
    const results = await inline.appendAfter(
      items.map((item) => item.dialogKey),
      () =>
        store.appendInbox(items, {
          now: clock.now(),
          ...(acceptOptions.offset ? { offset: acceptOptions.offset } : {}),
        }),
    );
    results.forEach((r, i) => {
      const item = items[i] as NewInboxItem;
      metrics.inc(METRIC.eventsTotal, { type: events[i]?.kind ?? 'unknown', outcome: r.status });
      if (r.status === 'accepted') mailbox.schedule(item.dialogKey);
    });
    return results;
  };

  return {
    dispatcher,
    operator,

    async accept(events, acceptOptions = {}) {
      if (stopping) throw new RuntimeStoppedError();
      // Checked before the gate: a bad call fails at once, whatever the backlog.
      for (let i = 0; i < events.length; i++) {
        const event = events[i];
        if (typeof event !== 'object' || event === null || !isDialogEvent(event))
          throw new ConfigError([`events[${i}] is not a dialog event`], 'Invalid accept() call');
      }
      const entered = admission.enter();
      const leave = typeof entered === 'function' ? entered : await entered;
      try {
        if (stopping) throw new RuntimeStoppedError();
        return await record(events, acceptOptions);
      } finally {
        leave();
      }
    },

    async start() {
      if (started) return;
      if (stopping) throw new RuntimeStoppedError();
      started = true;
      mailbox.start();
      await dispatcher.start();
      await recover();
      await timers.start();
      schedulePurge();
      scheduleScan();
      logger.info(
        { bots: options.bots.map((b) => `${b.code}@${b.version}`), owner },
        'runtime started',
      );
    },

    async stop(stopOptions = {}) {
      if (stopping) return;
      stopping = true;
      // Events held at the gate go on now, and are refused as the runtime stops.
      admission.open();
      timers.stop();
      if (purgeHandle !== undefined) clock.clearTimeout(purgeHandle);
      if (scanHandle !== undefined) clock.clearTimeout(scanHandle);
      const deadlineMs = stopOptions.deadlineMs ?? 10_000;
      const startedAt = clock.now();
      let handle: ReturnType<Clock['setTimeout']> | undefined;
      const timedOut = new Promise<'timeout'>(
        (resolve) => (handle = clock.setTimeout(() => resolve('timeout'), deadlineMs)),
      );
      const turns = await Promise.race([mailbox.stop().then(() => 'done' as const), timedOut]);
      if (turns === 'timeout')
        logger.warn(
          { deadlineMs },
          'turns still running at the stop deadline; their items stay in the inbox',
        );
      if (handle !== undefined) clock.clearTimeout(handle);
      await dispatcher.stop({ deadlineMs: Math.max(0, deadlineMs - (clock.now() - startedAt)) });
      logger.info('runtime stopped');
    },

    async deliver(deliveries) {
      if (stopping) throw new RuntimeStoppedError();
      const checked = checkDeliveries(deliveries);
      const results: DeliverResult[] = [];
      for (const d of checked) {
        // A known dialog, or events still waiting in its inbox (a join not processed yet): the
        // external event queues behind them, and its turn drops it if no conversation runs then.
        const known = (await store.loadDialog(d.dialogKey)) !== undefined;
        if (!known && (await store.nextInbox(d.dialogKey)) === undefined) {
          results.push({ status: 'no-dialog' });
          metrics.inc(METRIC.eventsTotal, { type: 'external', outcome: 'no-dialog' });
          continue;
        }
        const payload: ExternalPayload = { kind: 'external', event: d.event };
        const [r] = await inline.appendAfter([d.dialogKey], () =>
          store.appendInbox(
            [
              {
                dialogKey: d.dialogKey,
                ...(d.key !== undefined ? { dedupeKey: `external:${d.key}` } : {}),
                payload,
              },
            ],
            { now: clock.now() },
          ),
        );
        const result = r ?? { status: 'duplicate' as const };
        metrics.inc(METRIC.eventsTotal, { type: 'external', outcome: result.status });
        logger.debug(
          { dialog: d.dialogKey, type: d.event.type, outcome: result.status },
          'external event delivered',
        );
        if (result.status === 'accepted') mailbox.schedule(d.dialogKey);
        results.push(result);
      }
      return results;
    },

    runDueTimers: () => timers.runDue(),

    async idle() {
      for (let i = 0; i < 10_000; i++) {
        await timers.idle();
        await mailbox.idle();
        await dispatcher.drain();
        if (mailbox.isIdle()) return;
      }
    },
  };
}
