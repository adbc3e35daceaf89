/**
 * The SQLite store's picture of its outbox, kept in memory. The file lock makes the store the only
 * user of its database, so every change to the outbox goes through it and this index can follow
 * them: which effects are unsettled (pending or in flight, in `seq` order), when each becomes
 * claimable, and who holds a claim. Choosing what to claim and when the outbox next has work are
 * then a walk over a few entries instead of a query with correlated subqueries (tens to hundreds
 * of µs each, run on every dispatcher wake-up); the database still records every claim, settle
 * and lease exactly as before, so what a crash leaves on disk is unchanged.
 *
 * Dead letters are not in the index (they hold nothing back and are never claimed).
 */
import type { OutboxRowSql } from './sqlite-statements';

/** One unsettled effect. */
export interface OutboxIndexEntry {
  seq: number;
  dialogKey: string;
  state: 'pending' | 'inflight';
  /** Pending: not claimable before this (retry backoff). */
  availableAt: number;
  /** In flight: the claim's owner and lease end. */
  owner?: string;
  leaseUntil?: number;
  /**
   * The row as the database holds it, when this process wrote it (an effect it committed): a
   * claim then needs no read. Absent for rows found on open or changed by a retry or requeue.
   */
  row?: OutboxRowSql;
  /** Settled (lazily removed from `live`). */
  gone?: boolean;
}

/** Compaction threshold of the lazily deleted entries. */
const COMPACT_AFTER = 256;

export class OutboxIndex {
  /** Unsettled entries in `seq` order (settled ones are marked `gone` and compacted later). */
  private live: OutboxIndexEntry[] = [];
  private readonly bySeq = new Map<number, OutboxIndexEntry>();
  /** Unsettled effects per dialog. */
  private readonly byDialog = new Map<string, number>();
  private goneCount = 0;

  /** Unsettled effects known to the index. */
  get size(): number {
    return this.bySeq.size;
  }

  /** Whether the dialog has an unsettled effect (pending or in flight). */
  hasDialog(dialogKey: string): boolean {
    return this.byDialog.has(dialogKey);
  }

  /** The entry of `seq`, if it is unsettled. */
  get(seq: number): OutboxIndexEntry | undefined {
    return this.bySeq.get(seq);
  }

  /** Adds a pending effect (a new one, one found on open, or a requeued dead letter). */
  add(entry: Omit<OutboxIndexEntry, 'state'> & { state?: OutboxIndexEntry['state'] }): void {
    const e: OutboxIndexEntry = { ...entry, state: entry.state ?? 'pending' };
    const old = this.bySeq.get(e.seq);
    if (old) this.markGone(old);
    this.bySeq.set(e.seq, e);
    this.byDialog.set(e.dialogKey, (this.byDialog.get(e.dialogKey) ?? 0) + 1);
    const last = this.live[this.live.length - 1];
    if (!last || last.seq < e.seq) {
      this.live.push(e);
      return;
    }
    // An older seq (a requeued dead letter): keep `live` sorted.
    let lo = 0;
    let hi = this.live.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.live[mid] as OutboxIndexEntry).seq < e.seq) lo = mid + 1;
      else hi = mid;
    }
    this.live.splice(lo, 0, e);
  }

  /** Forgets a settled (sent, failed or dead-lettered) effect. */
  remove(seq: number): void {
    const e = this.bySeq.get(seq);
    if (e) this.markGone(e);
  }

  private markGone(e: OutboxIndexEntry): void {
    if (e.gone) return;
    e.gone = true;
    this.bySeq.delete(e.seq);
    const left = (this.byDialog.get(e.dialogKey) ?? 1) - 1;
    if (left > 0) this.byDialog.set(e.dialogKey, left);
    else this.byDialog.delete(e.dialogKey);
    this.goneCount += 1;
    if (this.goneCount >= COMPACT_AFTER && this.goneCount * 2 >= this.live.length) {
      this.live = this.live.filter((x) => !x.gone);
      this.goneCount = 0;
    }
  }

  /**
   * What a claim at `now` may take, in `seq` order, at most `limit`: effects available now (pending
   * and due, or in flight under an expired lease) with no earlier effect of their dialog held back
   * (pending and not yet due, or in flight under a live lease). Walks `seq` order and stops at the
   * limit, like the query it replaces. Does not change anything.
   */
  claimable(now: number, limit: number): OutboxIndexEntry[] {
    const out: OutboxIndexEntry[] = [];
    if (limit <= 0) return out;
    let blocked: Set<string> | undefined;
    for (const e of this.live) {
      if (e.gone) continue;
      if (blocked?.has(e.dialogKey)) continue;
      const heldBack =
        e.state === 'pending' ? e.availableAt > now : (e.leaseUntil ?? -Infinity) > now;
      if (heldBack) {
        (blocked ??= new Set()).add(e.dialogKey);
        continue;
      }
      out.push(e);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Marks entries claimed by `owner` until `leaseUntil`. */
  lease(entries: readonly OutboxIndexEntry[], owner: string, leaseUntil: number): void {
    for (const e of entries) {
      e.state = 'inflight';
      e.owner = owner;
      e.leaseUntil = leaseUntil;
    }
  }

  /** Puts entries back as pending (a claim that could not be recorded, or a released one). */
  unlease(entries: readonly OutboxIndexEntry[]): void {
    for (const e of entries) {
      e.state = 'pending';
      delete e.owner;
      delete e.leaseUntil;
    }
  }

  /**
   * When the outbox may next have something to claim: the earliest, over dialogs, of the first
   * unsettled effect's availability (pending) or lease end (in flight); `undefined` when empty.
   */
  nextAvailableAt(): number | undefined {
    let at = Infinity;
    const seen = new Set<string>();
    for (const e of this.live) {
      if (e.gone || seen.has(e.dialogKey)) continue;
      seen.add(e.dialogKey);
      const t = e.state === 'pending' ? e.availableAt : (e.leaseUntil ?? -Infinity);
      if (t < at) at = t;
    }
    return at === Infinity ? undefined : at;
  }
}
