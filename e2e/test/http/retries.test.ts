import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl } from '../../src/orion/curl.js';
import { bootstrap, httpListener, staticCluster } from '../../src/orion/envoy-config.js';
import { freePort } from '../../src/orion/free-port.js';
import { serveConfig, type ServedConfig } from '../../src/orion/corpus.js';
import { httpUpstream, type TestUpstream } from '../../src/orion/upstreams.js';
import { accessLog, lineMatching } from './support.js';

describe('retries configured in YAML (e2e)', () => {
  let served: ServedConfig;
  let upstream: TestUpstream;
  let port: number;
  const failuresLeft = new Map<string, number>();

  beforeAll(async () => {
    upstream = await httpUpstream('up', (req, res) => {
      const key = req.url ?? '';
      const left = failuresLeft.get(key) ?? 0;
      failuresLeft.set(key, left - 1);
      res.statusCode = left > 0 ? 503 : 200;
      res.end(`${res.statusCode} attempt ${String(req.headers['x-envoy-attempt-count'])}`);
    });
    port = await freePort();
    const routes = `                        - match: { prefix: /slow }
                          route:
                            cluster: up
                            retry_policy: { retry_on: "5xx", num_retries: 1, per_try_timeout: 0.1s }
                        - match: { prefix: / }
                          route: { cluster: up }
`;
    const hcm = accessLog('retry.log', '%REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS% %UPSTREAM_REQUEST_ATTEMPT_COUNT%\n');
    // Virtual-host retry policy and attempt counts, set on the generated virtual host.
    const text = bootstrap([httpListener('retry_in', port, routes, hcm)], [staticCluster('up', [upstream.port])]).replace(
      '                      domains: ["*"]\n',
      '                      domains: ["*"]\n                      include_request_attempt_count: true\n                      include_attempt_count_in_response: true\n                      retry_policy: { retry_on: "gateway-error,connect-failure", num_retries: 2, retry_back_off: { base_interval: 0.005s } }\n',
    );
    served = await serveConfig(text);
  });

  afterAll(async () => {
    await served?.stop();
    await upstream?.close();
  });

  it('retries per the virtual host policy and reports the attempt count both ways', async () => {
    failuresLeft.set('/twice', 2);
    const reply = await curl(`http://127.0.0.1:${port}/twice`);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('200 attempt 3');
    expect(reply.headers['x-envoy-attempt-count']).toBe('3');
    await lineMatching(`${served.dir}/retry.log`, /^\/twice 200 - 3$/);
  });

  it('returns the last response with URX when retries run out', async () => {
    failuresLeft.set('/always', 100);
    const reply = await curl(`http://127.0.0.1:${port}/always`);
    expect(reply.status).toBe(503);
    expect(reply.body).toBe('503 attempt 3');
    await lineMatching(`${served.dir}/retry.log`, /^\/always 503 URX 3$/);
  });

  it('honours x-envoy-max-retries from an internal client', async () => {
    failuresLeft.set('/header', 100);
    const reply = await curl(`http://127.0.0.1:${port}/header`, ['-H', 'x-envoy-max-retries: 4']);
    expect(reply.body).toBe('503 attempt 5');
  });
});
