"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.inspectorSettingsFromEnv = inspectorSettingsFromEnv;
const errors_1 = require("../errors");
const ON = /^(1|on|true|yes)$/i;
const OFF = /^(0|off|false|no)$/i;
/**
 * The inspector's settings for a configuration mode.
 *
 * @example
 * inspectorSettingsFromEnv({ env: process.env, mode: 'webhook' }) // { enabled: false, ... } without a token
 */
function inspectorSettingsFromEnv(options) {
    const { env, mode } = options;
    const problems = [];
    const token = env.OPENLINES_INSPECTOR_TOKEN?.trim() || undefined;
    if (token !== undefined && token.length < 16)
        problems.push('OPENLINES_INSPECTOR_TOKEN: must be at least 16 characters');
    const flag = (name) => {
        const v = env[name]?.trim();
        if (v === undefined || v === '')
            return undefined;
        if (ON.test(v))
            return true;
        if (OFF.test(v))
            return false;
        problems.push(`${name}: must be "on" or "off"`);
        return undefined;
    };
    const switchedOff = flag('OPENLINES_INSPECTOR') === false;
    const actions = flag('OPENLINES_INSPECTOR_ACTIONS');
    if (problems.length > 0)
        throw new errors_1.ConfigError(problems);
    (0, errors_1.registerSecret)(token);
    const development = mode === 'local';
    if (switchedOff)
        return { enabled: false, actions: false, development };
    if (development)
        return { enabled: true, ...(token ? { token } : {}), actions: actions ?? true, development };
    if (!token)
        return { enabled: false, actions: false, development };
    return { enabled: true, token, actions: actions ?? false, development };
}
