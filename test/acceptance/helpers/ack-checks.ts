/**
 * The checks of the durability tests, as lists of readable problems (an empty list passes), so a
 * failure names the dialog and the message ids instead of dumping two huge arrays.
 */
import type { CallRecord } from '../../../src/testing/fake-portal';
import { dialogKeyOf } from '../../../src/store/store';
import type { DialogLoad } from './dialog-load';
import type { DurableState } from './read-durable-state';

const MAX_PROBLEMS = 20;

const same = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Invariant 1 and the state half of invariant 3: for every dialog, the ids it applied followed by
 * the ids waiting in its inbox are exactly the acknowledged ids, in order, each once; the only
 * extra allowed is the dialog's one unanswered delivery (recorded just before the answer was lost).
 * With `settled`, the inbox must be empty too.
 *
 * @example
 * expect(lostOrDuplicated({ load, state, memberId, botId, settled: false })).toEqual([]);
 */
export function lostOrDuplicated(options: {
  load: DialogLoad;
  state: DurableState;
  memberId: string;
  botId: number;
  settled: boolean;
}): string[] {
  const { load, state } = options;
  const problems: string[] = [];
  for (const chatId of load.chatIds) {
    if (problems.length >= MAX_PROBLEMS) break;
    const key = dialogKeyOf(options.memberId, options.botId, chatId);
    const applied = state.applied.get(key) ?? [];
    const waiting = state.pending.get(key) ?? [];
    if (options.settled && waiting.length > 0)
      problems.push(`chat ${chatId}: ${waiting.length} items still in the inbox`);
    const durable = [...applied, ...waiting];
    const acked = load.acked(chatId);
    const extra = load.unanswered(chatId);
    const ok = same(durable, acked) || (extra !== undefined && same(durable, [...acked, extra]));
    if (!ok) {
      const missing = acked.filter((id) => !durable.includes(id));
      const dup = durable.filter((id, i) => durable.indexOf(id) !== i);
      problems.push(
        `chat ${chatId}: durable [${durable.slice(-6).join(',')}] (${durable.length}) vs acknowledged [${acked.slice(-6).join(',')}] (${acked.length}); missing ${missing.slice(0, 5).join(',') || '-'}; twice ${dup.slice(0, 5).join(',') || '-'}`,
      );
    }
  }
  return problems;
}

/** How the ack replies reached the portal. */
export interface ReplyLog {
  /** Times each message id's reply was received. */
  sends: Map<number, number>;
  /** Replies per chat id, first arrivals only, in arrival order. */
  firstArrivals: Map<number, number[]>;
  /** Replies received more than once, summed over ids (each extra arrival counts). */
  duplicates: number;
}

/**
 * Reads the `ack:<id>` replies out of the portal's call log (`imopenlines.bot.session.message.send`,
 * alone or inside `batch`).
 *
 * @example
 * const replies = replyLog({ calls: portal.calls });
 */
export function replyLog(options: { calls: readonly CallRecord[] }): ReplyLog {
  const sends = new Map<number, number>();
  const firstArrivals = new Map<number, number[]>();
  let duplicates = 0;
  for (const call of options.calls) {
    if (
      call.method.toLowerCase() !== 'imopenlines.bot.session.message.send' ||
      call.error !== undefined
    )
      continue;
    const match = /^ack:(\d+)$/.exec(String(call.params.MESSAGE));
    if (!match) continue;
    const id = Number(match[1]);
    const n = (sends.get(id) ?? 0) + 1;
    sends.set(id, n);
    if (n > 1) {
      duplicates += 1;
      continue;
    }
    const chatId = Number(call.params.CHAT_ID);
    const list = firstArrivals.get(chatId);
    if (list) list.push(id);
    else firstArrivals.set(chatId, [id]);
  }
  return { sends, firstArrivals, duplicates };
}

/**
 * Invariants 3 and 4 on the wire: every applied message's reply arrived at least once; replies of
 * one dialog first arrived in the order the dialog applied them; no reply for anything not
 * applied; and a reply arrived twice or more only if it was claimed-but-unsettled at a kill, at
 * most once more per such claim (`unsettledClaims`: message id → distinct claims seen at kills).
 *
 * @example
 * expect(replyProblems({ load, replies, unsettledClaims })).toEqual([]);
 */
export function replyProblems(options: {
  load: DialogLoad;
  replies: ReplyLog;
  unsettledClaims: ReadonlyMap<number, number>;
}): string[] {
  const { load, replies } = options;
  const problems: string[] = [];
  const applied = new Set<number>();
  for (const chatId of load.chatIds) {
    const acked = load.acked(chatId);
    acked.forEach((id) => applied.add(id));
    const arrived = replies.firstArrivals.get(chatId) ?? [];
    if (!same(arrived, acked) && problems.length < MAX_PROBLEMS) {
      const missing = acked.filter((id) => !replies.sends.has(id));
      problems.push(
        `chat ${chatId}: replies arrived as [${arrived.slice(0, 8).join(',')}] (${arrived.length}), applied [${acked.slice(0, 8).join(',')}] (${acked.length}); never sent: ${missing.slice(0, 5).join(',') || '-'}`,
      );
    }
  }
  for (const [id, n] of replies.sends) {
    if (problems.length >= MAX_PROBLEMS) break;
    if (!applied.has(id))
      problems.push(`ack:${id} was sent but its message was never acknowledged`);
    const allowed = 1 + (options.unsettledClaims.get(id) ?? 0);
    if (n > allowed)
      problems.push(`ack:${id} arrived ${n} times; in flight at ${allowed - 1} kill(s)`);
  }
  return problems;
}
