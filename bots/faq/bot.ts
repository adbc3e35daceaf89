/**
 * The FAQ bot, ready to serve: `openlines-bot serve bots/faq`. `FAQ_IDLE_SECONDS` (default 600)
 * sets how long it waits for the client before closing the session.
 */
import { z } from 'zod';
import { ConfigError, defineBot, type BotDefinition } from 'openlines-bot';
import { createFaqMachine, type FaqMachineOptions } from './machine';

export type { FaqMachineOptions, FaqTopic } from './machine';
export { DEFAULT_FAQ_TOPICS, FAQ_TEXTS, createFaqMachine } from './machine';

/** Options of {@link createFaqBot}. */
export interface FaqBotOptions extends FaqMachineOptions {
  /** Bot code on the portal. Default `faq`. */
  code?: string;
}

/**
 * Declares an FAQ bot.
 *
 * @example
 * export default createFaqBot({ topics: myTopics, maxMisses: 3 });
 */
export function createFaqBot(options: FaqBotOptions = {}): BotDefinition {
  const { code = 'faq', ...machineOptions } = options;
  return defineBot({
    code,
    name: 'FAQ',
    version: '1',
    machine: createFaqMachine(machineOptions),
    properties: { workPosition: 'Answers common questions', color: 'AZURE' },
    // Every topic button is `topic` with the topic id as its parameter, plus the operator button.
    commands: ['topic', 'operator'],
  });
}

/**
 * Reads the FAQ bot's options from environment variables; a `ConfigError` lists every problem.
 *
 * @example
 * const bot = createFaqBot(faqOptionsFromEnv({ env: { FAQ_IDLE_SECONDS: '300' } }));
 */
export function faqOptionsFromEnv(
  options: { env?: Record<string, string | undefined> } = {},
): FaqBotOptions {
  const raw = (options.env ?? process.env).FAQ_IDLE_SECONDS?.trim();
  const parsed = z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .optional()
    .safeParse(raw ? raw : undefined);
  if (!parsed.success) {
    throw new ConfigError(
      [`FAQ_IDLE_SECONDS: ${parsed.error.issues[0]?.message ?? 'invalid'}`],
      'Invalid FAQ bot configuration',
    );
  }
  return parsed.data === undefined ? {} : { idleSeconds: parsed.data };
}

/** The FAQ bot with the default topics, configured from the environment. */
const bot = createFaqBot(faqOptionsFromEnv());
export default bot;
