import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '@orion/data-plane-api';
import { ClusterSchema } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import { ClusterLoadAssignmentSchema } from '@orion/data-plane-api/gen/envoy/config/endpoint/v3/endpoint_pb.js';
import { ListenerSchema } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_pb.js';
import { RouteConfigurationSchema } from '@orion/data-plane-api/gen/envoy/config/route/v3/route_pb.js';
import { SecretSchema } from '@orion/data-plane-api/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import { OrionError } from '@orion/error';
import { describe, expect, it } from 'vitest';
import {
  bootstrapToEnvoyJson,
  clusterLoadAssignmentToEnvoyJson,
  clusterToEnvoyJson,
  convertCluster,
  convertClusterLoadAssignment,
  convertListener,
  convertRouteConfiguration,
  convertSecret,
  listenerToEnvoyJson,
  loadConfiguration,
  routeConfigurationToEnvoyJson,
  secretToEnvoyJson,
  type Bootstrap,
  type JsonObject,
} from '../../src/index.js';
import { corpusDirectory } from '../support/corpus.js';
import { envoyPart, inlineRouteTables, loadAssignments } from './resources.js';
import { RICH_BOOTSTRAP, RICH_ENV } from './rich-bootstrap.js';

const dir = corpusDirectory();
const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

async function loadText(text: string, path: string, env: Readonly<Record<string, string>>): Promise<Bootstrap> {
  const { bootstrap } = await loadConfiguration({ text, path, env, availableParallelism: 2 });
  return bootstrap;
}

/** The corpus files that load (the corpus test's `ok` and `ok-empty` rows); the others are refused on purpose. */
const loaded: { readonly file: string; readonly bootstrap: Bootstrap }[] = [];
for (const file of files) {
  try {
    loaded.push({ file, bootstrap: await loadText(readFileSync(join(dir, file), 'utf8'), file, {}) });
  } catch (err) {
    if (!(err instanceof OrionError)) throw err;
  }
}

/** JSON text, as the admin sends it, parsed back. */
function viaText(json: JsonObject): unknown {
  return JSON.parse(JSON.stringify(json));
}

/** Serialises every resource of `bootstrap` on its own, converts it back and compares. */
async function expectResourcesRoundTrip(bootstrap: Bootstrap, env: Readonly<Record<string, string>>): Promise<void> {
  const options = { redactSensitive: false };
  for (const listener of bootstrap.staticResources.listeners) {
    const { message } = await decodeMessage(ListenerSchema, viaText(listenerToEnvoyJson(listener, options)));
    expect((await convertListener(message, { env })).value).toStrictEqual(listener);
  }
  for (const cluster of bootstrap.staticResources.clusters) {
    const { message } = await decodeMessage(ClusterSchema, viaText(clusterToEnvoyJson(cluster, options)));
    expect((await convertCluster(message, { env })).value).toStrictEqual(cluster);
  }
  for (const table of inlineRouteTables(bootstrap)) {
    const { message } = await decodeMessage(RouteConfigurationSchema, viaText(routeConfigurationToEnvoyJson(table, options)));
    expect((await convertRouteConfiguration(message, { env })).value).toStrictEqual(table);
  }
  for (const cla of loadAssignments(bootstrap)) {
    const { message } = await decodeMessage(ClusterLoadAssignmentSchema, viaText(clusterLoadAssignmentToEnvoyJson(cla, options)));
    expect((await convertClusterLoadAssignment(message, { env })).value).toStrictEqual(cla);
  }
  for (const secret of bootstrap.staticResources.secrets) {
    const { message } = await decodeMessage(SecretSchema, viaText(secretToEnvoyJson(secret, options)));
    expect((await convertSecret(message, { env })).value).toStrictEqual(secret);
  }
}

