"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FileTooLargeError = void 0;
exports.downloadFile = downloadFile;
exports.downloadBotFile = downloadBotFile;
/**
 * Downloads a file a client sent (its `urlDownload`, or the single-use link of
 * `imbot.v2.File.download`) with a size limit and a timeout, so that one large or slow file
 * cannot exhaust the bot's memory or hold a turn.
 */
const errors_1 = require("../errors");
const rest_errors_1 = require("./rest-errors");
/**
 * The file is larger than the limit; nothing beyond the limit was read.
 *
 * @example
 * catch (e) { if (e instanceof FileTooLargeError) say(`Files up to ${e.limit} bytes, please.`) }
 */
class FileTooLargeError extends errors_1.OpenlinesError {
    /** The limit in bytes. */
    limit;
    /** The size announced by the server (`Content-Length`), when it announced one. */
    size;
    constructor(limit, size) {
        super('FILE_TOO_LARGE', size === undefined
            ? `the file is larger than the limit of ${limit} bytes`
            : `the file has ${size} bytes, more than the limit of ${limit}`);
        this.limit = limit;
        this.size = size;
    }
    toJSON() {
        return { ...super.toJSON(), limit: this.limit, size: this.size };
    }
}
exports.FileTooLargeError = FileTooLargeError;
function nameOf(disposition) {
    if (!disposition)
        return undefined;
    const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition);
    if (star?.[1]) {
        try {
            return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
        }
        catch {
            return undefined;
        }
    }
    return /filename="?([^";]+)"?/i.exec(disposition)?.[1];
}
/**
 * Downloads a file within `maxBytes` and `timeoutMs`. Rejects with {@link FileTooLargeError} when
 * the announced or the actual size exceeds the limit (the transfer is cut at once), with an
 * `HttpError` (`TIMEOUT`, or `HTTP_ERROR` with the status) otherwise.
 *
 * @example
 * const file = await downloadFile({ url: event.files[0].urlDownload, maxBytes: 5 * 1024 * 1024 });
 */
async function downloadFile(options) {
    const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    const timeoutMs = options.timeoutMs ?? 30_000;
    const method = 'file download';
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const failed = (e) => {
        if (e instanceof errors_1.OpenlinesError)
            throw e;
        if (timeout.aborted)
            throw new rest_errors_1.HttpError({
                code: 'TIMEOUT',
                method,
                reason: `no complete answer in ${timeoutMs} ms`,
            });
        const reason = options.signal?.aborted
            ? 'aborted'
            : (e.cause?.code ?? 'network error');
        throw new rest_errors_1.HttpError({ method, reason });
    };
    let response;
    try {
        response = await fetch(options.url, { signal, redirect: 'follow' });
    }
    catch (e) {
        return failed(e);
    }
    if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw new rest_errors_1.HttpError({
            method,
            reason: 'the server refused the download',
            status: response.status,
        });
    }
    const announced = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(announced) && announced > maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        throw new FileTooLargeError(maxBytes, announced);
    }
    const chunks = [];
    let size = 0;
    try {
        const reader = response.body?.getReader();
        for (;;) {
            if (!reader)
                break;
            const { done, value } = await reader.read();
            if (done)
                break;
            size += value.byteLength;
            if (size > maxBytes) {
                await reader.cancel().catch(() => undefined);
                throw new FileTooLargeError(maxBytes);
            }
            chunks.push(Buffer.from(value));
        }
    }
    catch (e) {
        return failed(e);
    }
    const contentType = response.headers.get('content-type') ?? undefined;
    const name = nameOf(response.headers.get('content-disposition'));
    return {
        data: Buffer.concat(chunks, size),
        size,
        ...(contentType ? { contentType } : {}),
        ...(name ? { name } : {}),
    };
}
/**
 * Downloads a file a client sent to a v2 bot: asks `imbot.v2.File.download` for a fresh
 * single-use link, then {@link downloadFile} with the same limits.
 *
 * @example
 * const file = await downloadBotFile({ client, botId: 571, fileId: Number(event.files[0].id), maxBytes: 5_000_000 });
 */
async function downloadBotFile(options) {
    const { client, botId, fileId, ...limits } = options;
    const answer = await client.call('imbot.v2.File.download', {
        botId,
        fileId,
    });
    if (typeof answer?.downloadUrl !== 'string' || !/^https?:\/\//.test(answer.downloadUrl))
        throw new rest_errors_1.HttpError({
            method: 'imbot.v2.File.download',
            reason: 'the answer has no downloadUrl',
            retryable: false,
        });
    return downloadFile({ ...limits, url: answer.downloadUrl });
}
