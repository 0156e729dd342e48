import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMessage } from '@orion/data-plane-api';
import { CertificatesSchema } from '@orion/data-plane-api/gen/envoy/admin/v3/certs_pb.js';
import { ConfigDumpSchema } from '@orion/data-plane-api/gen/envoy/admin/v3/config_dump_pb.js';
import { MemorySchema } from '@orion/data-plane-api/gen/envoy/admin/v3/memory_pb.js';
import { ServerInfoSchema, ServerInfo_State } from '@orion/data-plane-api/gen/envoy/admin/v3/server_info_pb.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRequest, startAdminOrion, type AdminOrion } from '../../src/orion/admin.js';
import { curl } from '../../src/orion/curl.js';
import { httpUpstream, type TestUpstream } from '../../src/orion/upstreams.js';
import { adminTestConfig } from './admin-config.js';

const PRIVATE_KEY_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDTestKeyMaterial';
const SECRETS = `  secrets:
    - name: server_cert
      tls_certificate:
        certificate_chain: { inline_string: "-----BEGIN CERTIFICATE-----\\nMIIBszCCAVmgAwIBAgIUTestCertificate\\n-----END CERTIFICATE-----\\n" }
        private_key: { inline_string: "-----BEGIN PRIVATE KEY-----\\n${PRIVATE_KEY_BODY}\\n-----END PRIVATE KEY-----\\n" }
`;

const POST_ONLY = ['/healthcheck/fail', '/healthcheck/ok', '/drain_listeners', '/quitquitquit', '/logging', '/reset_counters', '/reopen_logs'];

let upstream: TestUpstream;
let proxy: AdminOrion;
let dir: string;
let base: string;

