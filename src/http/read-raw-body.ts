/**
 * Reads a request body ourselves instead of through body-parser: the event decoder needs the raw
 * bytes (qs-style parsers lose small numeric keys, see the Bitrix24 README trap 1), and the size
 * limit must hold before anything is buffered.
 */
import type { IncomingMessage } from 'node:http';

/** Default body limit: 1 MiB. Real Bitrix24 events are a few KB. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

export type ReadRawBodyResult =
  | { status: 'ok'; body: Buffer }
  | { status: 'too-large'; limitBytes: number }
  | { status: 'aborted' };

/** Options of {@link readRawBody}. */
export interface ReadRawBodyOptions {
  req: IncomingMessage;
  limitBytes?: number;
}

/**
 * Buffers the body up to `limitBytes`. Over the limit it stops buffering at once and reports
 * `too-large` (the caller answers 413); the rest of the upload is discarded, not stored.
 *
 * @example
 * const read = await readRawBody({ req, limitBytes: 1 << 20 });
 * if (read.status === 'too-large') return res.status(413).end();
 */
export function readRawBody(options: ReadRawBodyOptions): Promise<ReadRawBodyResult> {
  const { req } = options;
  const limitBytes = options.limitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    return Promise.resolve({ status: 'too-large', limitBytes });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: ReadRawBodyResult): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        chunks.length = 0;
        // Keep draining (without buffering) so the client can read our 413 instead of a reset.
        req.on('data', () => undefined);
        finish({ status: 'too-large', limitBytes });
        return;
      }
      chunks.push(chunk);
    };
    // A body of one chunk (most events) is used as it came, not copied.
    const onEnd = (): void =>
      finish({
        status: 'ok',
        body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size),
      });
    const onError = (): void => finish({ status: 'aborted' });
    const onAborted = (): void => finish({ status: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
