import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsConnections } from '../../src/orion/accepts-connections.js';
import { adminRequest, startAdminOrion, type AdminOrion } from '../../src/orion/admin.js';
import { httpUpstream, type TestUpstream } from '../../src/orion/upstreams.js';
import { adminTestConfig } from './admin-config.js';

/** The drain period (`--drain-time-s`): long enough for the 200 requests on a loaded machine. */
const DRAIN_S = 4;

let upstream: TestUpstream;
let proxy: AdminOrion;

beforeAll(async () => {
  upstream = await httpUpstream('backend', (req, res) => {
    // `/slow` takes 800 ms, so requests are in flight when the listeners stop.
    setTimeout(() => res.end('backend\n'), req.url === '/slow' ? 800 : 0);
  });
  // `immediate`: every response of the drain period carries `Connection: close` (with Envoy's default `gradual`
  // only a growing share does).
  proxy = await startAdminOrion(adminTestConfig({ upstreamPort: upstream.port }), ['--concurrency', '2', '--drain-time-s', String(DRAIN_S), '--drain-strategy', 'immediate']);
});

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
});

describe('/drain_listeners?graceful under load', () => {
  it('keeps serving through the drain period with Connection: close on every response, loses none of 200 keep-alive requests, then stops accepting', async () => {
    const hostPort = proxy.listeners.get('listener_http') ?? '';
    const pool = new Pool(`http://${hostPort}`, { connections: 8, pipelining: 1 });
    try {
      // Warm the keep-alive connections, then drain while they are open.
      const warm = await Promise.all(Array.from({ length: 8 }, () => pool.request({ path: '/direct', method: 'GET' }).then(async (r) => (await r.body.text(), r.headers['connection']))));
      // Envoy sends no Connection header on an HTTP/1.1 response that keeps its connection.
      expect(warm.every((c) => c === undefined)).toBe(true);
      const drainedAt = Date.now();
      const answer = await adminRequest(proxy.adminUrl, '/drain_listeners?graceful', 'POST');
      expect([answer.status, answer.body]).toEqual([200, 'OK\n']);
      // 200 requests over the keep-alive connections during the drain period (bounded: 10 at a time).
      const statuses: number[] = [];
      const connectionHeaders = new Set<string>();
      for (let batch = 0; batch < 20; batch++) {
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            pool.request({ path: (batch + i) % 2 === 0 ? '/direct' : '/proxied', method: 'GET' }).then(async (r) => {
              await r.body.text();
              connectionHeaders.add(String(r.headers['connection']));
              return r.statusCode;
            }),
          ),
        );
        statuses.push(...results);
      }
      expect(Date.now() - drainedAt).toBeLessThan(DRAIN_S * 1000 - 600);
      expect(statuses).toHaveLength(200);
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect([...connectionHeaders]).toEqual(['close']);
      // As Envoy: the drain changes neither server.state nor /ready (they follow /healthcheck/fail only).
      expect((await adminRequest(proxy.adminUrl, '/ready')).body).toBe('LIVE\n');
      expect((await adminRequest(proxy.adminUrl, '/stats?filter=^server\\.state$')).body).toBe('server.state: 0\n');
      // Slow requests still in flight when the listeners stop finish too.
      await new Promise((r) => setTimeout(r, Math.max(0, DRAIN_S * 1000 - 400 - (Date.now() - drainedAt))));
      const slow = await Promise.all(Array.from({ length: 4 }, () => pool.request({ path: '/slow', method: 'GET' }).then(async (r) => (await r.body.text(), r.statusCode))));
      expect(slow).toEqual([200, 200, 200, 200]);
    } finally {
      await pool.destroy();
    }
    // After the drain period the listener no longer accepts, and the admin API says so.
    const deadline = Date.now() + 10_000;
    let stillAccepting = true;
    while (Date.now() < deadline && stillAccepting) {
      stillAccepting = await acceptsConnections(hostPort);
      if (stillAccepting) await new Promise((r) => setTimeout(r, 200));
    }
    expect(stillAccepting).toBe(false);
    expect((await adminRequest(proxy.adminUrl, '/listeners')).body).toBe('');
    const stopped = await adminRequest(proxy.adminUrl, '/stats?filter=listener_manager\\.listener_stopped');
    expect(stopped.body).toBe('listener_manager.listener_stopped: 1\n');
    // The process keeps running, admin included.
    expect((await adminRequest(proxy.adminUrl, '/ready')).status).toBe(200);
  });
});