async function statValue(name: string): Promise<string | undefined> {
  const r = await adminRequest(proxy.adminUrl, `/stats?filter=^${name.replace(/\./g, '\\.')}$`);
  return /: (\S+)$/m.exec(r.body)?.[1];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orion-admin-log-'));
  upstream = await httpUpstream('backend');
  proxy = await startAdminOrion(adminTestConfig({ upstreamPort: upstream.port, extraStatic: SECRETS, adminAccessLog: join(dir, 'admin.log') }), ['--concurrency', '1']);
  base = `http://${proxy.listeners.get('listener_http') ?? ''}`;
});

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the admin API (one process)', () => {
  it('/server_info decodes as envoy.admin.v3.ServerInfo (strict) and says LIVE', async () => {
    const r = await adminRequest(proxy.adminUrl, '/server_info');
    expect(r.status).toBe(200);
    expect(r.contentType).toBe('application/json');
    const { message } = await decodeMessage(ServerInfoSchema, JSON.parse(r.body));
    expect(message.state).toBe(ServerInfo_State.LIVE);
    expect(message.commandLineOptions?.concurrency).toBe(1);
    expect(message.commandLineOptions?.configPath).toBe(proxy.configPath);
    expect(message.hotRestartVersion).toBe('disabled');
  });

  it('/config_dump decodes as envoy.admin.v3.ConfigDump (strict), in Envoy\'s order, and holds no private key material', async () => {
    const r = await adminRequest(proxy.adminUrl, '/config_dump');
    expect(r.status).toBe(200);
    expect(r.contentType).toBe('application/json');
    const json = JSON.parse(r.body) as { configs: { '@type': string }[] };
    await decodeMessage(ConfigDumpSchema, json);
    expect(json.configs.map((c) => c['@type'].split('.').pop())).toEqual(['BootstrapConfigDump', 'ClustersConfigDump', 'ListenersConfigDump', 'RoutesConfigDump', 'SecretsConfigDump']);
    expect(r.body).not.toContain(PRIVATE_KEY_BODY);
    expect(r.body).not.toContain('BEGIN PRIVATE KEY');
    expect(r.body).toContain('[redacted]');
    // The certificate itself is not secret.
    expect(r.body).toContain('MIIBszCCAVmgAwIBAgIUTestCertificate');
    const routes = json.configs[3] as unknown as { static_route_configs: { route_config: { name: string }; last_updated: string }[] };
    expect(routes.static_route_configs.map((s) => s.route_config.name)).toEqual(['local_route']);
    expect(Number.isNaN(Date.parse(routes.static_route_configs[0]?.last_updated ?? ''))).toBe(false);
  });

  it('/config_dump?resource=, ?mask=, ?name_regex= and ?include_eds select as Envoy does', async () => {
    const clusters = JSON.parse((await adminRequest(proxy.adminUrl, '/config_dump?resource=static_clusters')).body) as { configs: { '@type': string; cluster: { name: string } }[] };
    await decodeMessage(ConfigDumpSchema, clusters);
    expect(clusters.configs.map((c) => [c['@type'], c.cluster.name])).toEqual([['type.googleapis.com/envoy.admin.v3.ClustersConfigDump.StaticCluster', 'backend']]);

    const masked = JSON.parse((await adminRequest(proxy.adminUrl, '/config_dump?resource=static_listeners&mask=last_updated')).body) as { configs: Record<string, unknown>[] };
    expect(masked.configs.map((c) => Object.keys(c).sort())).toEqual([['@type', 'last_updated']]);

    const none = JSON.parse((await adminRequest(proxy.adminUrl, '/config_dump?resource=static_clusters&name_regex=^nomatch$')).body) as { configs: unknown[] };
    expect(none.configs).toEqual([]);

    const eds = JSON.parse((await adminRequest(proxy.adminUrl, '/config_dump?include_eds')).body) as { configs: { '@type': string }[] };
    await decodeMessage(ConfigDumpSchema, eds);
    expect(eds.configs.map((c) => c['@type'].split('.').pop())).toContain('EndpointsConfigDump');

    const missing = await adminRequest(proxy.adminUrl, '/config_dump?resource=no_such_field');
    expect(missing.status).toBe(404);
  });

  it('/memory and /certs decode as envoy.admin.v3.Memory and Certificates', async () => {
    const memory = JSON.parse((await adminRequest(proxy.adminUrl, '/memory')).body) as unknown;
    const { message } = await decodeMessage(MemorySchema, memory);
    expect(message.allocated).toBeGreaterThan(0n);
    await decodeMessage(CertificatesSchema, JSON.parse((await adminRequest(proxy.adminUrl, '/certs')).body) as unknown);
  });

  it('answers GET on each POST-only endpoint with 400 and changes nothing', async () => {
    await curl(`${base}/direct`);
    const before = await statValue('http.ingress_http.downstream_rq_total');
    expect(Number(before)).toBeGreaterThan(0);
    for (const path of POST_ONLY) {
      const r = await adminRequest(proxy.adminUrl, `${path}?level=trace&graceful`);
      expect([path, r.status, r.body]).toEqual([path, 400, 'Method GET not allowed, POST required.']);
    }
    expect((await adminRequest(proxy.adminUrl, '/ready')).body).toBe('LIVE\n');
    expect(await statValue('http.ingress_http.downstream_rq_total')).toBe(before);
    expect((await adminRequest(proxy.adminUrl, '/logging', 'POST')).body).toContain('  dataplane: info\n');
    expect((await curl(`${base}/direct`)).status).toBe(200);
    expect(proxy.orion.child.exitCode).toBeNull();
  });

  it('/healthcheck/fail makes /ready answer 503 DRAINING and server.state 1; /healthcheck/ok restores LIVE', async () => {
    expect((await adminRequest(proxy.adminUrl, '/healthcheck/fail', 'POST')).body).toBe('OK\n');
    const failing = await adminRequest(proxy.adminUrl, '/ready');
    expect([failing.status, failing.body]).toEqual([503, 'DRAINING\n']);
    expect(await statValue('server.state')).toBe('1');
    // Traffic is still served: only health checks fail.
    expect((await curl(`${base}/direct`)).status).toBe(200);
    expect((await adminRequest(proxy.adminUrl, '/healthcheck/ok', 'POST')).body).toBe('OK\n');
    const ok = await adminRequest(proxy.adminUrl, '/ready');
    expect([ok.status, ok.body]).toEqual([200, 'LIVE\n']);
    expect(await statValue('server.state')).toBe('0');
  });

  it('/reset_counters sets every counter to 0', async () => {
    await curl(`${base}/direct`);
    expect(Number(await statValue('http.ingress_http.downstream_rq_total'))).toBeGreaterThan(0);
    expect((await adminRequest(proxy.adminUrl, '/reset_counters', 'POST')).body).toBe('OK\n');
    expect(await statValue('http.ingress_http.downstream_rq_total')).toBe('0');
    await curl(`${base}/direct`);
    expect(await statValue('http.ingress_http.downstream_rq_total')).toBe('1');
  });

  it('/logging?level= and ?<logger>= change levels; a bad level answers 400 with Envoy\'s usage', async () => {
    const one = await adminRequest(proxy.adminUrl, '/logging?config=debug', 'POST');
    expect(one.body).toContain('  config: debug\n');
    const all = await adminRequest(proxy.adminUrl, '/logging?level=warning', 'POST');
    expect(all.body).toBe('active loggers:\n  admin: warning\n  config: warning\n  dataplane: warning\n  main: warning\n  worker: warning\n\n');
    const bad = await adminRequest(proxy.adminUrl, '/logging?level=loud', 'POST');
    expect(bad.status).toBe(400);
    expect(bad.body.startsWith('error: unknown logger level\n\nusage: /logging?<name>=<level> (change single level)\n')).toBe(true);
    await adminRequest(proxy.adminUrl, '/logging?level=info', 'POST');
  });

  it('answers an unknown path with 404 and Envoy\'s "invalid path." help; /help and / list the endpoints', async () => {
    const r = await adminRequest(proxy.adminUrl, '/no_such_endpoint');
    expect(r.status).toBe(404);
    expect(r.body.startsWith('invalid path. admin commands are:\n  /: Admin home page\n  /certs: print certs on machine\n')).toBe(true);
    const help = await adminRequest(proxy.adminUrl, '/help');
    expect(help.body).toContain('  /healthcheck/fail (POST): cause the server to fail health checks\n');
    expect(help.body).toContain('  /stats/prometheus: print server stats in prometheus format\n');
    const home = await adminRequest(proxy.adminUrl, '/');
    expect(home.contentType).toBe('text/html; charset=UTF-8');
    expect(home.body).toContain('<form action="quitquitquit" method="post">');
    expect(home.headers['x-content-type-options']).toBe('nosniff');
    expect(home.headers['cache-control']).toBe('no-cache, max-age=0');
  });

  it('writes one admin access-log line per request with @orion/format', async () => {
    await adminRequest(proxy.adminUrl, '/ready?probe=1');
    const deadline = Date.now() + 5_000;
    let text = '';
    while (Date.now() < deadline) {
      text = await readFile(join(dir, 'admin.log'), 'utf8').catch(() => '');
      if (text.includes('GET /ready?probe=1 200')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(text).toContain('GET /ready?probe=1 200\n');
    expect(text).toContain('GET /no_such_endpoint 404\n');
  });
});

describe('/quitquitquit', () => {
  it('answers OK and the process exits 0', async () => {
    const other = await startAdminOrion(adminTestConfig({ upstreamPort: upstream.port }), ['--concurrency', '1']);
    try {
      expect((await adminRequest(other.adminUrl, '/quitquitquit', 'POST')).body).toBe('OK\n');
      expect(await other.orion.exited(10_000)).toBe(0);
    } finally {
      await other.close();
    }
  });
});
