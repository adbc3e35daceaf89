"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.decodeRequestParams = decodeRequestParams;
/**
 * Reads REST parameters from a request the way Bitrix24 does: the query string plus a JSON or
 * form-urlencoded body (PHP bracket keys), the body winning on conflicts.
 */
const fault_1 = require("./fault");
const php_query_1 = require("./php-query");
/**
 * Decodes query and body into one parameter object (PHP lists become arrays).
 *
 * @example
 * decodeRequestParams({ query: 'auth=abc', body: '{"CHAT_ID":1777}', contentType: 'application/json' });
 * // { auth: 'abc', CHAT_ID: 1777 }
 */
function decodeRequestParams(request) {
    const fromQuery = (0, php_query_1.decodePhpQuery)(request.query);
    const type = (request.contentType ?? '').toLowerCase();
    const body = request.body;
    let fromBody = {};
    if (body.trim() !== '') {
        if (type.includes('multipart/')) {
            throw new fault_1.Fault('INVALID_REQUEST', 'multipart bodies are not supported by the fake portal', 400);
        }
        const looksJson = type.includes('json') || (!type.includes('urlencoded') && /^\s*[{[]/.test(body));
        if (looksJson) {
            let parsed;
            try {
                parsed = JSON.parse(body);
            }
            catch {
                throw new fault_1.Fault('INVALID_REQUEST', 'Request body is not valid JSON', 400);
            }
            if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
                throw new fault_1.Fault('INVALID_REQUEST', 'Request body must be a JSON object', 400);
            }
            fromBody = parsed;
        }
        else {
            try {
                fromBody = (0, php_query_1.decodePhpQuery)(body);
            }
            catch {
                throw new fault_1.Fault('INVALID_REQUEST', 'Request body cannot be decoded', 400);
            }
        }
    }
    return (0, php_query_1.phpLists)({ ...fromQuery, ...fromBody });
}
