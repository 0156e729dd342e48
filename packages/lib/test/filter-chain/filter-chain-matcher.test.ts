import type { FilterChain, FilterChainMatch } from '@orion/configuration';
import { OrionError } from '@orion/error';
import { describe, expect, it } from 'vitest';
import { FilterChainMatcher, type FilterChainMatchInput } from '../../src/filter-chain/index.js';
import { LibErrorCode } from '../../src/error-codes.js';

// Envoy's filter_chain_match documentation (api-v3 config.listener.v3.FilterChainMatch): "In order for a filter
// chain to be selected, ALL of its criteria must be fulfilled … The following order applies: destination port,
// destination IP address, server name, transport protocol, application protocols, directly connected source IP
// address, source type, source IP address, source port. For criteria that allow ranges or wildcards, the most
// specific value in any of the configured filter chains that matches the incoming connection is going to be used."
// And: "Suppose there exists N filter chains. Prune the filter chain set using the above 8 steps. In each step,
// filter chains which most specifically matches the attributes continue to the next step."

type MatchSpec = Partial<Omit<FilterChainMatch, 'prefixRanges' | 'directSourcePrefixRanges' | 'sourcePrefixRanges'>> & {
  prefixRanges?: string[];
  directSourcePrefixRanges?: string[];
  sourcePrefixRanges?: string[];
};

function cidr(text: string): { addressPrefix: string; prefixLen: number } {
  const [addressPrefix = '', len = '0'] = text.split('/');
  return { addressPrefix, prefixLen: Number(len) };
}

function chain(name: string, spec: MatchSpec = {}): FilterChain {
  return {
    name,
    filters: [],
    match: {
      ...(spec.destinationPort === undefined ? {} : { destinationPort: spec.destinationPort }),
      prefixRanges: (spec.prefixRanges ?? []).map(cidr),
      directSourcePrefixRanges: (spec.directSourcePrefixRanges ?? []).map(cidr),
      sourceType: spec.sourceType ?? 'any',
      sourcePrefixRanges: (spec.sourcePrefixRanges ?? []).map(cidr),
      sourcePorts: spec.sourcePorts ?? [],
    },
  };
}

function conn(dst: string, dport: number, src: string, sport: number, direct?: string): FilterChainMatchInput {
  return { destinationAddress: dst, destinationPort: dport, sourceAddress: src, sourcePort: sport, directSourceAddress: direct };
}

interface Row {
  readonly doc: string;
  readonly chains: FilterChain[];
  readonly input: FilterChainMatchInput;
  readonly expected: string | undefined;
}

