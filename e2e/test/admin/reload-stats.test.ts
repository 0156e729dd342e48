import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRequest, startAdminOrion, type AdminOrion } from '../../src/orion/admin.js';
import { httpUpstream, type TestUpstream } from '../../src/orion/upstreams.js';
import { adminTestConfig } from './admin-config.js';

let upstream: TestUpstream;
let proxy: AdminOrion;

async function stat(name: string): Promise<string | undefined> {
  const r = await adminRequest(proxy.adminUrl, `/stats?filter=^${name.replace(/\./g, '\\.')}$`);
  return /: (\S+)$/m.exec(r.body)?.[1];
}

beforeAll(async () => {
  upstream = await httpUpstream('backend');
  proxy = await startAdminOrion(adminTestConfig({ upstreamPort: upstream.port }), ['--concurrency', '1']);
});

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
});

describe('listener_manager, cluster_manager and config_dump across a SIGHUP reload', () => {
  it('counts added clusters and in-place route updates, and dates the changed resources', async () => {
    expect([await stat('cluster_manager.cluster_added'), await stat('cluster_manager.active_clusters'), await stat('listener_manager.listener_added')]).toEqual(['1', '1', '1']);
    const extra = `
    - name: extra
      connect_timeout: 1s
      load_assignment:
        cluster_name: extra
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${upstream.port} } } } }] }]`;
    const changed = adminTestConfig({ upstreamPort: upstream.port, extraClusters: extra }).replace('inline_string: "direct\\n"', 'inline_string: "changed\\n"');
    await writeFile(proxy.configPath, changed);
    const before = Date.now();
    proxy.orion.child.kill('SIGHUP');
    await proxy.orion.waitForLine(/SIGHUP: configuration version 2 applied/, 20_000);
    expect([await stat('cluster_manager.cluster_added'), await stat('cluster_manager.active_clusters'), await stat('listener_manager.listener_in_place_updated'), await stat('listener_manager.listener_modified')]).toEqual(['2', '2', '1', '0']);
    const dump = JSON.parse((await adminRequest(proxy.adminUrl, '/config_dump?resource=static_clusters')).body) as { configs: { cluster: { name: string }; last_updated: string }[] };
    const updated = new Map(dump.configs.map((c) => [c.cluster.name, Date.parse(c.last_updated)]));
    expect(updated.get('extra')).toBeGreaterThanOrEqual(before - 1_000);
    expect(updated.get('backend')).toBeLessThan(updated.get('extra') as number);
  });
});
