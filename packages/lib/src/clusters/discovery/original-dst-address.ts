import { isIP } from 'node:net';
import type { UpstreamAddress } from '../upstream-address.js';

/**
 * Parses an ORIGINAL_DST header value, `10.0.0.1:80` or `[::1]:80`, into an address; `portOverride` replaces its
 * port (`original_dst_lb_config.upstream_port_override`). Undefined when it is not an IP address and port, as
 * Envoy requires (no name resolution).
 */
export function parseOriginalDst(value: string | undefined, portOverride: number | undefined): UpstreamAddress | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let host: string;
  let portText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text.charCodeAt(close + 1) !== 58) return undefined;
    host = text.slice(1, close);
    portText = text.slice(close + 2);
    if (isIP(host) !== 6) return undefined;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) return undefined;
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (isIP(host) !== 4) return undefined;
  }
  if (!/^[0-9]{1,5}$/.test(portText)) return undefined;
  const port = portOverride ?? Number(portText);
  if (port < 1 || port > 65_535) return undefined;
  return { type: 'socket', host, port };
}
