/**
 * One run of one dialog: takes the dialog's lease (so no other process runs it meanwhile), then
 * processes its inbox items strictly in order, a bounded number per run so that a chatty dialog
 * does not starve the others. A conflicting commit (the dialog changed under us) is retried.
 *
 * The lease is short and renewed while the run holds it (a heartbeat every third of it, also
 * during one long turn), so a dead process's dialogs move within seconds while a slow but live
 * one keeps them. Should a turn still outlive the lease (the process stalled), its commit cannot
 * land over a newer owner's: `commitTurn` is a compare-and-set on the dialog's revision.
 */
import type { DialogKey } from '../store/store';
import { processNext, type TurnEnv } from './process-next';

const ITEMS_PER_RUN = 16;
const MAX_CONFLICTS = 5;

export interface DialogDrainerOptions {
  env: TurnEnv;
  /** Lease owner id of this process. */
  owner: string;
  leaseMs: number;
  isStopping: () => boolean;
  /** Schedules the dialog again after `ms` (lease held elsewhere, repeated conflicts). */
  retryLater: (dialogKey: DialogKey, ms: number) => void;
}

/**
 * Creates the function the mailbox runs per dialog; it resolves `true` when items are left.
 *
 * @example
 * const drain = createDialogDrainer({ env, owner, leaseMs: 30_000, isStopping: () => false, retryLater });
 * const more = await drain('member:571:1777');
 */
export function createDialogDrainer(
  options: DialogDrainerOptions,
): (dialogKey: DialogKey) => Promise<boolean> {
  const { env, owner, leaseMs, retryLater } = options;
  const { store, clock, logger } = env;
  return async (dialogKey) => {
    let leasedAt = clock.now();
    if (!(await store.acquireDialog(dialogKey, owner, leaseMs, leasedAt))) {
      retryLater(dialogKey, Math.min(leaseMs, 1_000));
      return false;
    }
    // The heartbeat: renews the lease while this run holds it, whatever the run is waiting for.
    let beating = true;
    let beat: ReturnType<typeof clock.setTimeout> | undefined;
    const renewEvery = Math.max(1, Math.floor(leaseMs / 3));
    const heartbeat = (): void => {
      beat = clock.setTimeout(() => {
        if (!beating) return;
        const at = clock.now();
        store.acquireDialog(dialogKey, owner, leaseMs, at).then(
          (held) => {
            if (held) leasedAt = at;
            else logger.warn({ dialog: dialogKey }, 'dialog lease lost to another process');
            if (beating) heartbeat();
          },
          (err: unknown) => {
            logger.warn({ err, dialog: dialogKey }, 'renewing the dialog lease failed');
            if (beating) heartbeat();
          },
        );
      }, renewEvery);
    };
    heartbeat();
    try {
      let conflicts = 0;
      for (let i = 0; i < ITEMS_PER_RUN; i++) {
        if (options.isStopping()) return false;
        if (clock.now() - leasedAt > leaseMs / 3) {
          leasedAt = clock.now();
          if (!(await store.acquireDialog(dialogKey, owner, leaseMs, leasedAt))) {
            retryLater(dialogKey, Math.min(leaseMs, 1_000));
            return false;
          }
        }
        const result = await processNext({ env, dialogKey });
        // `drained`: nothing waited behind the item; what arrives since schedules the dialog again.
        if (result === 'empty' || result === 'drained') return false;
        if (typeof result === 'object') {
          // The oldest item waits for its session's join; a join arriving schedules the dialog anyway.
          retryLater(dialogKey, Math.max(1, result.waitUntil - clock.now()));
          return false;
        }
        if (result === 'conflict') {
          i -= 1;
          if (++conflicts > MAX_CONFLICTS) {
            logger.warn(
              { dialog: dialogKey },
              'dialog keeps changing under this process; retrying later',
            );
            retryLater(dialogKey, 1_000);
            return false;
          }
        } else conflicts = 0;
      }
      return true;
    } finally {
      beating = false;
      if (beat !== undefined) clock.clearTimeout(beat);
      await store.releaseDialog(dialogKey, owner);
    }
  };
}
