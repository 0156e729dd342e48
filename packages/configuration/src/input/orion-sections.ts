import type { FieldPath } from '@orion/data-plane-api';
import { z } from 'zod';
import { closestName } from './closest-name.js';

const coreMap = z.array(z.array(z.number().int().nonnegative()).min(1)).min(1);

/** Orion's `runtime` section, as written. */
export const runtimeSectionSchema = z.strictObject({
  num_cpus: z.number().int().positive().nullish(),
  num_runtimes: z.number().int().positive().nullish(),
  affinity_strategy: z.union([z.literal('auto'), z.strictObject({ nodes: coreMap }), z.strictObject({ runtimes: coreMap })]).nullish(),
  // Tokio scheduler knobs of the Rust Orion: accepted, no meaning for Node.js workers.
  event_interval: z.number().int().nonnegative().nullish(),
  global_queue_interval: z.number().int().nonnegative().nullish(),
  max_io_events_per_tick: z.number().int().nonnegative().nullish(),
  num_service_threads: z.number().int().nonnegative().nullish(),
});

/** Orion's `logging` section, as written. */
export const loggingSectionSchema = z.strictObject({
  log_level: z.string().nullish(),
  log_directory: z.string().nullish(),
  log_file: z.string().nullish(),
});

/** Orion's `access_logging` section (the Rust Orion's access-log writer settings), parsed and ignored. */
export const accessLoggingSectionSchema = z.strictObject({
  num_instances: z.number().int().positive().nullish(),
  queue_length: z.number().int().positive().nullish(),
  log_rotation: z.string().nullish(),
  max_log_files: z.number().int().positive().nullish(),
});

/** The `runtime` section after validation. */
export type RuntimeSection = z.infer<typeof runtimeSectionSchema>;
/** The `logging` section after validation. */
export type LoggingSection = z.infer<typeof loggingSectionSchema>;

/** The Tokio knobs accepted and ignored in `runtime`. */
export const IGNORED_RUNTIME_KEYS = ['event_interval', 'global_queue_interval', 'max_io_events_per_tick', 'num_service_threads'] as const;

/** A problem in an Orion section, at a path. */
export interface SectionProblem {
  readonly path: FieldPath;
  readonly message: string;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function toFieldPath(at: FieldPath, path: readonly PropertyKey[]): FieldPath {
  let p = at;
  for (const key of path) p = typeof key === 'number' ? p.index(key) : p.field(String(key));
  return p;
}

const EXPECTED: Readonly<Record<string, string>> = { object: 'a mapping', array: 'a list', number: 'a number', string: 'a string', int: 'an integer' };

/**
 * Validates one Orion section with its zod schema, returning the data or the problems, each at its path in the file
 * (`runtime.num_cpus`), with messages in the style of the Envoy decoder.
 */
export function parseSection<S extends z.ZodType>(schema: S, value: unknown, at: FieldPath): { readonly data?: z.infer<S>; readonly problems: readonly SectionProblem[] } {
  const result = schema.safeParse(value);
  if (result.success) return { data: result.data, problems: [] };
  const problems: SectionProblem[] = [];
  for (const issue of result.error.issues) {
    const path = toFieldPath(at, issue.path);
    const actual = valueAt(value, issue.path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = schemaKeys(schema, issue.path);
        for (const key of issue.keys) {
          const suggestion = closestName(key, known);
          problems.push({ path: path.field(key), message: `unknown field${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`} in ${at.toString()}` });
        }
        break;
      }
      case 'invalid_type':
        problems.push({ path, message: `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describe(actual)}` });
        break;
      case 'too_small':
        problems.push({ path, message: typeof actual === 'number' ? `${actual} is out of range: must be at least ${String(issue.minimum)}` : `must have at least ${String(issue.minimum)} item(s)` });
        break;
      case 'invalid_union':
        problems.push({ path, message: `expected "auto", {nodes: [[core, …], …]} or {runtimes: [[core, …], …]}, got ${describe(actual)}` });
        break;
      default:
        problems.push({ path, message: issue.message });
    }
  }
  return { problems };
}

function schemaKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) inner = inner.unwrap() as z.ZodType;
  if (path.length === 0 && inner instanceof z.ZodObject) return Object.keys(inner.shape);
  return [];
}
