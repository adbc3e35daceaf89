/** The memory store's durable timers (see memory-store.ts). */
import { decodeJson, encodeJson, encodeOptionalJson } from './json-column';
import type { DialogKey, TimerRecord } from './store';

interface TimerRow {
  timerKey: string;
  deadline: number;
  event: string;
  meta?: string;
  fired: boolean;
}

/** A timer that `due` just marked fired, with its JSON parts. */
export interface DueTimer extends TimerRow {
  dialogKey: DialogKey;
}

const byDeadline = (a: TimerRow, b: TimerRow): number =>
  a.deadline - b.deadline || (a.timerKey < b.timerKey ? -1 : a.timerKey > b.timerKey ? 1 : 0);

export type MemoryTimers = ReturnType<typeof createMemoryTimers>;

export function createMemoryTimers() {
  const sets = new Map<DialogKey, Map<string, TimerRow>>();
  // Unfired timers, kept up to date so that `pendingCount` costs O(1).
  let pending = 0;
  const unfired = (set: Iterable<TimerRow> | undefined): number => {
    let n = 0;
    for (const t of set ?? []) if (!t.fired) n += 1;
    return n;
  };

  const all = function* (): Generator<[DialogKey, TimerRow]> {
    for (const [dialogKey, set] of sets) for (const t of set.values()) yield [dialogKey, t];
  };

  return {
    /** Encodes a timer set (throws a StoreError for non-JSON values, before anything changes). */
    encode(timers: TimerRecord[]): TimerRow[] {
      return timers.map((t) => ({
        timerKey: t.timerKey,
        deadline: t.deadline,
        event: encodeJson(t.event, 'Timer event'),
        meta: encodeOptionalJson(t.meta, 'Timer meta'),
        fired: t.fired === true,
      }));
    },

    replace(dialogKey: DialogKey, rows: TimerRow[]): void {
      pending += unfired(rows) - unfired(sets.get(dialogKey)?.values());
      if (rows.length === 0) sets.delete(dialogKey);
      else sets.set(dialogKey, new Map(rows.map((t) => [t.timerKey, t])));
    },

    list(dialogKey: DialogKey): TimerRecord[] {
      return [...(sets.get(dialogKey)?.values() ?? [])].sort(byDeadline).map((t) => ({
        timerKey: t.timerKey,
        deadline: t.deadline,
        event: decodeJson(t.event),
        ...(t.meta === undefined ? {} : { meta: decodeJson(t.meta) }),
        fired: t.fired,
      }));
    },

    /** Marks up to `limit` due timers fired, earliest first, and returns them. */
    fireDue(now: number, limit: number): DueTimer[] {
      const due = [...all()].filter(([, t]) => !t.fired && t.deadline <= now);
      due.sort((a, b) => byDeadline(a[1], b[1]));
      return due.slice(0, Math.max(0, limit)).map(([dialogKey, t]) => {
        t.fired = true;
        pending -= 1;
        return { ...t, dialogKey };
      });
    },

    nextDeadline(): number | undefined {
      let min: number | undefined;
      for (const [, t] of all())
        if (!t.fired && (min === undefined || t.deadline < min)) min = t.deadline;
      return min;
    },

    pendingCount(): number {
      return pending;
    },
  };
}
