import { create } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import { FieldPath, typeRegistry } from '@orion/data-plane-api';
import { ClusterSchema } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import { HttpFilterSchema } from '@orion/data-plane-api/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';
import { RouterSchema } from '@orion/data-plane-api/gen/envoy/extensions/filters/http/router/v3/router_pb.js';
import { describe, expect, it } from 'vitest';
import { checkSupported, ExtensionType, SUPPORTED_FIELDS } from '../src/index.js';

describe('checkSupported', () => {
  it('rejects every set field that is neither supported nor ignored, and only those', () => {
    const cluster = create(ClusterSchema, { name: 'c', respectDnsTtl: false, closeConnectionsOnHostHealthFailure: true, metadata: { filterMetadata: {} }, altStatName: 'x' });
    const findings = checkSupported(ClusterSchema, cluster, FieldPath.root.field('cluster'), { registry: typeRegistry });
    expect(findings.map((f) => [f.kind, f.path.toString(), f.message])).toEqual([
      ['ignored', 'cluster.metadata', 'envoy.config.cluster.v3.Cluster.metadata is ignored (no effect on traffic)'],
      ['rejected', 'cluster.close_connections_on_host_health_failure', 'envoy.config.cluster.v3.Cluster.close_connections_on_host_health_failure is not implemented'],
    ]);
  });

  it('reads an extension by its type URL, not its name, and walks into it', async () => {
    await typeRegistry.load([ExtensionType.ROUTER]);
    const filter = create(HttpFilterSchema, {
      name: 'envoy.filters.http.lua',
      configType: { case: 'typedConfig', value: anyPack(RouterSchema, create(RouterSchema, { suppressEnvoyHeaders: true, strictCheckHeaders: ['x-envoy-max-retries'] })) },
    });
    const findings = checkSupported(HttpFilterSchema, filter, FieldPath.root, { registry: typeRegistry });
    expect(findings.map((f) => [f.path.toString(), f.message])).toEqual([['typed_config.strict_check_headers', 'envoy.extensions.filters.http.router.v3.Router.strict_check_headers is not implemented']]);
  });

  it('lists only fields that exist in the Envoy messages', async () => {
    const names = Object.keys(SUPPORTED_FIELDS);
    await typeRegistry.load(names);
    for (const name of names) {
      const desc = typeRegistry.getMessage(name);
      expect(desc, name).toBeDefined();
      const fields = new Set(desc?.fields.map((f) => f.name));
      const entry = SUPPORTED_FIELDS[name];
      for (const field of [...(entry?.supported ?? []), ...(entry?.ignored ?? [])]) expect(fields.has(field), `${name}.${field}`).toBe(true);
    }
  });
});

describe('the README field classes', () => {
  it('lists every ignored field of the support table', async () => {
    const readme = (await import('node:fs')).readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('**Ignored**'), readme.indexOf('**Rejected**'));
    for (const [name, entry] of Object.entries(SUPPORTED_FIELDS)) {
      for (const field of entry.ignored ?? []) expect(section, `${name}.${field}`).toContain(`\`${field}\``);
    }
  });
});
