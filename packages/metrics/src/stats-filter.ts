import { OrionError } from '@orion/error';
import { RE2JS } from 're2js';
import { ORION_ERR_METRICS_INVALID_QUERY } from './error-codes.js';

/** A compiled `/stats?filter=` regex: RE2 syntax and semantics, matched anywhere in the stat name (`PartialMatch`). */
export interface StatsFilter {
  /** The regex source. */
  readonly source: string;
  /** True when the regex matches somewhere in `name`. */
  test(name: string): boolean;
}

/** Compiles a `filter` regex with RE2 (linear time). Throws `ORION_ERR_METRICS_INVALID_QUERY` ("Invalid re2 regex"). */
export function compileStatsFilter(source: string): StatsFilter {
  let pattern: RE2JS;
  try {
    pattern = RE2JS.compile(source);
  } catch (err) {
    throw new OrionError(ORION_ERR_METRICS_INVALID_QUERY, 'Invalid re2 regex', { cause: err, details: { parameter: 'filter', value: source } });
  }
  return {
    source,
    test: (name: string) => pattern.matcher(name).find(),
  };
}
