/**
 * The support bot, ready to serve: `openlines-bot serve bots/support`.
 *
 * Configuration (environment): `SUPPORT_IDLE_SECONDS` (default 600) and
 * `SUPPORT_FALLBACK_LINE_ID` (a line to transfer to when no operator can take the dialog).
 */
import { z } from 'zod';
import { ConfigError, defineBot, type BotDefinition } from 'openlines-bot';
import { createSupportMachine, type SupportMachineOptions } from './machine';

export type { OrderLookup, OrderLookupArgs, SupportMachineOptions } from './machine';
export { SUPPORT_TEXTS, createSupportMachine } from './machine';

/** Options of {@link createSupportBot}: the machine's options plus the bot's code. */
export interface SupportBotOptions extends SupportMachineOptions {
  /** Bot code on the portal. Default `support`. */
  code?: string;
}

/**
 * Declares a support bot with the given options.
 *
 * @example
 * export default createSupportBot({ lookupOrder: async ({ orderNumber }) => shop.status(orderNumber), idleSeconds: 300 });
 */
export function createSupportBot(options: SupportBotOptions = {}): BotDefinition {
  const { code = 'support', ...machineOptions } = options;
  return defineBot({
    code,
    name: 'Support',
    version: '1',
    machine: createSupportMachine(machineOptions),
    properties: { workPosition: 'Support bot', color: 'GREEN' },
    // The menu's buttons: a button command works on a portal only once it is registered.
    commands: ['order', 'operator'],
    description: 'Greets, checks order status, hands over to an operator, closes idle chats.',
  });
}

const envSchema = z.object({
  SUPPORT_IDLE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .optional(),
  SUPPORT_FALLBACK_LINE_ID: z.coerce.number().int().positive().optional(),
});

/**
 * Reads the support bot's options from environment variables; a `ConfigError` lists every problem.
 *
 * @example
 * const bot = createSupportBot(supportOptionsFromEnv({ env: process.env }));
 */
export function supportOptionsFromEnv(
  options: { env?: Record<string, string | undefined> } = {},
): SupportBotOptions {
  const env = options.env ?? process.env;
  const pick = (name: string) => (env[name]?.trim() ? env[name]?.trim() : undefined);
  const parsed = envSchema.safeParse({
    SUPPORT_IDLE_SECONDS: pick('SUPPORT_IDLE_SECONDS'),
    SUPPORT_FALLBACK_LINE_ID: pick('SUPPORT_FALLBACK_LINE_ID'),
  });
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      'Invalid support bot configuration',
    );
  }
  return {
    ...(parsed.data.SUPPORT_IDLE_SECONDS !== undefined
      ? { idleSeconds: parsed.data.SUPPORT_IDLE_SECONDS }
      : {}),
    ...(parsed.data.SUPPORT_FALLBACK_LINE_ID !== undefined
      ? { fallbackLineId: parsed.data.SUPPORT_FALLBACK_LINE_ID }
      : {}),
  };
}

/** The support bot configured from the environment. */
const bot = createSupportBot(supportOptionsFromEnv());
export default bot;
