import type { Bootstrap, Cluster, ClusterLoadAssignment, JsonObject, JsonValue, Listener, RouteConfiguration, Secret } from '@orion/configuration';
import { compileStatsFilter, type StatsFilter } from '@orion/metrics';
import type { ConfigurationSnapshot } from '../config/configuration-snapshot.js';
import type { AdminContext, ConfigurationTimes } from './admin-context.js';
import { envoyPrettyJson, jsonResponse, textResponse, type AdminResponse } from './admin-response.js';
import type { AdminRequest } from './url-handler.js';

/** The model → Envoy JSON serialisers `/config_dump` uses (`@orion/configuration`'s `…ToEnvoyJson`, redacting). */
export interface EnvoyJsonSerializers {
  bootstrap(bootstrap: Bootstrap): JsonObject;
  listener(listener: Listener): JsonObject;
  cluster(cluster: Cluster): JsonObject;
  routeConfiguration(routes: RouteConfiguration): JsonObject;
  loadAssignment(assignment: ClusterLoadAssignment): JsonObject;
  secret(secret: Secret): JsonObject;
}

const ADMIN = 'type.googleapis.com/envoy.admin.v3.';
const TYPE = {
  listener: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  cluster: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  routeConfiguration: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  loadAssignment: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
  secret: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret',
} as const;

