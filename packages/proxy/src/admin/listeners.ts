import type { BoundAddress } from '@orion/lib';
import type { AdminContext } from './admin-context.js';
import { envoyPrettyJson, jsonResponse, textResponse, type AdminResponse } from './admin-response.js';
import type { AdminRequest } from './url-handler.js';

/** Envoy's `Address::asString()`: `127.0.0.1:10000`, `[::1]:10000`, or the pipe path. */
export function addressString(bound: BoundAddress): string {
  if (bound.type === 'pipe') return bound.path;
  return bound.host.includes(':') ? `[${bound.host}]:${bound.port}` : `${bound.host}:${bound.port}`;
}

function boundJson(bound: BoundAddress): Record<string, unknown> {
  if (bound.type === 'pipe') return { pipe: { path: bound.path } };
  return { socket_address: { address: bound.host, port_value: bound.port } };
}

/** `/listeners`: `name::address` lines, or `envoy.admin.v3.Listeners` JSON with `?format=json`. */
export function listeners(request: AdminRequest, context: AdminContext): AdminResponse {
  const bound = context.listeners();
  if (request.query.get('format') === 'json') {
    return jsonResponse(envoyPrettyJson({ listener_statuses: bound.map(([name, at]) => ({ name, local_address: boundJson(at) })) }));
  }
  return textResponse(bound.map(([name, at]) => `${name}::${addressString(at)}\n`).join(''));
}
