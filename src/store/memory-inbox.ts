/** The memory store's inbox and dedupe keys (see memory-store.ts). */
import { decodeJson } from './json-column';
import type { DialogKey, InboxItem } from './store';

interface InboxRow {
  seq: number;
  dialogKey: DialogKey;
  dedupeKey?: string;
  payload: string;
  receivedAt: number;
}

export type MemoryInbox = ReturnType<typeof createMemoryInbox>;

function itemOf(row: InboxRow): InboxItem {
  return {
    seq: row.seq,
    dialogKey: row.dialogKey,
    ...(row.dedupeKey === undefined ? {} : { dedupeKey: row.dedupeKey }),
    payload: decodeJson(row.payload),
    receivedAt: row.receivedAt,
  };
}

export function createMemoryInbox() {
  // Rows are inserted in seq order and Maps iterate in insertion order: iteration is seq order.
  const rows = new Map<number, InboxRow>();
  const byDialog = new Map<DialogKey, number[]>();
  const dedupe = new Map<string, number>();
  let lastSeq = 0;

  const isPendingKey = (key: string): boolean => {
    for (const row of rows.values()) if (row.dedupeKey === key) return true;
    return false;
  };

  return {
    get size(): number {
      return rows.size;
    },

    /** When the oldest waiting item was received (rows iterate in seq order). */
    oldestReceivedAt(): number | undefined {
      for (const row of rows.values()) return row.receivedAt;
      return undefined;
    },

    /** Pending, or processed and not expired. An expired key whose item still waits is not processed yet. */
    isDuplicate(key: string, now: number): boolean {
      const expiresAt = dedupe.get(key);
      return expiresAt !== undefined && (expiresAt > now || isPendingKey(key));
    },

    remember(key: string, expiresAt: number): void {
      dedupe.set(key, expiresAt);
    },

    push(
      dialogKey: DialogKey,
      dedupeKey: string | undefined,
      payload: string,
      now: number,
    ): number {
      const seq = ++lastSeq;
      rows.set(seq, {
        seq,
        dialogKey,
        ...(dedupeKey === undefined ? {} : { dedupeKey }),
        payload,
        receivedAt: now,
      });
      const list = byDialog.get(dialogKey);
      if (list) list.push(seq);
      else byDialog.set(dialogKey, [seq]);
      return seq;
    },

    /** Removes an item; with `dialogKey`, only if it belongs to that dialog. */
    remove(seq: number, dialogKey?: DialogKey): void {
      const row = rows.get(seq);
      if (!row || (dialogKey !== undefined && row.dialogKey !== dialogKey)) return;
      rows.delete(seq);
      const list = byDialog.get(row.dialogKey) ?? [];
      const at = list.indexOf(seq);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0) byDialog.delete(row.dialogKey);
    },

    /** The seq of the dialog's oldest pending item. */
    headSeq(dialogKey: DialogKey): number | undefined {
      return byDialog.get(dialogKey)?.[0];
    },

    next(dialogKey: DialogKey): InboxItem | undefined {
      const seq = byDialog.get(dialogKey)?.[0];
      const row = seq === undefined ? undefined : rows.get(seq);
      return row ? itemOf(row) : undefined;
    },

    peek(dialogKey: DialogKey, limit: number): InboxItem[] {
      const seqs = byDialog.get(dialogKey)?.slice(0, Math.max(0, limit)) ?? [];
      return seqs.flatMap((seq) => {
        const row = rows.get(seq);
        return row ? [itemOf(row)] : [];
      });
    },

    /** Dialogs with pending items whose oldest seq is above `after`, by that seq, up to `limit`. */
    pendingHeads(after: number, limit: number): Array<{ dialogKey: DialogKey; head: number }> {
      const heads: Array<{ dialogKey: DialogKey; head: number }> = [];
      for (const [dialogKey, seqs] of byDialog) {
        const head = seqs[0];
        if (head !== undefined && head > after) heads.push({ dialogKey, head });
      }
      return heads.sort((a, b) => a.head - b.head).slice(0, Math.max(0, limit));
    },

    pendingDialogs(limit: number): DialogKey[] {
      const keys = new Set<DialogKey>();
      for (const row of rows.values()) {
        if (keys.size >= limit) break;
        keys.add(row.dialogKey);
      }
      return [...keys];
    },

    purge(now: number): number {
      const pending = new Set<string>();
      for (const row of rows.values()) if (row.dedupeKey !== undefined) pending.add(row.dedupeKey);
      let purged = 0;
      for (const [key, expiresAt] of dedupe) {
        if (expiresAt <= now && !pending.has(key)) {
          dedupe.delete(key);
          purged += 1;
        }
      }
      return purged;
    },
  };
}
