import { createStatsStore } from '@orion/metrics';
import { describe, expect, it } from 'vitest';
import { StatsSync, type PlainStatsLayout } from '../../src/stats/stats-sync.js';

const LAYOUT: PlainStatsLayout = { counters: ['rq_total'], gauges: ['members'], drainGauges: ['rq_active'] };

function values(store: ReturnType<typeof createStatsStore>): Record<string, number | boolean> {
  const snapshot = store.snapshot();
  const out: Record<string, number | boolean> = {};
  for (const s of [...snapshot.counters, ...snapshot.gauges]) {
    out[s.name] = s.value;
    if (!s.used) out[`${s.name}:unused`] = true;
  }
  return out;
}

describe('StatsSync', () => {
  it("registers the layout's neverImport gauges with Envoy's NeverImport mode, the other gauges Accumulate", () => {
    const store = createStatsStore();
    const sync = new StatsSync(store);
    sync.beginRound();
    sync.track({ rq_total: 1, members: 2, rq_active: 1 }, 'c.x', { ...LAYOUT, neverImport: ['members'] });
    sync.sync();
    const modes = Object.fromEntries(store.snapshot().gauges.map((g) => [g.name, g.importMode]));
    expect(modes).toEqual({ 'c.x.members': 'neverImport', 'c.x.rq_active': 'accumulate' });
  });

  it('adds counter increases since the last sync and sets gauges', () => {
    const store = createStatsStore();
    const sync = new StatsSync(store);
    const a = { rq_total: 3, members: 2, rq_active: 1 };
    sync.beginRound();
    sync.track(a, 'c.x', LAYOUT);
    sync.sync();
    a.rq_total = 5;
    a.rq_active = 0;
    sync.beginRound();
    sync.track(a, 'c.x', LAYOUT);
    sync.sync();
    expect(values(store)).toEqual({ 'c.x.rq_total': 5, 'c.x.members': 2, 'c.x.rq_active': 0 });
  });

  it('sums objects sharing a prefix: counters add up, gauges are summed', () => {
    const store = createStatsStore();
    const sync = new StatsSync(store);
    const a = { rq_total: 1, members: 1, rq_active: 2 };
    const b = { rq_total: 4, members: 3, rq_active: 1 };
    sync.beginRound();
    sync.track(a, 'http.p', LAYOUT);
    sync.track(b, 'http.p', LAYOUT);
    sync.sync();
    expect(values(store)).toEqual({ 'http.p.rq_total': 5, 'http.p.members': 4, 'http.p.rq_active': 3 });
  });

  it('keeps a removed object counting while it drains, then forgets it; its gauges drop to 0', () => {
    const store = createStatsStore();
    const sync = new StatsSync(store);
    const old = { rq_total: 2, members: 1, rq_active: 1 };
    sync.beginRound();
    sync.track(old, 'cluster.gone', LAYOUT);
    sync.sync();
    // Removed: no longer tracked, but a request is still in flight.
    old.rq_total = 3;
    sync.beginRound();
    sync.sync();
    expect(values(store)).toEqual({ 'cluster.gone.rq_total': 3, 'cluster.gone.members': 0, 'cluster.gone.rq_active': 1 });
    expect(sync.size).toBe(1);
    old.rq_active = 0;
    sync.beginRound();
    sync.sync();
    expect(sync.size).toBe(0);
    expect(values(store)).toEqual({ 'cluster.gone.rq_total': 3, 'cluster.gone.members': 0, 'cluster.gone.rq_active': 0 });
  });

  it('never counts an object twice when it is tracked again after it was forgotten', () => {
    const store = createStatsStore();
    const sync = new StatsSync(store);
    const a = { rq_total: 4, members: 1, rq_active: 0 };
    sync.beginRound();
    sync.track(a, 'x', LAYOUT);
    sync.sync();
    sync.beginRound();
    sync.sync();
    expect(sync.size).toBe(0);
    a.rq_total = 6;
    sync.beginRound();
    sync.track(a, 'x', LAYOUT);
    sync.sync();
    expect(values(store)['x.rq_total']).toBe(6);
  });

  it('leaves a gauge that never moved from 0 unused, and survives /reset_counters', () => {
    const store = createStatsStore();
    const sync = new StatsSync(store);
    const a = { rq_total: 0, members: 0, rq_active: 0 };
    sync.beginRound();
    sync.track(a, 'l', LAYOUT);
    sync.sync();
    expect(values(store)).toEqual({ 'l.rq_total': 0, 'l.rq_total:unused': true, 'l.members': 0, 'l.members:unused': true, 'l.rq_active': 0, 'l.rq_active:unused': true });
    a.rq_total = 7;
    sync.sync();
    store.resetCounters();
    a.rq_total = 9;
    sync.sync();
    expect(values(store)['l.rq_total']).toBe(2);
  });
});
