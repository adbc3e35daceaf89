/**
 * The contract of the REST client (implemented in `create-rest-client.ts`). The runtime and the
 * outbox dispatcher depend only on this interface.
 */

/** Parameters of one REST call: JSON-serialisable. */
export type RestParams = Record<string, unknown>;

/** One call inside a `batch`. */
export interface BatchCall {
  method: string;
  params?: RestParams;
  /** The API generation of the bot the call acts for (see {@link CallOptions.botApiVersion}). */
  botApiVersion?: 1 | 2;
}

/** Per-call outcome of a `batch`, in the order of the calls. */
export type BatchItemResult<T = unknown> =
  { status: 'ok'; result: T } | { status: 'error'; error: string; description?: string };

export interface CallOptions {
  /** Abort the call (and its retries). */
  signal?: AbortSignal;
  /** Override the per-call timeout (ms). */
  timeoutMs?: number;
  /** Do not retry transient failures for this call. */
  noRetry?: boolean;
  /**
   * The API generation of the bot the call acts for. In webhook mode with both a `CLIENT_ID` and
   * a bot token configured it picks the `CLIENT_ID` of `imopenlines.bot.session.transfer|finish`.
   */
  botApiVersion?: 1 | 2;
}

/** A REST client bound to one portal (one auth). */
export interface RestClient {
  /** The portal's `memberId` (or domain in webhook mode when the member id is unknown). */
  readonly portalId: string;
  /** Calls a method; resolves with `result`, rejects with `ApiError` / `HttpError`. */
  call<T = unknown>(method: string, params?: RestParams, options?: CallOptions): Promise<T>;
  /**
   * Calls up to any number of methods through `batch` (split into requests of at most 50),
   * in order, with per-call results. Rejects only when a whole request failed for good.
   */
  batch(calls: BatchCall[], options?: CallOptions & { halt?: boolean }): Promise<BatchItemResult[]>;
}
