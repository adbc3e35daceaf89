/**
 * The validation fast path: the zod schemas of the envelope and of the v1 events, compiled once
 * into plain functions that run the very same coercions (`wire()` in wire-schema.ts) without
 * zod's machinery. A compiled check either returns exactly what the zod schema would return
 * (same keys, same values) or {@link BAD} at the first doubt; the caller then runs the zod
 * schema, which decides and words the error. So answers and errors stay zod's; only valid
 * bodies take the shortcut. A schema part it does not know makes compilation fail, and that
 * event type simply keeps zod alone.
 */
import type { z } from 'zod';
import { v1BotMap, v1CommandMap, v1Schemas, type V1EventType } from './v1-schemas';
import { BAD, check, envelope, wireCoercer } from './wire-schema';

/** A compiled check: the schema's output, or {@link BAD}. */
export type FastCheck = (input: unknown) => unknown;

interface Compiled {
  run: FastCheck;
  /** Absent keys are allowed (and left out of the output). */
  optional: boolean;
}

/** `data[BOT]` and `data[COMMAND]`: records keyed by numeric ids that must not be empty. */
const ID_KEY = /^\d{1,15}$/;
const NON_EMPTY_ID_RECORDS = new Set<object>([v1BotMap, v1CommandMap]);

function isObjectValue(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const passThrough: FastCheck = (v) => v;

interface DefLike {
  type: string;
  checks?: unknown[];
  catchall?: unknown;
  valueType?: z.ZodType;
}

function unsupported(what: string): never {
  throw new Error(`fast check: unsupported schema part (${what})`);
}

function compileObject(schema: z.ZodType): FastCheck {
  const def = schema.def as DefLike;
  if (def.checks?.length) unsupported('object refinement');
  if (def.catchall !== undefined) unsupported('object catchall');
  const shape = (schema as unknown as { shape: Record<string, z.ZodType> }).shape;
  const keys = Object.keys(shape);
  const fields = keys.map((k) => compile(shape[k] as z.ZodType));
  return generateObject(keys, fields) ?? interpretObject(keys, fields);
}

/**
 * The object check as straight-line code with the schema's own key names (never the body's)
 * written in: property reads and writes by constant name are what V8 makes fast. Undefined
 * where code generation from strings is disallowed; the interpreted form is then used.
 */
function generateObject(keys: string[], fields: Compiled[]): FastCheck | undefined {
  const lines: string[] = [
    'return function check(input) {',
    '  if (typeof input !== "object" || input === null || Array.isArray(input)) return BAD;',
    '  const out = {};',
    '  let raw, value;',
  ];
  keys.forEach((key, i) => {
    const k = JSON.stringify(key);
    const absent = (fields[i] as Compiled).optional ? '' : 'return BAD;';
    const undef = (fields[i] as Compiled).optional ? `out[${k}] = undefined;` : 'return BAD;';
    lines.push(
      `  raw = input[${k}];`,
      `  if (raw === undefined) { if (!(${k} in input)) { ${absent} } else { ${undef} } }`,
      `  else { value = run${i}(raw); if (value === BAD) return BAD; out[${k}] = value; }`,
    );
  });
  lines.push('  return out;', '};');
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const factory = new Function('BAD', ...keys.map((_, i) => `run${i}`), lines.join('\n')) as (
      ...args: unknown[]
    ) => FastCheck;
    return factory(BAD, ...fields.map((f) => f.run));
  } catch {
    return undefined;
  }
}

function interpretObject(keys: string[], fields: Compiled[]): FastCheck {
  const n = keys.length;
  return (input) => {
    if (!isObjectValue(input)) return BAD;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const key = keys[i] as string;
      const field = fields[i] as Compiled;
      const raw = input[key];
      if (raw === undefined) {
        // Absent (or present but undefined, which only an optional field accepts).
        if (!(key in input)) {
          if (field.optional) continue;
          return BAD;
        }
        if (!field.optional) return BAD;
        out[key] = undefined;
        continue;
      }
      const value = field.run(raw);
      if (value === BAD) return BAD;
      out[key] = value;
    }
    return out;
  };
}

function compileIdRecord(valueType: z.ZodType): FastCheck {
  const value = compile(valueType);
  if (value.optional) unsupported('optional record value');
  const run = value.run;
  return (input) => {
    if (!isObjectValue(input)) return BAD;
    const proto = Object.getPrototypeOf(input) as unknown;
    if (proto !== null && proto !== Object.prototype) return BAD;
    if (Object.hasOwn(input, 'constructor')) return BAD;
    if (Object.getOwnPropertySymbols(input).length > 0) return BAD;
    const keys = Object.keys(input);
    if (keys.length === 0) return BAD;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (!ID_KEY.test(key)) return BAD;
      const v = run(input[key]);
      if (v === BAD) return BAD;
      out[key] = v;
    }
    return out;
  };
}

function compile(schema: z.ZodType): Compiled {
  const coerce = wireCoercer(schema);
  if (coerce) return { run: coerce, optional: false };
  const def = schema.def as DefLike;
  switch (def.type) {
    case 'optional': {
      const inner = compile((schema as z.ZodOptional<z.ZodType>).unwrap());
      return { run: inner.run, optional: true };
    }
    case 'unknown':
      // Only when present: what zod makes of an absent one is left to zod.
      if (def.checks?.length) unsupported('unknown refinement');
      return { run: passThrough, optional: false };
    case 'object':
      return { run: compileObject(schema), optional: false };
    case 'record':
      if (!NON_EMPTY_ID_RECORDS.has(schema) || !def.valueType) unsupported('record');
      return { run: compileIdRecord(def.valueType), optional: false };
    default:
      return unsupported(def.type);
  }
}

function tryCompile(schema: z.ZodType): FastCheck | undefined {
  try {
    const c = compile(schema);
    // An optional top level (an empty `data` vanishes from a form): undefined is zod's to judge.
    return c.optional ? (v) => (v === undefined ? BAD : c.run(v)) : c.run;
  } catch {
    return undefined;
  }
}

/** The envelope every webhook body shares. */
export const fastEnvelope: FastCheck | undefined = tryCompile(envelope);

/** The `data` of each v1 event type that compiles (edits have a refinement: zod alone). */
export const fastV1: Partial<Record<V1EventType, FastCheck>> = {};
for (const type of Object.keys(v1Schemas) as V1EventType[]) {
  const fast = tryCompile(v1Schemas[type]);
  if (fast) fastV1[type] = fast;
}

/**
 * `check(schema, value, options)` through the fast path when there is one: the same output for a
 * valid value; anything else goes to zod's `check`, which throws the typed error.
 */
export function checkFast<S extends z.ZodType>(
  fast: FastCheck | undefined,
  schema: S,
  value: unknown,
  options: { path: PropertyKey[]; eventType?: string },
): z.output<S> {
  if (fast !== undefined) {
    const out = fast(value);
    if (out !== BAD) return out as z.output<S>;
  }
  return check(schema, value, options);
}
