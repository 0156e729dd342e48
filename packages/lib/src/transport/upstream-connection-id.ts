let next = 1;

/** The next `%UPSTREAM_CONNECTION_ID%` of an upstream HTTP/1.1 connection (one sequence for every pool of a process). */
export function nextUpstreamConnectionId(): number {
  return next++;
}
