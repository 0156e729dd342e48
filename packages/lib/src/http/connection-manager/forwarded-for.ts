import { isInternalAddress } from './internal-address.js';

/** The HCM settings that decide how `x-forwarded-for` is read and written. */
export interface ForwardingSettings {
  /** HCM `use_remote_address` (default false). */
  readonly useRemoteAddress: boolean;
  /** HCM `xff_num_trusted_hops` (default 0). */
  readonly xffNumTrustedHops: number;
  /** HCM `skip_xff_append` (default false). */
  readonly skipXffAppend: boolean;
}

/** What the connection manager does with the forwarding headers of one request. */
export interface ForwardingDecision {
  /** The trusted client address (Envoy's downstream remote address for the rest of the request). */
  readonly trustedClientAddress: string;
  /** Whether the request is of internal origin (`x-envoy-internal: true` is set, else removed). */
  readonly internal: boolean;
  /** External request on an edge proxy (`use_remote_address` and not internal): Envoy sanitises its internal headers. */
  readonly edge: boolean;
  /** The `x-forwarded-for` value to send upstream (undefined: leave the header as it is). */
  readonly xffOut: string | undefined;
  /** The `x-envoy-external-address` value to set (undefined: leave it as it is). */
  readonly externalAddress: string | undefined;
}

function splitXff(xff: string): string[] {
  const parts: string[] = [];
  for (const raw of xff.split(',')) {
    const s = raw.trim();
    if (s !== '') parts.push(s);
  }
  return parts;
}

/**
 * Envoy's rules for the trusted client address, internal origin and XFF append (HTTP header manipulation,
 * "x-forwarded-for"):
 * - `use_remote_address` false: with XFF, the (N+1)th address from the right (N = `xff_num_trusted_hops`),
 *   else the connection's source address; internal iff XFF holds exactly one internal address.
 * - `use_remote_address` true: with N > 0, the Nth address from the right of XFF, else the source address;
 *   internal iff there is no XFF and the source address is internal. The source address is appended to XFF
 *   unless `skip_xff_append`, and `x-envoy-external-address` is set for external requests.
 * An XFF too short for N falls back to the source address.
 */
export function decideForwarding(settings: ForwardingSettings, remoteAddress: string, xff: string | undefined): ForwardingDecision {
  const entries = xff === undefined ? [] : splitXff(xff);
  const n = settings.xffNumTrustedHops;
  let trusted = remoteAddress;
  let internal: boolean;
  if (settings.useRemoteAddress) {
    if (n > 0 && entries.length >= n) trusted = entries[entries.length - n] ?? remoteAddress;
    internal = entries.length === 0 && isInternalAddress(remoteAddress);
  } else {
    if (entries.length >= n + 1) trusted = entries[entries.length - 1 - n] ?? remoteAddress;
    internal = entries.length === 1 && isInternalAddress(entries[0] ?? '');
  }
  const append = settings.useRemoteAddress && !settings.skipXffAppend;
  const xffOut = append ? (xff === undefined || entries.length === 0 ? remoteAddress : `${xff}, ${remoteAddress}`) : undefined;
  const edge = settings.useRemoteAddress && !internal;
  return {
    trustedClientAddress: trusted,
    internal,
    edge,
    xffOut,
    externalAddress: edge ? trusted : undefined,
  };
}
