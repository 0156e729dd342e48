import * as grpc from '@grpc/grpc-js';

/** A message of the test service: JSON on the wire (grpc-js takes any serializer). */
export interface EchoMessage {
  text: string;
  n?: number;
}

const json = {
  serialize: (value: EchoMessage): Buffer => Buffer.from(JSON.stringify(value)),
  deserialize: (bytes: Buffer): EchoMessage => JSON.parse(bytes.toString()) as EchoMessage,
};

function method(name: string, requestStream: boolean, responseStream: boolean): grpc.MethodDefinition<EchoMessage, EchoMessage> {
  return {
    path: `/orion.test.Echo/${name}`,
    requestStream,
    responseStream,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
    originalName: name,
  };
}

/** The test service: unary, server-streaming and bidirectional echo. */
export const ECHO_SERVICE = {
  unary: method('Unary', false, false),
  serverStream: method('ServerStream', false, true),
  bidi: method('Bidi', true, true),
} satisfies grpc.ServiceDefinition;

/** A grpc-js client of {@link ECHO_SERVICE}. */
export interface EchoClient extends grpc.Client {
  unary(request: EchoMessage, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<EchoMessage>): grpc.ClientUnaryCall;
  serverStream(request: EchoMessage, metadata?: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<EchoMessage>;
  bidi(metadata?: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<EchoMessage, EchoMessage>;
}

const EchoClientConstructor = grpc.makeGenericClientConstructor(ECHO_SERVICE, 'Echo') as unknown as new (address: string, credentials: grpc.ChannelCredentials) => EchoClient;

/** A client of the echo service at `127.0.0.1:port` (cleartext HTTP/2). */
export function echoClient(port: number): EchoClient {
  return new EchoClientConstructor(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

/** Server-side behaviour of the echo service. */
export type EchoImplementation = grpc.UntypedServiceImplementation;

/** A grpc-js server of the echo service on 127.0.0.1 (port 0). */
export async function startEchoServer(implementation: EchoImplementation): Promise<{ port: number; server: grpc.Server; close(): Promise<void> }> {
  const server = new grpc.Server();
  server.addService(ECHO_SERVICE, implementation);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) => (err === null ? resolve(bound) : reject(err)));
  });
  return {
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => server.forceShutdown(), 500).unref();
      }),
  };
}

/** Unary call as a promise: the reply, or the error with its status code. */
export function unary(client: EchoClient, request: EchoMessage, options: grpc.CallOptions = {}, metadata = new grpc.Metadata()): Promise<{ reply: EchoMessage; status: grpc.StatusObject }> {
  return new Promise((resolve, reject) => {
    let status: grpc.StatusObject | undefined;
    let reply: EchoMessage | undefined;
    const call = client.unary(request, metadata, options, (err, value) => {
      if (err !== null || value === undefined) {
        reject(err ?? new Error('no reply'));
        return;
      }
      reply = value;
      if (status !== undefined) resolve({ reply, status });
    });
    call.on('status', (s: grpc.StatusObject) => {
      status = s;
      if (reply !== undefined) resolve({ reply, status });
    });
  });
}
