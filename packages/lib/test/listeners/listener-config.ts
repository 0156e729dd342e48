import type { Address, FilterChain, Listener } from '@orion/configuration';

/** A chain without criteria and without filters. */
export function anyChain(name: string, destinationPort?: number): FilterChain {
  return {
    name,
    filters: [],
    match: {
      ...(destinationPort === undefined ? {} : { destinationPort }),
      prefixRanges: [],
      directSourcePrefixRanges: [],
      sourceType: 'any',
      sourcePrefixRanges: [],
      sourcePorts: [],
    },
  };
}

/** A TCP address. */
export function tcp(host = '127.0.0.1', port = 0, ipv4Compat = false): Address {
  return { type: 'socket', host, port, protocol: 'tcp', ipv4Compat };
}

/** A listener with Envoy's defaults. */
export function listener(name: string, overrides: Partial<Listener> = {}): Listener {
  return {
    name,
    address: tcp(),
    statPrefix: '',
    filterChains: [anyChain('chain')],
    listenerFilters: [],
    listenerFiltersTimeoutMs: 15_000,
    continueOnListenerFiltersTimeout: false,
    perConnectionBufferLimitBytes: 1_048_576,
    bindToPort: true,
    tcpBacklogSize: 128,
    trafficDirection: 'UNSPECIFIED',
    ...overrides,
  };
}
