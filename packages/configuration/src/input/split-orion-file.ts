import { FieldPath } from '@orion/data-plane-api';
import { closestName } from './closest-name.js';
import { findNativeKey } from './native-schema.js';

/** The top-level keys of Orion's wrapper file. */
export const ORION_FILE_KEYS = ['runtime', 'logging', 'access_logging', 'envoy_bootstrap'] as const;

/** The top-level fields of an Envoy bootstrap, to tell a misplaced bootstrap key from a typo. */
const BOOTSTRAP_KEYS = new Set([
  'node',
  'static_resources',
  'staticResources',
  'dynamic_resources',
  'dynamicResources',
  'admin',
  'stats_sinks',
  'stats_config',
  'stats_flush_interval',
  'layered_runtime',
  'bootstrap_extensions',
  'cluster_manager',
  'overload_manager',
  'tracing',
]);

/** A configuration file split into Orion's sections and the Envoy bootstrap. */
export interface SplitFile {
  /** The Envoy bootstrap value and where it sits in the file. */
  readonly bootstrap: unknown;
  readonly bootstrapAt: FieldPath;
  readonly runtime?: unknown;
  readonly logging?: unknown;
  readonly accessLogging?: unknown;
  /** True for Orion's wrapper file. */
  readonly wrapper: boolean;
}

/** What makes a file unusable before any decoding: its shape or Orion's native schema. */
export interface SplitProblem {
  readonly path: FieldPath;
  readonly message: string;
  readonly native: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const NATIVE_MESSAGE = 'Orion\'s Rust-native configuration schema is not supported; write an Envoy v3 bootstrap (at the top level, or under envoy_bootstrap next to runtime and logging)';

/**
 * Tells a plain Envoy bootstrap from Orion's wrapper file (`runtime`, `logging`, `access_logging`,
 * `envoy_bootstrap`), and refuses Orion's Rust-native schema with one problem naming its first native key.
 */
export function splitOrionFile(value: unknown): { readonly file?: SplitFile; readonly problems: readonly SplitProblem[] } {
  const root = FieldPath.root;
  if (value === null || value === undefined) return { file: { bootstrap: {}, bootstrapAt: root, wrapper: false }, problems: [] };
  if (!isRecord(value)) return { problems: [{ path: root, message: 'expected a mapping at the top level', native: false }] };
  const keys = Object.keys(value);
  const wrapper = keys.some((k) => (ORION_FILE_KEYS as readonly string[]).includes(k) || k === 'bootstrap');
  if (!wrapper) {
    const native = findNativeKey(value);
    if (native !== undefined) return { problems: [{ path: native.path, message: `${NATIVE_MESSAGE} ("${native.key}" is a native key)`, native: true }] };
    return { file: { bootstrap: value, bootstrapAt: root, wrapper: false }, problems: [] };
  }
  const problems: SplitProblem[] = [];
  for (const key of keys) {
    if ((ORION_FILE_KEYS as readonly string[]).includes(key)) continue;
    if (key === 'bootstrap' || BOOTSTRAP_KEYS.has(key)) {
      return { problems: [{ path: root.field(key), message: `${NATIVE_MESSAGE} ("${key}" is a native key)`, native: true }] };
    }
    const suggestion = closestName(key, ORION_FILE_KEYS);
    problems.push({ path: root.field(key), message: `unknown field${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`} in Orion's configuration file`, native: false });
  }
  const bootstrapAt = root.field('envoy_bootstrap');
  const native = findNativeKey(value['envoy_bootstrap'], bootstrapAt);
  if (native !== undefined) return { problems: [{ path: native.path, message: `${NATIVE_MESSAGE} ("${native.key}" is a native key)`, native: true }] };
  return {
    file: {
      bootstrap: value['envoy_bootstrap'] ?? {},
      bootstrapAt,
      runtime: value['runtime'],
      logging: value['logging'],
      accessLogging: value['access_logging'],
      wrapper: true,
    },
    problems,
  };
}
