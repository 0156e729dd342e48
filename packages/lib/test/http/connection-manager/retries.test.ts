import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { constants } from 'node:http2';
import type { RetryPolicy } from '@orion/configuration';
import { afterEach, describe, expect, it } from 'vitest';
import { forwardTo, routeTable, startHttp2Upstream, startProxy, startUpstream, until } from './harness.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

const LOG = '%RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %UPSTREAM_REQUEST_ATTEMPT_COUNT%\n';

function retryPolicy(overrides: Partial<RetryPolicy>): RetryPolicy {
  return {
    retryOn: [],
    grpcRetryOn: [],
    numRetries: 1,
    perTryTimeoutMs: 0,
    perTryIdleTimeoutMs: 0,
    retriableStatusCodes: [],
    backOffBaseIntervalMs: 5,
    backOffMaxIntervalMs: 20,
    retriableHeaders: [],
    retriableRequestHeaders: [],
    ...overrides,
  };
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(port: number, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: '/r', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** An upstream that fails its first `failures` requests with `fail`, then answers 200 with the body it received. */
async function flakyUpstream(failures: number, fail: (req: IncomingMessage, res: ServerResponse, attempt: number) => void) {
  const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
  const upstream = await startUpstream((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ headers: req.headers, body });
      if (seen.length <= failures) fail(req, res, seen.length);
      else res.end(`ok ${seen.length} ${body}`);
    });
  });
  cleanup.push(upstream.close);
  return { upstream, seen };
}

async function proxyWith(upstreamPort: number, policy: RetryPolicy | undefined, extra: Partial<Parameters<typeof startProxy>[0]> = {}, vhost: Parameters<typeof routeTable>[1] = {}) {
  const proxy = await startProxy({
    upstreamPort,
    logFormat: LOG,
    routes: routeTable([{ prefix: '/', action: forwardTo('backend', policy === undefined ? {} : { retryPolicy: policy }) }], vhost),
    ...extra,
  });
  cleanup.push(proxy.close);
  return proxy;
}

const status = (code: number) => (_req: IncomingMessage, res: ServerResponse, attempt: number) => {
  res.statusCode = code;
  res.end(`failed ${attempt}`);
};

