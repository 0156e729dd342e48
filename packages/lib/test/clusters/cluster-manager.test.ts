import { OrionError } from '@orion/error';
import { describe, expect, it } from 'vitest';
import { ClusterManager, type DnsResolver } from '../../src/clusters/index.js';
import { LibErrorCode } from '../../src/error-codes.js';
import { assignment, cluster, seededRandom, staticCluster, tally } from './cluster-config.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

/** A resolver answering from a table that tests change; counts calls. */
function fakeResolver(table: Record<string, readonly string[] | Error>): DnsResolver & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    resolve(hostname, family) {
      calls.push(`${hostname}/${family}`);
      const answer = table[hostname];
      if (answer === undefined) return Promise.reject(new Error(`ENOTFOUND ${hostname}`));
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve(answer);
    },
  };
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('ClusterManager', () => {
  describe('STATIC clusters', () => {
    it('exposes hosts with address, label, hostname, weight, priority, locality and health', async () => {
      const m = ClusterManager.create([
        staticCluster('c', [
          { host: '10.0.0.1', port: 8080, weight: 5, hostname: 'a.example' },
          { host: '::1', port: 9090, priority: 1, health: 'degraded' },
          { path: '/tmp/upstream.sock' },
        ]),
      ]);
      await m.ready();
      const c = m.get('c');
      expect(c?.hosts.map((h) => [h.label, h.hostname, h.weight, h.priority, h.healthStatus])).toEqual([
        ['10.0.0.1:8080', 'a.example', 5, 0, 'unknown'],
        ['[::1]:9090', '', 1, 1, 'degraded'],
        ['/tmp/upstream.sock', '', 1, 0, 'unknown'],
      ]);
      expect(c?.hosts[0]?.address).toEqual({ type: 'socket', host: '10.0.0.1', port: 8080 });
      expect(c?.hosts[2]?.address).toEqual({ type: 'pipe', path: '/tmp/upstream.sock' });
      expect(c?.counters).toMatchObject({ membership_total: 3, membership_healthy: 2, membership_degraded: 1, max_host_weight: 5 });
      expect(c?.statName).toBe('c');
      await m.close();
    });

    it('rejects a STATIC endpoint that is a host name, naming the cluster', () => {
      const err = thrown(() => ClusterManager.create([staticCluster('bad', [{ host: 'backend.internal' }])]));
      expect(OrionError.is(err, LibErrorCode.CLUSTER_INVALID)).toBe(true);
      expect(String(err)).toContain('building cluster "bad"');
    });

    it('rejects two clusters with one name', () => {
      const err = thrown(() => ClusterManager.create([staticCluster('a', []), staticCluster('a', [])]));
      expect(OrionError.is(err, LibErrorCode.CLUSTER_DUPLICATE)).toBe(true);
    });
  });

  describe('health and priorities', () => {
    it('excludes UNHEALTHY, DRAINING and TIMEOUT hosts (panic mode off)', () => {
      const m = ClusterManager.create([
        {
          ...staticCluster('c', [
            { port: 1, health: 'unhealthy' },
            { port: 2, health: 'draining' },
            { port: 3, health: 'timeout' },
            { port: 4, health: 'healthy' },
            { port: 5, health: 'unknown' },
          ]),
          healthyPanicThresholdPercent: 0,
        },
      ]);
      expect(Object.keys(tally(() => m.get('c')?.chooseHost(), 100)).sort()).toEqual(['127.0.0.1:4', '127.0.0.1:5']);
      expect(m.get('c')?.counters.membership_excluded).toBe(3);
    });

    it('returns no host and counts upstream_cx_none_healthy when every host is excluded and panic mode is off (healthy_panic_threshold 0)', () => {
      const m = ClusterManager.create([{ ...staticCluster('c', [{ port: 1, health: 'unhealthy' }]), healthyPanicThresholdPercent: 0 }, staticCluster('empty', [])]);
      expect(m.get('c')?.chooseHost()).toBeUndefined();
      expect(m.get('empty')?.chooseHost()).toBeUndefined();
      expect(m.get('c')?.counters.upstream_cx_none_healthy).toBe(1);
    });

    it('sends all traffic to priority 0 while it is healthy enough (overprovisioning 1.4)', () => {
      const m = ClusterManager.create(
        [staticCluster('c', [{ port: 1 }, { port: 2 }, { port: 3 }, { port: 4, health: 'unhealthy' }, { port: 10, priority: 1 }])],
        { random: seededRandom(1) },
      );
      const counts = tally(() => m.get('c')?.chooseHost(), 1000);
      expect(counts['127.0.0.1:10']).toBeUndefined();
    });

    it('spills over to priority 1 in proportion to priority 0 health', () => {
      // P0: 1 of 4 healthy → availability min(100, 140 × 1/4) = 35 %; P1 takes the other 65 % (panic mode off, or
      // P0's 35 % would go to all four of its hosts).
      const m = ClusterManager.create(
        [
          {
            ...staticCluster('c', [
              { port: 1 },
              { port: 2, health: 'unhealthy' },
              { port: 3, health: 'unhealthy' },
              { port: 4, health: 'unhealthy' },
              { port: 10, priority: 1 },
            ]),
            healthyPanicThresholdPercent: 0,
          },
        ],
        { random: seededRandom(2) },
      );
      const counts = tally(() => m.get('c')?.chooseHost(), 10_000);
      expect(counts['127.0.0.1:1']).toBeGreaterThan(3200);
      expect(counts['127.0.0.1:1']).toBeLessThan(3800);
      expect(counts['127.0.0.1:10']).toBeGreaterThan(6200);
    });

    it('in panic (under healthy_panic_threshold, 50 % by default) chooses among all hosts of the priority and counts lb_healthy_panic', () => {
      const m = ClusterManager.create(
        [
          staticCluster('c', [
            { port: 1, health: 'unhealthy' },
            { port: 2, health: 'unhealthy' },
            { port: 3, health: 'unhealthy' },
            { port: 4 },
            { port: 5 },
          ]),
        ],
        { random: seededRandom(5) },
      );
      // 2 of 5 healthy (40 %) is under 50 %: Envoy's panic mode spreads over every host.
      expect(Object.keys(tally(() => m.get('c')?.chooseHost(), 1000)).sort()).toEqual(['127.0.0.1:1', '127.0.0.1:2', '127.0.0.1:3', '127.0.0.1:4', '127.0.0.1:5']);
      expect(m.get('c')?.counters.lb_healthy_panic).toBe(1000);
      // At 60 % (a threshold of 50) there is no panic.
      const calm = ClusterManager.create([staticCluster('c', [{ port: 1, health: 'unhealthy' }, { port: 2, health: 'unhealthy' }, { port: 3 }, { port: 4 }, { port: 5 }])], { random: seededRandom(6) });
      expect(Object.keys(tally(() => calm.get('c')?.chooseHost(), 1000)).sort()).toEqual(['127.0.0.1:3', '127.0.0.1:4', '127.0.0.1:5']);
      expect(calm.get('c')?.counters.lb_healthy_panic).toBe(0);
    });

    it('with no healthy host anywhere, splits the load over the priorities by their host counts (total panic)', () => {
      const m = ClusterManager.create(
        [
          staticCluster('c', [
            { port: 1, health: 'unhealthy' },
            { port: 2, health: 'unhealthy' },
            { port: 3, health: 'unhealthy' },
            { port: 10, priority: 1, health: 'unhealthy' },
          ]),
        ],
        { random: seededRandom(7) },
      );
      const counts = tally(() => m.get('c')?.chooseHost(), 10_000);
      // P0 has 3 of the 4 hosts: 75 % of the load; P1 25 %.
      const p0 = (counts['127.0.0.1:1'] ?? 0) + (counts['127.0.0.1:2'] ?? 0) + (counts['127.0.0.1:3'] ?? 0);
      expect(p0).toBeGreaterThan(7100);
      expect(p0).toBeLessThan(7900);
      expect(counts['127.0.0.1:10']).toBeGreaterThan(2100);
      expect(m.get('c')?.counters.upstream_cx_none_healthy).toBe(0);
    });

    it('honours the load assignment overprovisioning factor', () => {
      // Factor 100: P0 with 1 of 2 healthy keeps only 50 %.
      const m = ClusterManager.create([staticCluster('c', [{ port: 1 }, { port: 2, health: 'unhealthy' }, { port: 10, priority: 1 }], undefined, 100)], {
        random: seededRandom(3),
      });
      const counts = tally(() => m.get('c')?.chooseHost(), 10_000);
      expect(counts['127.0.0.1:1']).toBeGreaterThan(4600);
      expect(counts['127.0.0.1:1']).toBeLessThan(5400);
    });

    it('uses degraded hosts only for what healthy hosts cannot take', () => {
      const allDegraded = ClusterManager.create([staticCluster('c', [{ port: 1, health: 'degraded' }, { port: 2, health: 'unhealthy' }])]);
      expect(allDegraded.get('c')?.chooseHost()?.label).toBe('127.0.0.1:1');
      const healthyEnough = ClusterManager.create(
        [staticCluster('c', [{ port: 1 }, { port: 2 }, { port: 3 }, { port: 4, health: 'degraded' }])],
        { random: seededRandom(4) },
      );
      expect(tally(() => healthyEnough.get('c')?.chooseHost(), 1000)['127.0.0.1:4']).toBeUndefined();
    });
  });

  describe('ORIGINAL_DST clusters', () => {
    const originalDst = (portOverride?: number, cleanupIntervalMs = 5000) =>
      cluster('orig', {
        type: 'originalDst',
        httpHeaderName: 'x-envoy-original-dst-host',
        cleanupIntervalMs,
        ...(portOverride === undefined ? {} : { upstreamPortOverride: portOverride }),
      });

    it('takes the host from the request header', async () => {
      const m = ClusterManager.create([originalDst()]);
      const headers: Record<string, string> = { 'x-envoy-original-dst-host': '10.1.2.3:8443' };
      const ctx = { getHeader: (name: string) => headers[name] };
      const host = m.get('orig')?.chooseHost(ctx);
      expect(host?.label).toBe('10.1.2.3:8443');
      expect(m.get('orig')?.chooseHost(ctx)).toBe(host);
      headers['x-envoy-original-dst-host'] = '[2001:db8::1]:80';
      expect(m.get('orig')?.chooseHost(ctx)?.address).toEqual({ type: 'socket', host: '2001:db8::1', port: 80 });
      expect(m.get('orig')?.counters.membership_total).toBe(2);
      await m.close();
    });

    it('applies upstream_port_override', async () => {
      const m = ClusterManager.create([originalDst(9000)]);
      expect(m.get('orig')?.chooseHost({ getHeader: () => '10.0.0.1:80' })?.label).toBe('10.0.0.1:9000');
      await m.close();
    });

    it.each([undefined, 'example.com:80', '10.0.0.1', '10.0.0.1:99999', '[::1]80'])('finds no host for %j', async (value) => {
      const m = ClusterManager.create([originalDst()]);
      expect(m.get('orig')?.chooseHost({ getHeader: () => value })).toBeUndefined();
      expect(m.get('orig')?.chooseHost()).toBeUndefined();
      expect(m.get('orig')?.counters).toMatchObject({ original_dst_host_invalid: 2, upstream_cx_none_healthy: 2 });
      await m.close();
    });

    it('forgets hosts unused for a cleanup interval, but not busy ones', async () => {
      const m = ClusterManager.create([originalDst(undefined, 20)]);
      const c = m.get('orig');
      const removed: string[] = [];
      c?.onMembershipChange((_added, gone) => removed.push(...gone.map((h) => h.label)));
      c?.chooseHost({ getHeader: () => '10.0.0.1:80' });
      c?.chooseHost({ getHeader: () => '10.0.0.2:80' })?.connectionStarted();
      await until(() => removed.length > 0);
      expect(removed).toEqual(['10.0.0.1:80']);
      expect(c?.hosts.map((h) => h.label)).toEqual(['10.0.0.2:80']);
      await m.close();
    });
  });

  describe('STRICT_DNS and LOGICAL_DNS clusters', () => {
    const dnsCluster = (type: 'strictDns' | 'logicalDns', hosts: string[], dnsRefreshRateMs = 5000, family: 'auto' | 'v4Only' = 'auto') =>
      cluster('dns', {
        type,
        loadAssignment: assignment(hosts.map((host, i) => ({ host, port: 8000 + i }))),
        dnsRefreshRateMs,
        respectDnsTtl: false,
        dnsLookupFamily: family,
      });

    it('makes one host per resolved address of every endpoint', async () => {
      const resolver = fakeResolver({ 'a.test': ['10.0.0.1', '10.0.0.2'], 'b.test': ['10.0.1.1'] });
      const m = ClusterManager.create([dnsCluster('strictDns', ['a.test', 'b.test'])], { resolver });
      await m.ready();
      expect(m.get('dns')?.hosts.map((h) => [h.label, h.hostname])).toEqual([
        ['10.0.0.1:8000', 'a.test'],
        ['10.0.0.2:8000', 'a.test'],
        ['10.0.1.1:8001', 'b.test'],
      ]);
      expect(resolver.calls).toEqual(['a.test/auto', 'b.test/auto']);
      expect(m.get('dns')?.counters).toMatchObject({ update_attempt: 2, update_success: 2, membership_total: 3 });
      await m.close();
    });

    it('re-resolves every dns_refresh_rate and keeps the last good answer on failure', async () => {
      const table: Record<string, readonly string[] | Error> = { 'a.test': ['10.0.0.1'] };
      const resolver = fakeResolver(table);
      const m = ClusterManager.create([dnsCluster('strictDns', ['a.test'], 10)], { resolver });
      await m.ready();
      const c = m.get('dns');
      const first = c?.hosts[0];
      table['a.test'] = new Error('SERVFAIL');
      await until(() => (c?.counters.update_failure ?? 0) >= 2);
      expect(c?.hosts).toEqual([first]);
      table['a.test'] = ['10.0.0.1', '10.0.0.9'];
      await until(() => c?.hosts.length === 2);
      // The surviving host keeps its identity (and counters).
      expect(c?.hosts[0]).toBe(first);
      await m.close();
      const calls = resolver.calls.length;
      await new Promise((r) => setTimeout(r, 40));
      expect(resolver.calls.length).toBe(calls);
    });

    it('uses only the first address for LOGICAL_DNS', async () => {
      const resolver = fakeResolver({ 'a.test': ['10.0.0.5', '10.0.0.6'] });
      const m = ClusterManager.create([dnsCluster('logicalDns', ['a.test'])], { resolver });
      await m.ready();
      expect(m.get('dns')?.hosts.map((h) => h.label)).toEqual(['10.0.0.5:8000']);
      expect(m.get('dns')?.chooseHost()?.hostname).toBe('a.test');
      await m.close();
    });

    it('is ready with no hosts when the first resolution fails', async () => {
      const m = ClusterManager.create([dnsCluster('strictDns', ['missing.test'])], { resolver: fakeResolver({}) });
      await m.ready();
      expect(m.get('dns')?.chooseHost()).toBeUndefined();
      expect(m.get('dns')?.counters.update_failure).toBe(1);
      await m.close();
    });

    it('resolves localhost with the system resolver', async () => {
      const m = ClusterManager.create([dnsCluster('strictDns', ['localhost'], 5000, 'v4Only')]);
      await m.ready();
      expect(m.get('dns')?.hosts.map((h) => h.label)).toContain('127.0.0.1:8000');
      await m.close();
    });
  });

  describe('update', () => {
    it('adds, replaces and removes clusters and keeps unchanged ones with their state', async () => {
      const m = ClusterManager.create([staticCluster('keep', [{ port: 1 }]), staticCluster('change', [{ port: 2 }]), staticCluster('drop', [{ port: 3 }])]);
      const keep = m.get('keep');
      const change = m.get('change');
      const drop = m.get('drop');
      keep?.chooseHost()?.requestStarted();
      const result = await m.update([staticCluster('keep', [{ port: 1 }]), staticCluster('change', [{ port: 4 }]), staticCluster('new', [{ port: 5 }])]);
      expect(result).toEqual({ added: ['new'], updated: ['change'], removed: ['drop'], unchanged: ['keep'] });
      expect(m.get('keep')).toBe(keep);
      expect(m.get('keep')?.counters.upstream_rq_active).toBe(1);
      expect(m.get('change')?.hosts[0]?.label).toBe('127.0.0.1:4');
      expect(m.get('drop')).toBeUndefined();
      expect([keep?.signal.aborted, change?.signal.aborted, drop?.signal.aborted]).toEqual([false, true, true]);
      expect(m.clusters.map((c) => c.name)).toEqual(['keep', 'change', 'new']);
      await m.close();
      expect(keep?.signal.aborted).toBe(true);
    });

    it('changes nothing when a new cluster cannot be built', async () => {
      const m = ClusterManager.create([staticCluster('a', [{ port: 1 }])]);
      const a = m.get('a');
      await expect(m.update([staticCluster('b', [{ host: 'not-an-ip' }])])).rejects.toSatisfy((e: unknown) => String(e).includes('building cluster "b"'));
      expect(m.get('a')).toBe(a);
      await m.close();
    });

    it('warms DNS clusters before swapping them in', async () => {
      let release: () => void = () => undefined;
      const resolver: DnsResolver = {
        resolve: () =>
          new Promise((resolve) => {
            release = () => resolve(['10.0.0.1']);
          }),
      };
      const m = ClusterManager.create([], { resolver });
      const dns = cluster('dns', { type: 'strictDns', loadAssignment: assignment([{ host: 'a.test' }]), dnsRefreshRateMs: 5000, respectDnsTtl: false, dnsLookupFamily: 'auto' });
      const pending = m.update([dns]);
      await new Promise((r) => setTimeout(r, 10));
      expect(m.get('dns')).toBeUndefined();
      release();
      await pending;
      expect(m.get('dns')?.hosts).toHaveLength(1);
      await m.close();
    });

    it('replaces the endpoints of an EDS cluster', async () => {
      const m = ClusterManager.create([cluster('eds', { type: 'eds', serviceName: 'eds', loadAssignment: assignment([{ port: 1 }]) })]);
      const c = m.get('eds');
      const first = c?.hosts[0];
      const events: string[] = [];
      c?.onMembershipChange((added, removed) => events.push(`+${added.map((h) => h.label).join()} -${removed.map((h) => h.label).join()}`));
      expect(m.updateLoadAssignment('eds', assignment([{ port: 1, weight: 3 }, { port: 2 }]))).toBe(true);
      expect(c?.hosts[0]).toBe(first);
      expect(first?.weight).toBe(3);
      expect(events).toEqual(['+127.0.0.1:2 -']);
      expect(m.updateLoadAssignment('missing', assignment([]))).toBe(false);
      await m.close();
    });

    it('refuses work after close and closes when its signal aborts', async () => {
      const controller = new AbortController();
      const m = ClusterManager.create([staticCluster('a', [{ port: 1 }])], { signal: controller.signal });
      const a = m.get('a');
      controller.abort();
      expect(a?.signal.aborted).toBe(true);
      await expect(m.update([])).rejects.toSatisfy((e: unknown) => OrionError.is(e, LibErrorCode.MANAGER_CLOSED));
    });
  });

  describe('limits', () => {
    it('apply Envoy defaults and split the configured thresholds across workers', () => {
      const m = ClusterManager.create(
        [
          staticCluster('defaults', []),
          { ...staticCluster('configured', []), circuitBreakers: [{ priority: 'high', maxConnections: 10, maxPendingRequests: 7, maxRequests: 5, maxRetries: 3 }] },
        ],
        { workers: 4 },
      );
      expect(m.get('defaults')?.limits.default).toEqual({ maxConnections: 256, maxPendingRequests: 256, maxRequests: 256, maxRetries: 1 });
      expect(m.get('configured')?.limits.high).toEqual({ maxConnections: 3, maxPendingRequests: 2, maxRequests: 2, maxRetries: 1 });
    });
  });

  describe('UpstreamHost counters', () => {
    it('update the host and the cluster together', () => {
      const m = ClusterManager.create([staticCluster('c', [{ port: 1 }])]);
      const c = m.get('c');
      const h = c?.chooseHost();
      h?.connectionStarted();
      h?.connectionStarted();
      h?.connectFailed(true);
      h?.requestStarted();
      h?.requestFinished('timeout');
      h?.addBytes(10, 20);
      expect(h?.counters).toMatchObject({ cx_total: 2, cx_active: 1, cx_connect_fail: 1, rq_total: 1, rq_active: 0, rq_timeout: 1, rq_error: 1 });
      expect(c?.counters).toMatchObject({
        upstream_cx_total: 2,
        upstream_cx_active: 1,
        upstream_cx_connect_fail: 1,
        upstream_cx_connect_timeout: 1,
        upstream_cx_destroy: 1,
        // The router counts upstream_rq_timeout (route timeouts), not the host.
        upstream_rq_timeout: 0,
        upstream_cx_rx_bytes_total: 10,
        upstream_cx_tx_bytes_total: 20,
      });
    });

    it('serve the connection manager port (target, onRequestStart, onRequestEnd, observabilityName)', () => {
      const m = ClusterManager.create([{ ...staticCluster('c', [{ port: 1 }]), statName: 'c-stats' }]);
      const c = m.get('c');
      const h = c?.chooseHost({ getHeader: () => undefined });
      expect(h?.target).toEqual({ type: 'socket', host: '127.0.0.1', port: 1 });
      h?.onRequestStart();
      h?.onRequestStart();
      h?.onRequestEnd(true);
      h?.onRequestEnd(false);
      expect(h?.counters).toMatchObject({ rq_total: 2, rq_active: 0, rq_success: 1, rq_error: 1 });
      expect(c?.observabilityName).toBe('c-stats');
    });
  });
});