const rows: Row[] = [
  {
    doc: 'a chain without criteria matches every connection',
    chains: [chain('all')],
    input: conn('10.0.0.1', 80, '192.168.1.1', 5000),
    expected: 'all',
  },
  {
    doc: 'destination port: an exact port beats a chain without destination_port',
    chains: [chain('any'), chain('p8080', { destinationPort: 8080 })],
    input: conn('10.0.0.1', 8080, '192.168.1.1', 5000),
    expected: 'p8080',
  },
  {
    doc: 'destination port: other ports fall to the chain without destination_port',
    chains: [chain('any'), chain('p8080', { destinationPort: 8080 })],
    input: conn('10.0.0.1', 9090, '192.168.1.1', 5000),
    expected: 'any',
  },
  {
    doc: 'destination IP: the longest containing prefix wins',
    chains: [chain('wide', { prefixRanges: ['10.0.0.0/8'] }), chain('narrow', { prefixRanges: ['10.1.0.0/16'] }), chain('any')],
    input: conn('10.1.2.3', 80, '1.1.1.1', 1),
    expected: 'narrow',
  },
  {
    doc: 'destination IP: a non-containing narrow prefix is skipped for a wider one',
    chains: [chain('wide', { prefixRanges: ['10.0.0.0/8'] }), chain('narrow', { prefixRanges: ['10.1.0.0/16'] }), chain('any')],
    input: conn('10.2.2.3', 80, '1.1.1.1', 1),
    expected: 'wide',
  },
  {
    doc: 'destination IP: chains without prefix_ranges are the catch-all',
    chains: [chain('wide', { prefixRanges: ['10.0.0.0/8'] }), chain('any')],
    input: conn('192.168.0.1', 80, '1.1.1.1', 1),
    expected: 'any',
  },
  {
    doc: 'destination port is decided before destination IP (no backtracking to other ports)',
    chains: [chain('port-narrow-ip', { destinationPort: 80, prefixRanges: ['10.0.0.0/8'] }), chain('any-port', { prefixRanges: ['192.168.0.0/16'] })],
    input: conn('192.168.0.1', 80, '1.1.1.1', 1),
    expected: undefined,
  },
  {
    doc: 'direct source IP: the longest containing prefix wins',
    chains: [chain('a', { directSourcePrefixRanges: ['172.16.0.0/12'] }), chain('b', { directSourcePrefixRanges: ['172.16.5.0/24'] })],
    input: conn('10.0.0.1', 80, '172.16.5.9', 1),
    expected: 'b',
  },
  {
    doc: 'direct source IP uses the directly connected peer when it differs from the source',
    chains: [chain('direct', { directSourcePrefixRanges: ['127.0.0.0/8'] }), chain('other', { directSourcePrefixRanges: ['8.8.8.0/24'] })],
    input: conn('10.0.0.1', 80, '8.8.8.8', 1, '127.0.0.1'),
    expected: 'direct',
  },
  {
    doc: 'source type: SAME_IP_OR_LOOPBACK beats ANY for a loopback peer',
    chains: [chain('any'), chain('local', { sourceType: 'sameIpOrLoopback' })],
    input: conn('127.0.0.1', 80, '127.0.0.1', 1),
    expected: 'local',
  },
  {
    doc: 'source type: a peer with the destination IP counts as local',
    chains: [chain('any'), chain('local', { sourceType: 'sameIpOrLoopback' })],
    input: conn('10.0.0.7', 80, '10.0.0.7', 1),
    expected: 'local',
  },
  {
    doc: 'source type: EXTERNAL beats ANY for another peer',
    chains: [chain('any'), chain('ext', { sourceType: 'external' }), chain('local', { sourceType: 'sameIpOrLoopback' })],
    input: conn('10.0.0.1', 80, '10.0.0.2', 1),
    expected: 'ext',
  },
  {
    doc: 'source type: ANY takes what the specific type does not',
    chains: [chain('any'), chain('local', { sourceType: 'sameIpOrLoopback' })],
    input: conn('10.0.0.1', 80, '10.0.0.2', 1),
    expected: 'any',
  },
  {
    doc: 'source type is decided before source IP (no backtracking)',
    chains: [chain('local-narrow', { sourceType: 'sameIpOrLoopback', sourcePrefixRanges: ['127.0.0.2/32'] }), chain('any')],
    input: conn('127.0.0.1', 80, '127.0.0.1', 1),
    expected: undefined,
  },
  {
    doc: 'source IP: the longest containing prefix wins',
    chains: [chain('a', { sourcePrefixRanges: ['192.168.0.0/16'] }), chain('b', { sourcePrefixRanges: ['192.168.1.0/24'] }), chain('c')],
    input: conn('10.0.0.1', 80, '192.168.1.20', 1),
    expected: 'b',
  },
  {
    doc: 'source port: an exact port beats a chain without source_ports',
    chains: [chain('any'), chain('sp', { sourcePorts: [4000, 4001] })],
    input: conn('10.0.0.1', 80, '1.1.1.1', 4001),
    expected: 'sp',
  },
  {
    doc: 'source port: other ports fall to the chain without source_ports',
    chains: [chain('any'), chain('sp', { sourcePorts: [4000] })],
    input: conn('10.0.0.1', 80, '1.1.1.1', 4002),
    expected: 'any',
  },
  {
    doc: 'source IP is decided before source port (no backtracking)',
    chains: [chain('narrow', { sourcePrefixRanges: ['1.1.1.0/24'], sourcePorts: [9] }), chain('any')],
    input: conn('10.0.0.1', 80, '1.1.1.1', 4002),
    expected: undefined,
  },
  {
    doc: 'IPv6 destination prefixes match IPv6 addresses',
    chains: [chain('v6', { prefixRanges: ['2001:db8::/32'] }), chain('v6-narrow', { prefixRanges: ['2001:db8:0:1::/64'] }), chain('any')],
    input: conn('2001:db8:0:1::5', 80, '::1', 1),
    expected: 'v6-narrow',
  },
  {
    doc: 'IPv4 prefixes do not match IPv6 addresses',
    chains: [chain('v4', { prefixRanges: ['0.0.0.0/1'] }), chain('any')],
    input: conn('::2', 80, '::1', 1),
    expected: 'any',
  },
  {
    doc: 'IPv4-mapped IPv6 addresses (dual-stack listeners) match IPv4 prefixes',
    chains: [chain('v4', { sourcePrefixRanges: ['10.0.0.0/8'] }), chain('any')],
    input: conn('::ffff:10.0.0.1', 80, '::ffff:10.9.9.9', 1),
    expected: 'v4',
  },
  {
    doc: 'IPv4-mapped IPv6 prefixes match IPv4 addresses',
    chains: [chain('mapped', { sourcePrefixRanges: ['::ffff:10.0.0.0/104'] }), chain('any')],
    input: conn('10.0.0.1', 80, '10.9.9.9', 1),
    expected: 'mapped',
  },
  {
    doc: 'an IPv4-mapped loopback peer is local',
    chains: [chain('ext', { sourceType: 'external' }), chain('local', { sourceType: 'sameIpOrLoopback' })],
    input: conn('::ffff:10.0.0.1', 80, '::ffff:127.0.0.1', 1),
    expected: 'local',
  },
  {
    doc: 'a Unix-socket connection matches only chains without port and address criteria',
    chains: [chain('port', { destinationPort: 80 }), chain('ip', { prefixRanges: ['10.0.0.0/8'] }), chain('local', { sourceType: 'sameIpOrLoopback' })],
    input: { destinationAddress: undefined, destinationPort: undefined, sourceAddress: undefined, sourcePort: undefined },
    expected: 'local',
  },
  {
    doc: 'the example of the docs: the most specific chain at each step',
    chains: [
      chain('A', { destinationPort: 443, prefixRanges: ['192.168.0.0/16'], sourcePrefixRanges: ['10.0.0.0/8'] }),
      chain('B', { destinationPort: 443, prefixRanges: ['192.168.1.0/24'] }),
      chain('C', { destinationPort: 443, prefixRanges: ['192.168.1.0/24'], sourcePorts: [5000] }),
      chain('D'),
    ],
    input: conn('192.168.1.1', 443, '10.0.0.1', 5000),
    expected: 'C',
  },
];

