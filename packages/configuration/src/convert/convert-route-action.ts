import type { FieldPath } from '@orion/data-plane-api';
import {
  RedirectAction_RedirectResponseCode,
  RouteAction_ClusterNotFoundResponseCode,
  type DirectResponseAction as DirectResponseActionProto,
  type RedirectAction as RedirectActionProto,
  type RetryPolicy as RetryPolicyProto,
  type RouteAction as RouteActionProto,
  type RouteAction_HashPolicy,
  type RouteAction_UpgradeConfig,
} from '@orion/data-plane-api/gen/envoy/config/route/v3/route_components_pb.js';
import type { HttpConnectionManager_UpgradeConfig } from '@orion/data-plane-api/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';
import type {
  ClusterSpecifier,
  DirectResponseAction,
  ForwardAction,
  GrpcRetryOn,
  HashPolicy,
  HostRewrite,
  PathRewrite,
  RedirectAction,
  RedirectPathRewrite,
  RetryOn,
  RetryPolicy,
  UpgradeConfig,
  WeightedCluster,
} from '../model/route-action.js';
import { convertDataSource, convertHeaderMutations, convertRegexRewrite } from './convert-common.js';
import { convertHeaderMatcher } from './convert-route-match.js';
import type { ConversionContext } from './conversion-context.js';
import { durationMs } from './proto-values.js';

const RETRY_ON: ReadonlySet<string> = new Set<RetryOn>([
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'envoy-ratelimited',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'http3-post-connect-failure',
]);
const GRPC_RETRY_ON: ReadonlySet<string> = new Set<GrpcRetryOn>(['cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable']);

/** `envoy.config.route.v3.RouteAction` → {@link ForwardAction}; `vhostRetry` applies when the route has none. */
export function convertForwardAction(action: RouteActionProto, path: FieldPath, ctx: ConversionContext, vhostRetry: RetryPolicy | undefined): ForwardAction {
  const retryPolicy = action.retryPolicy === undefined ? vhostRetry : convertRetryPolicy(action.retryPolicy, path.field('retry_policy'), ctx);
  const pathRewrite = convertPathRewrite(action, path, ctx);
  const hostRewrite = convertHostRewrite(action, path, ctx);
  const idleTimeoutMs = durationMs(action.idleTimeout);
  const maxStreamDuration = action.maxStreamDuration;
  return {
    type: 'forward',
    cluster: convertClusterSpecifier(action, path, ctx),
    clusterNotFoundResponseCode:
      action.clusterNotFoundResponseCode === RouteAction_ClusterNotFoundResponseCode.NOT_FOUND
        ? 404
        : action.clusterNotFoundResponseCode === RouteAction_ClusterNotFoundResponseCode.INTERNAL_SERVER_ERROR
          ? 500
          : 503,
    ...(pathRewrite === undefined ? {} : { pathRewrite }),
    ...(hostRewrite === undefined ? {} : { hostRewrite }),
    appendXForwardedHost: action.appendXForwardedHost,
    timeoutMs: durationMs(action.timeout, 15_000),
    ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
    ...(retryPolicy === undefined ? {} : { retryPolicy }),
    hashPolicies: action.hashPolicy.flatMap((h, i) => convertHashPolicy(h, path.field('hash_policy').index(i), ctx)),
    upgradeConfigs: action.upgradeConfigs.map(convertUpgradeConfig),
    ...(maxStreamDuration === undefined
      ? {}
      : {
          maxStreamDuration: {
            ...(maxStreamDuration.maxStreamDuration === undefined ? {} : { maxStreamDurationMs: durationMs(maxStreamDuration.maxStreamDuration, 0) }),
            ...(maxStreamDuration.grpcTimeoutHeaderMax === undefined ? {} : { grpcTimeoutHeaderMaxMs: durationMs(maxStreamDuration.grpcTimeoutHeaderMax, 0) }),
            grpcTimeoutHeaderOffsetMs: durationMs(maxStreamDuration.grpcTimeoutHeaderOffset, 0),
          },
        }),
  };
}

