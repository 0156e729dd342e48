import { describe, expect, it } from 'vitest';
import { allowedCores, parseCpuList, planCpuAffinity } from '../../src/primary/cpu-affinity.js';
import { findTaskset } from '../../src/primary/taskset.js';

describe('parseCpuList', () => {
  it('reads Linux CPU lists', () => {
    expect(parseCpuList('0-3,8,10-11\n')).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(parseCpuList('')).toEqual([]);
  });
});

describe('allowedCores', () => {
  it('lists the cores this process may use', async () => {
    const cores = await allowedCores();
    expect(cores.length).toBeGreaterThan(0);
    expect(cores.every((c) => Number.isInteger(c) && c >= 0)).toBe(true);
  });
});

describe('planCpuAffinity', () => {
  it('pins nothing without a strategy', () => {
    expect(planCpuAffinity({ numRuntimes: 2, numCpus: 2 }, [0, 1])).toBeUndefined();
  });

  it('spreads workers over the first num_cpus allowed cores with auto', () => {
    expect(planCpuAffinity({ numRuntimes: 4, numCpus: 3, affinityStrategy: { type: 'auto' } }, [2, 3, 4, 5])).toEqual({ cores: [[2], [3], [4], [2]], problems: [] });
  });

  it('takes NUMA nodes in turn with nodes', () => {
    const plan = planCpuAffinity({ numRuntimes: 4, numCpus: 4, affinityStrategy: { type: 'nodes', nodes: [[0, 1], [2, 3]] } }, [0, 1, 2, 3]);
    expect(plan).toEqual({ cores: [[0], [2], [1], [3]], problems: [] });
  });

  it('gives each worker its listed cores with runtimes, and reports cores it may not use', () => {
    const plan = planCpuAffinity({ numRuntimes: 3, numCpus: 2, affinityStrategy: { type: 'runtimes', runtimes: [[0, 1], [7], [1]] } }, [0, 1]);
    expect(plan?.cores).toEqual([[0, 1], undefined, [1]]);
    expect(plan?.problems).toEqual(['worker 2: core(s) 7 are not available to this process (allowed: 0,1)']);
  });

  it('reports a node with too few cores', () => {
    const plan = planCpuAffinity({ numRuntimes: 3, numCpus: 2, affinityStrategy: { type: 'nodes', nodes: [[0], [1]] } }, [0, 1]);
    expect(plan?.cores).toEqual([[0], [1], undefined]);
    expect(plan?.problems).toEqual(['worker 3: affinity_strategy lists no core for it']);
  });
});

describe('findTaskset', () => {
  it('finds taskset on PATH, and nothing on an empty PATH', async () => {
    expect(await findTaskset({ PATH: '' })).toBeUndefined();
    expect(await findTaskset({ PATH: '/nonexistent:/usr/bin:/bin' })).toMatch(/\/taskset$/);
  });
});
