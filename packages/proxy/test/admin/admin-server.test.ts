import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bootstrap, CliOptions } from '@orion/configuration';
import { emptySnapshot } from '@orion/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminContext } from '../../src/admin/admin-context.js';
import { adminHandlers } from '../../src/admin/admin-handlers.js';
import { AdminServer, dispatch } from '../../src/admin/admin-server.js';
import { applyFieldMask, type EnvoyJsonSerializers } from '../../src/admin/config-dump.js';
import { clustersText } from '../../src/admin/clusters.js';
import type { AdminRequest } from '../../src/admin/url-handler.js';
import { createLogger } from '../../src/logging/logger.js';
import { streamLogDestination } from '../../src/logging/log-destination.js';
import type { LogLevelChange } from '../../src/worker/worker-messages.js';

const logger = createLogger({ logging: { level: 'info', components: {} }, destination: streamLogDestination({ write: () => true }) });
const serializers: EnvoyJsonSerializers = {
  bootstrap: () => ({}),
  listener: (l) => ({ name: l.name }),
  cluster: (c) => ({ name: c.name }),
  routeConfiguration: (r) => ({ name: r.name }),
  loadAssignment: (a) => ({ cluster_name: a.clusterName }),
  secret: (s) => ({ name: s.name }),
};

/** A context recording the commands it is given. */
function context(): AdminContext & { calls: string[] } {
  const calls: string[] = [];
  let failed = false;
  return {
    calls,
    options: { drainTimeS: 600 } as CliOptions,
    logger,
    bootstrap: () => ({}) as Bootstrap,
    snapshot: () => ({ version: 1, listeners: [], clusters: [], endpoints: [], secrets: [] }),
    times: () => ({ bootstrapLoadedMs: 0, startedMs: 0, updatedMs: new Map() }),
    state: () => (failed ? 'DRAINING' : 'LIVE'),
    uptimeS: () => 1,
    listeners: () => [['main', { type: 'socket', host: '127.0.0.1', port: 10000, family: 'IPv4' }]],
    stats: () => Promise.resolve({ snapshot: emptySnapshot(), clusters: [], missing: [] }),
    failHealthcheck: (fail) => {
      failed = fail;
      calls.push(`healthcheck ${String(fail)}`);
    },
    quit: () => calls.push('quit'),
    resetCounters: () => calls.push('reset'),
    reopenLogs: () => calls.push('reopen'),
    drainListeners: (r) => calls.push(`drain ${JSON.stringify(r)}`),
    setLogLevels: (c: LogLevelChange) => calls.push(`levels ${JSON.stringify(c)}`),
  };
}

function req(method: string, url: string): AdminRequest {
  const [path = '', rawQuery = ''] = url.split('?');
  return { method, path, rawQuery, query: new URLSearchParams(rawQuery) };
}

const handlers = adminHandlers(serializers);
const servers: AdminServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('admin dispatch', () => {
  it('answers a state-changing endpoint with 400 unless POST, and does nothing', async () => {
    const ctx = context();
    for (const path of ['/healthcheck/fail', '/quitquitquit', '/reset_counters', '/drain_listeners', '/logging', '/reopen_logs', '/healthcheck/ok']) {
      const r = await dispatch(handlers, req('GET', path), ctx, logger);
      expect([r.status, r.body]).toEqual([400, 'Method GET not allowed, POST required.']);
    }
    expect(ctx.calls).toEqual([]);
    expect((await dispatch(handlers, req('POST', '/drain_listeners?graceful&inboundonly'), ctx, logger)).body).toBe('OK\n');
    expect(ctx.calls).toEqual(['drain {"graceful":true,"inboundOnly":true}']);
  });

  it('answers an unknown path with 404 and the help text; matches paths exactly', async () => {
    const r = await dispatch(handlers, req('GET', '/stats/unknown'), context(), logger);
    expect(r.status).toBe(404);
    expect(r.body.split('\n').slice(0, 3)).toEqual(['invalid path. admin commands are:', '  /: Admin home page', '  /certs: print certs on machine']);
    expect(r.body).toContain('  /clusters: upstream cluster status\n      format: File format to use; One of (text, json)\n');
  });

  it('/ready follows the health-check state; /listeners prints name::address', async () => {
    const ctx = context();
    expect(await dispatch(handlers, req('GET', '/ready'), ctx, logger)).toEqual({ status: 200, body: 'LIVE\n' });
    await dispatch(handlers, req('POST', '/healthcheck/fail'), ctx, logger);
    expect(await dispatch(handlers, req('GET', '/ready'), ctx, logger)).toEqual({ status: 503, body: 'DRAINING\n' });
    expect((await dispatch(handlers, req('GET', '/listeners'), ctx, logger)).body).toBe('main::127.0.0.1:10000\n');
  });

  it('/logging parses levels and names as Envoy does', async () => {
    const ctx = context();
    expect((await dispatch(handlers, req('POST', '/logging?paths=config:debug,main:warning'), ctx, logger)).status).toBe(200);
    expect((await dispatch(handlers, req('POST', '/logging?nosuch=debug'), ctx, logger)).body.startsWith('error: unknown logger name\n')).toBe(true);
    expect((await dispatch(handlers, req('POST', '/logging?level=info&config=debug'), ctx, logger)).body.startsWith('error: invalid number of parameters\n')).toBe(true);
    expect(ctx.calls).toEqual(['levels {"components":{"config":"debug","main":"warn"}}']);
  });

  it('/stats answers a bad query with 400 and Envoy\'s message', async () => {
    const r = await dispatch(handlers, req('GET', '/stats?format=xml'), context(), logger);
    expect([r.status, r.body]).toEqual([400, 'usage: /stats?format=(html|active-html|json|prometheus|text)\n\n']);
  });
});

