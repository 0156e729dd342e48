export { compileRouteConfiguration, CompiledRouteConfiguration } from './route-table.js';
export type { RouteTableOptions } from './route-table.js';
export type { CompiledRoute, CompiledVirtualHost, RouteSelection } from './compiled-route.js';
export type {
  CompiledClusterSpecifier,
  CompiledHostRewrite,
  CompiledPathRewrite,
  CompiledRedirectPathRewrite,
  CompiledRouteAction,
  CompiledWeightedCluster,
} from './compiled-route-action.js';
export type { RouteRequest, StripPortMode } from './route-request.js';
export { resolveForward, pickWeightedCluster } from './forward-decision.js';
export type { ForwardDecision } from './forward-decision.js';
export { redirectLocation } from './redirect-location.js';
export type { RedirectResponse } from './redirect-location.js';
export { directResponse } from './direct-response.js';
export type { DirectResponse } from './direct-response.js';
export { applyRequestHeaderMutations, applyResponseHeaderMutations } from './route-header-mutations.js';
export { HeaderMutator } from './header-mutator.js';
export type { MutableHeaders } from './header-mutator.js';
export { HeaderValueTemplate } from './header-value-template.js';
export { stripHostPort, hostPortStart } from './host-port.js';
export type { PathMatcher } from './path-matcher.js';
export { RegexRewriter } from './regex-rewriter.js';
export { Re2Regex } from './re2-regex.js';
export { RouterErrorCode } from './router-error-codes.js';
