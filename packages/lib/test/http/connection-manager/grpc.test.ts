import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { h2request, h2session } from './h2-client.js';
import { echoClient, startEchoServer, unary, type EchoClient, type EchoMessage } from './grpc-service.js';
import { forwardTo, routeTable, startProxy, until } from './harness.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

const LOG = '%RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %UPSTREAM_REQUEST_ATTEMPT_COUNT% %RESP(GRPC-STATUS)%\n';

function client(port: number): EchoClient {
  const c = echoClient(port);
  cleanup.push(() => c.close());
  return c;
}

const implementation = {
  unary: (call: grpc.ServerUnaryCall<EchoMessage, EchoMessage>, callback: grpc.sendUnaryData<EchoMessage>) => {
    const trailer = new grpc.Metadata();
    trailer.set('x-trailer', 'bye');
    call.sendMetadata(new grpc.Metadata());
    callback(null, { text: `echo ${call.request.text} ${String(call.metadata.get('x-meta')[0] ?? '')}` }, trailer);
  },
  serverStream: (call: grpc.ServerWritableStream<EchoMessage, EchoMessage>) => {
    const n = call.request.n ?? 0;
    for (let i = 0; i < n; i++) call.write({ text: `${call.request.text}-${i}` });
    if (call.request.text === 'fail') call.emit('error', { code: grpc.status.NOT_FOUND, details: 'no such thing' });
    else call.end();
  },
  bidi: (call: grpc.ServerDuplexStream<EchoMessage, EchoMessage>) => {
    call.on('data', (m: EchoMessage) => call.write({ text: m.text.toUpperCase() }));
    call.on('end', () => call.end());
  },
};

async function setup(options: { implementation?: grpc.UntypedServiceImplementation; route?: Parameters<typeof forwardTo>[1] } = {}) {
  const server = await startEchoServer(options.implementation ?? implementation);
  const proxy = await startProxy({
    upstreamPort: server.port,
    upstreamProtocol: 'http2',
    logFormat: LOG,
    routes: routeTable([{ prefix: '/', action: forwardTo('backend', options.route) }]),
  });
  cleanup.push(server.close, proxy.close);
  return { server, proxy, client: client(proxy.port) };
}