/** A timestamp as proto3 JSON prints it (RFC 3339, UTC, milliseconds when not zero). */
export function timestampJson(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function any(typeUrl: string, value: JsonObject): JsonObject {
  const { '@type': _ignored, ...rest } = value;
  return { '@type': typeUrl, ...rest };
}

/** An inline route table of one of the listener's HTTP connection managers. */
function inlineRoutes(listener: Listener): RouteConfiguration[] {
  const out: RouteConfiguration[] = [];
  const chains = listener.defaultFilterChain === undefined ? listener.filterChains : [...listener.filterChains, listener.defaultFilterChain];
  for (const chain of chains) {
    for (const filter of chain.filters) {
      if (filter.type === 'httpConnectionManager' && filter.routeSpecifier.type === 'inline') out.push(filter.routeSpecifier.routeConfiguration);
    }
  }
  return out;
}

/** One section of the dump: its type, the repeated fields holding resources, and how to name an element. */
interface Section {
  readonly name: string;
  readonly json: JsonObject;
  /** Repeated field → element type URL (for `?resource=`). */
  readonly resources: ReadonlyMap<string, string>;
}

interface Element {
  readonly name: string;
  readonly json: JsonObject;
}

function section(name: string, type: string, fields: readonly (readonly [string, string, readonly Element[]])[], extra: JsonObject = {}): Section & { elements: Map<string, readonly Element[]> } {
  const json: Record<string, JsonValue> = { '@type': ADMIN + type, ...extra };
  const resources = new Map<string, string>();
  const elements = new Map<string, readonly Element[]>();
  for (const [field, elementType, list] of fields) {
    resources.set(field, ADMIN + elementType);
    elements.set(field, list);
    if (list.length > 0) json[field] = list.map((e) => e.json);
  }
  return { name, json, resources, elements };
}

/** Builds Envoy's `ConfigDump` sections, in Envoy's order: bootstrap, clusters, endpoints, listeners, routes, secrets. */
function buildSections(
  bootstrap: Bootstrap,
  snapshot: ConfigurationSnapshot,
  times: ConfigurationTimes,
  serialize: EnvoyJsonSerializers,
  includeEds: boolean,
  keep: (name: string) => boolean,
): (Section & { elements: Map<string, readonly Element[]> })[] {
  const when = (key: string): string => timestampJson(times.updatedMs.get(key) ?? times.startedMs);
  const clusters = snapshot.clusters.filter((c) => keep(c.name)).map((c) => ({ name: c.name, json: { cluster: any(TYPE.cluster, serialize.cluster(c)), last_updated: when(`cluster/${c.name}`) } }));
  const listeners = snapshot.listeners.filter((l) => keep(l.name)).map((l) => ({ name: l.name, json: { listener: any(TYPE.listener, serialize.listener(l)), last_updated: when(`listener/${l.name}`) } }));
  const routes: Element[] = [];
  for (const l of snapshot.listeners) {
    for (const r of inlineRoutes(l)) {
      if (keep(r.name)) routes.push({ name: r.name, json: { route_config: any(TYPE.routeConfiguration, serialize.routeConfiguration(r)), last_updated: when(`listener/${l.name}`) } });
    }
  }
  const secrets = snapshot.secrets.filter((s) => keep(s.name)).map((s) => ({ name: s.name, json: { name: s.name, last_updated: when(`secret/${s.name}`), secret: any(TYPE.secret, serialize.secret(s)) } }));
  const out = [
    section('bootstrap', 'BootstrapConfigDump', [], { bootstrap: serialize.bootstrap(bootstrap), last_updated: timestampJson(times.bootstrapLoadedMs) }),
    section('clusters', 'ClustersConfigDump', [
      ['static_clusters', 'ClustersConfigDump.StaticCluster', clusters],
      ['dynamic_active_clusters', 'ClustersConfigDump.DynamicCluster', []],
      ['dynamic_warming_clusters', 'ClustersConfigDump.DynamicCluster', []],
    ]),
  ];
  if (includeEds) {
    const assignments: Element[] = [];
    for (const c of snapshot.clusters) {
      const assignment = 'loadAssignment' in c.discovery ? c.discovery.loadAssignment : undefined;
      if (assignment !== undefined && keep(c.name)) {
        assignments.push({ name: c.name, json: { endpoint_config: any(TYPE.loadAssignment, serialize.loadAssignment(assignment)), last_updated: when(`cluster/${c.name}`) } });
      }
    }
    const dynamic = snapshot.endpoints
      .filter((e) => keep(e.clusterName))
      .map((e) => ({ name: e.clusterName, json: { endpoint_config: any(TYPE.loadAssignment, serialize.loadAssignment(e)), last_updated: when(`endpoint/${e.clusterName}`) } }));
    out.push(
      section('endpoints', 'EndpointsConfigDump', [
        ['static_endpoint_configs', 'EndpointsConfigDump.StaticEndpointConfig', assignments],
        ['dynamic_endpoint_configs', 'EndpointsConfigDump.DynamicEndpointConfig', dynamic],
      ]),
    );
  }
  out.push(
    section('listeners', 'ListenersConfigDump', [
      ['static_listeners', 'ListenersConfigDump.StaticListener', listeners],
      ['dynamic_listeners', 'ListenersConfigDump.DynamicListener', []],
    ]),
    section('routes', 'RoutesConfigDump', [
      ['static_route_configs', 'RoutesConfigDump.StaticRouteConfig', routes],
      ['dynamic_route_configs', 'RoutesConfigDump.DynamicRouteConfig', []],
    ]),
    section('secrets', 'SecretsConfigDump', [
      ['static_secrets', 'SecretsConfigDump.StaticSecret', secrets],
      ['dynamic_active_secrets', 'SecretsConfigDump.DynamicSecret', []],
      ['dynamic_warming_secrets', 'SecretsConfigDump.DynamicSecret', []],
    ]),
  );
  return out;
}

/** A `FieldMask` (comma-separated dotted snake_case paths) applied to a JSON message; `@type` is kept. */
export function applyFieldMask(value: JsonObject, paths: readonly string[]): JsonObject {
  const tree = new Map<string, string[]>();
  for (const path of paths) {
    const [head, ...rest] = path.split('.');
    if (head === undefined || head === '') continue;
    const sub = tree.get(head) ?? [];
    if (rest.length > 0) sub.push(rest.join('.'));
    else sub.length = 0;
    if (rest.length === 0) tree.set(head, []);
    else if (!tree.has(head) || (tree.get(head) as string[]).length > 0) tree.set(head, sub);
  }
  const out: Record<string, JsonValue> = {};
  if (value['@type'] !== undefined) out['@type'] = value['@type'];
  for (const [key, sub] of tree) {
    const v = value[key];
    if (v === undefined) continue;
    if (sub.length === 0) out[key] = v;
    else if (Array.isArray(v)) out[key] = v.map((e) => (isObject(e) ? applyFieldMask(e, sub) : e));
    else if (isObject(v)) out[key] = applyFieldMask(v, sub);
  }
  return out;
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `/config_dump`: Envoy's `envoy.admin.v3.ConfigDump` of the running configuration. `?resource=<repeated field>`
 * dumps the elements of that field alone, `?mask=` applies a field mask (to each element with `resource`),
 * `?name_regex=` keeps resources whose name matches (RE2, anywhere in the name), `?include_eds` adds the endpoints.
 * Private keys and other sensitive fields are redacted by the serialisers.
 */
export function configDump(request: AdminRequest, context: AdminContext, serialize: EnvoyJsonSerializers): AdminResponse {
  const q = request.query;
  const regex = q.get('name_regex') ?? '';
  let filter: StatsFilter | undefined;
  if (regex !== '') {
    try {
      filter = compileStatsFilter(regex);
    } catch {
      return textResponse(`Error while parsing name_regex from ${regex}`, 400);
    }
  }
  const keep = (name: string): boolean => filter === undefined || filter.test(name);
  const sections = buildSections(context.bootstrap(), context.snapshot(), context.times(), serialize, q.has('include_eds'), keep);
  const mask = (q.get('mask') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const resource = q.get('resource') ?? '';
  if (resource !== '') {
    for (const s of sections) {
      const type = s.resources.get(resource);
      if (type === undefined) continue;
      const configs = (s.elements.get(resource) ?? []).map((e) => {
        const json: JsonObject = { '@type': type, ...e.json };
        return mask.length === 0 ? json : applyFieldMask(json, mask);
      });
      return jsonResponse(envoyPrettyJson({ configs }));
    }
    return textResponse(`${resource} not found in config dump`, 404);
  }
  const configs = sections.map((s) => (mask.length === 0 ? s.json : applyFieldMask(s.json, mask)));
  return jsonResponse(envoyPrettyJson({ configs }));
}
