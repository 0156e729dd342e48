import { OrionError } from '@orion/error';
import { describe, expect, it } from 'vitest';
import {
  clusterBinding,
  createDiscoveryClient,
  DiscoveryClientBuilder,
  listenerBinding,
  noopXdsLogger,
  ORION_ERR_XDS_INVALID_ARGUMENT,
} from '../src/index.js';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return OrionError.is(err) ? err.code : 'not an OrionError';
  }
  return undefined;
}

describe('DiscoveryClientBuilder', () => {
  it('collects options with their defaults left unset', () => {
    const signal = new AbortController().signal;
    const options = new DiscoveryClientBuilder()
      .target('unix:/run/xds.sock')
      .node({ id: 'n', cluster: 'c' })
      .protocol('sotw')
      .resource(listenerBinding)
      .resource(clusterBinding, ['a', '*'])
      .initialFetchTimeoutMs(0)
      .backoff({ baseMs: 10, maxMs: 20 })
      .closeTimeoutMs(50)
      .pingIntervalMs(10_000)
      .logger(noopXdsLogger)
      .signal(signal)
      .options();
    expect(options).toEqual({
      target: { kind: 'unix', path: '/run/xds.sock' },
      node: { id: 'n', cluster: 'c' },
      protocol: 'sotw',
      resources: [{ binding: listenerBinding }, { binding: clusterBinding, names: ['a', '*'] }],
      initialFetchTimeoutMs: 0,
      backoff: { baseMs: 10, maxMs: 20 },
      closeTimeoutMs: 50,
      pingIntervalMs: 10_000,
      logger: noopXdsLogger,
      signal,
    });
    expect(new DiscoveryClientBuilder().target('h:1').node({ id: 'n' }).options()).toEqual({ target: { kind: 'tcp', host: 'h', port: 1 }, node: { id: 'n' }, protocol: 'delta', resources: [] });
  });

  it('rejects a missing target or node, and invalid client options, before connecting', () => {
    expect(code(() => new DiscoveryClientBuilder().node({ id: 'n' }).options())).toBe(ORION_ERR_XDS_INVALID_ARGUMENT);
    expect(code(() => new DiscoveryClientBuilder().target('h:1').options())).toBe(ORION_ERR_XDS_INVALID_ARGUMENT);
    const base = { target: { kind: 'tcp', host: '127.0.0.1', port: 1 }, node: { id: 'n' } } as const;
    expect(code(() => createDiscoveryClient({ ...base, resources: [] }))).toBe(ORION_ERR_XDS_INVALID_ARGUMENT);
    expect(code(() => createDiscoveryClient({ ...base, resources: [{ binding: clusterBinding }, { binding: clusterBinding }] }))).toBe(ORION_ERR_XDS_INVALID_ARGUMENT);
    expect(code(() => createDiscoveryClient({ ...base, resources: [{ binding: clusterBinding }], initialFetchTimeoutMs: -1 }))).toBe(ORION_ERR_XDS_INVALID_ARGUMENT);
    expect(code(() => createDiscoveryClient({ ...base, resources: [{ binding: clusterBinding }], backoff: { baseMs: 0 } }))).toBe(ORION_ERR_XDS_INVALID_ARGUMENT);
  });

  it('builds a client that closes at once when its signal is already aborted', async () => {
    const client = new DiscoveryClientBuilder()
      .target({ kind: 'tcp', host: '127.0.0.1', port: 1 })
      .node({ id: 'n' })
      .resource(clusterBinding)
      .signal(AbortSignal.abort())
      .build();
    const seen: unknown[] = [];
    for await (const batch of client) seen.push(batch);
    expect(seen).toEqual([]);
    expect(client.subscriptions('type.googleapis.com/envoy.config.cluster.v3.Cluster')).toEqual(['*']);
    expect(client.controlPlaneStats()).toEqual({ connected_state: 0, stream_attempt: 0, stream_failure: 0 });
  });
});