describe('model → Envoy JSON → model', () => {
  it('loads every corpus file the corpus test expects to load (its 18 `ok` and 4 `ok-empty` rows)', () => {
    expect(loaded.length).toBeGreaterThanOrEqual(22);
  });

  for (const { file, bootstrap } of loaded) {
    it(`${file}: the bootstrap comes back the same`, async () => {
      const text = JSON.stringify(bootstrapToEnvoyJson(bootstrap, { redactSensitive: false }));
      expect(envoyPart(await loadText(text, `${file}.json`, {}))).toStrictEqual(envoyPart(bootstrap));
    });

    it(`${file}: every resource comes back the same through the single-resource converters`, async () => {
      await expectResourcesRoundTrip(bootstrap, {});
    });
  }

  it('a bootstrap setting every supported field comes back the same', async () => {
    const bootstrap = await loadText(RICH_BOOTSTRAP, 'rich.yaml', RICH_ENV);
    const text = JSON.stringify(bootstrapToEnvoyJson(bootstrap, { redactSensitive: false }));
    expect(envoyPart(await loadText(text, 'rich.json', RICH_ENV))).toStrictEqual(envoyPart(bootstrap));
  });

  it('stats_config is printed in Envoy JSON and comes back the same; a default one is not printed', async () => {
    const bootstrap = await loadText(RICH_BOOTSTRAP, 'rich.yaml', RICH_ENV);
    expect(bootstrap.statsConfig.statsMatcher?.type).toBe('exclusionList');
    const json = bootstrapToEnvoyJson(bootstrap, { redactSensitive: false });
    expect(json['stats_config']).toMatchObject({
      use_all_default_tags: false,
      stats_tags: [{ tag_name: 'tenant', regex: '^cluster\\.((.+?)\\.)' }, { tag_name: 'region', fixed_value: 'eu' }, { tag_name: 'envoy.cluster_name' }],
      stats_matcher: { exclusion_list: { patterns: [{ prefix: 'cluster.drop.', ignore_case: true }, { safe_regex: { regex: 'http\\..*_rq_\\d+' } }, { exact: 'a' }, { suffix: '_b' }, { contains: 'c' }] } },
      histogram_bucket_settings: [{ match: { suffix: '_rq_time' }, buckets: [1, 10, 100] }, { match: { safe_regex: { regex: 'cluster\\..*' } }, buckets: [0.5, 2] }],
    });
    expect((await loadText(JSON.stringify(json), 'rich.json', RICH_ENV)).statsConfig).toStrictEqual(bootstrap.statsConfig);
    const rejectAll = await loadText('stats_config: { stats_matcher: { reject_all: true } }\n', 'reject.yaml', {});
    const printed = bootstrapToEnvoyJson(rejectAll);
    expect(printed['stats_config']).toEqual({ stats_matcher: { reject_all: true } });
    expect((await loadText(JSON.stringify(printed), 'reject.json', {})).statsConfig).toStrictEqual(rejectAll.statsConfig);
    expect(bootstrapToEnvoyJson(await loadText('{}\n', 'empty.yaml', {}))['stats_config']).toBeUndefined();
  });

  it('listener traffic_direction (INBOUND, OUTBOUND, unset) is converted and printed back by its Envoy enum name', async () => {
    const bootstrap = await loadText(RICH_BOOTSTRAP, 'rich.yaml', RICH_ENV);
    expect(bootstrap.staticResources.listeners.map((l) => l.trafficDirection)).toEqual(['INBOUND', 'OUTBOUND', 'UNSPECIFIED']);
    const printed = bootstrap.staticResources.listeners.map((l) => listenerToEnvoyJson(l)['traffic_direction']);
    // Proto JSON leaves the default (UNSPECIFIED) out, as Envoy's config_dump does.
    expect(printed).toEqual(['INBOUND', 'OUTBOUND', undefined]);
  });

  it('every resource of that bootstrap comes back the same through the single-resource converters', async () => {
    const bootstrap = await loadText(RICH_BOOTSTRAP, 'rich.yaml', RICH_ENV);
    expect(inlineRouteTables(bootstrap).length).toBeGreaterThan(0);
    expect(loadAssignments(bootstrap).length).toBeGreaterThan(0);
    expect(bootstrap.staticResources.secrets.length).toBeGreaterThan(0);
    await expectResourcesRoundTrip(bootstrap, RICH_ENV);
  });

  it('with redaction on (the default), configurations without inline key material still come back the same', async () => {
    for (const { file, bootstrap } of loaded) {
      const text = JSON.stringify(bootstrapToEnvoyJson(bootstrap));
      expect(envoyPart(await loadText(text, `${file}.json`, {})), file).toStrictEqual(envoyPart(bootstrap));
    }
  });

  it('a virtual host retry policy shared by every forwarding route is printed once, on the virtual host', async () => {
    const bootstrap = await loadText(RICH_BOOTSTRAP, 'rich.yaml', RICH_ENV);
    const json = bootstrapToEnvoyJson(bootstrap) as { static_resources: { listeners: { filter_chains: { filters: { typed_config: { route_config: { virtual_hosts: JsonObject[] } } }[] }[] }[] } };
    const [api, misc] = json.static_resources.listeners[0]?.filter_chains[0]?.filters[0]?.typed_config.route_config.virtual_hosts ?? [];
    expect(api?.['retry_policy']).toEqual({
      retry_on: '5xx,reset,unavailable',
      num_retries: 4,
      per_try_timeout: '2s',
      retry_back_off: { base_interval: '0.100s', max_interval: '3s' },
      per_try_idle_timeout: '1s',
    });
    expect(JSON.stringify(api?.['routes'])).not.toContain('retry_policy');
    // One route of `misc` has its own policy and the others none: it stays on that route.
    expect(misc?.['retry_policy']).toBeUndefined();
    expect(JSON.stringify(misc?.['routes'])).toContain('retry_policy');
  });
});
