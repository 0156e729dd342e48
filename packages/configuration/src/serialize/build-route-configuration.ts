import { create } from '@bufbuild/protobuf';
import {
  DirectResponseActionSchema,
  HeaderMatcherSchema,
  QueryParameterMatcherSchema,
  RedirectAction_RedirectResponseCode,
  RedirectActionSchema,
  RetryPolicySchema,
  RouteAction_ClusterNotFoundResponseCode,
  RouteAction_HashPolicy_ConnectionPropertiesSchema,
  RouteAction_HashPolicy_CookieSchema,
  RouteAction_HashPolicy_HeaderSchema,
  RouteAction_HashPolicy_QueryParameterSchema,
  RouteAction_HashPolicySchema,
  RouteAction_UpgradeConfigSchema,
  RouteActionSchema,
  RouteMatchSchema,
  RouteSchema,
  VirtualHostSchema,
  WeightedCluster_ClusterWeightSchema,
  WeightedClusterSchema,
  type DirectResponseAction as DirectResponseActionProto,
  type HeaderMatcher as HeaderMatcherProto,
  type QueryParameterMatcher as QueryParameterMatcherProto,
  type RedirectAction as RedirectActionProto,
  type RetryPolicy as RetryPolicyProto,
  type RouteAction as RouteActionProto,
  type RouteAction_HashPolicy,
  type RouteMatch as RouteMatchProto,
  type Route as RouteProto,
  type VirtualHost as VirtualHostProto,
} from '@orion/data-plane-api/gen/envoy/config/route/v3/route_components_pb.js';
import { BoolValueSchema } from '@bufbuild/protobuf/wkt';
import { Int64RangeSchema } from '@orion/data-plane-api/gen/envoy/type/v3/range_pb.js';
import { RouteConfigurationSchema, type RouteConfiguration as RouteConfigurationProto } from '@orion/data-plane-api/gen/envoy/config/route/v3/route_pb.js';
import type { ClusterSpecifier, DirectResponseAction, ForwardAction, HashPolicy, HostRewrite, RedirectAction, RetryPolicy, UpgradeConfig } from '../model/route-action.js';
import type { Route, RouteConfiguration, VirtualHost } from '../model/route-configuration.js';
import type { HeaderMatcher, PathMatch, QueryParameterMatcher, RouteMatch } from '../model/route-match.js';
import { buildDataSource, buildHeaderMutations, buildRegex, buildRegexRewrite, buildStringMatcher, duration, durationUnlessDefault, unlessDefault } from './build-common.js';

/**
 * {@link RouteConfiguration} → `envoy.config.route.v3.RouteConfiguration`. `inline`: a connection manager's
 * `route_config`, where `validate_clusters` defaults to true (printed only when false); for an RDS table it defaults
 * to false (printed only when true).
 */
export function buildRouteConfiguration(config: RouteConfiguration, inline: boolean): RouteConfigurationProto {
  return create(RouteConfigurationSchema, {
    name: config.name,
    virtualHosts: config.virtualHosts.map(buildVirtualHost),
    ...buildHeaderMutations(config.headerMutations),
    mostSpecificHeaderMutationsWins: config.mostSpecificHeaderMutationsWins,
    validateClusters: unlessDefault(config.validateClusters, inline),
    maxDirectResponseBodySizeBytes: unlessDefault(config.maxDirectResponseBodySizeBytes, 4096),
    ignorePortInHostMatching: config.ignorePortInHostMatching,
  });
}

/**
 * {@link VirtualHost} → `envoy.config.route.v3.VirtualHost`. The model folds a virtual host's `retry_policy` into
 * its forwarding routes; when every forwarding route has the same policy it is printed once on the virtual host,
 * otherwise on each route.
 */
function buildVirtualHost(vhost: VirtualHost): VirtualHostProto {
  const retry = sharedRetryPolicy(vhost.routes);
  return create(VirtualHostSchema, {
    name: vhost.name,
    domains: [...vhost.domains],
    routes: vhost.routes.map((r) => buildRoute(r, retry !== undefined)),
    ...buildHeaderMutations(vhost.headerMutations),
    ...(retry === undefined ? {} : { retryPolicy: retry }),
    includeRequestAttemptCount: vhost.includeRequestAttemptCount,
    includeAttemptCountInResponse: vhost.includeAttemptCountInResponse,
  });
}

