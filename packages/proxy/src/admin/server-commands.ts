import type { AdminContext } from './admin-context.js';
import { textResponse, type AdminResponse } from './admin-response.js';
import type { AdminRequest } from './url-handler.js';

const OK = 'OK\n';

/** `/healthcheck/fail`: `/ready` and `server.state` say DRAINING; traffic keeps being served. */
export function healthcheckFail(_request: AdminRequest, context: AdminContext): AdminResponse {
  context.failHealthcheck(true);
  return textResponse(OK);
}

/** `/healthcheck/ok`: back to LIVE. */
export function healthcheckOk(_request: AdminRequest, context: AdminContext): AdminResponse {
  context.failHealthcheck(false);
  return textResponse(OK);
}

/** `/quitquitquit`: answers, then shuts down. */
export function quitQuitQuit(_request: AdminRequest, context: AdminContext): AdminResponse {
  context.quit();
  return textResponse(OK);
}

/** `/reset_counters`: every counter of every process back to 0. */
export function resetCounters(_request: AdminRequest, context: AdminContext): AdminResponse {
  context.resetCounters();
  return textResponse(OK);
}

/** `/reopen_logs`: reopens the access-log files and Orion's log file (as SIGUSR1). */
export function reopenLogs(_request: AdminRequest, context: AdminContext): AdminResponse {
  context.reopenLogs();
  return textResponse(OK);
}

/**
 * `/drain_listeners` (`graceful`, `inboundonly`): stop the listeners, draining their connections; with `graceful`
 * they keep accepting for `--drain-time-s` first. `skip_exit` is not supported (the listeners always stop).
 */
export function drainListeners(request: AdminRequest, context: AdminContext): AdminResponse {
  context.drainListeners({ graceful: request.query.has('graceful'), inboundOnly: request.query.has('inboundonly') });
  return textResponse(OK);
}
