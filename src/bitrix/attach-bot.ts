/**
 * Attaching a bot to an open line: the line's `WELCOME_BOT_*` settings, read with
 * `imopenlines.config.get` and changed with `imopenlines.config.update` only when they differ
 * (running it twice changes nothing the second time).
 */
import type { BitrixApi } from './bitrix-api';
import { openlinesCall } from './openlines-call';
import type { OpenlineSettings } from './openlines-methods';
import { ConfigError } from '../errors';

/** When the bot joins a dialog: the client's first session only, or every session. */
export type WelcomeBotJoin = 'first' | 'always';
/** What happens when the bot's time is up: the operators' queue takes over, or the dialog closes. */
export type WelcomeBotLeft = 'queue' | 'close';

/** Options of {@link attachBotToLine}. */
export interface AttachBotOptions {
  botId: number;
  lineId: number;
  /** Default: the line's current value, else `always`. */
  join?: WelcomeBotJoin;
  /** Seconds without an answer before the bot hands over (0: never). Default: the line's current value. */
  timeSeconds?: number;
  /** Default: the line's current value, else `queue`. */
  left?: WelcomeBotLeft;
}

/** What {@link attachBotToLine} / {@link detachBotFromLine} did. */
export interface LineBotResult {
  status: 'changed' | 'unchanged' | 'other-bot';
  /** The `PARAMS` sent to `imopenlines.config.update` (empty when unchanged). */
  changes: Record<string, unknown>;
  /** The bot attached before the call (0: none). */
  previousBotId: number;
}

async function lineOf(api: BitrixApi, lineId: number): Promise<OpenlineSettings> {
  const line = await api.imopenlines.config.get({ CONFIG_ID: lineId });
  if (!line)
    throw new ConfigError(
      [`there is no open line with id ${lineId} (see: openlines-bot lines)`],
      'Cannot change the line',
    );
  return line;
}

function attachedBot(line: OpenlineSettings): number {
  return line.WELCOME_BOT_ENABLE === true ? (line.WELCOME_BOT_ID ?? 0) : 0;
}

/**
 * Makes `botId` the line's chatbot with the given settings; changes only what differs.
 *
 * @example
 * await attachBotToLine(client.api, { botId: 571, lineId: 1, join: 'first', timeSeconds: 600, left: 'queue' });
 */
export async function attachBotToLine(
  api: BitrixApi,
  options: AttachBotOptions,
): Promise<LineBotResult> {
  const { botId, lineId } = options;
  if (!Number.isInteger(botId) || botId <= 0)
    throw new ConfigError(['botId must be a positive integer'], 'Cannot attach');
  if (
    options.timeSeconds !== undefined &&
    (!Number.isInteger(options.timeSeconds) || options.timeSeconds < 0)
  )
    throw new ConfigError(
      ['--time must be a whole number of seconds (0: never hand over)'],
      'Cannot attach',
    );
  const line = await lineOf(api, lineId);
  const want: Record<string, unknown> = {
    WELCOME_BOT_ENABLE: 'Y',
    WELCOME_BOT_ID: botId,
    WELCOME_BOT_JOIN: options.join ?? line.WELCOME_BOT_JOIN ?? 'always',
    WELCOME_BOT_LEFT: options.left ?? line.WELCOME_BOT_LEFT ?? 'queue',
    ...(options.timeSeconds !== undefined ? { WELCOME_BOT_TIME: options.timeSeconds } : {}),
  };
  const have: Record<string, unknown> = {
    WELCOME_BOT_ENABLE: line.WELCOME_BOT_ENABLE === true ? 'Y' : 'N',
    WELCOME_BOT_ID: line.WELCOME_BOT_ID ?? 0,
    WELCOME_BOT_JOIN: line.WELCOME_BOT_JOIN,
    WELCOME_BOT_LEFT: line.WELCOME_BOT_LEFT,
    WELCOME_BOT_TIME: line.WELCOME_BOT_TIME,
  };
  const changes = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
  const previousBotId = attachedBot(line);
  if (Object.keys(changes).length === 0) return { status: 'unchanged', changes: {}, previousBotId };
  // The whole WELCOME_BOT_* set goes together, so the line never holds a half-changed bot setup.
  await api.imopenlines.config.update({ CONFIG_ID: lineId, PARAMS: want });
  return { status: 'changed', changes, previousBotId };
}

/**
 * Removes `botId` as the line's chatbot (`WELCOME_BOT_ENABLE=N`, `WELCOME_BOT_ID=0`); leaves a
 * line alone that has no bot or another bot (`other-bot`).
 *
 * @example
 * await detachBotFromLine(client.api, { botId: 571, lineId: 1 });
 */
export async function detachBotFromLine(
  api: BitrixApi,
  options: { botId: number | undefined; lineId: number },
): Promise<LineBotResult> {
  const line = await lineOf(api, options.lineId);
  const previousBotId = attachedBot(line);
  if (previousBotId === 0) return { status: 'unchanged', changes: {}, previousBotId };
  if (options.botId === undefined || previousBotId !== options.botId)
    return { status: 'other-bot', changes: {}, previousBotId };
  const changes = { WELCOME_BOT_ENABLE: 'N', WELCOME_BOT_ID: 0 } as const;
  await api.imopenlines.config.update({ CONFIG_ID: options.lineId, PARAMS: changes });
  return { status: 'changed', changes, previousBotId };
}

/** One line of {@link listLines}. */
export interface LineSummary {
  id: number;
  name: string;
  active: boolean;
  /** The attached chatbot's id, 0 when none. */
  botId: number;
  join?: string;
  timeSeconds?: number;
  left?: string;
}

/**
 * The portal's lines with their chatbot settings: `config.list.get`, then one `batch` of
 * `config.get` (the list does not promise the `WELCOME_BOT_*` keys).
 *
 * @example
 * for (const l of await listLines(client.api)) console.log(l.id, l.name, l.botId);
 */
export async function listLines(api: BitrixApi): Promise<LineSummary[]> {
  const lines = await api.imopenlines.config.list.get({
    PARAMS: { select: ['ID', 'LINE_NAME', 'ACTIVE'] },
  });
  if (lines.length === 0) return [];
  const details = await api.imopenlines.batch(
    lines.map((l) => openlinesCall('imopenlines.config.get', { CONFIG_ID: l.ID })),
  );
  return lines.map((l, i) => {
    const d = details[i];
    const full = d?.status === 'ok' ? (d.result) : null;
    const source = full ?? l;
    return {
      id: l.ID,
      name: source.LINE_NAME ?? l.LINE_NAME ?? '',
      active: (source.ACTIVE ?? l.ACTIVE) === true,
      botId: attachedBot(source),
      ...(source.WELCOME_BOT_JOIN !== undefined ? { join: source.WELCOME_BOT_JOIN } : {}),
      ...(source.WELCOME_BOT_TIME !== undefined ? { timeSeconds: source.WELCOME_BOT_TIME } : {}),
      ...(source.WELCOME_BOT_LEFT !== undefined ? { left: source.WELCOME_BOT_LEFT } : {}),
    };
  });
}