describe('applyFieldMask', () => {
  it('keeps the named paths (nested, through lists) and @type', () => {
    const value = { '@type': 't', a: 1, b: { c: 2, d: 3 }, e: [{ f: 1, g: 2 }] };
    expect(applyFieldMask(value, ['b.c', 'e.g'])).toEqual({ '@type': 't', b: { c: 2 }, e: [{ g: 2 }] });
    expect(applyFieldMask(value, ['a'])).toEqual({ '@type': 't', a: 1 });
  });
});

describe('clustersText', () => {
  it('prints Envoy\'s per-host lines', () => {
    const text = clustersText([
      {
        name: 'b',
        observabilityName: 'b',
        circuitBreakers: { default: { maxConnections: 1, maxPendingRequests: 2, maxRequests: 3, maxRetries: 4 }, high: { maxConnections: 5, maxPendingRequests: 6, maxRequests: 7, maxRetries: 8 } },
        hosts: [
          {
            address: '10.0.0.1:80',
            hostname: 'h',
            weight: 2,
            priority: 1,
            region: 'r',
            zone: 'z',
            subZone: 's',
            healthFlags: ['/failed_eds_health'],
            stats: { cx_active: 0, cx_connect_fail: 0, cx_total: 1, rq_active: 0, rq_error: 0, rq_success: 1, rq_timeout: 0, rq_total: 1 },
          },
        ],
      },
    ]);
    expect(text).toContain('b::high_priority::max_retries::8\nb::added_via_api::false\nb::10.0.0.1:80::cx_active::0\n');
    expect(text).toContain('b::10.0.0.1:80::health_flags::/failed_eds_health\nb::10.0.0.1:80::weight::2\nb::10.0.0.1:80::region::r\n');
  });
});

describe('AdminServer', () => {
  it('serves over HTTP on port 0 with Envoy\'s fallback headers', async () => {
    const server = await AdminServer.start({
      address: { type: 'socket', host: '127.0.0.1', port: 0, protocol: 'tcp', ipv4Compat: false },
      accessLogs: [],
      handlers,
      context: context(),
      logger,
    });
    servers.push(server);
    const at = server.address;
    if (at.type !== 'socket') throw new Error('expected a socket');
    const res = await fetch(`http://127.0.0.1:${at.port}/ready`);
    expect([res.status, await res.text()]).toEqual([200, 'LIVE\n']);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(res.headers.get('cache-control')).toBe('no-cache, max-age=0');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves on a Unix socket (a pipe admin.address)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'orion-admin-pipe-'));
    try {
      const path = join(dir, 'admin.sock');
      const server = await AdminServer.start({ address: { type: 'pipe', path, mode: 0 }, accessLogs: [], handlers, context: context(), logger });
      servers.push(server);
      expect(server.address).toEqual({ type: 'pipe', path });
      const body = await new Promise<string>((resolve, reject) => {
        const req = request({ socketPath: path, path: '/listeners' }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end();
      });
      expect(body).toBe('main::127.0.0.1:10000\n');
    } finally {
      for (const s of servers.splice(0)) await s.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
