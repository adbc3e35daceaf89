/**
 * Reads REST parameters from a request the way Bitrix24 does: the query string plus a JSON or
 * form-urlencoded body (PHP bracket keys), the body winning on conflicts.
 */
import { Fault, type Params } from './fault';
import { decodePhpQuery, phpLists } from './php-query';

/**
 * Decodes query and body into one parameter object (PHP lists become arrays).
 *
 * @example
 * decodeRequestParams({ query: 'auth=abc', body: '{"CHAT_ID":1777}', contentType: 'application/json' });
 * // { auth: 'abc', CHAT_ID: 1777 }
 */
export function decodeRequestParams(request: { query: string; body: string; contentType?: string }): Params {
  const fromQuery = decodePhpQuery(request.query);
  const type = (request.contentType ?? '').toLowerCase();
  const body = request.body;
  let fromBody: Params = {};
  if (body.trim() !== '') {
    if (type.includes('multipart/')) {
      throw new Fault('INVALID_REQUEST', 'multipart bodies are not supported by the fake portal', 400);
    }
    const looksJson = type.includes('json') || (!type.includes('urlencoded') && /^\s*[{[]/.test(body));
    if (looksJson) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new Fault('INVALID_REQUEST', 'Request body is not valid JSON', 400);
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new Fault('INVALID_REQUEST', 'Request body must be a JSON object', 400);
      }
      fromBody = parsed as Params;
    } else {
      try {
        fromBody = decodePhpQuery(body);
      } catch {
        throw new Fault('INVALID_REQUEST', 'Request body cannot be decoded', 400);
      }
    }
  }
  return phpLists({ ...fromQuery, ...fromBody }) as Params;
}
