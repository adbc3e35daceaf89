"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_BODY_LIMIT_BYTES = void 0;
exports.readRawBody = readRawBody;
/** Default body limit: 1 MiB. Real Bitrix24 events are a few KB. */
exports.DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/**
 * Buffers the body up to `limitBytes`. Over the limit it stops buffering at once and reports
 * `too-large` (the caller answers 413); the rest of the upload is discarded, not stored.
 *
 * @example
 * const read = await readRawBody({ req, limitBytes: 1 << 20 });
 * if (read.status === 'too-large') return res.status(413).end();
 */
function readRawBody(options) {
    const { req } = options;
    const limitBytes = options.limitBytes ?? exports.DEFAULT_BODY_LIMIT_BYTES;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limitBytes) {
        req.resume();
        return Promise.resolve({ status: 'too-large', limitBytes });
    }
    return new Promise((resolve) => {
        const chunks = [];
        let size = 0;
        let done = false;
        const finish = (result) => {
            if (done)
                return;
            done = true;
            req.off('data', onData);
            req.off('end', onEnd);
            req.off('error', onError);
            req.off('aborted', onAborted);
            resolve(result);
        };
        const onData = (chunk) => {
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
        const onEnd = () => finish({ status: 'ok', body: Buffer.concat(chunks, size) });
        const onError = () => finish({ status: 'aborted' });
        const onAborted = () => finish({ status: 'aborted' });
        req.on('data', onData);
        req.on('end', onEnd);
        req.on('error', onError);
        req.on('aborted', onAborted);
    });
}
