import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Runtime } from '@orion/configuration';

/** The cores each worker is pinned to (index 0 is worker 1), and what could not be honoured. */
export interface CpuAffinityPlan {
  /** Cores per worker; undefined: that worker is not pinned. */
  readonly cores: readonly (readonly number[] | undefined)[];
  /** Why a worker is not pinned as the strategy asks (a core this process may not use, too few cores). */
  readonly problems: readonly string[];
}

/** Parses a Linux CPU list (`0-3,8,10-11`). */
export function parseCpuList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (m === null) continue;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let c = from; c <= to; c++) out.push(c);
  }
  return out;
}

/** The cores this process may run on (`Cpus_allowed_list` of /proc/self/status), else 0…availableParallelism−1. */
export async function allowedCores(): Promise<number[]> {
  try {
    const status = await readFile('/proc/self/status', 'utf8');
    const line = /^Cpus_allowed_list:\s*(.+)$/m.exec(status);
    const cores = line?.[1] === undefined ? [] : parseCpuList(line[1]);
    if (cores.length > 0) return cores;
  } catch {
    // Not Linux: fall back to the count Node reports.
  }
  return Array.from({ length: availableParallelism() }, (_, i) => i);
}

/**
 * Plans the pinning of `runtime.numRuntimes` workers from `runtime.affinity_strategy`, as the Rust Orion pins its
 * runtimes: `auto` gives worker i the core `i mod n` of the first `num_cpus` allowed cores; `nodes` takes the NUMA
 * nodes in turn (worker i gets node `i mod nodes`, the `⌊i / nodes⌋`-th core listed for it); `runtimes` gives worker
 * i every core listed at position i. No strategy: no pinning. A core outside `allowed` is not used (problem noted).
 */
export function planCpuAffinity(runtime: Runtime, allowed: readonly number[]): CpuAffinityPlan | undefined {
  const strategy = runtime.affinityStrategy;
  if (strategy === undefined) return undefined;
  const workers = runtime.numRuntimes;
  const usable = new Set(allowed);
  const problems: string[] = [];
  const cores: (readonly number[] | undefined)[] = [];
  const check = (worker: number, wanted: readonly number[] | undefined): readonly number[] | undefined => {
    if (wanted === undefined || wanted.length === 0) {
      problems.push(`worker ${worker}: affinity_strategy lists no core for it`);
      return undefined;
    }
    const missing = wanted.filter((c) => !usable.has(c));
    if (missing.length > 0) {
      problems.push(`worker ${worker}: core(s) ${missing.join(',')} are not available to this process (allowed: ${allowed.join(',')})`);
      return undefined;
    }
    return wanted;
  };
  for (let i = 0; i < workers; i++) {
    switch (strategy.type) {
      case 'auto': {
        const pool = allowed.slice(0, Math.max(1, runtime.numCpus));
        cores.push(check(i + 1, pool.length === 0 ? undefined : [pool[i % pool.length] as number]));
        break;
      }
      case 'nodes': {
        const node = strategy.nodes[i % strategy.nodes.length] ?? [];
        const core = node[Math.floor(i / strategy.nodes.length)];
        cores.push(check(i + 1, core === undefined ? undefined : [core]));
        break;
      }
      case 'runtimes':
        cores.push(check(i + 1, strategy.runtimes[i]));
        break;
    }
  }
  return { cores, problems };
}