/** The retry policy every forwarding route of a virtual host has, if they all have one and it is the same. */
function sharedRetryPolicy(routes: readonly Route[]): RetryPolicyProto | undefined {
  let shared: RetryPolicy | undefined;
  for (const route of routes) {
    if (route.action.type !== 'forward') continue;
    const policy = route.action.retryPolicy;
    if (policy === undefined) return undefined;
    if (shared === undefined) shared = policy;
    else if (policy !== shared && !samePlainData(policy, shared)) return undefined;
  }
  return shared === undefined ? undefined : buildRetryPolicy(shared);
}

/** Deep equality of the model's plain data (objects, arrays, strings, numbers, booleans). */
function samePlainData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && samePlainData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function buildRoute(route: Route, retryOnVirtualHost: boolean): RouteProto {
  const action = route.action;
  let actionInit: RouteProto['action'];
  switch (action.type) {
    case 'forward':
      actionInit = { case: 'route', value: buildForwardAction(action, retryOnVirtualHost) };
      break;
    case 'redirect':
      actionInit = { case: 'redirect', value: buildRedirectAction(action) };
      break;
    case 'directResponse':
      actionInit = { case: 'directResponse', value: buildDirectResponseAction(action) };
      break;
  }
  return create(RouteSchema, { name: route.name, match: buildRouteMatch(route.match), action: actionInit, ...buildHeaderMutations(route.headerMutations) });
}

function pathSpecifier(path: PathMatch): RouteMatchProto['pathSpecifier'] {
  switch (path.type) {
    case 'prefix':
      return { case: 'prefix', value: path.prefix };
    case 'path':
      return { case: 'path', value: path.path };
    case 'safeRegex':
      return { case: 'safeRegex', value: buildRegex(path.regex) };
    case 'pathSeparatedPrefix':
      return { case: 'pathSeparatedPrefix', value: path.prefix };
  }
}

function buildRouteMatch(match: RouteMatch): RouteMatchProto {
  return create(RouteMatchSchema, {
    pathSpecifier: pathSpecifier(match.path),
    caseSensitive: match.caseSensitive ? undefined : false,
    headers: match.headers.map(buildHeaderMatcher),
    queryParameters: match.queryParameters.map(buildQueryParameterMatcher),
    ...(match.grpc ? { grpc: {} } : {}),
  });
}

/** {@link HeaderMatcher} → `envoy.config.route.v3.HeaderMatcher` (deprecated kinds are printed as `string_match`). */
export function buildHeaderMatcher(matcher: HeaderMatcher): HeaderMatcherProto {
  const m = matcher.match;
  let spec: HeaderMatcherProto['headerMatchSpecifier'];
  switch (m.type) {
    case 'present':
      spec = { case: 'presentMatch', value: m.present };
      break;
    case 'range':
      spec = { case: 'rangeMatch', value: create(Int64RangeSchema, { start: BigInt(Math.trunc(m.start)), end: BigInt(Math.trunc(m.end)) }) };
      break;
    case 'string':
      spec = { case: 'stringMatch', value: buildStringMatcher(m.matcher) };
      break;
  }
  return create(HeaderMatcherSchema, {
    name: matcher.name,
    headerMatchSpecifier: spec,
    invertMatch: matcher.invert,
    treatMissingHeaderAsEmpty: matcher.treatMissingHeaderAsEmpty,
  });
}

function buildQueryParameterMatcher(matcher: QueryParameterMatcher): QueryParameterMatcherProto {
  const m = matcher.match;
  return create(QueryParameterMatcherSchema, {
    name: matcher.name,
    queryParameterMatchSpecifier: m.type === 'present' ? { case: 'presentMatch', value: m.present } : { case: 'stringMatch', value: buildStringMatcher(m.matcher) },
  });
}

const NOT_FOUND_CODES: Readonly<Record<ForwardAction['clusterNotFoundResponseCode'], RouteAction_ClusterNotFoundResponseCode>> = {
  503: RouteAction_ClusterNotFoundResponseCode.SERVICE_UNAVAILABLE,
  404: RouteAction_ClusterNotFoundResponseCode.NOT_FOUND,
  500: RouteAction_ClusterNotFoundResponseCode.INTERNAL_SERVER_ERROR,
};

