import { describe, expect, it } from 'vitest';
import type { FormatContext, SocketAddress } from '../../src/index.js';
import { text, typed } from '../helpers.js';

const v4 = (address: string, port: number): SocketAddress => ({ address, port });
const v6 = (address: string, port: number): SocketAddress => ({ address, port, isIPv6: true });
const pipe: SocketAddress = { address: '/foo' };

// Source: substitution_formatter_test.cc TEST(SubstitutionFormatterTest, streamInfoFormatter), the address and
// upstream-host blocks, and the MASK_PREFIX_LEN examples of the substitution formatter documentation.
describe('address operators', () => {
  it.each([
    ['IPv4', v4('127.1.2.3', 18443), '127.1.2.3:18443'],
    ['IPv6', v6('::1', 19443), '[::1]:19443'],
    ['Pipe', pipe, '/foo'],
  ] as const)('[streamInfoFormatter] UPSTREAM_LOCAL_ADDRESS for %s', (_kind, address, expected) => {
    expect(text('%UPSTREAM_LOCAL_ADDRESS%', { upstreamLocalAddress: address })).toBe(expected);
    expect(typed('%UPSTREAM_LOCAL_ADDRESS%', { upstreamLocalAddress: address })).toBe(expected);
  });

  it('[streamInfoFormatter] UPSTREAM_LOCAL_PORT: number, pipe has none (empty text, null typed)', () => {
    expect(text('%UPSTREAM_LOCAL_PORT%', { upstreamLocalAddress: v4('127.1.2.3', 18443) })).toBe('18443');
    expect(typed('%UPSTREAM_LOCAL_PORT%', { upstreamLocalAddress: v6('::1', 19443) })).toBe(19443);
    expect(text('[%UPSTREAM_LOCAL_PORT%]', { upstreamLocalAddress: pipe })).toBe('[]');
    expect(typed('%UPSTREAM_LOCAL_PORT%', { upstreamLocalAddress: pipe })).toBeNull();
  });

  it('[streamInfoFormatter] *_WITHOUT_PORT drops the port (IPv6 without brackets)', () => {
    expect(text('%UPSTREAM_LOCAL_ADDRESS_WITHOUT_PORT%', { upstreamLocalAddress: v4('127.0.0.3', 18443) })).toBe('127.0.0.3');
    expect(text('%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%', { downstreamRemoteAddress: v6('2001:db8::1', 443) })).toBe('2001:db8::1');
  });

  it('[streamInfoFormatter] UPSTREAM_REMOTE_ADDRESS, _WITHOUT_PORT, _PORT and their unset forms', () => {
    const ctx: FormatContext = { upstreamRemoteAddress: v4('10.0.0.2', 80) };
    expect(text('%UPSTREAM_REMOTE_ADDRESS% %UPSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% %UPSTREAM_REMOTE_PORT%', ctx)).toBe('10.0.0.2:80 10.0.0.2 80');
    expect(typed('%UPSTREAM_REMOTE_PORT%', ctx)).toBe(80);
    expect(text('%UPSTREAM_REMOTE_ADDRESS% %UPSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% %UPSTREAM_REMOTE_PORT%', {})).toBe('- - -');
    expect(typed('%UPSTREAM_REMOTE_ADDRESS%', {})).toBeNull();
  });

  it('[streamInfoFormatter] DOWNSTREAM_LOCAL_*, DOWNSTREAM_REMOTE_* and _PORT', () => {
    const ctx: FormatContext = { downstreamLocalAddress: v4('127.0.0.2', 0), downstreamRemoteAddress: v4('127.0.0.1', 0) };
    expect(text('%DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT% %DOWNSTREAM_LOCAL_PORT%', ctx)).toBe('127.0.0.2:0 127.0.0.2 0');
    expect(text('%DOWNSTREAM_REMOTE_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% %DOWNSTREAM_REMOTE_PORT%', ctx)).toBe('127.0.0.1:0 127.0.0.1 0');
    expect(typed('%DOWNSTREAM_LOCAL_PORT%', { downstreamLocalAddress: v6('::1', 9443) })).toBe(9443);
  });

  it('[streamInfoFormatter] DOWNSTREAM_DIRECT_* use the physical addresses, falling back to the others', () => {
    const ctx: FormatContext = {
      downstreamLocalAddress: v4('127.1.2.3', 6745),
      downstreamDirectLocalAddress: v4('127.0.0.2', 0),
      downstreamRemoteAddress: v4('127.0.0.1', 0),
      downstreamDirectRemoteAddress: v4('127.0.0.3', 63443),
    };
    expect(text('%DOWNSTREAM_DIRECT_LOCAL_ADDRESS% %DOWNSTREAM_DIRECT_LOCAL_ADDRESS_WITHOUT_PORT% %DOWNSTREAM_DIRECT_LOCAL_PORT%', ctx)).toBe(
      '127.0.0.2:0 127.0.0.2 0',
    );
    expect(text('%DOWNSTREAM_DIRECT_REMOTE_ADDRESS% %DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT% %DOWNSTREAM_DIRECT_REMOTE_PORT%', ctx)).toBe(
      '127.0.0.3:63443 127.0.0.3 63443',
    );
    expect(typed('%DOWNSTREAM_DIRECT_REMOTE_PORT%', ctx)).toBe(63443);
    expect(text('%DOWNSTREAM_DIRECT_REMOTE_ADDRESS%', { downstreamRemoteAddress: v4('10.1.1.1', 5) })).toBe('10.1.1.1:5');
  });

  it.each([
    ['DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(24)', v4('127.0.0.1', 0), '127.0.0.0/24'],
    ['DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(16)', v4('127.0.0.1', 0), '127.0.0.0/16'],
    ['DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(32)', v4('127.0.0.1', 0), '127.0.0.1/32'],
    ['DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(16)', v4('10.1.10.23', 8080), '10.1.0.0/16'],
    ['DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(0)', v4('10.1.10.23', 8080), '0.0.0.0/0'],
    ['DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(128)', v6('2001:db8:1234:5678::1', 8080), '2001:db8:1234:5678::1/128'],
    ['DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(64)', v6('2001:db8:1234:5678::1', 8080), '2001:db8:1234:5678::/64'],
    ['DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(48)', v6('2001:db8:1234:5678::1', 8080), '2001:db8:1234::/48'],
    ['DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(64)', v6('2001:db8:1234:5678:9abc:def0:1234:5678', 1), '2001:db8:1234:5678::/64'],
  ] as const)('[streamInfoFormatter / docs MASK_PREFIX_LEN] %s of %j', (op, address, expected) => {
    expect(text(`%${op}%`, { downstreamRemoteAddress: address })).toBe(expected);
    expect(typed(`%${op}%`, { downstreamRemoteAddress: address })).toBe(expected);
  });

  it('[streamInfoFormatter] masks on the direct, local and upstream addresses too', () => {
    const a = v4('127.0.0.5', 8443);
    expect(text('%DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT(24)%', { downstreamRemoteAddress: a })).toBe('127.0.0.0/24');
    expect(text('%DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT(24)%', { downstreamLocalAddress: a })).toBe('127.0.0.0/24');
    expect(text('%DOWNSTREAM_DIRECT_LOCAL_ADDRESS_WITHOUT_PORT(16)%', { downstreamLocalAddress: a })).toBe('127.0.0.0/16');
    expect(text('%UPSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(24)%', { upstreamRemoteAddress: v4('10.0.0.2', 80) })).toBe('10.0.0.0/24');
    expect(text('%UPSTREAM_LOCAL_ADDRESS_WITHOUT_PORT(24)%', { upstreamLocalAddress: a })).toBe('127.0.0.0/24');
  });

  it('[streamInfoFormatter] *_ENDPOINT_ID of an internal address; empty for IP addresses', () => {
    const internal: SocketAddress = { address: 'envoy://internal/', endpointId: '1234567890' };
    expect(text('%UPSTREAM_REMOTE_ADDRESS_ENDPOINT_ID%', { upstreamRemoteAddress: internal })).toBe('1234567890');
    expect(text('[%DOWNSTREAM_LOCAL_ADDRESS_ENDPOINT_ID%]', { downstreamLocalAddress: v4('127.1.2.3', 18443) })).toBe('[]');
    expect(typed('%DOWNSTREAM_DIRECT_LOCAL_ADDRESS_ENDPOINT_ID%', { downstreamDirectLocalAddress: v4('127.1.2.4', 18444) })).toBeNull();
  });

  it('[streamInfoFormatter] UPSTREAM_HOST, UPSTREAM_HOST_NAME and _WITHOUT_PORT', () => {
    const host = v4('10.0.0.1', 443);
    expect(text('%UPSTREAM_HOST%', { upstreamHost: host })).toBe('10.0.0.1:443');
    expect(text('%UPSTREAM_HOST%', {})).toBe('-');
    expect(text('%UPSTREAM_HOST_NAME%', { upstreamHost: host, upstreamHostName: 'upstream_host_xxx' })).toBe('upstream_host_xxx');
    expect(text('%UPSTREAM_HOST_NAME%', { upstreamHost: host })).toBe('10.0.0.1:443');
    expect(text('%UPSTREAM_HOST_NAME_WITHOUT_PORT%', { upstreamHost: host, upstreamHostName: 'upstream_host_xxx:443' })).toBe('upstream_host_xxx');
    expect(text('%UPSTREAM_HOST_NAME_WITHOUT_PORT%', { upstreamHost: host, upstreamHostName: 'upstream_host_xxx' })).toBe('upstream_host_xxx');
    expect(text('%UPSTREAM_HOST_NAME_WITHOUT_PORT%', { upstreamHost: host })).toBe('10.0.0.1');
  });

  it('[streamInfoFormatter] UPSTREAM_HOSTS_ATTEMPTED and UPSTREAM_HOST_NAMES_ATTEMPTED (with and without port)', () => {
    const ctx: FormatContext = {
      upstreamHostsAttempted: [
        { hostname: 'host1.example.com', address: v4('10.0.0.1', 443) },
        { hostname: 'host2.example.com:8080', address: v4('10.0.0.2', 8080) },
        { address: v4('10.0.0.3', 80) },
      ],
    };
    expect(text('%UPSTREAM_HOSTS_ATTEMPTED%', ctx)).toBe('10.0.0.1:443,10.0.0.2:8080,10.0.0.3:80');
    expect(text('%UPSTREAM_HOSTS_ATTEMPTED_WITHOUT_PORT%', ctx)).toBe('10.0.0.1,10.0.0.2,10.0.0.3');
    expect(text('%UPSTREAM_HOST_NAMES_ATTEMPTED%', ctx)).toBe('host1.example.com,host2.example.com:8080,10.0.0.3:80');
    expect(text('%UPSTREAM_HOST_NAMES_ATTEMPTED_WITHOUT_PORT%', ctx)).toBe('host1.example.com,host2.example.com,10.0.0.3');
    expect(typed('%UPSTREAM_HOSTS_ATTEMPTED%', { upstreamHostsAttempted: [{}] })).toBeNull();
  });
});
