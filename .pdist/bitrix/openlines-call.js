"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.UnexpectedResultError = exports.OpenlinesParamsError = void 0;
exports.checkOpenlinesParams = checkOpenlinesParams;
exports.parseOpenlinesResult = parseOpenlinesResult;
exports.openlinesCall = openlinesCall;
exports.parseOpenlinesBatch = parseOpenlinesBatch;
const errors_1 = require("../errors");
const openlines_methods_1 = require("./openlines-methods");
function describe(issues) {
    return issues.map((i) => `${i.path.length ? i.path.join('.') : 'params'}: ${i.message}`);
}
/**
 * Parameters of an `imopenlines.*` call are wrong; thrown before any request is made.
 *
 * @example
 * try { await api.imopenlines.dialog.get({}) }
 * catch (e) { if (e instanceof OpenlinesParamsError) console.log(e.method, e.problems) }
 */
class OpenlinesParamsError extends errors_1.ConfigError {
    /** The method that was not called. */
    method;
    constructor(method, problems) {
        super(problems, `Invalid parameters of ${method}`);
        this.method = method;
    }
    toJSON() {
        return { ...super.toJSON(), method: this.method };
    }
}
exports.OpenlinesParamsError = OpenlinesParamsError;
/**
 * Bitrix24 answered an `imopenlines.*` call with a result of an unexpected shape (the call itself
 * succeeded; `raw` keeps what came back).
 *
 * @example
 * catch (e) { if (e instanceof UnexpectedResultError) logger.warn({ method: e.method, problems: e.problems }) }
 */
class UnexpectedResultError extends errors_1.OpenlinesError {
    method;
    problems;
    /** The result as received. */
    raw;
    constructor(method, problems, raw) {
        super('UNEXPECTED_RESULT', `Unexpected result of ${method}: ${problems.join('; ')}`);
        this.method = method;
        this.problems = problems;
        Object.defineProperty(this, 'raw', { value: raw, enumerable: false });
    }
    toJSON() {
        return { ...super.toJSON(), method: this.method, problems: this.problems };
    }
}
exports.UnexpectedResultError = UnexpectedResultError;
/**
 * Checks and normalises the parameters of `method` (ids to numbers, flags to `Y`/`N`); throws
 * {@link OpenlinesParamsError}.
 *
 * @example
 * checkOpenlinesParams('imopenlines.session.mode.pin', { CHAT_ID: '1777', ACTIVATE: true });
 * // { CHAT_ID: 1777, ACTIVATE: 'Y' }
 */
function checkOpenlinesParams(method, params) {
    if (!(0, openlines_methods_1.isOpenlinesMethod)(method))
        throw new OpenlinesParamsError(String(method), ['not an imopenlines.* method']);
    const parsed = openlines_methods_1.OPENLINES_METHODS[method].params.safeParse(params ?? {});
    if (!parsed.success)
        throw new OpenlinesParamsError(method, [
            ...describe(parsed.error.issues),
            `see ${(0, openlines_methods_1.openlinesDocUrl)(method)}`,
        ]);
    return parsed.data;
}
/**
 * Parses the raw `result` of `method` into its typed value; throws {@link UnexpectedResultError}.
 *
 * @example
 * parseOpenlinesResult('imopenlines.crm.chat.getLastId', '9852'); // 9852
 */
function parseOpenlinesResult(method, raw) {
    const parsed = openlines_methods_1.OPENLINES_METHODS[method].result.safeParse(raw);
    if (!parsed.success)
        throw new UnexpectedResultError(method, describe(parsed.error.issues), raw);
    return parsed.data;
}
/**
 * Builds a checked `batch` entry; throws {@link OpenlinesParamsError} at once.
 *
 * @example
 * const results = await api.imopenlines.batch([
 *   openlinesCall('imopenlines.dialog.get', { CHAT_ID: 1777 }),
 *   openlinesCall('imopenlines.session.history.get', { CHAT_ID: 1777 }),
 * ]);
 */
function openlinesCall(method, params) {
    return { method, params: checkOpenlinesParams(method, params) };
}
/** Parses the raw outcomes of a batch; an unparsable result becomes `UNEXPECTED_RESULT`. */
function parseOpenlinesBatch(calls, raw) {
    return raw.map((r, i) => {
        const call = calls[i];
        if (r.status !== 'ok' || !call)
            return r;
        try {
            return { status: 'ok', result: parseOpenlinesResult(call.method, r.result) };
        }
        catch (e) {
            return {
                status: 'error',
                error: 'UNEXPECTED_RESULT',
                description: e.message,
            };
        }
    });
}
