import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl } from '../../src/orion/curl.js';
import { bootstrap, httpListener, staticCluster } from '../../src/orion/envoy-config.js';
import { freePort } from '../../src/orion/free-port.js';
import { serveConfig, type ServedConfig } from '../../src/orion/corpus.js';
import { httpUpstream, type TestUpstream } from '../../src/orion/upstreams.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

describe('trace context through orion with HCM tracing (e2e)', () => {
  let served: ServedConfig;
  let upstream: TestUpstream;
  let port: number;

  beforeAll(async () => {
    upstream = await httpUpstream('up');
    port = await freePort();
    const routes = `                        - match: { prefix: / }
                          route: { cluster: up }
`;
    served = await serveConfig(bootstrap([httpListener('traced', port, routes, '                tracing: { random_sampling: { value: 100 } }\n')], [staticCluster('up', [upstream.port])]));
  });

  afterAll(async () => {
    await served?.stop();
    await upstream?.close();
  });

  it.each([
    ['traceparent', `00-${TRACE}-${SPAN}-01`, (v: string) => v.split('-')[1], (v: string) => v.split('-')[2]],
    ['b3', `${TRACE}-${SPAN}-1`, (v: string) => v.split('-')[0], (v: string) => v.split('-')[1]],
    ['x-b3-traceid', TRACE, (v: string) => v, undefined],
    ['uber-trace-id', `${TRACE}:${SPAN}:0:1`, (v: string) => v.split(':')[0], (v: string) => v.split(':')[1]],
  ] as const)('keeps the trace id of %s and gives the next hop a new span', async (header, value, trace, span) => {
    const before = upstream.requests.length;
    const extra = header === 'x-b3-traceid' ? ['-H', `x-b3-spanid: ${SPAN}`, '-H', 'x-b3-sampled: 1'] : [];
    const reply = await curl(`http://127.0.0.1:${port}/${header}`, ['-H', `${header}: ${value}`, ...extra]);
    expect(reply.status).toBe(200);
    const seen = upstream.requests[before]?.headers ?? {};
    const forwarded = String(seen[header]);
    expect(trace(forwarded)).toBe(TRACE);
    const newSpan = span === undefined ? String(seen['x-b3-spanid']) : span(forwarded);
    expect(newSpan).toMatch(/^[0-9a-f]{16}$/);
    expect(newSpan).not.toBe(SPAN);
  });
});
