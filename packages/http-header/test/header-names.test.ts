import { describe, expect, it } from 'vitest';
import * as envoy from '../src/envoy.js';
import * as forwarding from '../src/forwarding.js';
import * as grpc from '../src/grpc.js';
import * as hopByHop from '../src/hop-by-hop.js';
import * as index from '../src/index.js';
import * as orion from '../src/orion.js';
import * as pseudo from '../src/pseudo.js';
import * as rateLimit from '../src/rate-limit.js';
import * as standard from '../src/standard.js';
import * as tracing from '../src/tracing.js';

/** Each group module with its list; `values` names the string exports that are header values, not names. */
const groups = [
  { file: 'envoy', module: envoy, list: envoy.ENVOY_HEADER_NAMES, values: [] },
  { file: 'forwarding', module: forwarding, list: forwarding.FORWARDING_HEADER_NAMES, values: [] },
  { file: 'tracing', module: tracing, list: tracing.TRACING_HEADER_NAMES, values: [] },
  { file: 'grpc', module: grpc, list: grpc.GRPC_HEADER_NAMES, values: [] },
  { file: 'hop-by-hop', module: hopByHop, list: hopByHop.HOP_BY_HOP_HEADER_NAMES, values: ['TE_TRAILERS'] },
  { file: 'pseudo', module: pseudo, list: pseudo.PSEUDO_HEADER_NAMES, values: [] },
  { file: 'orion', module: orion, list: orion.ORION_HEADER_NAMES, values: [] },
  { file: 'rate-limit', module: rateLimit, list: rateLimit.RATE_LIMIT_HEADER_NAMES, values: [] },
  { file: 'standard', module: standard, list: standard.STANDARD_HEADER_NAMES, values: [] },
] as const;

/** RFC 9110 field-name token characters, lower case only. */
const LOWER_TOKEN = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;

function stringExports(module: object, except: readonly string[]): [string, string][] {
  return Object.entries(module).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && !except.includes(entry[0]),
  );
}

describe('header names', () => {
  it('lists every string constant of a group in the group list, once', () => {
    for (const group of groups) {
      const constants = stringExports(group.module, group.values).map(([, value]) => value);
      expect([...group.list].sort(), group.file).toEqual([...constants].sort());
      expect(new Set(group.list).size, group.file).toBe(group.list.length);
    }
  });

  it('spells every name in lower case as a valid field name', () => {
    for (const group of groups) {
      for (const name of group.list) {
        const bare = group.file === 'pseudo' ? name.slice(1) : name;
        expect(bare, `${group.file}: ${name}`).toMatch(LOWER_TOKEN);
        expect(name).toBe(name.toLowerCase());
      }
    }
  });

  it('starts pseudo-header names, and only those, with a colon', () => {
    for (const group of groups) {
      for (const name of group.list) expect(name.startsWith(':'), name).toBe(group.file === 'pseudo');
    }
  });

  it('names each header in one group only', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const group of groups) {
      for (const name of group.list) {
        const first = owner.get(name);
        if (first !== undefined) clashes.push(`${name} in ${first} and ${group.file}`);
        owner.set(name, group.file);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('gives each constant a name derived from the header it holds', () => {
    for (const group of groups) {
      for (const [constant, value] of stringExports(group.module, group.values)) {
        const derived = value.replace(/^:/, 'PSEUDO_').replace(/-/g, '_').toUpperCase();
        expect(constant, value).toBe(derived);
      }
    }
  });

  it('exports every group constant from the package index', () => {
    for (const group of groups) {
      for (const [constant, value] of Object.entries(group.module)) {
        expect(index, `${group.file}.${constant}`).toHaveProperty(constant, value);
      }
    }
  });

  it('freezes the group lists', () => {
    for (const group of groups) expect(Object.isFrozen(group.list), group.file).toBe(true);
  });

  it('covers the Envoy headers the router and connection manager read or write', () => {
    const expected = [
      'x-envoy-original-path',
      'x-envoy-internal',
      'x-envoy-external-address',
      'x-envoy-upstream-service-time',
      'x-envoy-expected-rq-timeout-ms',
      'x-envoy-attempt-count',
      'x-envoy-retry-on',
      'x-envoy-retry-grpc-on',
      'x-envoy-max-retries',
      'x-envoy-original-dst-host',
      'x-envoy-force-trace',
      'x-envoy-upstream-rq-timeout-ms',
      'x-envoy-upstream-rq-per-try-timeout-ms',
      'x-envoy-retriable-status-codes',
      'x-envoy-retriable-header-names',
      'x-envoy-decorator-operation',
      'x-envoy-downstream-service-cluster',
      'x-envoy-downstream-service-node',
      'x-envoy-overloaded',
      'x-envoy-immediate-health-check-fail',
      'x-envoy-is-timeout-retry',
      'x-envoy-hedge-on-per-try-timeout',
      'x-envoy-ratelimited',
    ];
    expect(index.ENVOY_HEADER_NAMES).toEqual(expect.arrayContaining(expected));
    for (const name of index.ENVOY_HEADER_NAMES) expect(name.startsWith('x-envoy-'), name).toBe(true);
  });

  it('covers the trace-context headers of every supported tracer', () => {
    expect(index.TRACING_HEADER_NAMES).toEqual(
      expect.arrayContaining([
        'traceparent',
        'tracestate',
        'b3',
        'x-b3-traceid',
        'x-b3-spanid',
        'x-b3-parentspanid',
        'x-b3-sampled',
        'x-b3-flags',
        'uber-trace-id',
        'x-datadog-trace-id',
        'x-datadog-parent-id',
        'x-datadog-sampling-priority',
        'x-datadog-origin',
        'x-ot-span-context',
      ]),
    );
  });

  it('names the pseudo-headers Node http2 uses', async () => {
    const { constants } = await import('node:http2');
    expect(index.PSEUDO_METHOD).toBe(constants.HTTP2_HEADER_METHOD);
    expect(index.PSEUDO_PATH).toBe(constants.HTTP2_HEADER_PATH);
    expect(index.PSEUDO_AUTHORITY).toBe(constants.HTTP2_HEADER_AUTHORITY);
    expect(index.PSEUDO_SCHEME).toBe(constants.HTTP2_HEADER_SCHEME);
    expect(index.PSEUDO_STATUS).toBe(constants.HTTP2_HEADER_STATUS);
    // @types/node does not declare HTTP2_HEADER_PROTOCOL, though Node defines it.
    expect(index.PSEUDO_PROTOCOL).toBe((constants as Record<string, unknown>)['HTTP2_HEADER_PROTOCOL']);
  });
});
