/**
 * Runtime settings of `serve` from environment variables: the dialog history's retention and the
 * outbox's attempts before a dead letter.
 */
import { ConfigError } from '../errors';
import type { AdmissionOption } from '../runtime/admission';
import type { HistoryOption } from '../runtime/history';

const ON = /^(1|on|true|yes)$/i;
const OFF = /^(0|off|false|no)$/i;

/**
 * The runtime's `history` option from `OPENLINES_HISTORY` (`off` writes nothing),
 * `OPENLINES_HISTORY_MAX_ENTRIES` and `OPENLINES_HISTORY_MAX_AGE_DAYS`.
 *
 * @example
 * historyFromEnv({ OPENLINES_HISTORY: 'off' }) // false
 */
export function historyFromEnv(env: Record<string, string | undefined>): HistoryOption | undefined {
  const problems: string[] = [];
  const mode = env.OPENLINES_HISTORY?.trim();
  if (mode && OFF.test(mode)) return false;
  if (mode && !ON.test(mode)) problems.push('OPENLINES_HISTORY: must be "on" or "off"');
  const int = (name: string, min: number): number | undefined => {
    const v = env[name]?.trim();
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || (name.endsWith('ENTRIES') && !Number.isInteger(n))) {
      problems.push(`${name}: must be a number of at least ${min}`);
      return undefined;
    }
    return n;
  };
  const maxEntries = int('OPENLINES_HISTORY_MAX_ENTRIES', 0);
  const days = int('OPENLINES_HISTORY_MAX_AGE_DAYS', 0.001);
  if (problems.length > 0) throw new ConfigError(problems);
  if (maxEntries === undefined && days === undefined) return undefined;
  return {
    ...(maxEntries !== undefined ? { maxEntries } : {}),
    ...(days !== undefined ? { maxAgeMs: Math.round(days * 86_400_000) } : {}),
  };
}

/**
 * Attempts of an effect that keeps failing transiently before it becomes a dead letter, from
 * `OPENLINES_EFFECT_MAX_ATTEMPTS` (default: the dispatcher's, 8).
 *
 * @example
 * effectMaxAttemptsFromEnv({ OPENLINES_EFFECT_MAX_ATTEMPTS: '3' }) // 3
 */
export function effectMaxAttemptsFromEnv(
  env: Record<string, string | undefined>,
): number | undefined {
  const v = env.OPENLINES_EFFECT_MAX_ATTEMPTS?.trim();
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new ConfigError(['OPENLINES_EFFECT_MAX_ATTEMPTS: must be an integer from 1 to 100']);
  return n;
}

/**
 * The runtime's `inlineTurns` option from `OPENLINES_INLINE_TURNS`: `off` sends every event
 * through the inbox, `on` (the default) processes an idle dialog's event as it arrives.
 *
 * @example
 * inlineTurnsFromEnv({ OPENLINES_INLINE_TURNS: 'off' }) // false
 */
export function inlineTurnsFromEnv(env: Record<string, string | undefined>): boolean | undefined {
  const v = env.OPENLINES_INLINE_TURNS?.trim();
  if (v === undefined || v === '') return undefined;
  if (OFF.test(v)) return false;
  if (ON.test(v)) return true;
  throw new ConfigError(['OPENLINES_INLINE_TURNS: must be "on" or "off"']);
}

/**
 * The runtime's `admission` option from `OPENLINES_MAX_BACKLOG` (`off`, or the number of dialogs
 * with queued or running turns at which new events are held back) and
 * `OPENLINES_ADMISSION_WAIT_MS` (the longest an event is held).
 *
 * @example
 * admissionFromEnv({ OPENLINES_MAX_BACKLOG: 'off' }) // false
 * admissionFromEnv({ OPENLINES_MAX_BACKLOG: '128' }) // { maxBacklog: 128 }
 */
export function admissionFromEnv(
  env: Record<string, string | undefined>,
): AdmissionOption | undefined {
  const max = env.OPENLINES_MAX_BACKLOG?.trim();
  const wait = env.OPENLINES_ADMISSION_WAIT_MS?.trim();
  if (max && OFF.test(max)) return false;
  const problems: string[] = [];
  const option: { maxBacklog?: number; maxWaitMs?: number } = {};
  if (max) {
    const n = Number(max);
    if (Number.isInteger(n) && n >= 1) option.maxBacklog = n;
    else problems.push('OPENLINES_MAX_BACKLOG: must be "off" or a positive integer');
  }
  if (wait) {
    const n = Number(wait);
    if (Number.isFinite(n) && n >= 0 && n <= 60_000) option.maxWaitMs = n;
    else
      problems.push(
        'OPENLINES_ADMISSION_WAIT_MS: must be a number of milliseconds from 0 to 60000',
      );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.keys(option).length > 0 ? option : undefined;
}
