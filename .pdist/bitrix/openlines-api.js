"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.callOpenlines = callOpenlines;
exports.createOpenlinesApi = createOpenlinesApi;
/**
 * The typed `imopenlines.*` client: all 38 Open Lines methods, nested as Bitrix24 names them
 * (`api.imopenlines.session.history.get({ CHAT_ID })`). Parameters are checked before any request
 * ({@link OpenlinesParamsError}); results come back typed ({@link UnexpectedResultError} when the
 * shape is not the documented one). Every call goes through `RestClient.call`, so it shares the
 * client's auth, rate budget, retries and errors; `batch` takes checked calls from
 * {@link openlinesCall}.
 */
const openlines_call_1 = require("./openlines-call");
const openlines_methods_1 = require("./openlines-methods");
/**
 * Calls one `imopenlines.*` method: checks the parameters, calls, parses the result.
 *
 * @example
 * const history = await callOpenlines(client, 'imopenlines.session.history.get', { CHAT_ID: 1777 });
 */
async function callOpenlines(client, method, params, options) {
    const checked = (0, openlines_call_1.checkOpenlinesParams)(method, params);
    const raw = await client.call(method, checked, options);
    return (0, openlines_call_1.parseOpenlinesResult)(method, raw);
}
/**
 * Builds the typed `imopenlines.*` API over a {@link RestClient}.
 *
 * @example
 * const ol = createOpenlinesApi(client);
 * const chats = await ol.crm.chat.get({ CRM_ENTITY_TYPE: 'deal', CRM_ENTITY: 288 });
 */
function createOpenlinesApi(client) {
    const root = {};
    for (const method of Object.keys(openlines_methods_1.OPENLINES_METHODS)) {
        const parts = method.split('.').slice(1);
        let node = root;
        for (const part of parts.slice(0, -1)) {
            node[part] ??= {};
            node = node[part];
        }
        node[parts[parts.length - 1]] = (params, options) => callOpenlines(client, method, params, options);
    }
    root.batch = async (calls, options) => (0, openlines_call_1.parseOpenlinesBatch)(calls, await client.batch([...calls], options));
    return root;
}
