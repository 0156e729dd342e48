import { create, createRegistry } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import { ClusterSchema } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import { RouterSchema } from '@orion/data-plane-api/gen/envoy/extensions/filters/http/router/v3/router_pb.js';
import { HttpConnectionManagerSchema } from '@orion/data-plane-api/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';
import { UpstreamTlsContextSchema } from '@orion/data-plane-api/gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.js';
import { describe, expect, it } from 'vitest';
import { packLazy } from '../../src/serialize/lazy-any.js';
import { printMessage } from '../../src/serialize/print-message.js';

const registry = createRegistry(ClusterSchema, UpstreamTlsContextSchema, HttpConnectionManagerSchema, RouterSchema);

describe('printMessage', () => {
  it('puts @type first in an encoded Any and prints its fields in field-number order', () => {
    const tls = create(UpstreamTlsContextSchema, { sni: 'backend.local', allowRenegotiation: true });
    const cluster = create(ClusterSchema, {
      name: 'tls',
      transportSocket: { name: 'tls', configType: { case: 'typedConfig', value: anyPack(UpstreamTlsContextSchema, tls) } },
    });
    const text = JSON.stringify(printMessage(ClusterSchema, cluster, registry));
    expect(text).toBe(
      '{"name":"tls","transport_socket":{"name":"tls","typed_config":{"@type":"type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext","sni":"backend.local","allow_renegotiation":true}}}',
    );
  });

  it('prints the message a lazy Any stands for, Anys nested in it too', () => {
    const router = packLazy(RouterSchema, create(RouterSchema, { suppressEnvoyHeaders: true }));
    const hcm = create(HttpConnectionManagerSchema, { statPrefix: 'in', httpFilters: [{ name: 'router', configType: { case: 'typedConfig', value: router } }] });
    const json = printMessage(ClusterSchema, create(ClusterSchema, { name: 'c', typedExtensionProtocolOptions: { hcm: packLazy(HttpConnectionManagerSchema, hcm) } }), registry);
    expect(JSON.stringify(json)).toBe(
      '{"name":"c","typed_extension_protocol_options":{"hcm":{"@type":"type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",' +
        '"stat_prefix":"in","http_filters":[{"name":"router","typed_config":{"@type":"type.googleapis.com/envoy.extensions.filters.http.router.v3.Router","suppress_envoy_headers":true}}]}}}',
    );
  });
});
