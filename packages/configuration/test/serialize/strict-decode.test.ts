import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DescMessage } from '@bufbuild/protobuf';
import { decodeMessage, LazyTypeRegistry } from '@orion/data-plane-api';
import { BootstrapSchema } from '@orion/data-plane-api/gen/envoy/config/bootstrap/v3/bootstrap_pb.js';
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
  ENVOY_TYPE_URLS,
  listenerToEnvoyJson,
  loadConfiguration,
  routeConfigurationToEnvoyJson,
  secretToEnvoyJson,
  type Bootstrap,
  type JsonObject,
  type JsonValue,
} from '../../src/index.js';
import { corpusDirectory } from '../support/corpus.js';
import { inlineRouteTables, loadAssignments } from './resources.js';
import { RICH_BOOTSTRAP, RICH_ENV } from './rich-bootstrap.js';

const dir = corpusDirectory();
const bootstraps: { readonly name: string; readonly bootstrap: Bootstrap }[] = [
  { name: 'rich', bootstrap: (await loadConfiguration({ text: RICH_BOOTSTRAP, path: 'rich.yaml', env: RICH_ENV, availableParallelism: 2 })).bootstrap },
];
for (const file of readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort()) {
  try {
    bootstraps.push({ name: file, bootstrap: (await loadConfiguration({ text: readFileSync(join(dir, file), 'utf8'), path: file, env: {}, availableParallelism: 2 })).bootstrap });
  } catch (err) {
    if (!(err instanceof OrionError)) throw err;
  }
}

/** Every `@type` in `value`. */
function typeUrls(value: JsonValue, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const v of value as readonly JsonValue[]) typeUrls(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '@type' && typeof v === 'string') out.add(v);
      else typeUrls(v, out);
    }
  }
  return out;
}

/** Every output of one bootstrap: the bootstrap and each resource on its own, with the Envoy message it must be. */
function outputs(bootstrap: Bootstrap, redactSensitive: boolean): { readonly schema: DescMessage; readonly json: JsonObject }[] {
  const options = { redactSensitive };
  return [
    { schema: BootstrapSchema, json: bootstrapToEnvoyJson(bootstrap, options) },
    ...bootstrap.staticResources.listeners.map((l) => ({ schema: ListenerSchema, json: listenerToEnvoyJson(l, options) })),
    ...bootstrap.staticResources.clusters.map((c) => ({ schema: ClusterSchema, json: clusterToEnvoyJson(c, options) })),
    ...inlineRouteTables(bootstrap).map((r) => ({ schema: RouteConfigurationSchema, json: routeConfigurationToEnvoyJson(r, options) })),
    ...loadAssignments(bootstrap).map((a) => ({ schema: ClusterLoadAssignmentSchema, json: clusterLoadAssignmentToEnvoyJson(a, options) })),
    ...bootstrap.staticResources.secrets.map((s) => ({ schema: SecretSchema, json: secretToEnvoyJson(s, options) })),
  ];
}

const KNOWN_URLS: ReadonlySet<string> = new Set(Object.values(ENVOY_TYPE_URLS));

describe('every output decodes strictly into the Envoy message it names', () => {
  for (const { name, bootstrap } of bootstraps) {
    for (const redactSensitive of [true, false]) {
      it(`${name} (redactSensitive: ${redactSensitive})`, async () => {
        for (const { schema, json } of outputs(bootstrap, redactSensitive)) {
          // Strict: unknown fields, unknown @types and PGV rule violations all throw.
          const registry = new LazyTypeRegistry();
          await expect(decodeMessage(schema, JSON.parse(JSON.stringify(json)), { registry }), `${schema.typeName} of ${name}`).resolves.toBeDefined();
          for (const url of typeUrls(json)) {
            expect(KNOWN_URLS.has(url), url).toBe(true);
            expect(registry.getMessage(url), url).toBeDefined();
          }
        }
      });
    }
  }

  it('covers every @type of every extension Orion implements (the rich bootstrap uses them all)', () => {
    const rich = bootstraps[0]?.bootstrap;
    if (rich === undefined) throw new Error('no rich bootstrap');
    const used = typeUrls(bootstrapToEnvoyJson(rich));
    const resources: readonly string[] = [ENVOY_TYPE_URLS.bootstrap, ENVOY_TYPE_URLS.listener, ENVOY_TYPE_URLS.cluster, ENVOY_TYPE_URLS.routeConfiguration, ENVOY_TYPE_URLS.clusterLoadAssignment, ENVOY_TYPE_URLS.secret];
    const dumps: readonly string[] = Object.entries(ENVOY_TYPE_URLS).filter(([key]) => key.endsWith('ConfigDump')).map(([, url]) => url);
    const extensions = Object.values(ENVOY_TYPE_URLS).filter((url) => !resources.includes(url) && !dumps.includes(url));
    expect([...used].sort()).toEqual([...extensions].sort());
  });

  it('fails on an unknown field (the check above can fail)', async () => {
    await expect(decodeMessage(ListenerSchema, { name: 'x', nmae: 'y' })).rejects.toThrow(/unknown field/);
  });
});

describe('ENVOY_TYPE_URLS', () => {
  it('is frozen and every URL names a message of the Envoy API', async () => {
    expect(Object.isFrozen(ENVOY_TYPE_URLS)).toBe(true);
    const registry = new LazyTypeRegistry();
    const urls = Object.values(ENVOY_TYPE_URLS);
    await registry.load(urls);
    for (const url of urls) {
      expect(url.startsWith('type.googleapis.com/'), url).toBe(true);
      expect(registry.getMessage(url)?.typeName, url).toBe(url.slice('type.googleapis.com/'.length));
    }
  });
});
