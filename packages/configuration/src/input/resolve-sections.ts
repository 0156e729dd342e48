import { join } from 'node:path';
import { FieldPath } from '@orion/data-plane-api';
import { parseLogLevel } from '../cli-options.js';
import type { LogLevel, Logging } from '../model/logging.js';
import type { AffinityStrategy, Runtime } from '../model/runtime.js';
import type { LoggingSection, RuntimeSection, SectionProblem } from './orion-sections.js';

/** What the command line and environment contribute to {@link Runtime} and {@link Logging}. */
export interface SectionOverrides {
  /** `--concurrency`. */
  readonly concurrency?: number;
  /** `--log-level`. */
  readonly logLevel?: LogLevel;
  /** `--component-log-level`. */
  readonly componentLogLevels?: { readonly [component: string]: LogLevel };
  /** `--log-format`. */
  readonly logFormat?: string;
  /** The environment (`ORION_GATEWAY_RUNTIMES`, `ORION_CPU_LIMIT`, `ORION_GATEWAY_CORES`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `os.availableParallelism()`. */
  readonly availableParallelism: number;
}

function envInt(env: SectionOverrides['env'], name: string, problems: SectionProblem[]): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n) || n < 1) {
    problems.push({ path: FieldPath.root, message: `environment variable ${name}=${JSON.stringify(raw)} is not a positive integer` });
    return undefined;
  }
  return n;
}

/**
 * Resolves the worker count and pinning: `--concurrency` > `ORION_GATEWAY_RUNTIMES` > `runtime.num_runtimes` >
 * the CPU count, where the CPU count is `ORION_CPU_LIMIT` > `ORION_GATEWAY_CORES` > `runtime.num_cpus` >
 * `os.availableParallelism()`.
 */
export function resolveRuntime(section: RuntimeSection | undefined, overrides: SectionOverrides, problems: SectionProblem[]): Runtime {
  const numCpus = envInt(overrides.env, 'ORION_CPU_LIMIT', problems) ?? envInt(overrides.env, 'ORION_GATEWAY_CORES', problems) ?? section?.num_cpus ?? overrides.availableParallelism;
  const numRuntimes = overrides.concurrency ?? envInt(overrides.env, 'ORION_GATEWAY_RUNTIMES', problems) ?? section?.num_runtimes ?? numCpus;
  const a = section?.affinity_strategy;
  let affinityStrategy: AffinityStrategy | undefined;
  if (a === 'auto') affinityStrategy = { type: 'auto' };
  else if (a !== undefined && a !== null && 'nodes' in a) affinityStrategy = { type: 'nodes', nodes: a.nodes };
  else if (a !== undefined && a !== null && 'runtimes' in a) {
    affinityStrategy = { type: 'runtimes', runtimes: a.runtimes };
    if (a.runtimes.length < numRuntimes) {
      problems.push({ path: FieldPath.root.field('runtime').field('affinity_strategy').field('runtimes'), message: `lists cores for ${a.runtimes.length} runtime(s), but ${numRuntimes} run` });
    }
  }
  return { numRuntimes, numCpus, ...(affinityStrategy === undefined ? {} : { affinityStrategy }) };
}

/** Resolves Orion's log settings: `log_level` (`level` or `level,orion_<component>=level,…`), then the flags. */
export function resolveLogging(section: LoggingSection | undefined, overrides: SectionOverrides, at: FieldPath, problems: SectionProblem[]): Logging {
  let level: LogLevel = 'info';
  const components: Record<string, LogLevel> = {};
  const spec = section?.log_level ?? '';
  for (const part of spec.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const name = eq < 0 ? undefined : item.slice(0, eq).trim();
    const parsed = parseLogLevel(eq < 0 ? item : item.slice(eq + 1));
    if (parsed === undefined || name === '') {
      problems.push({ path: at.field('log_level'), message: `invalid log level ${JSON.stringify(item)} (expected trace, debug, info, warn, error or off, or component=level)` });
      continue;
    }
    if (name === undefined) level = parsed;
    else components[name.startsWith('orion_') ? name.slice('orion_'.length) : name] = parsed;
  }
  if (overrides.logLevel !== undefined) level = overrides.logLevel;
  Object.assign(components, overrides.componentLogLevels ?? {});
  const dir = section?.log_directory ?? undefined;
  const file = section?.log_file ?? undefined;
  if (dir !== undefined && file === undefined) problems.push({ path: at.field('log_directory'), message: 'log_directory needs log_file' });
  return {
    level,
    components,
    ...(file === undefined ? {} : { file: dir === undefined ? file : join(dir, file) }),
    ...(overrides.logFormat === undefined ? {} : { format: overrides.logFormat }),
  };
}
