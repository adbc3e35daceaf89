/**
 * What the dispatcher holds locally: the claimed effects per portal, which of them are in flight,
 * and which dialogs wait for an earlier effect's retry (their later effects must not go first).
 */
import type { DialogKey, OutboxEffect } from '../store/store';
import { createPortalQueue, enqueueEffects, pickRequest, type PortalQueue } from './portal-queue';
import type { SettledAs } from './settle-effect-outcome';

/** The dispatcher's local bookkeeping of claims. */
export interface ClaimBook {
  readonly queues: ReadonlyMap<string, PortalQueue>;
  /** True when an earlier effect of the dialog waits in the store for a retry (safe to pass around unbound). */
  readonly isHeld: (effect: OutboxEffect) => boolean;
  /** Effects waiting locally that are not held (the claim budget counts these). */
  sendableCount(): number;
  /** True when some portal has an effect that could go in a request now. */
  hasSendable(): boolean;
  /** Adds claimed effects, skipping those already held (a claim renewed after an expired lease); returns how many were new. */
  admit(claimed: OutboxEffect[]): number;
  /** Updates the book just before an outcome is written to the store. */
  settling(effect: OutboxEffect, as: SettledAs): void;
  /**
   * Forgets the effect once its outcome is written (or the write failed). Only now: while the
   * write is pending, a claim in the same store batch can still return the row (its lease may have
   * expired), and admitting it again would send it twice.
   */
  settled(effect: OutboxEffect): void;
  /**
   * Forgets held effects whose dialog's retried effect never came back to us (another process
   * claimed it): their leases expire and whoever sends the earlier effect gets them after it.
   */
  dropStaleHolds(now: number): void;
  /** Earliest time at which {@link dropStaleHolds} has work, if any. */
  nextHoldExpiry(): number | undefined;
  /** Earliest retry time of an effect this book saw go back to the store for a retry, if any. */
  nextRetryAt(): number | undefined;
  /** Empties the local queues (not the in-flight requests) and returns what was in them. */
  takeUnsent(): OutboxEffect[];
  /** Seqs claimed by us and not settled yet (waiting locally or in flight): what the heartbeat extends. */
  heldSeqs(): number[];
  /**
   * Forgets claims another process took over (our lease ran out): those still waiting locally are
   * dropped, so they are never sent by us. Returns how many were dropped.
   */
  dropLost(seqs: readonly number[]): number;
}

/**
 * Creates an empty claim book. A held dialog is given up `holdMs` after its retry time.
 *
 * @example
 * const book = createClaimBook({ holdMs: 120_000 });
 * book.admit(await store.claimEffects({ now, limit: 500, leaseMs: 120_000, owner }));
 */
export function createClaimBook(options: { holdMs: number }): ClaimBook {
  const queues = new Map<string, PortalQueue>();
  /** Seqs claimed by us and not settled yet (waiting locally or in flight). */
  const held = new Set<number>();
  const retrying = new Map<DialogKey, { seq: number; at: number; until: number }>();

  const isHeld = (effect: OutboxEffect): boolean => {
    const r = retrying.get(effect.dialogKey);
    return r !== undefined && effect.seq > r.seq;
  };

  return {
    queues,
    isHeld,
    sendableCount: () =>
      [...queues.values()].reduce((n, q) => n + q.waiting.filter((e) => !isHeld(e)).length, 0),
    hasSendable: () =>
      [...queues.values()].some(
        (q) => pickRequest({ queue: q, max: 1, isHeld, peek: true }).length > 0,
      ),
    admit(claimed) {
      let fresh = 0;
      for (const effect of claimed) {
        if (held.has(effect.seq)) continue;
        fresh += 1;
        held.add(effect.seq);
        // The retried effect is back: it sorts before its dialog's later effects, which may go after it.
        const r = retrying.get(effect.dialogKey);
        if (r !== undefined && effect.seq <= r.seq) retrying.delete(effect.dialogKey);
        let q = queues.get(effect.portalId);
        if (!q) queues.set(effect.portalId, (q = createPortalQueue({ portalId: effect.portalId })));
        enqueueEffects({ queue: q, effects: [effect] });
      }
      return fresh;
    },
    settled(effect) {
      held.delete(effect.seq);
    },
    settling(effect, as) {
      if (as.status !== 'retry') return;
      const prior = retrying.get(effect.dialogKey);
      if (prior === undefined || effect.seq < prior.seq) {
        retrying.set(effect.dialogKey, {
          seq: effect.seq,
          at: as.availableAt,
          until: as.availableAt + options.holdMs,
        });
      }
    },
    dropStaleHolds(now) {
      for (const [dialogKey, r] of retrying) {
        if (r.until > now) continue;
        retrying.delete(dialogKey);
        for (const q of queues.values()) {
          const kept = q.waiting.filter((e) => {
            const stale = e.dialogKey === dialogKey && e.seq > r.seq;
            if (stale) held.delete(e.seq);
            return !stale;
          });
          q.waiting.splice(0, q.waiting.length, ...kept);
        }
      }
    },
    nextHoldExpiry() {
      let min: number | undefined;
      for (const r of retrying.values()) if (min === undefined || r.until < min) min = r.until;
      return min;
    },
    nextRetryAt() {
      let min: number | undefined;
      for (const r of retrying.values()) if (min === undefined || r.at < min) min = r.at;
      return min;
    },
    heldSeqs: () => [...held],
    dropLost(seqs) {
      const lost = new Set(seqs);
      let dropped = 0;
      for (const q of queues.values()) {
        const kept = q.waiting.filter((e) => {
          if (!lost.has(e.seq)) return true;
          held.delete(e.seq);
          dropped += 1;
          return false;
        });
        q.waiting.splice(0, q.waiting.length, ...kept);
      }
      // In-flight ones stay held until their request ends (their settling is refused by the store).
      return dropped;
    },
    takeUnsent() {
      const out: OutboxEffect[] = [];
      for (const q of queues.values()) out.push(...q.waiting.splice(0));
      out.forEach((e) => held.delete(e.seq));
      retrying.clear();
      return out;
    },
  };
}
