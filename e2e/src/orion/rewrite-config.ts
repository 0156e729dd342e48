import { parse, stringify } from 'yaml';

/** How to move a corpus configuration onto a test's own ports and upstreams. */
export interface ConfigRewrite {
  /** Listener port → the port to use instead (also applied to `filter_chain_match.destination_port`). */
  readonly listenerPorts: ReadonlyMap<number, number>;
  /** `address:port` of a cluster endpoint → the test upstream to use instead. */
  readonly endpoints: ReadonlyMap<string, { readonly address: string; readonly port: number }>;
  /** Replaces the admin address port when set. */
  readonly adminPort?: number;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const camel = (name: string): string => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
/** The key a mapping uses for a field: snake_case or lowerCamelCase, as the proto JSON mapping allows both. */
const keyOf = (o: Json | undefined, name: string): string => (o !== undefined && !(name in o) && camel(name) in o ? camel(name) : name);
const get = (o: Json | undefined, name: string): unknown => o?.[keyOf(o, name)];

/**
 * Rewrites a corpus configuration (YAML or JSON; a plain Envoy bootstrap or Orion's wrapper with
 * `envoy_bootstrap`) onto the test's ports: listener ports with their `destination_port` matches, cluster
 * endpoints and the admin port. Comments are not kept.
 */
export function rewriteConfig(text: string, rewrite: ConfigRewrite): string {
  const top = obj(parse(text)) ?? {};
  const bootstrap = obj(get(top, 'envoy_bootstrap')) ?? top;
  const statics = obj(get(bootstrap, 'static_resources')) ?? {};
  for (const listener of list(get(statics, 'listeners')).map(obj)) {
    const socket = obj(get(obj(get(listener, 'address')), 'socket_address'));
    const port = get(socket, 'port_value');
    const next = typeof port === 'number' ? rewrite.listenerPorts.get(port) : undefined;
    if (socket !== undefined && next !== undefined) socket[keyOf(socket, 'port_value')] = next;
    for (const chain of list(get(listener, 'filter_chains')).map(obj)) {
      const match = obj(get(chain, 'filter_chain_match'));
      const dst = get(match, 'destination_port');
      const moved = typeof dst === 'number' ? rewrite.listenerPorts.get(dst) : undefined;
      if (match !== undefined && moved !== undefined) match[keyOf(match, 'destination_port')] = moved;
    }
  }
  for (const cluster of list(get(statics, 'clusters')).map(obj)) {
    for (const locality of list(get(obj(get(cluster, 'load_assignment')), 'endpoints')).map(obj)) {
      for (const lb of list(get(locality, 'lb_endpoints')).map(obj)) {
        const socket = obj(get(obj(get(obj(get(lb, 'endpoint')), 'address')), 'socket_address'));
        if (socket === undefined) continue;
        const target = rewrite.endpoints.get(`${String(get(socket, 'address'))}:${String(get(socket, 'port_value'))}`);
        if (target !== undefined) {
          socket['address'] = target.address;
          socket[keyOf(socket, 'port_value')] = target.port;
        }
      }
    }
  }
  const adminSocket = obj(get(obj(get(obj(get(bootstrap, 'admin')), 'address')), 'socket_address'));
  if (adminSocket !== undefined && rewrite.adminPort !== undefined) adminSocket[keyOf(adminSocket, 'port_value')] = rewrite.adminPort;
  return stringify(top, { lineWidth: 0 });
}
