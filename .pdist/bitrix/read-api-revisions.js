"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readApiRevisions = readApiRevisions;
const openlines_call_1 = require("./openlines-call");
/**
 * Reads both revisions in one request and logs them (info), or the refusals (warn). Never rejects
 * for a refusal; rejects only when the request itself failed.
 *
 * @example
 * const revisions = await readApiRevisions({ client, logger });
 * if ((revisions.imbotV2?.rest ?? 0) < 33) logger.warn('this portal predates Chatbots 2.0');
 */
async function readApiRevisions(options) {
    const ol = (0, openlines_call_1.openlinesCall)('imopenlines.revision.get', {});
    const raw = await options.client.batch([{ method: 'imbot.v2.Revision.get', params: {} }, ol]);
    const [v2, parsed] = [raw[0], (0, openlines_call_1.parseOpenlinesBatch)([ol], [raw[1]])[0]];
    const out = { errors: {} };
    if (v2?.status === 'ok' && v2.result && typeof v2.result === 'object')
        out.imbotV2 = v2.result;
    else if (v2?.status === 'error')
        out.errors['imbot.v2.Revision.get'] = v2.error;
    if (parsed?.status === 'ok')
        out.openlines = parsed.result;
    else if (parsed?.status === 'error')
        out.errors['imopenlines.revision.get'] = parsed.error;
    if (Object.keys(out.errors).length > 0)
        options.logger?.warn({ revisions: out }, 'could not read every API revision of the portal');
    else
        options.logger?.info({ imbotV2: out.imbotV2, openlines: out.openlines }, `portal API revisions: imbot.v2 rest ${out.imbotV2?.rest ?? '?'}, imopenlines rest ${out.openlines?.rest ?? '?'}`);
    return out;
}
