import { ORION_ERR_METRICS_INVALID_QUERY, parseStatsParams, renderStats, type StatsParams } from '@orion/metrics';
import { OrionError } from '@orion/error';
import type { AdminContext } from './admin-context.js';
import { textResponse, type AdminResponse } from './admin-response.js';
import type { AdminRequest } from './url-handler.js';

async function answer(request: AdminRequest, context: AdminContext, prometheus: boolean): Promise<AdminResponse> {
  let params: StatsParams;
  try {
    params = parseStatsParams(request.query, { prometheus });
  } catch (err) {
    if (OrionError.is(err, ORION_ERR_METRICS_INVALID_QUERY)) return textResponse(err.message, 400);
    throw err;
  }
  const { snapshot } = await context.stats();
  const rendered = renderStats(snapshot, params, context.tagProducer === undefined ? {} : { tagProducer: context.tagProducer });
  return { status: 200, contentType: rendered.contentType, body: rendered.body };
}

/** `/stats` (`format`, `usedonly`, `filter`, `type`, `histogram_buckets`), rendered by `@orion/metrics`. */
export function stats(request: AdminRequest, context: AdminContext): Promise<AdminResponse> {
  return answer(request, context, false);
}

/** `/stats/prometheus`. */
export function prometheusStats(request: AdminRequest, context: AdminContext): Promise<AdminResponse> {
  return answer(request, context, true);
}
