import type { FilterChain } from '@orion/configuration';
import { OrionError } from '@orion/error';
import { LibErrorCode } from '../error-codes.js';
import { isLoopback, parseIp, type IpFamily } from './ip-address.js';
import { ANY_IPV4, ANY_IPV6, compileIpPrefix, prefixContains, type IpPrefix } from './ip-prefix.js';
import type { FilterChainMatchInput } from './filter-chain-match-input.js';

/** One level of the lookup tree keyed by a port; port 0 holds the chains without a port requirement. */
type PortLevel<T> = Map<number, T>;

/** One level keyed by IP prefixes, most specific (longest) first; an empty criterion is `0.0.0.0/0` + `::/0`. */
type PrefixLevel<T> = { prefix: IpPrefix; next: T }[];

/** `source_type`: index 0 any, 1 same IP or loopback, 2 external. */
type SourceTypeLevel<T> = [T | undefined, T | undefined, T | undefined];

type SourcePorts = PortLevel<FilterChain>;
type SourceIps = PrefixLevel<SourcePorts>;
type SourceTypes = SourceTypeLevel<SourceIps>;
type DirectSourceIps = PrefixLevel<SourceTypes>;
type DestinationIps = PrefixLevel<DirectSourceIps>;
type DestinationPorts = PortLevel<DestinationIps>;

const SOURCE_TYPE_INDEX = { any: 0, sameIpOrLoopback: 1, external: 2 } as const;

const destinationWords = new Uint32Array(4);
const sourceWords = new Uint32Array(4);
const directWords = new Uint32Array(4);

/**
 * A listener's filter chains compiled into Envoy's match tree, for choosing one chain per connection.
 * Envoy: `Listener.filter_chains[].filter_chain_match` and `default_filter_chain` (the `FilterChainManager`).
 *
 * Criteria are tested in Envoy's order — destination port, destination IP (`prefix_ranges`), server name,
 * transport protocol and application protocols (not in the model yet), direct source IP, source type, source IP,
 * source port — and at each level only the chains with the most specific value that matches the connection go on
 * to the next level (an exact port before "any port", the longest containing prefix before shorter ones,
 * `SAME_IP_OR_LOOPBACK`/`EXTERNAL` before `ANY`). There is no backtracking: when the most specific chains fail a
 * later criterion, less specific chains are not tried and the default filter chain (if any) is used.
 *
 * IPv4-mapped IPv6 addresses are matched as IPv4 (against IPv4 prefixes and `::ffff:a.b.c.d/n` prefixes with
 * n ≥ 96). A Unix-socket connection has no address and port: it matches only chains without destination port
 * and with catch-all prefixes, and counts as `SAME_IP_OR_LOOPBACK`.
 */
export class FilterChainMatcher {
  readonly #root: DestinationPorts;
  readonly #defaultChain: FilterChain | undefined;
  readonly #usesSourceType: boolean;
  /** The chains in configuration order. */
  readonly chains: readonly FilterChain[];

  private constructor(root: DestinationPorts, chains: readonly FilterChain[], defaultChain: FilterChain | undefined, usesSourceType: boolean) {
    this.#root = root;
    this.chains = chains;
    this.#defaultChain = defaultChain;
    this.#usesSourceType = usesSourceType;
  }

  /**
   * Compiles a listener's chains once. Throws `ORION_ERR_LIB_FILTER_CHAIN_INVALID` for a prefix that is not an
   * IP address and `ORION_ERR_LIB_FILTER_CHAIN_CONFLICT` when two chains match exactly the same connections
   * (Envoy rejects such listeners too).
   */
  static compile(chains: readonly FilterChain[], defaultChain?: FilterChain): FilterChainMatcher {
    const root: DestinationPorts = new Map();
    let usesSourceType = false;
    chains.forEach((chain, index) => {
      const m = chain.match;
      const what = chain.name === '' ? `filter chain #${index}` : `filter chain ${JSON.stringify(chain.name)}`;
      try {
        if (m.sourceType !== 'any') usesSourceType = true;
        const destIps = prefixes(m.prefixRanges);
        const directIps = prefixes(m.directSourcePrefixRanges);
        const sourceIps = prefixes(m.sourcePrefixRanges);
        const sourcePorts = m.sourcePorts.length === 0 ? [0] : m.sourcePorts;
        const l2 = getOrCreate(root, m.destinationPort ?? 0, () => []);
        for (const d of destIps) {
          const l3 = prefixChild(l2, d, () => []);
          for (const ds of directIps) {
            const l4 = prefixChild<SourceTypes>(l3, ds, () => [undefined, undefined, undefined]);
            const t = SOURCE_TYPE_INDEX[m.sourceType];
            const l5 = (l4[t] ??= []);
            for (const s of sourceIps) {
              const l6 = prefixChild<SourcePorts>(l5, s, () => new Map());
              for (const port of sourcePorts) {
                const existing = l6.get(port);
                if (existing !== undefined && existing !== chain) {
                  throw new OrionError(
                    LibErrorCode.FILTER_CHAIN_CONFLICT,
                    `matches the same connections as filter chain ${JSON.stringify(existing.name)}`,
                  );
                }
                l6.set(port, chain);
              }
            }
          }
        }
      } catch (err) {
        throw OrionError.from(err).withContext(`compiling ${what}`);
      }
    });
    // Most specific prefix first, so the first containing prefix is the longest match.
    for (const l2 of root.values()) {
      sortPrefixes(l2);
      for (const { next: l3 } of l2) {
        sortPrefixes(l3);
        for (const { next: l4 } of l3) for (const l5 of l4) if (l5 !== undefined) sortPrefixes(l5);
      }
    }
    return new FilterChainMatcher(root, chains, defaultChain, usesSourceType);
  }

