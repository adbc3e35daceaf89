/**
 * The API revisions of a portal (`imbot.v2.Revision.get`, `imopenlines.revision.get`), read in
 * one `batch` and logged at start, so that a portal that lags behind the docs shows in the log.
 */
import type { Logger } from '../logger';
import type { BitrixRestClient } from './create-rest-client';
import type { V2RevisionResult } from './imbot-v2-types';
import { openlinesCall, parseOpenlinesBatch } from './openlines-call';
import type { OpenlinesResult } from './openlines-methods';

/** What {@link readApiRevisions} found; a revision that could not be read is absent, with its error. */
export interface ApiRevisions {
  /** `imbot.v2.Revision.get`: `{ rest, web, mobile, desktop }`. */
  imbotV2?: V2RevisionResult;
  /** `imopenlines.revision.get`: `{ rest, web, mobile }`. */
  openlines?: OpenlinesResult<'imopenlines.revision.get'>;
  /** Bitrix24 error codes per method, when a call was refused. */
  errors: Record<string, string>;
}

/**
 * Reads both revisions in one request and logs them (info), or the refusals (warn). Never rejects
 * for a refusal; rejects only when the request itself failed.
 *
 * @example
 * const revisions = await readApiRevisions({ client, logger });
 * if ((revisions.imbotV2?.rest ?? 0) < 33) logger.warn('this portal predates Chatbots 2.0');
 */
export async function readApiRevisions(options: {
  client: Pick<BitrixRestClient, 'batch'>;
  logger?: Logger;
}): Promise<ApiRevisions> {
  const ol = openlinesCall('imopenlines.revision.get', {});
  const raw = await options.client.batch([{ method: 'imbot.v2.Revision.get', params: {} }, ol]);
  const [v2, parsed] = [raw[0], parseOpenlinesBatch([ol], [raw[1]!])[0]];
  const out: ApiRevisions = { errors: {} };
  if (v2?.status === 'ok' && v2.result && typeof v2.result === 'object')
    out.imbotV2 = v2.result as V2RevisionResult;
  else if (v2?.status === 'error') out.errors['imbot.v2.Revision.get'] = v2.error;
  if (parsed?.status === 'ok') out.openlines = parsed.result as ApiRevisions['openlines'];
  else if (parsed?.status === 'error') out.errors['imopenlines.revision.get'] = parsed.error;
  if (Object.keys(out.errors).length > 0)
    options.logger?.warn({ revisions: out }, 'could not read every API revision of the portal');
  else
    options.logger?.info(
      { imbotV2: out.imbotV2, openlines: out.openlines },
      `portal API revisions: imbot.v2 rest ${out.imbotV2?.rest ?? '?'}, imopenlines rest ${out.openlines?.rest ?? '?'}`,
    );
  return out;
}
