import { toBinary } from '@bufbuild/protobuf';
import type { FieldPath } from '@orion/data-plane-api';
import { FilterChainMatch_ConnectionSourceType, FilterChainMatchSchema, type FilterChain as FilterChainProto } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_components_pb.js';
import type { Listener as ListenerProto } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_pb.js';
import type { HttpConnectionManager as HcmProto } from '@orion/data-plane-api/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';
import type { TcpProxy as TcpProxyProto } from '@orion/data-plane-api/gen/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy_pb.js';
import { TrafficDirection as TrafficDirectionProto } from '@orion/data-plane-api/gen/envoy/config/core/v3/base_pb.js';
import type { FilterChain, FilterChainMatch, Listener, ListenerFilter, NetworkFilter, TrafficDirection } from '../model/listener.js';
import { ExtensionType } from '../support/support-table.js';
import { convertAddress, convertCidrRange } from './convert-common.js';
import { convertHttpConnectionManager } from './convert-http-connection-manager.js';
import { convertTcpProxy } from './convert-tcp-proxy.js';
import type { ConversionContext } from './conversion-context.js';
import { durationMs } from './proto-values.js';
import { unpackExtension } from './unpack-extension.js';

/** `envoy.config.listener.v3.Listener` → {@link Listener}. */
export function convertListenerMessage(listener: ListenerProto, path: FieldPath, ctx: ConversionContext): Listener {
  if (listener.name === '') ctx.error(path.field('name'), 'a listener name is required');
  const filterChains = listener.filterChains.map((c, i) => convertFilterChain(c, path.field('filter_chains').index(i, c.name), ctx));
  const defaultFilterChain = listener.defaultFilterChain === undefined ? undefined : convertFilterChain(listener.defaultFilterChain, path.field('default_filter_chain'), ctx);
  if (filterChains.length === 0 && defaultFilterChain === undefined) ctx.error(path.field('filter_chains'), 'no filter chains specified');
  checkDuplicateMatches(listener.filterChains, filterChains, path, ctx);
  const listenerFilters: ListenerFilter[] = [];
  for (const filter of listener.listenerFilters) {
    const { typeName } = unpackExtension(filter.configType.case === 'typedConfig' ? filter.configType.value : undefined, ctx);
    if (typeName === ExtensionType.TLS_INSPECTOR) listenerFilters.push({ type: 'tlsInspector', name: filter.name });
  }
  return {
    name: listener.name,
    address: convertAddress(listener.address, path.field('address'), ctx),
    statPrefix: listener.statPrefix,
    filterChains,
    ...(defaultFilterChain === undefined ? {} : { defaultFilterChain }),
    listenerFilters,
    listenerFiltersTimeoutMs: durationMs(listener.listenerFiltersTimeout, 15_000),
    continueOnListenerFiltersTimeout: listener.continueOnListenerFiltersTimeout,
    perConnectionBufferLimitBytes: listener.perConnectionBufferLimitBytes ?? 1_048_576,
    bindToPort: listener.bindToPort ?? true,
    tcpBacklogSize: listener.tcpBacklogSize ?? 128,
    trafficDirection: trafficDirectionOf(listener.trafficDirection),
  };
}

/** `traffic_direction` by Envoy's enum name (an unknown number reads as `UNSPECIFIED`). */
function trafficDirectionOf(value: TrafficDirectionProto): TrafficDirection {
  if (value === TrafficDirectionProto.INBOUND) return 'INBOUND';
  if (value === TrafficDirectionProto.OUTBOUND) return 'OUTBOUND';
  return 'UNSPECIFIED';
}

function convertFilterChain(chain: FilterChainProto, path: FieldPath, ctx: ConversionContext): FilterChain {
  const m = chain.filterChainMatch;
  const match: FilterChainMatch = {
    ...(m?.destinationPort === undefined ? {} : { destinationPort: m.destinationPort }),
    prefixRanges: (m?.prefixRanges ?? []).map(convertCidrRange),
    directSourcePrefixRanges: (m?.directSourcePrefixRanges ?? []).map(convertCidrRange),
    sourceType:
      m?.sourceType === FilterChainMatch_ConnectionSourceType.SAME_IP_OR_LOOPBACK ? 'sameIpOrLoopback' : m?.sourceType === FilterChainMatch_ConnectionSourceType.EXTERNAL ? 'external' : 'any',
    sourcePrefixRanges: (m?.sourcePrefixRanges ?? []).map(convertCidrRange),
    sourcePorts: [...(m?.sourcePorts ?? [])],
  };
  const filters: NetworkFilter[] = [];
  chain.filters.forEach((filter, i) => {
    const at = path.field('filters').index(i, filter.name);
    const { typeName, message } = unpackExtension(filter.configType.case === 'typedConfig' ? filter.configType.value : undefined, ctx);
    if (message === undefined) return;
    if (i !== chain.filters.length - 1 && (typeName === ExtensionType.HCM || typeName === ExtensionType.TCP_PROXY)) {
      ctx.error(at, `terminal filter ${typeName} must be the last filter in a filter chain`);
    }
    if (typeName === ExtensionType.HCM) filters.push(convertHttpConnectionManager(filter.name, message as HcmProto, at.field('typed_config'), ctx));
    else if (typeName === ExtensionType.TCP_PROXY) filters.push(convertTcpProxy(filter.name, message as TcpProxyProto, at.field('typed_config'), ctx));
  });
  return { name: chain.name, match, filters };
}

/** Envoy refuses two filter chains of one listener with the same match. */
function checkDuplicateMatches(protos: readonly FilterChainProto[], chains: readonly FilterChain[], path: FieldPath, ctx: ConversionContext): void {
  const seen = new Map<string, number>();
  chains.forEach((chain, i) => {
    const match = protos[i]?.filterChainMatch;
    // Compare the whole proto match (fields Orion rejects included), as Envoy does.
    const key = match === undefined ? '' : Buffer.from(toBinary(FilterChainMatchSchema, match)).toString('base64');
    const first = seen.get(key);
    if (first !== undefined) {
      const other = chains[first]?.name ?? '';
      ctx.error(
        path.field('filter_chains').index(i, protos[i]?.name).field('filter_chain_match'),
        `this filter chain has the same match as filter_chains[${first}]${other === '' ? '' : `(${other})`}`,
      );
    } else {
      seen.set(key, i);
    }
  });
}
