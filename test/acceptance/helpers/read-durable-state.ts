/**
 * Reads what a serving process left in its SQLite file, through a read-only connection of its
 * own (safe while the server runs: WAL readers never block the writer): the message ids each
 * dialog applied (the ack bot's context), the events still waiting in the inbox, and the outbox.
 */
import Database from 'better-sqlite3';

/** One outbox row. */
export interface OutboxRow {
  seq: number;
  dialogKey: string;
  status: 'pending' | 'inflight' | 'dead';
  /** The `say` text (`ack:<id>`), when the effect is one. */
  text: string | undefined;
  leaseOwner: string | null;
  leaseUntil: number | null;
  attempts: number;
}

/** What the file holds. */
export interface DurableState {
  /** Message ids each dialog applied, in order (its snapshot's `context.ids`), by dialog key. */
  applied: Map<string, number[]>;
  /** Message ids of `message` events still in the inbox, in processing order, by dialog key. */
  pending: Map<string, number[]>;
  /** Every inbox item (events, timers, failed effects). */
  inboxDepth: number;
  outbox: OutboxRow[];
}

interface DialogRow {
  dialog_key: string;
  snapshot: string | null;
}
interface InboxRow {
  dialog_key: string;
  payload: string;
}
interface OutboxSqlRow {
  seq: number;
  dialog_key: string;
  status: OutboxRow['status'];
  effect: string;
  lease_owner: string | null;
  lease_until: number | null;
  attempts: number;
}

const push = <T>(map: Map<string, T[]>, key: string, value: T): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/**
 * Reads the durable state of the database at `path`.
 *
 * @example
 * const state = readDurableState({ path: dbPath });
 * expect(state.outbox.filter((r) => r.status !== 'dead')).toEqual([]);
 */
export function readDurableState(options: { path: string }): DurableState {
  const db = new Database(options.path, { readonly: true, fileMustExist: true });
  try {
    // One read transaction: dialogs, inbox and outbox from the same moment.
    return db.transaction((): DurableState => {
      const applied = new Map<string, number[]>();
      for (const row of db
        .prepare<[], DialogRow>('SELECT dialog_key, snapshot FROM dialogs')
        .all()) {
        const snapshot =
          row.snapshot === null
            ? undefined
            : (JSON.parse(row.snapshot) as { context?: { ids?: number[] } });
        if (snapshot?.context?.ids) applied.set(row.dialog_key, snapshot.context.ids);
      }
      const pending = new Map<string, number[]>();
      const inbox = db
        .prepare<[], InboxRow>('SELECT dialog_key, payload FROM inbox ORDER BY seq')
        .all();
      for (const row of inbox) {
        const payload = JSON.parse(row.payload) as {
          kind?: string;
          event?: { kind?: string; messageId?: number };
        };
        if (
          payload.kind === 'event' &&
          payload.event?.kind === 'message' &&
          typeof payload.event.messageId === 'number'
        ) {
          push(pending, row.dialog_key, payload.event.messageId);
        }
      }
      const outbox = db
        .prepare<[], OutboxSqlRow>(
          'SELECT seq, dialog_key, status, effect, lease_owner, lease_until, attempts FROM outbox ORDER BY seq',
        )
        .all()
        .map((r): OutboxRow => {
          const effect = JSON.parse(r.effect) as { type?: string; text?: unknown };
          return {
            seq: r.seq,
            dialogKey: r.dialog_key,
            status: r.status,
            text:
              effect.type === 'say' && typeof effect.text === 'string' ? effect.text : undefined,
            leaseOwner: r.lease_owner,
            leaseUntil: r.lease_until,
            attempts: r.attempts,
          };
        });
      return { applied, pending, inboxDepth: inbox.length, outbox };
    })();
  } finally {
    db.close();
  }
}
