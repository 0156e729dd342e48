/**
 * One row of Envoy's response-flag table (`CORE_RESPONSE_FLAGS` in `source/common/stream_info/utility.h`).
 */
export interface ResponseFlagInfo {
  /** The bit in {@link FormatContext.responseFlags}: `1 << index`. */
  readonly mask: number;
  /** Position in Envoy's table (also the bit number). */
  readonly index: number;
  /** What `%RESPONSE_FLAGS%` prints, e.g. `UH`. */
  readonly short: string;
  /** What `%RESPONSE_FLAGS_LONG%` prints, e.g. `NoHealthyUpstream`. */
  readonly long: string;
}

const TABLE: ReadonlyArray<readonly [string, string]> = [
  ['LH', 'FailedLocalHealthCheck'],
  ['UH', 'NoHealthyUpstream'],
  ['UT', 'UpstreamRequestTimeout'],
  ['LR', 'LocalReset'],
  ['UR', 'UpstreamRemoteReset'],
  ['UF', 'UpstreamConnectionFailure'],
  ['UC', 'UpstreamConnectionTermination'],
  ['UO', 'UpstreamOverflow'],
  ['NR', 'NoRouteFound'],
  ['DI', 'DelayInjected'],
  ['FI', 'FaultInjected'],
  ['RL', 'RateLimited'],
  ['UAEX', 'UnauthorizedExternalService'],
  ['RLSE', 'RateLimitServiceError'],
  ['DC', 'DownstreamConnectionTermination'],
  ['URX', 'UpstreamRetryLimitExceeded'],
  ['SI', 'StreamIdleTimeout'],
  ['IH', 'InvalidEnvoyRequestHeaders'],
  ['DPE', 'DownstreamProtocolError'],
  ['UMSDR', 'UpstreamMaxStreamDurationReached'],
  ['RFCF', 'ResponseFromCacheFilter'],
  ['NFCF', 'NoFilterConfigFound'],
  ['DT', 'DurationTimeout'],
  ['UPE', 'UpstreamProtocolError'],
  ['NC', 'NoClusterFound'],
  ['OM', 'OverloadManagerTerminated'],
  ['DF', 'DnsResolutionFailed'],
  ['DO', 'DropOverload'],
  ['DR', 'DownstreamRemoteReset'],
  ['UDO', 'UnconditionalDropOverload'],
];

/**
 * Envoy's response flags in Envoy's order (the order `%RESPONSE_FLAGS%` lists them in), with short and long names.
 * The data plane sets `ctx.responseFlags |= RESPONSE_FLAGS[i].mask`.
 */
export const RESPONSE_FLAGS: readonly ResponseFlagInfo[] = Object.freeze(
  TABLE.map(([short, long], index) => Object.freeze({ mask: 2 ** index, index, short, long })),
);

/**
 * Bit masks by Envoy long name, e.g. `ResponseFlag.NoHealthyUpstream` (`UH`). Combine with `|`.
 * Envoy: `StreamInfo::CoreResponseFlag`.
 */
export const ResponseFlag = Object.freeze({
  FailedLocalHealthCheck: 1 << 0,
  NoHealthyUpstream: 1 << 1,
  UpstreamRequestTimeout: 1 << 2,
  LocalReset: 1 << 3,
  UpstreamRemoteReset: 1 << 4,
  UpstreamConnectionFailure: 1 << 5,
  UpstreamConnectionTermination: 1 << 6,
  UpstreamOverflow: 1 << 7,
  NoRouteFound: 1 << 8,
  DelayInjected: 1 << 9,
  FaultInjected: 1 << 10,
  RateLimited: 1 << 11,
  UnauthorizedExternalService: 1 << 12,
  RateLimitServiceError: 1 << 13,
  DownstreamConnectionTermination: 1 << 14,
  UpstreamRetryLimitExceeded: 1 << 15,
  StreamIdleTimeout: 1 << 16,
  InvalidEnvoyRequestHeaders: 1 << 17,
  DownstreamProtocolError: 1 << 18,
  UpstreamMaxStreamDurationReached: 1 << 19,
  ResponseFromCacheFilter: 1 << 20,
  NoFilterConfigFound: 1 << 21,
  DurationTimeout: 1 << 22,
  UpstreamProtocolError: 1 << 23,
  NoClusterFound: 1 << 24,
  OverloadManagerTerminated: 1 << 25,
  DnsResolutionFailed: 1 << 26,
  DropOverload: 1 << 27,
  DownstreamRemoteReset: 1 << 28,
  UnconditionalDropOverload: 1 << 29,
} as const);

/** A response-flag long name. */
export type ResponseFlagName = keyof typeof ResponseFlag;

/** Looks a flag up by its short (`UH`) or long (`NoHealthyUpstream`) name. */
export function responseFlagByName(name: string): ResponseFlagInfo | undefined {
  return RESPONSE_FLAGS.find((f) => f.short === name || f.long === name);
}

const shortCache = new Map<number, string>();
const longCache = new Map<number, string>();

function join(mask: number, long: boolean, cache: Map<number, string>): string {
  const hit = cache.get(mask);
  if (hit !== undefined) return hit;
  let out = '';
  for (const f of RESPONSE_FLAGS) {
    if ((mask & f.mask) !== 0) out = out === '' ? (long ? f.long : f.short) : `${out},${long ? f.long : f.short}`;
  }
  if (out === '') out = '-';
  if (cache.size < 4096) cache.set(mask, out);
  return out;
}

/** `%RESPONSE_FLAGS%` for a mask: short names joined by `,` in Envoy's order, `-` when none is set. */
export function responseFlagsToShortString(mask: number): string {
  return mask === 0 ? '-' : join(mask, false, shortCache);
}

/** `%RESPONSE_FLAGS_LONG%` for a mask: long names joined by `,`, `-` when none is set. */
export function responseFlagsToLongString(mask: number): string {
  return mask === 0 ? '-' : join(mask, true, longCache);
}
