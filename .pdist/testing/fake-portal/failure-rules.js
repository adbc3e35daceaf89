"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createFailureRules = createFailureRules;
const fault_1 = require("./fault");
/**
 * Creates an empty rule set.
 *
 * @example
 * const rules = createFailureRules();
 * rules.add('imbot.message.add', 'QUERY_LIMIT_EXCEEDED', { times: 2 });
 */
function createFailureRules() {
    let rules = [];
    return {
        add(method, error, options = {}) {
            const key = method.toLowerCase();
            rules.push({
                // The REST client names the token call `oauth.token`; both spellings mean the endpoint.
                method: key === 'oauth.token' ? 'oauth/token' : key,
                error,
                status: options.status ?? (0, fault_1.statusFor)(error),
                description: options.description ?? `Injected failure: ${error}`,
                network: options.network === true,
                afterEffect: options.afterEffect === true,
                stall: options.stall === true,
                skip: Math.max(0, (options.nth ?? 1) - 1),
                remaining: Math.max(1, options.times ?? 1),
            });
        },
        next(method) {
            const m = method.toLowerCase();
            let fired;
            for (const rule of rules) {
                if (rule.method !== m && rule.method !== '*')
                    continue;
                if (rule.skip > 0) {
                    rule.skip -= 1;
                    continue;
                }
                if (!fired) {
                    fired = rule;
                    rule.remaining -= 1;
                }
            }
            rules = rules.filter((r) => r.remaining > 0);
            if (!fired)
                return undefined;
            const { error, status, description, network, afterEffect, stall } = fired;
            return { error, status, description, network, afterEffect, stall };
        },
        pending() {
            return rules.length;
        },
        clear() {
            rules = [];
        },
    };
}
