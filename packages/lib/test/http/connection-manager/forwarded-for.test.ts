import { describe, expect, it } from 'vitest';
import { decideForwarding } from '../../../src/http/connection-manager/forwarded-for.js';
import { isInternalAddress } from '../../../src/http/connection-manager/internal-address.js';

// Envoy docs, configuration/http/http_conn_man/headers.rst, "x-forwarded-for": Examples 1–6.
describe('decideForwarding', () => {
  it('Example 1: edge proxy without a trusted proxy in front appends the peer and trusts it', () => {
    const d = decideForwarding({ useRemoteAddress: true, xffNumTrustedHops: 0, skipXffAppend: false }, '192.0.2.5', '203.0.113.128, 203.0.113.10, 203.0.113.1');
    expect(d).toEqual({
      trustedClientAddress: '192.0.2.5',
      internal: false,
      edge: true,
      xffOut: '203.0.113.128, 203.0.113.10, 203.0.113.1, 192.0.2.5',
      externalAddress: '192.0.2.5',
    });
  });

  it('Example 2: internal proxy behind the edge trusts the last XFF address and leaves XFF alone', () => {
    const d = decideForwarding({ useRemoteAddress: false, xffNumTrustedHops: 0, skipXffAppend: false }, '10.11.12.13', '203.0.113.128, 203.0.113.10, 203.0.113.1, 192.0.2.5');
    expect(d).toEqual({ trustedClientAddress: '192.0.2.5', internal: false, edge: false, xffOut: undefined, externalAddress: undefined });
  });

  it('Example 3: edge proxy with two trusted external proxies trusts the 2nd address from the right', () => {
    const d = decideForwarding({ useRemoteAddress: true, xffNumTrustedHops: 2, skipXffAppend: false }, '192.0.2.5', '203.0.113.128, 203.0.113.10, 203.0.113.1');
    expect(d.trustedClientAddress).toBe('203.0.113.10');
    expect(d.externalAddress).toBe('203.0.113.10');
    expect(d.xffOut).toBe('203.0.113.128, 203.0.113.10, 203.0.113.1, 192.0.2.5');
    expect(d.internal).toBe(false);
  });

  it('Example 4: internal proxy behind the edge of Example 3 trusts the 3rd address from the right', () => {
    const d = decideForwarding({ useRemoteAddress: false, xffNumTrustedHops: 2, skipXffAppend: false }, '10.11.12.13', '203.0.113.128, 203.0.113.10, 203.0.113.1, 192.0.2.5');
    expect(d).toEqual({ trustedClientAddress: '203.0.113.10', internal: false, edge: false, xffOut: undefined, externalAddress: undefined });
  });

  it('Example 5: internal client without XFF is trusted by its source address and is not marked internal', () => {
    // The doc shows X-Envoy-Internal "false"; Envoy's ConnectionManagerUtility removes the header for any
    // request that is not internal, which is what Orion does.
    const d = decideForwarding({ useRemoteAddress: false, xffNumTrustedHops: 0, skipXffAppend: false }, '10.20.30.40', undefined);
    expect(d).toEqual({ trustedClientAddress: '10.20.30.40', internal: false, edge: false, xffOut: undefined, externalAddress: undefined });
  });

  it('Example 6: a request proxied by another internal Envoy with a single internal XFF address is internal', () => {
    const d = decideForwarding({ useRemoteAddress: false, xffNumTrustedHops: 0, skipXffAppend: false }, '10.20.30.50', '10.20.30.40');
    expect(d).toEqual({ trustedClientAddress: '10.20.30.40', internal: true, edge: false, xffOut: undefined, externalAddress: undefined });
  });

  it('skip_xff_append keeps XFF unchanged on an edge proxy', () => {
    const d = decideForwarding({ useRemoteAddress: true, xffNumTrustedHops: 0, skipXffAppend: true }, '192.0.2.5', '203.0.113.1');
    expect(d.xffOut).toBeUndefined();
    expect(d.trustedClientAddress).toBe('192.0.2.5');
  });

  it('an internal peer without XFF on an edge proxy is internal and gets XFF set to the peer', () => {
    const d = decideForwarding({ useRemoteAddress: true, xffNumTrustedHops: 0, skipXffAppend: false }, '127.0.0.1', undefined);
    expect(d).toEqual({ trustedClientAddress: '127.0.0.1', internal: true, edge: false, xffOut: '127.0.0.1', externalAddress: undefined });
  });

  it('falls back to the source address when XFF is shorter than the trusted hops', () => {
    expect(decideForwarding({ useRemoteAddress: true, xffNumTrustedHops: 3, skipXffAppend: false }, '192.0.2.5', '203.0.113.1').trustedClientAddress).toBe('192.0.2.5');
    expect(decideForwarding({ useRemoteAddress: false, xffNumTrustedHops: 1, skipXffAppend: false }, '10.0.0.9', '203.0.113.1').trustedClientAddress).toBe('10.0.0.9');
  });
});

describe('isInternalAddress', () => {
  it.each([
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['127.0.0.1', true],
    ['127.0.0.2', false],
    ['8.8.8.8', false],
    ['::1', true],
    ['fd12::1', true],
    ['fe80::1', false],
    ['::ffff:10.0.0.1', true],
    ['not-an-ip', false],
  ])('%s → %s (Envoy Network::Utility::isInternalAddress)', (ip, expected) => {
    expect(isInternalAddress(ip)).toBe(expected);
  });
});
