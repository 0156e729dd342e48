import { DEFAULT_STATS_CONFIG } from '@orion/configuration';
import { OrionError } from '@orion/error';
import { createStatsStore, defaultTagProducer } from '@orion/metrics';
import { describe, expect, it } from 'vitest';
import { ProxyErrorCode } from '../../src/error-codes.js';
import { ServerStats } from '../../src/stats/server-stats.js';
import { statsStoreOptions, statsTagProducer } from '../../src/stats/stats-config.js';

describe('statsStoreOptions', () => {
  it('passes stats_matcher and histogram_bucket_settings to the store, and nothing for the defaults', () => {
    expect(statsStoreOptions(DEFAULT_STATS_CONFIG)).toEqual({});
    const options = statsStoreOptions({
      ...DEFAULT_STATS_CONFIG,
      statsMatcher: { type: 'inclusionList', patterns: [{ type: 'prefix', value: 'http.', ignoreCase: false }] },
      histogramBucketSettings: [{ match: { type: 'suffix', value: '_time', ignoreCase: false }, buckets: [1, 2] }],
    });
    const store = createStatsStore(options);
    store.counter('cluster.a.upstream_rq_total').inc();
    store.histogram('http.a.downstream_rq_time').record(1);
    store.mergeHistograms();
    expect(store.snapshot().counters).toEqual([]);
    expect(store.snapshot().histograms.map((h) => [h.name, h.buckets])).toEqual([['http.a.downstream_rq_time', [1, 2]]]);
  });
});

describe('ServerStats with stats_config', () => {
  it('applies stats_matcher to server.* as Envoy does: reject_all leaves the primary with no stats', () => {
    const stats = new ServerStats({ concurrency: 1, statsConfig: { ...DEFAULT_STATS_CONFIG, statsMatcher: { type: 'rejectAll' } } });
    stats.refresh({ state: 'LIVE', live: true, workersStarted: true, uptimeS: 1, totalConnections: 0, activeListeners: 1 });
    expect(stats.store.size).toBe(0);
    expect(new ServerStats({ concurrency: 1 }).store.size).toBeGreaterThan(0);
  });
});

describe('statsTagProducer', () => {
  it('shares the default producer for the defaults and builds one with stats_tags', () => {
    expect(statsTagProducer(DEFAULT_STATS_CONFIG)).toBe(defaultTagProducer());
    const producer = statsTagProducer({ ...DEFAULT_STATS_CONFIG, statsTags: [{ tagName: 'region', fixedValue: 'eu' }] });
    expect(producer.produceTags('server.live').tags).toEqual([{ name: 'region', value: 'eu' }]);
  });

  it('refuses an empty regex naming no default tag with ORION_ERR_PROXY_STATS_CONFIG and the entry path', () => {
    let caught: unknown;
    try {
      statsTagProducer({ ...DEFAULT_STATS_CONFIG, statsTags: [{ tagName: 'ok', fixedValue: 'x' }, { tagName: 'no.such.tag', regex: '' }] });
    } catch (err) {
      caught = err;
    }
    expect(OrionError.is(caught, ProxyErrorCode.STATS_CONFIG)).toBe(true);
    expect((caught as Error).message).toMatch(/^stats_config\.stats_tags\[1\]: No regex specified/);
  });
});
