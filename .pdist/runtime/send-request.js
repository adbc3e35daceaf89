"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sendRequest = sendRequest;
const classify_failure_1 = require("./classify-failure");
/** Methods never packed into a `batch` (large bodies). */
const SOLO_METHODS = new Set(['imbot.v2.file.upload']);
/**
 * Sends `calls` as one HTTP request and reports one outcome per call; never rejects.
 *
 * @example
 * const [outcome] = await sendRequest({ client, calls: [{ method: 'imopenlines.bot.session.operator', params: { CHAT_ID: 1777 } }] });
 */
async function sendRequest(options) {
    const { client, calls } = options;
    const one = async (call) => {
        try {
            const options = call.botApiVersion ? { botApiVersion: call.botApiVersion } : {};
            return { status: 'ok', result: await client.call(call.method, call.params, options) };
        }
        catch (error) {
            return { status: 'error', failure: (0, classify_failure_1.classifyFailure)({ error }) };
        }
    };
    if (calls.length === 1)
        return [await one(calls[0])];
    // A file's base64 content does not belong in a batch query string: such requests go call by call, in order.
    if (calls.some((c) => SOLO_METHODS.has(c.method.toLowerCase()))) {
        const out = [];
        for (const call of calls)
            out.push(await one(call));
        return out;
    }
    let results;
    try {
        results = await client.batch(calls.map((c) => ({
            method: c.method,
            params: c.params,
            ...(c.botApiVersion ? { botApiVersion: c.botApiVersion } : {}),
        })));
    }
    catch (error) {
        const failure = (0, classify_failure_1.classifyFailure)({ error });
        return calls.map(() => ({ status: 'error', failure }));
    }
    return calls.map((_, i) => {
        const r = results[i];
        if (r === undefined) {
            return {
                status: 'error',
                failure: {
                    transient: true,
                    code: 'BATCH_RESULT_MISSING',
                    description: 'batch answered fewer results than calls',
                },
            };
        }
        if (r.status === 'ok')
            return { status: 'ok', result: r.result };
        const input = { error: r.error };
        if (r.description !== undefined)
            input.description = r.description;
        return { status: 'error', failure: (0, classify_failure_1.classifyBatchError)(input) };
    });
}
