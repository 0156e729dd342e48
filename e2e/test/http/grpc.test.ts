import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, httpListener, staticCluster } from '../../src/orion/envoy-config.js';
import { freePort } from '../../src/orion/free-port.js';
import { serveConfig, type ServedConfig } from '../../src/orion/corpus.js';
import { accessLog, HTTP2_CLUSTER, lineMatching } from './support.js';

interface EchoRequest {
  text: string;
  count: number;
}
interface EchoReply {
  text: string;
}
type Callback = grpc.requestCallback<EchoReply>;
interface EchoClient extends grpc.Client {
  Unary(request: Partial<EchoRequest>, metadata: grpc.Metadata, options: grpc.CallOptions, callback: Callback): grpc.ClientUnaryCall;
  Flaky(request: Partial<EchoRequest>, metadata: grpc.Metadata, options: grpc.CallOptions, callback: Callback): grpc.ClientUnaryCall;
  Slow(request: Partial<EchoRequest>, metadata: grpc.Metadata, options: grpc.CallOptions, callback: Callback): grpc.ClientUnaryCall;
  ServerStream(request: Partial<EchoRequest>): grpc.ClientReadableStream<EchoReply>;
  Bidi(): grpc.ClientDuplexStream<EchoRequest, EchoReply>;
}

const PROTO = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'echo.proto');
const definition = protoLoader.loadSync(PROTO, { keepCase: true, defaults: true });
const loaded = grpc.loadPackageDefinition(definition) as unknown as { orion: { e2e: { Echo: grpc.ServiceClientConstructor } } };
const Echo = loaded.orion.e2e.Echo;

function call(client: EchoClient, method: 'Unary' | 'Flaky' | 'Slow', request: Partial<EchoRequest>, options: grpc.CallOptions = {}, metadata = new grpc.Metadata()): Promise<{ reply?: EchoReply; error?: grpc.ServiceError; status: grpc.StatusObject }> {
  return new Promise((resolve) => {
    let done: { reply?: EchoReply; error?: grpc.ServiceError } | undefined;
    let status: grpc.StatusObject | undefined;
    const finish = (): void => {
      if (done !== undefined && status !== undefined) resolve({ ...done, status });
    };
    const c = client[method](request, metadata, options, (error, reply) => {
      done = error === null ? { ...(reply === undefined ? {} : { reply }) } : { error };
      finish();
    });
    c.on('status', (s: grpc.StatusObject) => {
      status = s;
      finish();
    });
  });
}