describe('FilterChainMatcher', () => {
  it.each(rows)('$doc', ({ chains, input, expected }) => {
    expect(FilterChainMatcher.compile(chains).match(input)?.name).toBe(expected);
  });

  it('falls back to the default filter chain when no chain matches', () => {
    const fallback = chain('default');
    const matcher = FilterChainMatcher.compile([chain('p', { destinationPort: 1 })], fallback);
    expect(matcher.select(conn('10.0.0.1', 80, '1.1.1.1', 1))).toBe(fallback);
    expect(matcher.select(conn('10.0.0.1', 1, '1.1.1.1', 1))?.name).toBe('p');
  });

  it('selects nothing without chains and without a default chain', () => {
    expect(FilterChainMatcher.compile([]).select(conn('10.0.0.1', 80, '1.1.1.1', 1))).toBeUndefined();
  });

  it('rejects two chains with the same match', () => {
    const err = (() => {
      try {
        FilterChainMatcher.compile([chain('a', { destinationPort: 80 }), chain('b', { destinationPort: 80 })]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(OrionError.is(err, LibErrorCode.FILTER_CHAIN_CONFLICT)).toBe(true);
    expect(String(err)).toContain('filter chain "b"');
  });

  it('accepts chains that overlap but differ in a later criterion', () => {
    const m = FilterChainMatcher.compile([chain('a', { sourcePorts: [1] }), chain('b', { sourcePorts: [2] })]);
    expect(m.match(conn('10.0.0.1', 80, '1.1.1.1', 2))?.name).toBe('b');
  });

  it('rejects a prefix that is not an IP address', () => {
    expect(() => FilterChainMatcher.compile([chain('a', { prefixRanges: ['example.com/8'] })])).toThrow(/not an IP address/);
    expect(() => FilterChainMatcher.compile([chain('a', { prefixRanges: ['10.0.0.0/33'] })])).toThrow(/out of range/);
  });

  it('selects without growing the heap per connection', () => {
    const m = FilterChainMatcher.compile(rows[rows.length - 1]?.chains ?? []);
    const input = conn('192.168.1.1', 443, '10.0.0.1', 5000);
    for (let i = 0; i < 1000; i++) m.match(input);
    const before = process.memoryUsage().heapUsed;
    let found = 0;
    for (let i = 0; i < 100_000; i++) if (m.match(input) !== undefined) found++;
    expect(found).toBe(100_000);
    // 100 000 selections; an allocation of even 32 bytes each would show as > 3 MB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(3_000_000);
  });
});
