/**
 * Drives many open-line dialogs against a real server over loopback HTTP, the way Bitrix24's
 * queue server would: real v2 wire bodies, one outstanding delivery per dialog (so arrival order
 * is the send order), and an unanswered delivery is delivered again, byte for byte, until the
 * server answers 200. Records which message ids were acknowledged, per dialog, in order.
 */
import { createEventBuilders, type EventBuilders } from '../../../src/testing/event-builders';
import { ACK_BOT_CODE } from './ack-bot';

/** One message that was sent but not answered 200 (it may or may not have been recorded). */
interface Unanswered {
  messageId: number;
  body: string;
}

/** Options of {@link createDialogLoad}. */
export interface DialogLoadOptions {
  dialogs: number;
  memberId: string;
  /** `auth[application_token]` of every event. */
  applicationToken: string;
  botId: number;
  /** Chat ids are `firstChatId + index`. */
  firstChatId?: number;
  /** First message id; each new message takes the next one. */
  firstMessageId?: number;
  /** Per-request timeout (ms); default 10_000. */
  requestTimeoutMs?: number;
}

/** What one {@link DialogLoad.run} did. */
export interface LoadRunStats {
  /** Deliveries answered 200 in this run. */
  acked: number;
  /** Deliveries that failed (network error or non-200). */
  failed: number;
  /** Non-200 statuses seen, by status. */
  statuses: Record<number, number>;
}

/** The load generator and its record of acknowledgements. */
export interface DialogLoad {
  readonly chatIds: readonly number[];
  /** Acknowledged message ids per chat id, in send (= arrival) order. */
  acked(chatId: number): readonly number[];
  /** The message of a chat that was sent but not acknowledged, if any. */
  unanswered(chatId: number): number | undefined;
  /** Every acknowledged message id. */
  totalAcked(): number;
  /**
   * Every dialog sends its unanswered message (if any), then new ones, until `shouldStop()` is
   * true or the server stops answering (a failed delivery ends that dialog's run). Bounded by
   * `maxPerDialog` deliveries per dialog.
   */
  run(options: {
    /** Where to deliver; a function picks a target per delivery (a round-robin balancer). */
    url: string | (() => string);
    shouldStop: () => boolean;
    /** Called after each acknowledgement, with the URL that acknowledged it. */
    onAck?: (url: string) => void;
    maxPerDialog: number;
  }): Promise<LoadRunStats>;
  /** Delivers every unanswered message again until each is answered 200 (bounded by `attempts`). */
  settle(options: { url: string | (() => string); attempts: number }): Promise<LoadRunStats>;
}

/** POSTs a form body; a status, or `undefined` when the connection failed or timed out. */
export async function postForm(options: {
  url: string;
  body: string;
  timeoutMs: number;
}): Promise<number | undefined> {
  try {
    const res = await fetch(options.url, {
      method: 'POST',
      body: options.body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return undefined;
  }
}

/**
 * Creates the load generator.
 *
 * @example
 * const load = createDialogLoad({ dialogs: 200, memberId: portal.memberId, applicationToken, botId: 7 });
 * await load.run({ url: `${childUrl}/events`, shouldStop: () => killed, maxPerDialog: 1000 });
 */
export function createDialogLoad(options: DialogLoadOptions): DialogLoad {
  const firstChatId = options.firstChatId ?? 5000;
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const builders: EventBuilders = createEventBuilders({
    memberId: options.memberId,
    applicationToken: options.applicationToken,
    botId: options.botId,
    botCode: ACK_BOT_CODE,
  });
  const chatIds = Array.from({ length: options.dialogs }, (_, i) => firstChatId + i);
  const acked = new Map<number, number[]>(chatIds.map((c) => [c, []]));
  const unanswered = new Map<number, Unanswered>();
  let nextMessageId = options.firstMessageId ?? 1_000_000;
  let total = 0;

  const nextMessage = (chatId: number): Unanswered => {
    const messageId = nextMessageId++;
    const { body } = builders.v2.message({ chatId, messageId, text: `m${messageId}` });
    return { messageId, body };
  };

  const deliver = async (
    target: string | (() => string),
    chatId: number,
    message: Unanswered,
    stats: LoadRunStats,
  ): Promise<string | false> => {
    unanswered.set(chatId, message);
    const url = typeof target === 'function' ? target() : target;
    const status = await postForm({ url, body: message.body, timeoutMs });
    if (status === 200) {
      unanswered.delete(chatId);
      (acked.get(chatId) as number[]).push(message.messageId);
      total += 1;
      stats.acked += 1;
      return url;
    }
    stats.failed += 1;
    if (status !== undefined) stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
    return false;
  };

  return {
    chatIds,
    acked: (chatId) => acked.get(chatId) ?? [],
    unanswered: (chatId) => unanswered.get(chatId)?.messageId,
    totalAcked: () => total,

    async run({ url, shouldStop, onAck, maxPerDialog }) {
      const stats: LoadRunStats = { acked: 0, failed: 0, statuses: {} };
      await Promise.all(
        chatIds.map(async (chatId) => {
          for (let i = 0; i < maxPerDialog && !shouldStop(); i++) {
            const message = unanswered.get(chatId) ?? nextMessage(chatId);
            const ackedBy = await deliver(url, chatId, message, stats);
            if (ackedBy === false) return;
            onAck?.(ackedBy);
          }
        }),
      );
      return stats;
    },

    async settle({ url, attempts }) {
      const stats: LoadRunStats = { acked: 0, failed: 0, statuses: {} };
      await Promise.all(
        chatIds.map(async (chatId) => {
          for (let i = 0; i < attempts; i++) {
            const message = unanswered.get(chatId);
            if (!message || (await deliver(url, chatId, message, stats)) !== false) return;
          }
        }),
      );
      return stats;
    },
  };
}
