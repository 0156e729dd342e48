let lastConnectionId = 0;

/**
 * The next process-unique connection id, increasing from 1. Envoy: `%CONNECTION_ID%` / `%UPSTREAM_CONNECTION_ID%`
 * (one sequence for downstream and upstream connections).
 */
export function nextConnectionId(): number {
  return ++lastConnectionId;
}
