/**
 * What the transports need from the runtime: a durable `accept`. Kept as a narrow structural type
 * so that transports do not depend on the runtime's module (ARCHITECTURE.md layers).
 */
import type { DialogEvent } from '../events/inbound-event';
import type { AppendResult } from '../store/store';

/** The part of `Runtime` the webhook handler and the fetch poller use. */
export interface EventSink {
  /**
   * Durably records the events (and, for a fetch page, the offset in the same transaction);
   * resolves only once they are durable.
   */
  accept(
    events: DialogEvent[],
    options?: { offset?: { key: string; value: number } },
  ): Promise<AppendResult[]>;
}
