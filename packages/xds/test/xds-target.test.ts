import { OrionError } from '@orion/error';
import { describe, expect, it } from 'vitest';
import { formatXdsTarget, ORION_ERR_XDS_INVALID_ARGUMENT, parseXdsTarget } from '../src/index.js';

describe('parseXdsTarget', () => {
  it('reads host:port, [v6]:port and unix sockets', () => {
    expect(parseXdsTarget('istiod.istio-system.svc:15010')).toEqual({ kind: 'tcp', host: 'istiod.istio-system.svc', port: 15010 });
    expect(parseXdsTarget('[::1]:18000')).toEqual({ kind: 'tcp', host: '::1', port: 18000 });
    expect(parseXdsTarget('unix:./etc/istio/proxy/XDS')).toEqual({ kind: 'unix', path: './etc/istio/proxy/XDS' });
    expect(parseXdsTarget('unix:///var/run/xds.sock')).toEqual({ kind: 'unix', path: '/var/run/xds.sock' });
    expect(parseXdsTarget('dns:///istiod.istio-system.svc:15012')).toEqual({ kind: 'tcp', host: 'istiod.istio-system.svc', port: 15012 });
  });

  it('rejects anything else', () => {
    for (const bad of ['localhost', 'host:0', 'host:65536', 'a:b:1', 'unix:', ':80']) {
      expect(() => parseXdsTarget(bad), bad).toThrow(expect.objectContaining({ code: ORION_ERR_XDS_INVALID_ARGUMENT }));
    }
    expect(() => parseXdsTarget('x')).toThrow(OrionError);
  });

  it('formats what it parses', () => {
    for (const address of ['127.0.0.1:15010', '[::1]:15010', 'unix:/tmp/xds.sock']) expect(formatXdsTarget(parseXdsTarget(address))).toBe(address);
  });
});
