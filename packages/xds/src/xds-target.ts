import { OrionError } from '@orion/error';
import { ORION_ERR_XDS_INVALID_ARGUMENT } from './error-codes.js';

/**
 * Where the ADS server listens: a TCP host and port (h2c), or a Unix socket path (Envoy's `pipe`
 * address; Istio's pilot-agent serves xDS on one).
 */
export type XdsTarget =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly path: string };

/**
 * Parses `host:port`, `[v6]:port` or `unix:<path>` (also `unix://<path>`, and gRPC's `dns:///host:port`
 * as found in `google_grpc.target_uri`) into an {@link XdsTarget}. Throws `ORION_ERR_XDS_INVALID_ARGUMENT`
 * on anything else.
 */
export function parseXdsTarget(address: string): XdsTarget {
  if (address.startsWith('dns:///')) return parseXdsTarget(address.slice('dns:///'.length));
  if (address.startsWith('unix:')) {
    const path = address.slice(address.startsWith('unix://') ? 'unix://'.length : 'unix:'.length);
    if (path === '') throw new OrionError(ORION_ERR_XDS_INVALID_ARGUMENT, `no socket path in "${address}"`);
    return { kind: 'unix', path };
  }
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(address);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new OrionError(ORION_ERR_XDS_INVALID_ARGUMENT, `invalid server address "${address}" (expected host:port or unix:<path>)`);
  }
  return { kind: 'tcp', host, port };
}

/** Renders a target the way {@link parseXdsTarget} reads it. */
export function formatXdsTarget(target: XdsTarget): string {
  if (target.kind === 'unix') return `unix:${target.path}`;
  return target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}
