import type { FormatContext } from '@orion/format';
import type { RouteSelection } from './compiled-route.js';
import type { ForwardDecision } from './forward-decision.js';
import type { MutableHeaders } from './header-mutator.js';

/**
 * Applies the request header changes of the picked weighted cluster, then of the route, its virtual host and the
 * route table, in Envoy's order (route → virtual host → table so the table wins, or the reverse with
 * `most_specific_header_mutations_wins`). Envoy: `request_headers_to_add` / `request_headers_to_remove`, applied by
 * the router before the request goes upstream (`finalizeRequestHeaders`). `ctx` is what header formatters read.
 */
export function applyRequestHeaderMutations(selection: RouteSelection, headers: MutableHeaders, ctx: FormatContext, forward?: ForwardDecision): void {
  forward?.weightedCluster?.requestMutator?.apply(headers, ctx);
  for (const mutator of selection.route.requestMutators) mutator.apply(headers, ctx);
}

/**
 * Applies the response header changes, ordered as {@link applyRequestHeaderMutations}. Envoy:
 * `response_headers_to_add` / `response_headers_to_remove` (`finalizeResponseHeaders`); they also apply to direct
 * responses and redirects of the route.
 */
export function applyResponseHeaderMutations(selection: RouteSelection, headers: MutableHeaders, ctx: FormatContext, forward?: ForwardDecision): void {
  forward?.weightedCluster?.responseMutator?.apply(headers, ctx);
  for (const mutator of selection.route.responseMutators) mutator.apply(headers, ctx);
}