describe('ConnectionManager (gRPC)', () => {
  it('proxies a unary call with metadata, trailers and status', async () => {
    const { proxy, client: c } = await setup();
    const metadata = new grpc.Metadata();
    metadata.set('x-meta', 'm1');
    const { reply, status } = await unary(c, { text: 'hi' }, {}, metadata);
    expect(reply.text).toBe('echo hi m1');
    expect(status.code).toBe(grpc.status.OK);
    expect(status.metadata.get('x-trailer')).toEqual(['bye']);
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toBe('200 - via_upstream 1 -');
  });

  it('proxies a server-streaming call, and an error status with its message', async () => {
    const { client: c } = await setup();
    const read = (text: string) =>
      new Promise<{ messages: string[]; status: grpc.StatusObject }>((resolve) => {
        const messages: string[] = [];
        const call = c.serverStream({ text, n: 5 });
        call.on('data', (m: EchoMessage) => messages.push(m.text));
        call.on('error', () => undefined);
        call.on('status', (status: grpc.StatusObject) => resolve({ messages, status }));
      });
    const ok = await read('s');
    expect(ok.messages).toEqual(['s-0', 's-1', 's-2', 's-3', 's-4']);
    expect(ok.status.code).toBe(grpc.status.OK);
    const failed = await read('fail');
    expect(failed.messages).toHaveLength(5);
    expect(failed.status.code).toBe(grpc.status.NOT_FOUND);
    expect(failed.status.details).toBe('no such thing');
  });

  it('proxies a bidirectional stream', async () => {
    const { client: c } = await setup();
    const call = c.bidi();
    const got: string[] = [];
    const done = new Promise<grpc.StatusObject>((resolve) => {
      call.on('data', (m: EchoMessage) => got.push(m.text));
      call.on('status', resolve);
    });
    for (const word of ['a', 'b', 'c']) call.write({ text: word });
    await until(() => got.length === 3);
    call.write({ text: 'd' });
    call.end();
    const status = await done;
    expect(got).toEqual(['A', 'B', 'C', 'D']);
    expect(status.code).toBe(grpc.status.OK);
  });

  it('answers gRPC requests with trailers-only local replies carrying the mapped status', async () => {
    const server = await startEchoServer(implementation);
    const proxy = await startProxy({
      upstreamPort: server.port,
      upstreamProtocol: 'http2',
      logFormat: LOG,
      routes: routeTable([
        { prefix: '/orion.test.Echo/Unary', action: forwardTo('missing') },
        { prefix: '/nowhere', action: forwardTo('backend') },
      ]),
    });
    cleanup.push(server.close, proxy.close);
    const c = client(proxy.port);
    // No route for the streaming method: 404 → UNIMPLEMENTED.
    const notFound = await new Promise<grpc.StatusObject>((resolve) => {
      const call = c.serverStream({ text: 'x', n: 1 });
      call.on('error', () => undefined);
      call.on('status', resolve);
    });
    expect(notFound.code).toBe(grpc.status.UNIMPLEMENTED);
    // An unknown cluster: 503 → UNAVAILABLE.
    await expect(unary(c, { text: 'x' })).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    await until(() => proxy.lines.length === 2);
    expect(proxy.lines).toEqual(['200 NR route_not_found 0 12', '200 NC cluster_not_found 0 14']);
    // The wire form: one HEADERS frame with END_STREAM, grpc-message percent-encoded.
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    const raw = await h2request(session, { ':method': 'POST', ':path': '/orion.test.Echo/Missing', 'content-type': 'application/grpc', te: 'trailers' }, Buffer.alloc(0));
    expect(raw.status).toBe(200);
    expect(raw.headersEnded).toBe(true);
    expect(raw.headers['grpc-status']).toBe('12');
    expect(raw.headers['content-type']).toBe('application/grpc');
  });

  it('maps an unreachable upstream to UNAVAILABLE with Envoy\'s message', async () => {
    const server = await startEchoServer(implementation);
    const port = server.port;
    await server.close();
    const proxy = await startProxy({ upstreamPort: port, upstreamProtocol: 'http2', logFormat: LOG });
    cleanup.push(proxy.close);
    const err = await unary(client(proxy.port), { text: 'x' }).catch((e: grpc.ServiceError) => e);
    expect(err).toMatchObject({ code: grpc.status.UNAVAILABLE, details: 'upstream connect error or disconnect/reset before headers. reset reason: connection failure' });
  });

  it('honours grpc-timeout through max_stream_duration.grpc_timeout_header_max (DEADLINE_EXCEEDED, DT)', async () => {
    let cancelled = false;
    const slow = {
      ...implementation,
      unary: (call: grpc.ServerUnaryCall<EchoMessage, EchoMessage>) => {
        call.on('cancelled', () => (cancelled = true));
      },
    };
    const { proxy } = await setup({ implementation: slow, route: { timeoutMs: 0, maxStreamDuration: { grpcTimeoutHeaderMaxMs: 0, grpcTimeoutHeaderOffsetMs: 0 } } });
    // A raw client with no deadline of its own: only the proxy can end the call.
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, 13]), Buffer.from('{"text":"zz"}')]);
    const started = Date.now();
    const reply = await h2request(session, { ':method': 'POST', ':path': '/orion.test.Echo/Unary', 'content-type': 'application/grpc', te: 'trailers', 'grpc-timeout': '200m' }, frame);
    const elapsed = Date.now() - started;
    expect(reply.headersEnded).toBe(true);
    expect(reply.headers['grpc-status']).toBe(String(grpc.status.DEADLINE_EXCEEDED));
    expect(reply.headers['grpc-message']).toBe('downstream duration timeout');
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2000);
    await until(() => cancelled);
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toBe('200 DT max_duration_timeout 1 4');
    expect(proxy.manager.stats.downstream_rq_max_duration_reached).toBe(1);
    // A grpc-js client with a deadline sees DEADLINE_EXCEEDED too.
    const err = await unary(client(proxy.port), { text: 'x' }, { deadline: Date.now() + 200 }).catch((e: grpc.ServiceError) => e);
    expect(err).toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED });
  });

  it('caps grpc-timeout at grpc_timeout_header_max', async () => {
    const slow = { ...implementation, unary: () => undefined };
    const { proxy } = await setup({ implementation: slow, route: { timeoutMs: 0, maxStreamDuration: { grpcTimeoutHeaderMaxMs: 100, grpcTimeoutHeaderOffsetMs: 0 } } });
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, 2]), Buffer.from('{}')]);
    const started = Date.now();
    const reply = await h2request(session, { ':method': 'POST', ':path': '/orion.test.Echo/Unary', 'content-type': 'application/grpc', te: 'trailers', 'grpc-timeout': '10S' }, frame);
    expect(reply.headers['grpc-status']).toBe(String(grpc.status.DEADLINE_EXCEEDED));
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('retries a call that fails with UNAVAILABLE and returns the success', async () => {
    let calls = 0;
    const flaky = {
      ...implementation,
      unary: (call: grpc.ServerUnaryCall<EchoMessage, EchoMessage>, callback: grpc.sendUnaryData<EchoMessage>) => {
        calls++;
        if (calls <= 2) callback({ code: grpc.status.UNAVAILABLE, details: `down ${calls}` });
        else callback(null, { text: `ok after ${calls} ${call.request.text}` });
      },
    };
    const { proxy, client: c } = await setup({
      implementation: flaky,
      route: {
        retryPolicy: {
          retryOn: [],
          grpcRetryOn: ['unavailable'],
          numRetries: 2,
          perTryTimeoutMs: 0,
          perTryIdleTimeoutMs: 0,
          retriableStatusCodes: [],
          backOffBaseIntervalMs: 5,
          backOffMaxIntervalMs: 20,
          retriableHeaders: [],
          retriableRequestHeaders: [],
        },
      },
    });
    const { reply } = await unary(c, { text: 'r' });
    expect(reply.text).toBe('ok after 3 r');
    expect(calls).toBe(3);
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toBe('200 - via_upstream 3 -');
  });
});
