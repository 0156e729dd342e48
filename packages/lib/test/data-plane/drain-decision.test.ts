import { describe, expect, it } from 'vitest';
import { drainDecision } from '../../src/data-plane/drain-decision.js';

describe('drainDecision', () => {
  it('immediate: always drains', () => {
    const decide = drainDecision({ strategy: 'immediate', drainTimeMs: 600_000, startedMs: 0, now: () => 0, random: () => 0.999 });
    expect(decide()).toBe(true);
  });

  it('gradual: elapsed / drain time in whole seconds, remaining time truncated as Envoy counts it', () => {
    let now = 1_000_000;
    let draw = 0;
    const decide = drainDecision({ strategy: 'gradual', drainTimeMs: 10_000, startedMs: now, now: () => now, random: () => draw });
    // At the very start nothing has elapsed: never drains.
    expect(decide()).toBe(false);
    // 1 ms in: 9 s remain (truncated), so 1 s counts as elapsed: drains when the draw picks 0 of 0…9.
    now += 1;
    expect(decide()).toBe(true);
    draw = 0.1;
    expect(decide()).toBe(false);
    // 5.5 s in: 4 s remain, 6 elapsed: drains for draws 0…5.
    now += 5_499;
    draw = 0.59;
    expect(decide()).toBe(true);
    draw = 0.6;
    expect(decide()).toBe(false);
    // From the deadline on: always.
    now += 4_500;
    draw = 0.999;
    expect(decide()).toBe(true);
  });

  it('gradual with a drain time under a second drains at once', () => {
    expect(drainDecision({ strategy: 'gradual', drainTimeMs: 900, startedMs: 0, now: () => 0, random: () => 0.999 })()).toBe(true);
  });
});