describe('gRPC through orion with @grpc/grpc-js (e2e)', () => {
  let served: ServedConfig;
  let server: grpc.Server;
  let client: EchoClient;
  let port: number;
  let flakyCalls = 0;
  let slowCancelled = 0;

  beforeAll(async () => {
    server = new grpc.Server();
    server.addService(Echo.service, {
      Unary: (c: grpc.ServerUnaryCall<EchoRequest, EchoReply>, cb: grpc.sendUnaryData<EchoReply>) => {
        const trailer = new grpc.Metadata();
        trailer.set('x-served-by', 'grpc-js');
        cb(null, { text: `unary ${c.request.text} ${String(c.metadata.get('x-client')[0] ?? '')}` }, trailer);
      },
      ServerStream: (c: grpc.ServerWritableStream<EchoRequest, EchoReply>) => {
        for (let i = 0; i < c.request.count; i++) c.write({ text: `${c.request.text}#${i}` });
        if (c.request.text === 'fail') c.emit('error', { code: grpc.status.FAILED_PRECONDITION, details: 'stream refused' });
        else c.end();
      },
      Bidi: (c: grpc.ServerDuplexStream<EchoRequest, EchoReply>) => {
        c.on('data', (m: EchoRequest) => c.write({ text: m.text.split('').reverse().join('') }));
        c.on('end', () => c.end());
      },
      Flaky: (c: grpc.ServerUnaryCall<EchoRequest, EchoReply>, cb: grpc.sendUnaryData<EchoReply>) => {
        flakyCalls++;
        if (flakyCalls % 3 !== 0) cb({ code: grpc.status.UNAVAILABLE, details: 'warming up' });
        else cb(null, { text: `flaky ok after ${flakyCalls} ${c.request.text}` });
      },
      Slow: (c: grpc.ServerUnaryCall<EchoRequest, EchoReply>) => {
        c.on('cancelled', () => slowCancelled++);
      },
    });
    const upstreamPort = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err === null ? resolve(p) : reject(err))));
    port = await freePort();
    const routes = `                        - match: { prefix: /orion.e2e.Echo/Flaky }
                          route:
                            cluster: grpc
                            retry_policy: { retry_on: unavailable, num_retries: 2, retry_back_off: { base_interval: 0.005s } }
                        - match: { prefix: /orion.e2e.Echo/Slow }
                          route: { cluster: grpc, timeout: 0s, max_stream_duration: { grpc_timeout_header_max: 0s } }
                        - match: { prefix: /orion.e2e.Echo/ }
                          route: { cluster: grpc, timeout: 0s }
`;
    served = await serveConfig(
      bootstrap([httpListener('grpc_in', port, routes, accessLog('grpc.log', '%REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS% %UPSTREAM_REQUEST_ATTEMPT_COUNT% %RESP(GRPC-STATUS)% %TRAILER(GRPC-STATUS)%\n'))], [staticCluster('grpc', [upstreamPort], HTTP2_CLUSTER)]),
    );
    client = new Echo(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as EchoClient;
  });

  afterAll(async () => {
    client?.close();
    await served?.stop();
    server?.forceShutdown();
  });

  it('proxies a unary call with metadata, trailers and status intact', async () => {
    const metadata = new grpc.Metadata();
    metadata.set('x-client', 'e2e');
    const { reply, status } = await call(client, 'Unary', { text: 'hi' }, {}, metadata);
    expect(reply?.text).toBe('unary hi e2e');
    expect(status.code).toBe(grpc.status.OK);
    expect(status.metadata.get('x-served-by')).toEqual(['grpc-js']);
  });

  it('proxies server streaming, including an error status after messages', async () => {
    const read = (text: string) =>
      new Promise<{ texts: string[]; status: grpc.StatusObject }>((resolve) => {
        const texts: string[] = [];
        const stream = client.ServerStream({ text, count: 4 });
        stream.on('data', (m: EchoReply) => texts.push(m.text));
        stream.on('error', () => undefined);
        stream.on('status', (status: grpc.StatusObject) => resolve({ texts, status }));
      });
    const ok = await read('s');
    expect(ok.texts).toEqual(['s#0', 's#1', 's#2', 's#3']);
    expect(ok.status.code).toBe(grpc.status.OK);
    const failed = await read('fail');
    expect(failed.texts).toHaveLength(4);
    expect(failed.status).toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: 'stream refused' });
  });

  it('proxies a bidirectional stream', async () => {
    const stream = client.Bidi();
    const texts: string[] = [];
    const status = new Promise<grpc.StatusObject>((resolve) => {
      stream.on('data', (m: EchoReply) => texts.push(m.text));
      stream.on('status', resolve);
    });
    stream.write({ text: 'abc', count: 0 });
    stream.write({ text: 'orion', count: 0 });
    stream.end();
    expect((await status).code).toBe(grpc.status.OK);
    expect(texts).toEqual(['cba', 'noiro']);
  });

  it('honours a deadline: the call ends DEADLINE_EXCEEDED and the upstream call is cancelled', async () => {
    const before = slowCancelled;
    const started = Date.now();
    const { error } = await call(client, 'Slow', { text: 'zzz' }, { deadline: Date.now() + 300 });
    expect(error?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeLessThan(3000);
    await expect.poll(() => slowCancelled, { timeout: 3000 }).toBe(before + 1);
  });

  it('ends a call by its grpc-timeout on its own (max_stream_duration.grpc_timeout_header_max): DEADLINE_EXCEEDED, DT', async () => {
    // A bare HTTP/2 client with no timer of its own.
    const session = connect(`http://127.0.0.1:${port}`);
    try {
      const message = Buffer.from([0, 0, 0, 0, 5, 0x0a, 0x03, 0x61, 0x62, 0x63]);
      const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': '/orion.e2e.Echo/Slow', 'content-type': 'application/grpc', te: 'trailers', 'grpc-timeout': '250m' });
        stream.on('response', (h) => resolve(h));
        stream.on('error', reject);
        stream.end(message);
      });
      expect(headers['grpc-status']).toBe(String(grpc.status.DEADLINE_EXCEEDED));
    } finally {
      session.destroy();
    }
    await lineMatching(`${served.dir}/grpc.log`, /^\/orion\.e2e\.Echo\/Slow 200 DT 1 4 -$/);
  });

  it('retries a call the upstream answers UNAVAILABLE (retry_on: unavailable)', async () => {
    flakyCalls = 0;
    const { reply, status } = await call(client, 'Flaky', { text: 'please' });
    expect(status.code).toBe(grpc.status.OK);
    expect(reply?.text).toBe('flaky ok after 3 please');
    expect(flakyCalls).toBe(3);
    await lineMatching(`${served.dir}/grpc.log`, /^\/orion\.e2e\.Echo\/Flaky 200 - 3 - 0$/);
  });

  it('answers gRPC with Envoy\'s mapped status when no route matches (404 → UNIMPLEMENTED)', async () => {
    const session = connect(`http://127.0.0.1:${port}`);
    try {
      const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': '/other.Service/Method', 'content-type': 'application/grpc', te: 'trailers' });
        stream.on('response', (h) => resolve(h));
        stream.on('error', reject);
        stream.end(Buffer.from([0, 0, 0, 0, 0]));
      });
      expect(headers['grpc-status']).toBe(String(grpc.status.UNIMPLEMENTED));
    } finally {
      session.destroy();
    }
  });
});