function clusterSpecifier(cluster: ClusterSpecifier): RouteActionProto['clusterSpecifier'] {
  switch (cluster.type) {
    case 'cluster':
      return { case: 'cluster', value: cluster.name };
    case 'clusterHeader':
      return { case: 'clusterHeader', value: cluster.header };
    case 'weightedClusters':
      return {
        case: 'weightedClusters',
        value: create(WeightedClusterSchema, {
          clusters: cluster.clusters.map((c) =>
            create(WeightedCluster_ClusterWeightSchema, {
              ...(c.cluster.type === 'cluster' ? { name: c.cluster.name } : { clusterHeader: c.cluster.header }),
              weight: c.weight,
              ...buildHeaderMutations(c.headerMutations),
              ...(c.hostRewriteLiteral === undefined ? {} : { hostRewriteSpecifier: { case: 'hostRewriteLiteral' as const, value: c.hostRewriteLiteral } }),
            }),
          ),
        }),
      };
  }
}

function hostRewriteSpecifier(rewrite: HostRewrite | undefined): RouteActionProto['hostRewriteSpecifier'] {
  switch (rewrite?.type) {
    case undefined:
      return { case: undefined };
    case 'literal':
      return { case: 'hostRewriteLiteral', value: rewrite.host };
    case 'auto':
      return { case: 'autoHostRewrite', value: create(BoolValueSchema, { value: true }) };
    case 'header':
      return { case: 'hostRewriteHeader', value: rewrite.header };
    case 'pathRegex':
      return { case: 'hostRewritePathRegex', value: buildRegexRewrite(rewrite) };
  }
}

function buildForwardAction(action: ForwardAction, retryOnVirtualHost: boolean): RouteActionProto {
  const stream = action.maxStreamDuration;
  return create(RouteActionSchema, {
    clusterSpecifier: clusterSpecifier(action.cluster),
    clusterNotFoundResponseCode: NOT_FOUND_CODES[action.clusterNotFoundResponseCode],
    prefixRewrite: action.pathRewrite?.type === 'prefix' ? action.pathRewrite.prefix : '',
    ...(action.pathRewrite?.type === 'regex' ? { regexRewrite: buildRegexRewrite(action.pathRewrite) } : {}),
    hostRewriteSpecifier: hostRewriteSpecifier(action.hostRewrite),
    appendXForwardedHost: action.appendXForwardedHost,
    timeout: durationUnlessDefault(action.timeoutMs, 15_000),
    ...(action.idleTimeoutMs === undefined ? {} : { idleTimeout: duration(action.idleTimeoutMs) }),
    ...(action.retryPolicy === undefined || retryOnVirtualHost ? {} : { retryPolicy: buildRetryPolicy(action.retryPolicy) }),
    hashPolicy: action.hashPolicies.map(buildHashPolicy),
    upgradeConfigs: action.upgradeConfigs.map((u) => create(RouteAction_UpgradeConfigSchema, upgradeConfigInit(u))),
    ...(stream === undefined
      ? {}
      : {
          maxStreamDuration: {
            ...(stream.maxStreamDurationMs === undefined ? {} : { maxStreamDuration: duration(stream.maxStreamDurationMs) }),
            ...(stream.grpcTimeoutHeaderMaxMs === undefined ? {} : { grpcTimeoutHeaderMax: duration(stream.grpcTimeoutHeaderMaxMs) }),
            grpcTimeoutHeaderOffset: durationUnlessDefault(stream.grpcTimeoutHeaderOffsetMs, 0),
          },
        }),
  });
}

/** {@link UpgradeConfig} → the fields of an HCM or route `UpgradeConfig` (`enabled` printed only when false). */
export function upgradeConfigInit(config: UpgradeConfig): { upgradeType: string; enabled?: boolean } {
  return { upgradeType: config.upgradeType, ...(config.enabled ? {} : { enabled: false }) };
}

