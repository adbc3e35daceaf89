/**
 * The lead form bot, ready to serve: `openlines-bot serve bots/lead-form`.
 *
 * Configuration (environment): `LEAD_FORM_LINE_ID` (the open line that receives the dialog once the
 * lead exists; default: the current line's operators) and `LEAD_FORM_IDLE_SECONDS` (default 600).
 */
import { z } from 'zod';
import { ConfigError, defineBot, type BotDefinition } from 'openlines-bot';
import { createLeadFormMachine, type LeadFormMachineOptions } from './machine';

export type { Lead, LeadFormMachineOptions } from './machine';
export { LEAD_FORM_TEXTS, createLeadFormMachine, leadSchemas } from './machine';

/** Options of {@link createLeadFormBot}. */
export interface LeadFormBotOptions extends LeadFormMachineOptions {
  /** Bot code on the portal. Default `lead_form`. */
  code?: string;
}

/**
 * Declares a lead form bot. Needs the `crm` scope on the portal for `crm.lead.add`.
 *
 * @example
 * export default createLeadFormBot({ lineId: 3 });
 */
export function createLeadFormBot(options: LeadFormBotOptions = {}): BotDefinition {
  const { code = 'lead_form', ...machineOptions } = options;
  return defineBot({
    code,
    name: 'Lead form',
    version: '1',
    machine: createLeadFormMachine(machineOptions),
    properties: { workPosition: 'Takes your contact details', color: 'MINT' },
  });
}

const envSchema = z.object({
  LEAD_FORM_LINE_ID: z.coerce.number().int().positive().optional(),
  LEAD_FORM_IDLE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .optional(),
});

/**
 * Reads the lead form's options from environment variables; a `ConfigError` lists every problem.
 *
 * @example
 * const bot = createLeadFormBot(leadFormOptionsFromEnv({ env: { LEAD_FORM_LINE_ID: '3' } }));
 */
export function leadFormOptionsFromEnv(
  options: { env?: Record<string, string | undefined> } = {},
): LeadFormBotOptions {
  const env = options.env ?? process.env;
  const pick = (name: string) => (env[name]?.trim() ? env[name]?.trim() : undefined);
  const parsed = envSchema.safeParse({
    LEAD_FORM_LINE_ID: pick('LEAD_FORM_LINE_ID'),
    LEAD_FORM_IDLE_SECONDS: pick('LEAD_FORM_IDLE_SECONDS'),
  });
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      'Invalid lead form configuration',
    );
  }
  return {
    ...(parsed.data.LEAD_FORM_LINE_ID !== undefined
      ? { lineId: parsed.data.LEAD_FORM_LINE_ID }
      : {}),
    ...(parsed.data.LEAD_FORM_IDLE_SECONDS !== undefined
      ? { idleSeconds: parsed.data.LEAD_FORM_IDLE_SECONDS }
      : {}),
  };
}

/** The lead form configured from the environment. */
const bot = createLeadFormBot(leadFormOptionsFromEnv());
export default bot;
