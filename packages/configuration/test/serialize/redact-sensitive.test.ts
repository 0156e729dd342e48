import { create, createRegistry, toJson } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import { ClusterSchema } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import { ClientConfigSchema } from '@orion/data-plane-api/gen/envoy/config/trace/v3/skywalking_pb.js';
import { TlsSessionTicketKeysSchema } from '@orion/data-plane-api/gen/envoy/extensions/transport_sockets/tls/v3/common_pb.js';
import { UpstreamTlsContextSchema } from '@orion/data-plane-api/gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.js';
import { describe, expect, it } from 'vitest';
import { redactSensitive } from '../../src/serialize/redact-sensitive.js';

const registry = createRegistry(ClusterSchema, UpstreamTlsContextSchema);

describe('redactSensitive', () => {
  it('redacts inside an Any (a cluster TLS transport socket), as Envoy reifies Anys before redacting', () => {
    const tls = create(UpstreamTlsContextSchema, {
      commonTlsContext: { tlsCertificates: [{ certificateChain: { specifier: { case: 'filename', value: 'chain.pem' } }, privateKey: { specifier: { case: 'inlineString', value: 'KEY' } } }] },
      sni: 'backend.local',
    });
    const cluster = create(ClusterSchema, {
      name: 'tls',
      transportSocket: { name: 'envoy.transport_sockets.tls', configType: { case: 'typedConfig', value: anyPack(UpstreamTlsContextSchema, tls) } },
    });
    redactSensitive(ClusterSchema, cluster, registry);
    expect(toJson(ClusterSchema, cluster, { useProtoFieldName: true, registry })).toEqual({
      name: 'tls',
      transport_socket: {
        name: 'envoy.transport_sockets.tls',
        typed_config: {
          '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
          common_tls_context: { tls_certificates: [{ certificate_chain: { filename: 'chain.pem' }, private_key: { inline_string: '[redacted]' } }] },
          sni: 'backend.local',
        },
      },
    });
  });

  it('replaces a sensitive string with [redacted] and leaves the others', () => {
    const client = create(ClientConfigSchema, { instanceName: 'edge', backendTokenSpecifier: { case: 'backendToken', value: 'token-123' } });
    redactSensitive(ClientConfigSchema, client, registry);
    expect(toJson(ClientConfigSchema, client, { useProtoFieldName: true })).toEqual({ instance_name: 'edge', backend_token: '[redacted]' });
  });

  it('redacts each data source of a sensitive list, keeping file names', () => {
    const keys = create(TlsSessionTicketKeysSchema, {
      keys: [{ specifier: { case: 'inlineBytes', value: new Uint8Array([1, 2, 3]) } }, { specifier: { case: 'filename', value: 'ticket.key' } }],
    });
    redactSensitive(TlsSessionTicketKeysSchema, keys, registry);
    expect(toJson(TlsSessionTicketKeysSchema, keys, { useProtoFieldName: true })).toEqual({ keys: [{ inline_string: '[redacted]' }, { filename: 'ticket.key' }] });
  });
});
