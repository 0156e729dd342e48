import type { HeaderMutations } from './header-mutation.js';
import type { RouteAction } from './route-action.js';
import type { RouteMatch } from './route-match.js';

/**
 * A route table. Envoy: `envoy.config.route.v3.RouteConfiguration` with `name`, `virtual_hosts`, header mutations,
 * `most_specific_header_mutations_wins`, `validate_clusters`, `max_direct_response_body_size_bytes` and
 * `ignore_port_in_host_matching`; `metadata` is ignored and every other field rejected.
 */
export interface RouteConfiguration {
  /** `name`. Default `""`. */
  readonly name: string;
  /** `virtual_hosts`, matched by `:authority`. */
  readonly virtualHosts: readonly VirtualHost[];
  /** Header mutations of the whole table. */
  readonly headerMutations: HeaderMutations;
  /** `most_specific_header_mutations_wins`: route mutations are applied last. Default false. */
  readonly mostSpecificHeaderMutationsWins: boolean;
  /** `ignore_port_in_host_matching`: strip `:port` from the host before matching domains. Default false. */
  readonly ignorePortInHostMatching: boolean;
  /** `validate_clusters`: routes must name known clusters. Default true for inline tables, false for RDS. */
  readonly validateClusters: boolean;
  /** `max_direct_response_body_size_bytes`. Default 4096. */
  readonly maxDirectResponseBodySizeBytes: number;
}

/**
 * A set of domains and their routes. Envoy: `envoy.config.route.v3.VirtualHost` with `name`, `domains`, `routes`,
 * header mutations, `retry_policy` (folded into each route's `ForwardAction.retryPolicy`),
 * `include_request_attempt_count` and `include_attempt_count_in_response`.
 */
export interface VirtualHost {
  /** `name`. */
  readonly name: string;
  /** `domains`, lower-cased: exact `host[:port]`, `*.suffix`, `prefix*` or `*`. */
  readonly domains: readonly string[];
  /** `routes`, first match wins. */
  readonly routes: readonly Route[];
  /** Header mutations of the virtual host. */
  readonly headerMutations: HeaderMutations;
  /** `include_request_attempt_count`: send `x-envoy-attempt-count` upstream. Default false. */
  readonly includeRequestAttemptCount: boolean;
  /** `include_attempt_count_in_response`: send `x-envoy-attempt-count` downstream. Default false. */
  readonly includeAttemptCountInResponse: boolean;
}

/** One route. Envoy: `envoy.config.route.v3.Route` (`metadata`, `decorator`, `stat_prefix` are ignored). */
export interface Route {
  /** `name`. Default `""`. */
  readonly name: string;
  /** `match`. */
  readonly match: RouteMatch;
  /** `route`, `redirect` or `direct_response`. */
  readonly action: RouteAction;
  /** Header mutations of the route. */
  readonly headerMutations: HeaderMutations;
}
