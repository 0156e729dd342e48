import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveInProcess } from '../support/serve-harness.js';

let dir = '';
const cleanups: (() => Promise<unknown> | void)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orion-serve-admin-'));
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await rm(dir, { recursive: true, force: true });
});

function bootstrap(adminPort: number, extra = ''): string {
  return `admin:
  address: { socket_address: { address: 127.0.0.1, port_value: ${adminPort} } }
${extra}
static_resources:
  listeners:
    - name: main
      address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
      filter_chains:
        - filters:
            - name: hcm
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: main
                http_filters:
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
                route_config:
                  virtual_hosts: [{ name: all, domains: ["*"], routes: [{ match: { prefix: / }, direct_response: { status: 200, body: { inline_string: ok } } }] }]
`;
}

async function run(yaml: string): Promise<{ code: number; out: string; err: string }> {
  const file = join(dir, 'orion.yaml');
  await writeFile(file, yaml);
  const r = serveInProcess(['-c', file, '--concurrency', '1']);
  const code = await r.done;
  return { code, out: r.out(), err: r.err() };
}

describe('serve with an admin listener', () => {
  it('refuses to start when admin.address cannot be bound, naming it', async () => {
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => taken.close(() => r())));
    const port = (taken.address() as AddressInfo).port;
    const r = await run(bootstrap(port));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`orion: admin: cannot listen on 127.0.0.1:${port}`);
    expect(r.out).not.toContain('orion: ready');
  });

  it('refuses a stats sink whose grpc_service names an undefined cluster', async () => {
    const sink = `stats_sinks:
  - name: otel
    typed_config:
      "@type": type.googleapis.com/envoy.extensions.stat_sinks.open_telemetry.v3.SinkConfig
      grpc_service: { envoy_grpc: { cluster_name: nowhere } }`;
    const r = await run(bootstrap(0, sink));
    expect(r.code).toBe(1);
    expect(r.err).toContain('orion: stats_sinks "otel": grpc_service names cluster "nowhere", which is not defined');
    expect(r.out).toBe('');
  });

  it('refuses a stats_tags entry with an empty regex naming no default tag, naming the entry', async () => {
    const r = await run(bootstrap(0, 'stats_config: { stats_tags: [{ tag_name: region, fixed_value: eu }, { tag_name: no_such_tag }] }'));
    expect(r.code).toBe(1);
    expect(r.err).toContain("orion: stats_config.stats_tags[1]: No regex specified for tag specifier and no default regex for name: 'no_such_tag'");
    expect(r.out).toBe('');
  });

  it('prints where the admin API listens, and /ready says LIVE once serving', async () => {
    const file = join(dir, 'orion.yaml');
    await writeFile(file, bootstrap(0));
    const r = serveInProcess(['-c', file, '--concurrency', '1']);
    cleanups.push(async () => {
      r.signals.emit('SIGTERM');
      r.signals.emit('SIGTERM');
      await r.done;
    });
    const m = await r.waitFor(/orion: admin listening on 127\.0\.0\.1:(\d+)/);
    await r.waitFor(/orion: ready/);
    const res = await fetch(`http://127.0.0.1:${m[1] ?? ''}/ready`);
    expect([res.status, await res.text()]).toEqual([200, 'LIVE\n']);
  });
});
