/**
 * The hand-off summary bot, ready to serve: `openlines-bot serve bots/handoff-summary`.
 *
 * Configuration (environment): `HANDOFF_SUMMARY_LINES` (how many of the client's last messages go
 * into the operator's summary; default 10).
 */
import { defineBot, type BotDefinition } from 'openlines-bot';
import { createHandoffMachine, type HandoffMachineOptions } from './machine';

export { HANDOFF_TEXTS, clientLines, createHandoffMachine, summarize } from './machine';
export type { HandoffContext, HandoffMachineOptions } from './machine';

/** Options of {@link createHandoffBot}. */
export interface HandoffBotOptions extends HandoffMachineOptions {
  /** Bot code on the portal. Default `handoff_summary`. */
  code?: string;
  /** API generation the bot registers with. Default 2. */
  apiVersion?: 1 | 2;
}

/**
 * Declares the hand-off summary bot. Needs the `imopenlines` and `imbot` scopes.
 *
 * @example
 * export default createHandoffBot({ maxLines: 5 });
 */
export function createHandoffBot(options: HandoffBotOptions = {}): BotDefinition {
  const { code = 'handoff_summary', apiVersion, ...machineOptions } = options;
  return defineBot({
    code,
    name: 'Hand-off summary',
    version: '1',
    ...(apiVersion !== undefined ? { apiVersion } : {}),
    machine: createHandoffMachine(machineOptions),
    properties: { workPosition: 'Passes your request to an operator' },
  });
}

function linesFromEnv(): number | undefined {
  const raw = process.env.HANDOFF_SUMMARY_LINES?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new TypeError('HANDOFF_SUMMARY_LINES must be a positive integer');
  return n;
}

const maxLines = linesFromEnv();
/** The bot configured from the environment. */
const bot = createHandoffBot(maxLines !== undefined ? { maxLines } : {});
export default bot;
