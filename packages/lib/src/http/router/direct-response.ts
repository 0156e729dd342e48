import type { RouteSelection } from './compiled-route.js';

/** The answer of a direct-response route. Envoy: `DirectResponseAction`. */
export interface DirectResponse {
  /** `status`. */
  readonly status: number;
  /** `body`, read when the table was compiled; undefined: no body. Envoy sends it as `text/plain`. */
  readonly body: Buffer | undefined;
}

/** The status and body of a direct-response route; undefined when the route is not one. */
export function directResponse(selection: RouteSelection): DirectResponse | undefined {
  const action = selection.route.action;
  return action.type === 'directResponse' ? action : undefined;
}
