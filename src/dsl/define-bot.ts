/**
 * `defineBot`: the one declaration a bot author exports. Pure: validates and freezes, registers
 * nothing (registration is `ensureBotRegistered`, serving is `createRuntime`).
 */
import type { AnyStateMachine } from 'xstate';
import { ConfigError } from '../errors';
import { checkCommands, freezeCommands, type BotCommand } from './bot-command';
import type { Effect } from './effect';
import type { DialogInput } from './machine-events';
import { describeMissing, missingImplementations } from './missing-implementations';

export type { BotCommand } from './bot-command';

/** Profile fields shown in Bitrix24 (`properties` of `imbot.register` / `imbot.v2.Bot.register`). */
export interface BotProperties {
  workPosition?: string;
  /** Avatar colour, e.g. `GREEN`. */
  color?: string;
  lastName?: string;
  gender?: 'M' | 'F';
  /** Avatar image as base64. */
  avatar?: string;
}

/** Which API a plain-text `say` goes through: `auto` = session API for plain text, bot API for keyboards/attachments. */
export type SayViaOption = 'auto' | 'session' | 'bot';

/** Arguments of a {@link MigrateFn}. */
export interface MigrateArgs {
  /** The stored xstate persisted snapshot (JSON) produced by `fromVersion`. */
  snapshot: unknown;
  fromVersion: string;
  toVersion: string;
}

/**
 * Turns a persisted snapshot of an older (or newer) version into one the current machine can
 * restore. Return `undefined` to restart the dialog from the initial state instead.
 */
export type MigrateFn = (args: MigrateArgs) => unknown;

/** What the fallback function receives when a dialog's turn failed. */
export interface FallbackArgs {
  /** The `TurnError` of the failed turn. */
  error: Error;
  dialogKey: string;
  /** The dialog's input, when the conversation had started. */
  input?: DialogInput;
}

/**
 * What a dialog gets when its machine throws or errors: `false` for nothing, a fixed list of
 * effects, or a function computing them. Default (runtime): a short apology, then `toOperator`.
 */
export type FallbackOption =
  false | readonly Effect[] | ((args: FallbackArgs) => readonly Effect[]);

/**
 * What an open-line message written by someone other than the client (an operator) becomes:
 * `event` (default) an `operator.message` machine event that never starts a conversation;
 * `message` an ordinary `message`, as if the client wrote it.
 */
export type OperatorMessagesOption = 'event' | 'message';

/** Everything `defineBot` accepts. */
export interface BotOptions<TMachine extends AnyStateMachine = AnyStateMachine> {
  /** Bot code, unique per application/webhook (`CODE` / `fields.code`): letters, digits, `_`, `-`. */
  code: string;
  /** Display name. */
  name: string;
  /** The xstate v5 machine; events typed `BotEvent`, input typed `DialogInput`. */
  machine: TMachine;
  /** Stored with every snapshot; change it when a change to the machine breaks old snapshots. */
  version: string;
  migrate?: MigrateFn;
  /** Bitrix24 bot API generation; default 2. */
  apiVersion?: 1 | 2;
  /** Default `auto`. */
  sayVia?: SayViaOption;
  /** Overrides the runtime's fallback for this bot. */
  fallback?: FallbackOption;
  properties?: BotProperties;
  description?: string;
  /** Commands to register with the bot: at least every `command` its keyboards use. */
  commands?: ReadonlyArray<string | BotCommand>;
  /** Default `event`: operators' messages reach the machine as `operator.message`. */
  operatorMessages?: OperatorMessagesOption;
}

/** A validated, frozen bot declaration. */
export interface BotDefinition<TMachine extends AnyStateMachine = AnyStateMachine> {
  readonly code: string;
  readonly name: string;
  readonly machine: TMachine;
  readonly version: string;
  readonly migrate?: MigrateFn;
  readonly apiVersion: 1 | 2;
  readonly sayVia: SayViaOption;
  readonly fallback?: FallbackOption;
  readonly properties: Readonly<BotProperties>;
  readonly description?: string;
  /** Present when `commands` was given: each entry as an object (a string `x` becomes `{ command: 'x' }`). */
  readonly commands?: ReadonlyArray<Readonly<BotCommand>>;
  readonly operatorMessages: OperatorMessagesOption;
}

const KNOWN = new Set([
  'code',
  'name',
  'machine',
  'version',
  'migrate',
  'apiVersion',
  'sayVia',
  'fallback',
  'properties',
  'description',
  'commands',
  'operatorMessages',
]);
const PROPERTY_KEYS = new Set(['workPosition', 'color', 'lastName', 'gender', 'avatar']);
const EFFECT_TYPES = new Set([
  'say',
  'greet',
  'typing',
  'toOperator',
  'transfer',
  'finish',
  'call',
]);