function convertClusterSpecifier(action: RouteActionProto, path: FieldPath, ctx: ConversionContext): ClusterSpecifier {
  const spec = action.clusterSpecifier;
  switch (spec.case) {
    case 'cluster':
      return { type: 'cluster', name: spec.value };
    case 'clusterHeader':
      return { type: 'clusterHeader', header: spec.value.toLowerCase() };
    case 'weightedClusters': {
      const at = path.field('weighted_clusters');
      const clusters: WeightedCluster[] = spec.value.clusters.map((c, i) => {
        const cAt = at.field('clusters').index(i, c.name);
        if (c.name === '' && c.clusterHeader === '') ctx.error(cAt, 'name or cluster_header is required');
        return {
          cluster: c.name !== '' ? { type: 'cluster', name: c.name } : { type: 'clusterHeader', header: c.clusterHeader.toLowerCase() },
          weight: c.weight ?? 0,
          headerMutations: convertHeaderMutations(c, cAt, ctx),
          ...(c.hostRewriteSpecifier.case === 'hostRewriteLiteral' ? { hostRewriteLiteral: c.hostRewriteSpecifier.value } : {}),
        };
      });
      const totalWeight = clusters.reduce((sum, c) => sum + c.weight, 0);
      if (totalWeight === 0) ctx.error(at.field('clusters'), 'the sum of the weights must be greater than 0');
      if (spec.value.totalWeight !== undefined && spec.value.totalWeight !== totalWeight) {
        ctx.error(at.field('total_weight'), `total_weight ${spec.value.totalWeight} does not equal the sum of the weights (${totalWeight})`);
      }
      return { type: 'weightedClusters', clusters, totalWeight };
    }
    default:
      if (spec.case === undefined) ctx.error(path, 'one of cluster, cluster_header or weighted_clusters is required');
      return { type: 'cluster', name: '' };
  }
}

function convertPathRewrite(action: RouteActionProto, path: FieldPath, ctx: ConversionContext): PathRewrite | undefined {
  if (action.prefixRewrite !== '' && action.regexRewrite !== undefined) ctx.error(path.field('regex_rewrite'), 'prefix_rewrite and regex_rewrite cannot both be set');
  if (action.regexRewrite !== undefined) return { type: 'regex', ...convertRegexRewrite(action.regexRewrite, path.field('regex_rewrite'), ctx) };
  if (action.prefixRewrite !== '') return { type: 'prefix', prefix: action.prefixRewrite };
  return undefined;
}

function convertHostRewrite(action: RouteActionProto, path: FieldPath, ctx: ConversionContext): HostRewrite | undefined {
  const spec = action.hostRewriteSpecifier;
  switch (spec.case) {
    case 'hostRewriteLiteral':
      return { type: 'literal', host: spec.value };
    case 'autoHostRewrite':
      return spec.value.value ? { type: 'auto' } : undefined;
    case 'hostRewriteHeader':
      return { type: 'header', header: spec.value.toLowerCase() };
    case 'hostRewritePathRegex':
      return { type: 'pathRegex', ...convertRegexRewrite(spec.value, path.field('host_rewrite_path_regex'), ctx) };
    default:
      return undefined;
  }
}

/** `envoy.config.route.v3.RetryPolicy` → {@link RetryPolicy}. */
export function convertRetryPolicy(policy: RetryPolicyProto, path: FieldPath, ctx: ConversionContext): RetryPolicy {
  const retryOn: RetryOn[] = [];
  const grpcRetryOn: GrpcRetryOn[] = [];
  for (const raw of policy.retryOn.split(',')) {
    const token = raw.trim();
    if (token === '') continue;
    if (RETRY_ON.has(token)) retryOn.push(token as RetryOn);
    else if (GRPC_RETRY_ON.has(token)) grpcRetryOn.push(token as GrpcRetryOn);
    else ctx.error(path.field('retry_on'), `unknown retry condition ${JSON.stringify(token)}`);
  }
  const base = durationMs(policy.retryBackOff?.baseInterval, 25);
  return {
    retryOn,
    grpcRetryOn,
    numRetries: policy.numRetries ?? 1,
    perTryTimeoutMs: durationMs(policy.perTryTimeout, 0),
    perTryIdleTimeoutMs: durationMs(policy.perTryIdleTimeout, 0),
    retriableStatusCodes: [...policy.retriableStatusCodes],
    backOffBaseIntervalMs: base,
    backOffMaxIntervalMs: durationMs(policy.retryBackOff?.maxInterval, base * 10),
    retriableHeaders: policy.retriableHeaders.map((h, i) => convertHeaderMatcher(h, path.field('retriable_headers').index(i, h.name), ctx)),
    retriableRequestHeaders: policy.retriableRequestHeaders.map((h, i) => convertHeaderMatcher(h, path.field('retriable_request_headers').index(i, h.name), ctx)),
  };
}

