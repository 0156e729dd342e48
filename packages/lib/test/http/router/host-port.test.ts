import { describe, expect, it } from 'vitest';
import { hostPortStart, stripHostPort, type StripPortMode } from '../../../src/http/router/index.js';

describe('stripHostPort', () => {
  // Envoy: HCM strip_matching_host_port / strip_any_host_port, HeaderUtility::stripPortFromHost and getPortStart.
  it.each([
    ['none keeps the port', 'a.example:80', 'none', 80, 'a.example:80'],
    ['matching strips the listener port', 'a.example:80', 'matching', 80, 'a.example'],
    ['matching keeps another port', 'a.example:8080', 'matching', 80, 'a.example:8080'],
    ['any strips any port', 'a.example:8080', 'any', 80, 'a.example'],
    ['a non-numeric port is kept', 'a.example:http', 'any', 80, 'a.example:http'],
    ['an empty port is kept', 'a.example:', 'any', 80, 'a.example:'],
    ['a host without port is unchanged', 'a.example', 'any', 80, 'a.example'],
    ['IPv6 with port', '[2001:db8::1]:443', 'matching', 443, '[2001:db8::1]'],
    ['IPv6 without port is not cut at its colons', '[2001:db8::1]', 'any', 443, '[2001:db8::1]'],
  ] as const)('%s', (_name, authority, mode: StripPortMode, port, expected) => {
    expect(stripHostPort(authority, mode, port)).toBe(expected);
  });

  it.each([
    ['example.com:80', 11],
    ['example.com', -1],
    ['[::1]', -1],
    ['[::1]:80', 5],
  ])('hostPortStart(%s) is %s', (host, index) => {
    expect(hostPortStart(host)).toBe(index);
  });
});
