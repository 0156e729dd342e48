import type { FieldPath } from '@orion/data-plane-api';
import type { Route as RouteProto, VirtualHost as VirtualHostProto } from '@orion/data-plane-api/gen/envoy/config/route/v3/route_components_pb.js';
import type { RouteConfiguration as RouteConfigurationProto } from '@orion/data-plane-api/gen/envoy/config/route/v3/route_pb.js';
import type { RetryPolicy } from '../model/route-action.js';
import type { Route, RouteConfiguration, VirtualHost } from '../model/route-configuration.js';
import { convertHeaderMutations } from './convert-common.js';
import { convertDirectResponseAction, convertForwardAction, convertRedirectAction, convertRetryPolicy } from './convert-route-action.js';
import { convertRouteMatch } from './convert-route-match.js';
import type { ConversionContext } from './conversion-context.js';

/**
 * `envoy.config.route.v3.RouteConfiguration` → {@link RouteConfiguration}. `inline`: the table is a connection
 * manager's `route_config` (then `validate_clusters` defaults to true, as in Envoy).
 */
export function convertRouteConfiguration(config: RouteConfigurationProto, path: FieldPath, ctx: ConversionContext, inline: boolean): RouteConfiguration {
  const maxBody = config.maxDirectResponseBodySizeBytes ?? 4096;
  const virtualHosts = config.virtualHosts.map((v, i) => convertVirtualHost(v, path.field('virtual_hosts').index(i, v.name), ctx, maxBody));
  checkDuplicateDomains(virtualHosts, path, ctx);
  return {
    name: config.name,
    virtualHosts,
    headerMutations: convertHeaderMutations(config, path, ctx),
    mostSpecificHeaderMutationsWins: config.mostSpecificHeaderMutationsWins,
    ignorePortInHostMatching: config.ignorePortInHostMatching,
    validateClusters: config.validateClusters ?? inline,
    maxDirectResponseBodySizeBytes: maxBody,
  };
}

function convertVirtualHost(vhost: VirtualHostProto, path: FieldPath, ctx: ConversionContext, maxBody: number): VirtualHost {
  const retry: RetryPolicy | undefined = vhost.retryPolicy === undefined ? undefined : convertRetryPolicy(vhost.retryPolicy, path.field('retry_policy'), ctx);
  if (vhost.domains.length === 0) ctx.error(path.field('domains'), 'at least one domain is required');
  vhost.domains.forEach((domain, i) => {
    const stars = domain.split('*').length - 1;
    if (domain !== '*' && (stars > 1 || (stars === 1 && !domain.startsWith('*') && !domain.endsWith('*')))) {
      ctx.error(path.field('domains').index(i), `domain ${JSON.stringify(domain)} may have one wildcard, at its start or end`);
    }
  });
  return {
    name: vhost.name,
    domains: vhost.domains.map((d) => d.toLowerCase()),
    routes: vhost.routes.map((r, i) => convertRoute(r, path.field('routes').index(i, r.name), ctx, maxBody, retry)),
    headerMutations: convertHeaderMutations(vhost, path, ctx),
    includeRequestAttemptCount: vhost.includeRequestAttemptCount,
    includeAttemptCountInResponse: vhost.includeAttemptCountInResponse,
  };
}

function convertRoute(route: RouteProto, path: FieldPath, ctx: ConversionContext, maxBody: number, vhostRetry: RetryPolicy | undefined): Route {
  const match = convertRouteMatch(route.match, path.field('match'), ctx);
  const headerMutations = convertHeaderMutations(route, path, ctx);
  const action = route.action;
  switch (action.case) {
    case 'route':
      return { name: route.name, match, action: convertForwardAction(action.value, path.field('route'), ctx, vhostRetry), headerMutations };
    case 'redirect':
      return { name: route.name, match, action: convertRedirectAction(action.value, path.field('redirect'), ctx), headerMutations };
    case 'directResponse':
      return { name: route.name, match, action: convertDirectResponseAction(action.value, path.field('direct_response'), ctx, maxBody), headerMutations };
    default:
      // filter_action / non_forwarding_action are reported by the support check.
      if (action.case === undefined) ctx.error(path, 'one of route, redirect or direct_response is required');
      return { name: route.name, match, action: { type: 'directResponse', status: 404 }, headerMutations };
  }
}

/** Envoy refuses a domain (or a second `*`) that two virtual hosts of one table both claim. */
function checkDuplicateDomains(virtualHosts: readonly VirtualHost[], path: FieldPath, ctx: ConversionContext): void {
  const owners = new Map<string, string>();
  virtualHosts.forEach((vhost, i) => {
    vhost.domains.forEach((domain, j) => {
      const owner = owners.get(domain);
      if (owner !== undefined) {
        ctx.error(path.field('virtual_hosts').index(i, vhost.name).field('domains').index(j), `domain ${JSON.stringify(domain)} is already used by virtual host ${JSON.stringify(owner)}`);
      } else {
        owners.set(domain, vhost.name);
      }
    });
  });
}