function convertHashPolicy(policy: RouteAction_HashPolicy, path: FieldPath, ctx: ConversionContext): HashPolicy[] {
  const terminal = policy.terminal;
  const spec = policy.policySpecifier;
  switch (spec.case) {
    case 'header': {
      const rewrite = spec.value.regexRewrite;
      return [
        {
          type: 'header',
          headerName: spec.value.headerName.toLowerCase(),
          ...(rewrite === undefined ? {} : { regexRewrite: convertRegexRewrite(rewrite, path.field('header').field('regex_rewrite'), ctx) }),
          terminal,
        },
      ];
    }
    case 'cookie': {
      const ttlMs = durationMs(spec.value.ttl);
      return [{ type: 'cookie', name: spec.value.name, ...(ttlMs === undefined ? {} : { ttlMs }), path: spec.value.path, terminal }];
    }
    case 'connectionProperties':
      return [{ type: 'connectionProperties', sourceIp: spec.value.sourceIp, terminal }];
    case 'queryParameter':
      return [{ type: 'queryParameter', name: spec.value.name, terminal }];
    default:
      return [];
  }
}

/** An HCM or route `UpgradeConfig` → {@link UpgradeConfig}. */
export function convertUpgradeConfig(config: RouteAction_UpgradeConfig | HttpConnectionManager_UpgradeConfig): UpgradeConfig {
  return { upgradeType: config.upgradeType.toLowerCase() === 'connect' ? 'CONNECT' : config.upgradeType.toLowerCase(), enabled: config.enabled ?? true };
}

const REDIRECT_CODES: Readonly<Record<RedirectAction_RedirectResponseCode, RedirectAction['responseCode']>> = {
  [RedirectAction_RedirectResponseCode.MOVED_PERMANENTLY]: 301,
  [RedirectAction_RedirectResponseCode.FOUND]: 302,
  [RedirectAction_RedirectResponseCode.SEE_OTHER]: 303,
  [RedirectAction_RedirectResponseCode.TEMPORARY_REDIRECT]: 307,
  [RedirectAction_RedirectResponseCode.PERMANENT_REDIRECT]: 308,
};

/** `envoy.config.route.v3.RedirectAction` → {@link RedirectAction}. */
export function convertRedirectAction(action: RedirectActionProto, path: FieldPath, ctx: ConversionContext): RedirectAction {
  const scheme = action.schemeRewriteSpecifier;
  const rewrite = action.pathRewriteSpecifier;
  let pathRewrite: RedirectPathRewrite | undefined;
  switch (rewrite.case) {
    case 'pathRedirect':
      pathRewrite = { type: 'path', path: rewrite.value };
      break;
    case 'prefixRewrite':
      pathRewrite = { type: 'prefix', prefix: rewrite.value };
      break;
    case 'regexRewrite':
      pathRewrite = { type: 'regex', ...convertRegexRewrite(rewrite.value, path.field('regex_rewrite'), ctx) };
      break;
    default:
      pathRewrite = undefined;
  }
  const schemeValue = scheme.case === 'httpsRedirect' ? (scheme.value ? 'https' : undefined) : scheme.case === 'schemeRedirect' ? scheme.value.toLowerCase() : undefined;
  return {
    type: 'redirect',
    ...(schemeValue === undefined ? {} : { scheme: schemeValue }),
    ...(action.hostRedirect === '' ? {} : { host: action.hostRedirect }),
    ...(action.portRedirect === 0 ? {} : { port: action.portRedirect }),
    ...(pathRewrite === undefined ? {} : { pathRewrite }),
    responseCode: REDIRECT_CODES[action.responseCode] ?? 301,
    stripQuery: action.stripQuery,
  };
}

/** `envoy.config.route.v3.DirectResponseAction` → {@link DirectResponseAction}. */
export function convertDirectResponseAction(action: DirectResponseActionProto, path: FieldPath, ctx: ConversionContext, maxBodyBytes: number): DirectResponseAction {
  const body = convertDataSource(action.body);
  if (body !== undefined) {
    const size = body.type === 'inlineString' ? Buffer.byteLength(body.value) : body.type === 'inlineBytes' ? Buffer.from(body.base64, 'base64').length : 0;
    if (size > maxBodyBytes) ctx.error(path.field('body'), `the body is ${size} bytes, more than max_direct_response_body_size_bytes (${maxBodyBytes})`);
  }
  return { type: 'directResponse', status: action.status, ...(body === undefined ? {} : { body }) };
}