function isMachine(m: unknown): m is AnyStateMachine {
  const x = m as Partial<AnyStateMachine> | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.getInitialSnapshot === 'function' &&
    typeof x.transition === 'function' &&
    typeof x.restoreSnapshot === 'function' &&
    typeof x.root === 'object'
  );
}

function checkProperties(p: unknown, problems: string[]): void {
  if (p === undefined) return;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) {
    problems.push('properties must be an object');
    return;
  }
  for (const [k, v] of Object.entries(p)) {
    if (!PROPERTY_KEYS.has(k))
      problems.push(`properties.${k} is not a known property (${[...PROPERTY_KEYS].join(', ')})`);
    else if (k === 'gender' ? v !== 'M' && v !== 'F' : typeof v !== 'string') {
      problems.push(
        k === 'gender'
          ? 'properties.gender must be "M" or "F"'
          : `properties.${k} must be a string`,
      );
    }
  }
}

function checkFallback(f: unknown, problems: string[]): void {
  if (f === undefined || f === false || typeof f === 'function') return;
  if (!Array.isArray(f)) {
    problems.push('fallback must be false, an array of effects or a function returning one');
    return;
  }
  f.forEach((e: unknown, i) => {
    const type = (e as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !EFFECT_TYPES.has(type))
      problems.push(`fallback[${i}] is not an effect`);
  });
}

/**
 * Declares a bot: validates every option and returns a frozen definition. Throws a `ConfigError`
 * with one line per problem.
 *
 * @example
 * export default defineBot({
 *   code: 'support_bot',
 *   name: 'Support',
 *   version: '1',
 *   machine: supportMachine,
 *   properties: { workPosition: 'First line', color: 'GREEN' },
 *   commands: ['order', { command: 'operator', title: 'Talk to a human' }],
 * });
 */
export function defineBot<TMachine extends AnyStateMachine>(
  options: BotOptions<TMachine>,
): BotDefinition<TMachine> {
  const problems: string[] = [];
  if (typeof options !== 'object' || options === null)
    throw new ConfigError(['defineBot() needs an options object'], 'Invalid bot');
  const o = options as unknown as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) problems.push(`unknown option "${k}"`);
  if (typeof o.code !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]{1,63}$/.test(o.code)) {
    problems.push(
      'code must be 2-64 letters, digits, "_" or "-", starting with a letter (e.g. "support_bot")',
    );
  }
  if (typeof o.name !== 'string' || o.name.trim() === '' || o.name.length > 100)
    problems.push('name must be a non-empty string of at most 100 characters');
  if (o.machine === undefined)
    problems.push('machine is missing (an xstate v5 machine from setup(...).createMachine(...))');
  else if (!isMachine(o.machine))
    problems.push('machine is not an xstate v5 machine (use setup(...).createMachine(...))');
  else
    for (const m of missingImplementations(o.machine))
      problems.push(`machine: ${describeMissing(m)}`);
  if (typeof o.version !== 'string' || o.version.trim() === '' || o.version.length > 64) {
    problems.push(
      'version must be a non-empty string of at most 64 characters (e.g. "1" or "2024-05-01")',
    );
  }
  if (o.migrate !== undefined && typeof o.migrate !== 'function')
    problems.push('migrate must be a function ({ snapshot, fromVersion, toVersion }) => snapshot');
  if (o.apiVersion !== undefined && o.apiVersion !== 1 && o.apiVersion !== 2)
    problems.push('apiVersion must be 1 or 2');
  if (
    o.sayVia !== undefined &&
    o.sayVia !== 'auto' &&
    o.sayVia !== 'session' &&
    o.sayVia !== 'bot'
  ) {
    problems.push('sayVia must be "auto", "session" or "bot"');
  }
  checkFallback(o.fallback, problems);
  checkProperties(o.properties, problems);
  if (o.description !== undefined && typeof o.description !== 'string')
    problems.push('description must be a string');
  checkCommands(o.commands, problems);
  if (
    o.operatorMessages !== undefined &&
    o.operatorMessages !== 'event' &&
    o.operatorMessages !== 'message'
  )
    problems.push('operatorMessages must be "event" or "message"');
  if (problems.length > 0) {
    const code = typeof o.code === 'string' ? ` "${o.code}"` : '';
    throw new ConfigError(problems, `Invalid bot${code}`);
  }

  const def: BotDefinition<TMachine> = {
    code: options.code,
    name: options.name,
    machine: options.machine,
    version: options.version,
    apiVersion: options.apiVersion ?? 2,
    sayVia: options.sayVia ?? 'auto',
    operatorMessages: options.operatorMessages ?? 'event',
    properties: Object.freeze({ ...(options.properties ?? {}) }),
    ...(options.migrate ? { migrate: options.migrate } : {}),
    ...(options.fallback !== undefined
      ? {
          fallback: Array.isArray(options.fallback)
            ? Object.freeze([...options.fallback])
            : options.fallback,
        }
      : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(options.commands !== undefined ? { commands: freezeCommands(options.commands) } : {}),
  };
  return Object.freeze(def);
}