  /**
   * The chain for a connection: the most specific matching chain, else the default filter chain, else
   * `undefined` (the listener then closes the connection and counts `no_filter_chain_match`).
   */
  select(input: FilterChainMatchInput): FilterChain | undefined {
    return this.match(input) ?? this.#defaultChain;
  }

  /** Like {@link select}, without falling back to the default filter chain. */
  match(input: FilterChainMatchInput): FilterChain | undefined {
    const port = input.destinationPort;
    const l2 = (port === undefined ? undefined : this.#root.get(port)) ?? this.#root.get(0);
    if (l2 === undefined) return undefined;

    const destFamily = parseAddress(input.destinationAddress, destinationWords);
    const l3 = longestMatch(l2, destFamily, destinationWords);
    if (l3 === undefined) return undefined;

    const sourceFamily = parseAddress(input.sourceAddress, sourceWords);
    const direct = input.directSourceAddress;
    let directFamily: IpFamily = sourceFamily;
    let directSourceWords = sourceWords;
    if (direct !== undefined && direct !== input.sourceAddress) {
      directFamily = parseAddress(direct, directWords);
      directSourceWords = directWords;
    }
    const l4 = longestMatch(l3, directFamily, directSourceWords);
    if (l4 === undefined) return undefined;

    let l5: SourceIps | undefined;
    if (this.#usesSourceType && (l4[1] !== undefined || l4[2] !== undefined)) {
      const local = isSameIpOrLoopback(input, sourceFamily, destFamily);
      l5 = local ? l4[1] : l4[2];
    }
    l5 ??= l4[0];
    if (l5 === undefined) return undefined;

    const l6 = longestMatch(l5, sourceFamily, sourceWords);
    if (l6 === undefined) return undefined;
    const sourcePort = input.sourcePort;
    return (sourcePort === undefined ? undefined : l6.get(sourcePort)) ?? l6.get(0);
  }
}

function prefixes(ranges: FilterChain['match']['prefixRanges']): readonly IpPrefix[] {
  if (ranges.length === 0) return [ANY_IPV4, ANY_IPV6];
  const seen = new Map<string, IpPrefix>();
  for (const r of ranges) {
    const p = compileIpPrefix(r);
    seen.set(p.key, p);
  }
  return [...seen.values()];
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

function prefixChild<T>(level: PrefixLevel<T>, prefix: IpPrefix, create: () => T): T {
  for (const entry of level) if (entry.prefix.key === prefix.key) return entry.next;
  const next = create();
  level.push({ prefix, next });
  return next;
}

function sortPrefixes<T>(level: PrefixLevel<T>): void {
  level.sort((a, b) => b.prefix.length - a.prefix.length);
}

function parseAddress(address: string | undefined, out: Uint32Array): IpFamily {
  return address === undefined ? 0 : parseIp(address, out);
}

function longestMatch<T>(level: PrefixLevel<T>, family: IpFamily, words: Uint32Array): T | undefined {
  for (let i = 0; i < level.length; i++) {
    const entry = level[i] as PrefixLevel<T>[number];
    // A connection without an IP address (a Unix socket) matches only catch-all prefixes.
    if (family === 0 ? entry.prefix.length === 0 : prefixContains(entry.prefix, family, words)) return entry.next;
  }
  return undefined;
}

function isSameIpOrLoopback(input: FilterChainMatchInput, sourceFamily: IpFamily, destFamily: IpFamily): boolean {
  if (sourceFamily === 0) return input.sourceAddress === undefined;
  if (isLoopback(sourceFamily, sourceWords)) return true;
  if (sourceFamily !== destFamily) return false;
  const count = sourceFamily === 4 ? 1 : 4;
  for (let w = 0; w < count; w++) if (sourceWords[w] !== destinationWords[w]) return false;
  return true;
}