describe('ConnectionManager retries', () => {
  it.each([
    ['5xx', 500],
    ['gateway-error', 502],
    ['gateway-error', 503],
    ['gateway-error', 504],
    ['retriable-4xx', 409],
  ] as const)('retries on %s (%i) and returns the success', async (condition, code) => {
    const { upstream, seen } = await flakyUpstream(2, status(code));
    const proxy = await proxyWith(upstream.port, retryPolicy({ retryOn: [condition], numRetries: 2 }));
    const reply = await send(proxy.port);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('ok 3 ');
    expect(seen).toHaveLength(3);
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toBe('200 - via_upstream 3');
  });

  it('does not retry a status its conditions do not cover', async () => {
    const { upstream, seen } = await flakyUpstream(1, status(500));
    const proxy = await proxyWith(upstream.port, retryPolicy({ retryOn: ['gateway-error', 'retriable-4xx'] }));
    const reply = await send(proxy.port);
    expect(reply.status).toBe(500);
    expect(seen).toHaveLength(1);
  });

  it('retries on retriable-status-codes and retriable-headers', async () => {
    const codes = await flakyUpstream(1, status(418));
    const byCode = await proxyWith(codes.upstream.port, retryPolicy({ retryOn: ['retriable-status-codes'], retriableStatusCodes: [418] }));
    expect((await send(byCode.port)).status).toBe(200);
    expect(codes.seen).toHaveLength(2);
    const headers = await flakyUpstream(1, (_req, res) => {
      res.setHeader('x-upstream-busy', 'yes');
      res.end('busy');
    });
    const byHeader = await proxyWith(
      headers.upstream.port,
      retryPolicy({ retryOn: ['retriable-headers'], retriableHeaders: [{ name: 'x-upstream-busy', match: { type: 'present', present: true }, invert: false, treatMissingHeaderAsEmpty: false }] }),
    );
    expect((await send(byHeader.port)).body).toBe('ok 2 ');
    expect(headers.seen).toHaveLength(2);
  });

  it('retries a reset (the upstream closes the connection before responding)', async () => {
    const { upstream, seen } = await flakyUpstream(1, (req) => req.socket.destroy());
    const proxy = await proxyWith(upstream.port, retryPolicy({ retryOn: ['reset'] }));
    const reply = await send(proxy.port);
    expect(reply.status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it('retries a connect failure on another host', async () => {
    const good = await flakyUpstream(0, status(500));
    const dead = await startUpstream(() => undefined);
    const deadPort = dead.port;
    await dead.close();
    const proxy = await proxyWith(good.upstream.port, retryPolicy({ retryOn: ['connect-failure'] }), { upstreamPorts: [deadPort, good.upstream.port] });
    const reply = await send(proxy.port);
    expect(reply.status).toBe(200);
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toBe('200 - via_upstream 2');
  });

  it('retries a refused HTTP/2 stream', async () => {
    let streams = 0;
    const upstream = await startHttp2Upstream((stream) => {
      streams++;
      if (streams === 1) {
        stream.close(constants.NGHTTP2_REFUSED_STREAM);
        return;
      }
      stream.respond({ ':status': 200 });
      stream.end('second');
    });
    cleanup.push(upstream.close);
    const proxy = await proxyWith(upstream.port, retryPolicy({ retryOn: ['refused-stream'] }), { upstreamProtocol: 'http2' });
    const reply = await send(proxy.port);
    expect(reply.body).toBe('second');
    expect(streams).toBe(2);
  });

  it('returns the last upstream response with URX once the retries are exhausted', async () => {
    const { upstream, seen } = await flakyUpstream(10, status(503));
    const proxy = await proxyWith(upstream.port, retryPolicy({ retryOn: ['5xx'], numRetries: 2 }));
    const reply = await send(proxy.port);
    expect(reply.status).toBe(503);
    expect(reply.body).toBe('failed 3');
    expect(seen).toHaveLength(3);
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toBe('503 URX via_upstream 3');
  });

  it('answers with the latest reset reason once retries on resets are exhausted', async () => {
    const { upstream } = await flakyUpstream(10, (req) => req.socket.destroy());
    const proxy = await proxyWith(upstream.port, retryPolicy({ retryOn: ['reset'], numRetries: 1 }));
    const reply = await send(proxy.port);
    expect(reply.status).toBe(503);
    expect(reply.body).toBe('upstream connect error or disconnect/reset before headers. retried and the latest reset reason: connection termination');
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toBe('503 UC,URX upstream_reset_before_response_started{connection_termination} 2');
  });

  it('retries an attempt that exceeds per_try_timeout', async () => {
    const { upstream, seen } = await flakyUpstream(1, () => undefined);
    const proxy = await proxyWith(upstream.port, retryPolicy({ retryOn: ['5xx'], perTryTimeoutMs: 100 }));
    const started = Date.now();
    const reply = await send(proxy.port);
    expect(reply.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(seen).toHaveLength(2);
    expect(seen[0]?.headers['x-envoy-expected-rq-timeout-ms']).toBe('100');
    expect(seen[1]?.headers['x-envoy-is-timeout-retry']).toBe('true');
    expect(seen[0]?.headers['x-envoy-is-timeout-retry']).toBeUndefined();
  });

  it('answers 504 UT when per_try_timeout elapses with no retry left', async () => {
    const { upstream } = await flakyUpstream(10, () => undefined);
    const proxy = await proxyWith(upstream.port, retryPolicy({ retryOn: ['5xx'], numRetries: 1, perTryTimeoutMs: 60 }));
    const reply = await send(proxy.port);
    expect(reply.status).toBe(504);
    expect(reply.body).toBe('upstream request timeout');
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toBe('504 UT,URX upstream_per_try_timeout 2');
  });

  it('retries an attempt idle for per_try_idle_timeout, and resets a response that stalls', async () => {
    const { upstream, seen } = await flakyUpstream(1, () => undefined);
    const proxy = await proxyWith(upstream.port, retryPolicy({ retryOn: ['5xx'], perTryIdleTimeoutMs: 80 }));
    expect((await send(proxy.port)).status).toBe(200);
    expect(seen).toHaveLength(2);
    const stalling = await startUpstream((_req, res) => {
      res.writeHead(200);
      res.write('first part');
    });
    cleanup.push(stalling.close);
    const stalled = await proxyWith(stalling.port, retryPolicy({ retryOn: ['5xx'], perTryIdleTimeoutMs: 80 }));
    const complete = await new Promise<boolean>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: stalled.port, path: '/r', agent: false }, (res) => {
        res.resume();
        res.on('error', () => undefined);
        res.on('close', () => resolve(res.complete));
      });
      req.on('error', reject);
      req.end();
    });
    expect(complete).toBe(false);
    await until(() => stalled.lines.length === 1);
    expect(stalled.lines[0]).toBe('200 UT upstream_per_try_idle_timeout 1');
  });

  it('sends x-envoy-attempt-count upstream and downstream when the virtual host asks for it', async () => {
    const { upstream, seen } = await flakyUpstream(2, status(500));
    const proxy = await proxyWith(upstream.port, retryPolicy({ retryOn: ['5xx'], numRetries: 3 }), {}, { includeRequestAttemptCount: true, includeAttemptCountInResponse: true });
    const reply = await send(proxy.port);
    expect(seen.map((s) => s.headers['x-envoy-attempt-count'])).toEqual(['1', '2', '3']);
    expect(reply.headers['x-envoy-attempt-count']).toBe('3');
  });

  it('takes x-envoy-retry-on and x-envoy-max-retries from the request, and does not forward them', async () => {
    const { upstream, seen } = await flakyUpstream(10, status(500));
    const proxy = await proxyWith(upstream.port, undefined);
    const reply = await send(proxy.port, { headers: { 'x-envoy-retry-on': '5xx', 'x-envoy-max-retries': '3' } });
    expect(reply.status).toBe(500);
    expect(seen).toHaveLength(4);
    expect(seen[0]?.headers['x-envoy-retry-on']).toBeUndefined();
    expect(seen[0]?.headers['x-envoy-max-retries']).toBeUndefined();
  });

  it('ignores retry headers of an external request on an edge proxy', async () => {
    const { upstream, seen } = await flakyUpstream(10, status(500));
    const proxy = await proxyWith(upstream.port, undefined, { config: { useRemoteAddress: true } });
    await send(proxy.port, { headers: { 'x-envoy-retry-on': '5xx', 'x-forwarded-for': '203.0.113.9' } });
    expect(seen).toHaveLength(1);
  });

  it('replays the request body on a retry', async () => {
    const { upstream, seen } = await flakyUpstream(1, (req) => req.socket.destroy());
    const proxy = await proxyWith(upstream.port, retryPolicy({ retryOn: ['reset'] }));
    const body = 'x'.repeat(200_000);
    const reply = await send(proxy.port, { method: 'POST', body });
    expect(reply.status).toBe(200);
    expect(seen.map((s) => s.body.length)).toEqual([200_000, 200_000]);
    await until(() => proxy.lines.length === 1);
  });

  it('does not retry once the request body outgrew the buffer limit', async () => {
    const { upstream, seen } = await flakyUpstream(1, status(503));
    const proxy = await proxyWith(upstream.port, retryPolicy({ retryOn: ['5xx'] }), { bufferLimitBytes: 1000 });
    const reply = await send(proxy.port, { method: 'POST', body: 'y'.repeat(5000) });
    expect(reply.status).toBe(503);
    expect(seen).toHaveLength(1);
  });

  it('gives up retrying when the route timeout elapses during the back-off', async () => {
    const { upstream } = await flakyUpstream(10, status(503));
    const proxy = await proxyWith(upstream.port, undefined, {
      routes: routeTable([{ prefix: '/', action: forwardTo('backend', { timeoutMs: 150, retryPolicy: retryPolicy({ retryOn: ['5xx'], numRetries: 100, backOffBaseIntervalMs: 40, backOffMaxIntervalMs: 80 }) }) }]),
    });
    const reply = await send(proxy.port);
    expect(reply.status).toBe(504);
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^504 UT upstream_response_timeout \d+$/);
  });
});