/** {@link RetryPolicy} → `envoy.config.route.v3.RetryPolicy`. */
export function buildRetryPolicy(policy: RetryPolicy): RetryPolicyProto {
  const backOffDefault = policy.backOffBaseIntervalMs === 25 && policy.backOffMaxIntervalMs === 250;
  return create(RetryPolicySchema, {
    retryOn: [...policy.retryOn, ...policy.grpcRetryOn].join(','),
    numRetries: unlessDefault(policy.numRetries, 1),
    perTryTimeout: durationUnlessDefault(policy.perTryTimeoutMs, 0),
    perTryIdleTimeout: durationUnlessDefault(policy.perTryIdleTimeoutMs, 0),
    retriableStatusCodes: [...policy.retriableStatusCodes],
    ...(backOffDefault
      ? {}
      : {
          retryBackOff: {
            baseInterval: duration(policy.backOffBaseIntervalMs),
            maxInterval: durationUnlessDefault(policy.backOffMaxIntervalMs, policy.backOffBaseIntervalMs * 10),
          },
        }),
    retriableHeaders: policy.retriableHeaders.map(buildHeaderMatcher),
    retriableRequestHeaders: policy.retriableRequestHeaders.map(buildHeaderMatcher),
  });
}

function buildHashPolicy(policy: HashPolicy): RouteAction_HashPolicy {
  let spec: RouteAction_HashPolicy['policySpecifier'];
  switch (policy.type) {
    case 'header':
      spec = {
        case: 'header',
        value: create(RouteAction_HashPolicy_HeaderSchema, {
          headerName: policy.headerName,
          ...(policy.regexRewrite === undefined ? {} : { regexRewrite: buildRegexRewrite(policy.regexRewrite) }),
        }),
      };
      break;
    case 'cookie':
      spec = {
        case: 'cookie',
        value: create(RouteAction_HashPolicy_CookieSchema, { name: policy.name, ...(policy.ttlMs === undefined ? {} : { ttl: duration(policy.ttlMs) }), path: policy.path }),
      };
      break;
    case 'connectionProperties':
      spec = { case: 'connectionProperties', value: create(RouteAction_HashPolicy_ConnectionPropertiesSchema, { sourceIp: policy.sourceIp }) };
      break;
    case 'queryParameter':
      spec = { case: 'queryParameter', value: create(RouteAction_HashPolicy_QueryParameterSchema, { name: policy.name }) };
      break;
  }
  return create(RouteAction_HashPolicySchema, { policySpecifier: spec, terminal: policy.terminal });
}

const REDIRECT_CODES: Readonly<Record<RedirectAction['responseCode'], RedirectAction_RedirectResponseCode>> = {
  301: RedirectAction_RedirectResponseCode.MOVED_PERMANENTLY,
  302: RedirectAction_RedirectResponseCode.FOUND,
  303: RedirectAction_RedirectResponseCode.SEE_OTHER,
  307: RedirectAction_RedirectResponseCode.TEMPORARY_REDIRECT,
  308: RedirectAction_RedirectResponseCode.PERMANENT_REDIRECT,
};

function buildRedirectAction(action: RedirectAction): RedirectActionProto {
  const rewrite = action.pathRewrite;
  let pathRewriteSpecifier: RedirectActionProto['pathRewriteSpecifier'];
  switch (rewrite?.type) {
    case undefined:
      pathRewriteSpecifier = { case: undefined };
      break;
    case 'path':
      pathRewriteSpecifier = { case: 'pathRedirect', value: rewrite.path };
      break;
    case 'prefix':
      pathRewriteSpecifier = { case: 'prefixRewrite', value: rewrite.prefix };
      break;
    case 'regex':
      pathRewriteSpecifier = { case: 'regexRewrite', value: buildRegexRewrite(rewrite) };
      break;
  }
  let schemeRewriteSpecifier: RedirectActionProto['schemeRewriteSpecifier'] = { case: undefined };
  if (action.scheme === 'https') schemeRewriteSpecifier = { case: 'httpsRedirect', value: true };
  else if (action.scheme !== undefined) schemeRewriteSpecifier = { case: 'schemeRedirect', value: action.scheme };
  return create(RedirectActionSchema, {
    schemeRewriteSpecifier,
    hostRedirect: action.host ?? '',
    portRedirect: action.port ?? 0,
    pathRewriteSpecifier,
    responseCode: REDIRECT_CODES[action.responseCode],
    stripQuery: action.stripQuery,
  });
}

function buildDirectResponseAction(action: DirectResponseAction): DirectResponseActionProto {
  return create(DirectResponseActionSchema, { status: action.status, ...(action.body === undefined ? {} : { body: buildDataSource(action.body) }) });
}
