import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ISTIO_DEFAULT_TEXT_FORMAT } from '@orion/format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl } from '../../src/orion/curl.js';
import { bootstrap, httpListener, staticCluster } from '../../src/orion/envoy-config.js';
import { freePort } from '../../src/orion/free-port.js';
import { serveConfig, type ServedConfig } from '../../src/orion/corpus.js';
import { httpUpstream, type TestUpstream } from '../../src/orion/upstreams.js';

async function linesOf(file: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const lines = text.split('\n').filter((l) => l !== '');
    if (lines.length >= count || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';

// Envoy's default access-log format (docs: configuration/observability/access_log/usage, "Default format string")
// and Istio's default text format (Istio's meshconfig EnvoyTextLogFormat), field by field.
describe('access logs written by orion (golden, Envoy and Istio default formats)', () => {
  let served: ServedConfig;
  let upstream: TestUpstream;
  let port: number;
  let envoyLog: string;
  let istioLog: string;

  beforeAll(async () => {
    upstream = await httpUpstream('up', (_req, res) => res.end('hello world!'));
    port = await freePort();
    const logs = `                access_log:
                  - name: envoy.access_loggers.file
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                      path: envoy.log
                  - name: envoy.access_loggers.file
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                      path: istio.log
                      log_format:
                        text_format: ${JSON.stringify(ISTIO_DEFAULT_TEXT_FORMAT)}
`;
    const routes = `                        - match: { prefix: /ok }
                          name: ok_route
                          route: { cluster: up }
                        - match: { prefix: /uh }
                          name: uh_route
                          route: { cluster: unhealthy }
`;
    // Panic mode off (as Istio configures it), so the UNHEALTHY host is never chosen: 503 UH.
    const unhealthy = `    - name: unhealthy
      type: STATIC
      connect_timeout: 1s
      common_lb_config: { healthy_panic_threshold: { value: 0 } }
      load_assignment:
        cluster_name: unhealthy
        endpoints:
          - lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 9 } } }
                health_status: UNHEALTHY
`;
    // One worker, so the two lines are written in request order (each worker has its own log batch).
    served = await serveConfig(bootstrap([httpListener('golden', port, routes, logs)], [staticCluster('up', [upstream.port]), unhealthy]), 'orion.yaml', ['--concurrency', '1']);
    envoyLog = path.join(served.dir, 'envoy.log');
    istioLog = path.join(served.dir, 'istio.log');
    const ok = await curl(`http://127.0.0.1:${port}/ok?x=1`, ['-A', 'golden-agent/1.0', '-H', 'x-forwarded-for: 203.0.113.7']);
    expect(ok.status).toBe(200);
    const uh = await curl(`http://127.0.0.1:${port}/uh`, ['-A', 'golden-agent/1.0', '-H', 'x-request-id: fixed-id-503']);
    expect(uh.status).toBe(503);
    expect(uh.body).toBe('no healthy upstream');
  });

  afterAll(async () => {
    await served?.stop();
    await upstream?.close();
  });

  it('writes every field Envoy fills in its default format, for a 200 and a 503 UH', async () => {
    const [ok, uh] = await linesOf(envoyLog, 2);
    const requestId = String(upstream.requests[0]?.headers['x-request-id']);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const okMatch = new RegExp(
      `^\\[(${ISO})\\] "GET /ok\\?x=1 HTTP/1\\.1" 200 - 0 12 (\\d+) (\\d+) "203\\.0\\.113\\.7" "golden-agent/1\\.0" "${requestId}" "127\\.0\\.0\\.1:${port}" "127\\.0\\.0\\.1:${upstream.port}"$`,
    ).exec(ok ?? '');
    expect(okMatch, ok).not.toBeNull();
    expect(Number(okMatch?.[3])).toBeLessThanOrEqual(Number(okMatch?.[2]));
    expect(Math.abs(Date.parse(okMatch?.[1] ?? '') - Date.now())).toBeLessThan(60_000);
    expect(uh).toMatch(new RegExp(`^\\[${ISO}\\] "GET /uh HTTP/1\\.1" 503 UH 0 19 \\d+ - "-" "golden-agent/1\\.0" "fixed-id-503" "127\\.0\\.0\\.1:${port}" "-"$`));
  });

  it('writes every field Envoy fills in Istio\'s default format, for a 200 and a 503 UH', async () => {
    const [ok, uh] = await linesOf(istioLog, 2);
    const requestId = String(upstream.requests[0]?.headers['x-request-id']);
    expect(ok).toMatch(
      new RegExp(
        `^\\[${ISO}\\] "GET /ok\\?x=1 HTTP/1\\.1" 200 - via_upstream - "-" 0 12 \\d+ \\d+ "203\\.0\\.113\\.7" "golden-agent/1\\.0" "${requestId}" ` +
          `"127\\.0\\.0\\.1:${port}" "127\\.0\\.0\\.1:${upstream.port}" up 127\\.0\\.0\\.1:\\d+ 127\\.0\\.0\\.1:${port} 203\\.0\\.113\\.7:0 - ok_route$`,
      ),
    );
    expect(uh).toMatch(
      new RegExp(
        `^\\[${ISO}\\] "GET /uh HTTP/1\\.1" 503 UH no_healthy_upstream - "-" 0 19 \\d+ - "-" "golden-agent/1\\.0" "fixed-id-503" ` +
          `"127\\.0\\.0\\.1:${port}" "-" unhealthy - 127\\.0\\.0\\.1:${port} 127\\.0\\.0\\.1:\\d+ - uh_route$`,
      ),
    );
  });
});
