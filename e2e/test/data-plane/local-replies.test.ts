import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl } from '../../src/orion/curl.js';
import { bootstrap, httpListener, staticCluster } from '../../src/orion/envoy-config.js';
import { freePort } from '../../src/orion/free-port.js';
import { serveConfig, type ServedConfig } from '../../src/orion/corpus.js';
import { httpUpstream, type TestUpstream } from '../../src/orion/upstreams.js';

// Envoy's local replies (docs: intro/arch_overview/http/http_connection_management, router filter), driven by curl.
describe('local replies and the client-disconnect-while-queued case through orion', () => {
  let served: ServedConfig;
  let upstream: TestUpstream;
  let port: number;
  const timers: NodeJS.Timeout[] = [];

  beforeAll(async () => {
    upstream = await httpUpstream('up', (req, res) => {
      if (req.url === '/slow' || req.url === '/timeout') timers.push(setTimeout(() => res.end('slow done'), 600));
      else res.end(`fast ${req.url}`);
    });
    const closedPort = await freePort();
    port = await freePort();
    const routes = `                        - match: { prefix: /fail }
                          route: { cluster: refused }
                        - match: { prefix: /nc }
                          route: { cluster_header: x-cluster }
                        - match: { prefix: /timeout }
                          route: { cluster: limited, timeout: 0.2s }
                        - match: { prefix: /slow }
                          route: { cluster: limited }
                        - match: { prefix: /queued }
                          route: { cluster: limited }
                        - match: { prefix: /after }
                          route: { cluster: limited }
`;
    const logs = `                access_log:
                  - name: envoy.access_loggers.file
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                      path: access.log
                      log_format: { text_format: "%REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS%\\n" }
`;
    // One connection to the upstream at most (circuit breaker max_connections: 1), so a second request queues.
    const limits = `      circuit_breakers:
        thresholds:
          - max_connections: 1
`;
    served = await serveConfig(
      bootstrap([httpListener('replies', port, routes, logs)], [staticCluster('refused', [closedPort]), staticCluster('limited', [upstream.port], limits)]),
      'orion.yaml',
      ['--concurrency', '1'],
    );
  });

  afterAll(async () => {
    timers.forEach(clearTimeout);
    await served?.stop();
    await upstream?.close();
  });

  it('answers 404 NR with no body when no route matches', async () => {
    const r = await curl(`http://127.0.0.1:${port}/nothing-here`);
    expect(r.status).toBe(404);
    expect(r.body).toBe('');
    expect(r.headers['server']).toBe('envoy');
  });

  it('answers 503 NC with no body when cluster_header names an unknown cluster', async () => {
    const r = await curl(`http://127.0.0.1:${port}/nc`, ['-H', 'x-cluster: nope']);
    expect(r.status).toBe(503);
    expect(r.body).toBe('');
  });

  it("answers 503 UF with Envoy's body when the upstream refuses connections", async () => {
    const r = await curl(`http://127.0.0.1:${port}/fail`);
    expect(r.status).toBe(503);
    expect(r.headers['content-type']).toBe('text/plain');
    expect(r.body).toBe('upstream connect error or disconnect/reset before headers. reset reason: connection failure');
  });

  it('answers 504 UT when the route timeout elapses', async () => {
    const r = await curl(`http://127.0.0.1:${port}/timeout`);
    expect(r.status).toBe(504);
    expect(r.body).toBe('upstream request timeout');
  });

  it('aborts a request queued behind the only pooled connection when curl gives up, and the pool stays healthy', async () => {
    const slow = curl(`http://127.0.0.1:${port}/slow`);
    await new Promise((r) => setTimeout(r, 100));
    const queued = await curl(`http://127.0.0.1:${port}/queued`, ['--max-time', '0.2']);
    expect(queued.exitCode).toBe(28);
    expect((await slow).body).toBe('slow done');
    const after = await curl(`http://127.0.0.1:${port}/after`);
    expect(after.body).toBe('fast /after');
    expect(upstream.requests.map((r) => r.url)).not.toContain('/queued');
  });

  it('logs each local reply with its response flag and details', async () => {
    const deadline = Date.now() + 5000;
    let lines: string[] = [];
    while (Date.now() < deadline) {
      lines = (await readFile(path.join(served.dir, 'access.log'), 'utf8').catch(() => '')).split('\n');
      if (lines.some((l) => l.startsWith('/after '))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(lines).toContain('/nothing-here 404 NR route_not_found');
    expect(lines).toContain('/nc 503 NC cluster_not_found');
    expect(lines).toContain('/fail 503 UF upstream_reset_before_response_started{connection_failure}');
    expect(lines).toContain('/timeout 504 UT upstream_response_timeout');
    expect(lines).toContain('/queued 0 DC downstream_remote_disconnect');
    expect(lines).toContain('/after 200 - via_upstream');
  });
});
