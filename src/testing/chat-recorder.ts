/**
 * What a test chat remembers: every effect with its outcome, the transcript entries in the order
 * things happened, and the runtime's warnings and errors.
 */
import type { EffectMeta } from '../runtime/effect-call';
import type { EffectOutcome, OutboxEffect } from '../store/store';
import { settleChatEffect, toChatEffect, type ChatEffect } from './chat-effect';
import type { TranscriptEntry } from './chat-transcript';
import type { RuntimeLogLine } from './start-bot-runtime';
import type { InvokedRestCall } from './watch-rest-client';

/** The record of one chat. */
export interface ChatRecorder {
  readonly effects: ChatEffect[];
  readonly entries: TranscriptEntry[];
  readonly logs: RuntimeLogLine[];
  /** The outbox settled an effect (after each attempt). */
  settled(effect: OutboxEffect, outcome: EffectOutcome): void;
  /** The runtime logged a warning or an error; errors also go into the transcript. */
  logged(line: RuntimeLogLine): void;
  /** REST calls the machine invoked itself, in order. */
  readonly invokedCalls: InvokedRestCall[];
  invoked(call: InvokedRestCall): void;
}

/**
 * Creates an empty record.
 *
 * @example
 * const recorder = createChatRecorder();
 * const store = spyStore(memoryStore(), { settled: (e, o) => recorder.settled(e, o) });
 */
export function createChatRecorder(): ChatRecorder {
  const effects: ChatEffect[] = [];
  const entries: TranscriptEntry[] = [];
  const logs: RuntimeLogLine[] = [];
  const invokedCalls: InvokedRestCall[] = [];
  // By outbox seq: a retried effect updates its first record instead of adding another.
  const bySeq = new Map<number, ChatEffect>();
  return {
    effects,
    entries,
    logs,
    invokedCalls,
    invoked(call) {
      invokedCalls.push(call);
      entries.push({ kind: 'invoked', call });
    },
    settled(effect, outcome) {
      const status =
        outcome.status === 'sent' ? 'sent' : outcome.status === 'retry' ? 'retrying' : 'failed';
      const error = outcome.status === 'sent' ? {} : { error: outcome.error };
      const known = bySeq.get(effect.seq);
      if (known) return settleChatEffect(known, { status, ...error });
      const record = toChatEffect({
        effect: effect.effect,
        meta: effect.meta as EffectMeta,
        status,
        ...error,
      });
      bySeq.set(effect.seq, record);
      effects.push(record);
      entries.push({ kind: 'effect', effect: record });
    },
    logged(line) {
      logs.push(line);
      if (line.level !== 'warn') {
        entries.push({
          kind: 'note',
          text: `runtime ${line.level}: ${line.msg}${line.error ? ` (${line.error})` : ''}`,
        });
      }
    },
  };
}
