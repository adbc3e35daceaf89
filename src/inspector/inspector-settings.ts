/**
 * When the inspector is on, who may use it, and the dialog history's retention, from environment
 * variables. Safe by default: without a portal (local development) it is on, for this machine;
 * with a portal it is off (404) unless `OPENLINES_INSPECTOR_TOKEN` is set, and then read-only
 * unless `OPENLINES_INSPECTOR_ACTIONS=on`.
 */
import type { ConfigMode } from '../config/load-config';
import { ConfigError, registerSecret } from '../errors';

/** How the inspector is served. */
export interface InspectorSettings {
  enabled: boolean;
  /** The bearer token (or login) required; absent: no sign-in (local development only). */
  token?: string;
  /** Operator actions (retry a dead letter, reset a dialog) allowed. */
  actions: boolean;
  /** Development extras: firing a timer now, the playground. */
  development: boolean;
}

const ON = /^(1|on|true|yes)$/i;
const OFF = /^(0|off|false|no)$/i;

/**
 * The inspector's settings for a configuration mode.
 *
 * @example
 * inspectorSettingsFromEnv({ env: process.env, mode: 'webhook' }) // { enabled: false, ... } without a token
 */
export function inspectorSettingsFromEnv(options: {
  env: Record<string, string | undefined>;
  mode: ConfigMode;
}): InspectorSettings {
  const { env, mode } = options;
  const problems: string[] = [];
  const token = env.OPENLINES_INSPECTOR_TOKEN?.trim() || undefined;
  if (token !== undefined && token.length < 16)
    problems.push('OPENLINES_INSPECTOR_TOKEN: must be at least 16 characters');
  const flag = (name: string): boolean | undefined => {
    const v = env[name]?.trim();
    if (v === undefined || v === '') return undefined;
    if (ON.test(v)) return true;
    if (OFF.test(v)) return false;
    problems.push(`${name}: must be "on" or "off"`);
    return undefined;
  };
  const switchedOff = flag('OPENLINES_INSPECTOR') === false;
  const actions = flag('OPENLINES_INSPECTOR_ACTIONS');
  if (problems.length > 0) throw new ConfigError(problems);
  registerSecret(token);
  const development = mode === 'local';
  if (switchedOff) return { enabled: false, actions: false, development };
  if (development)
    return { enabled: true, ...(token ? { token } : {}), actions: actions ?? true, development };
  if (!token) return { enabled: false, actions: false, development };
  return { enabled: true, token, actions: actions ?? false, development };
}
