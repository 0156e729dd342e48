import { OrionError } from '@orion/error';
import { RE2JS } from 're2js';
import { ORION_ERR_METRICS_INVALID_MATCHER } from './error-codes.js';

/**
 * How one stat name is matched (Envoy `envoy.type.matcher.v3.StringMatcher`, as used by `stats_matcher` and
 * `histogram_bucket_settings.match`). `safeRegex` is RE2 source matched against the whole name.
 */
export type StatNameMatcher =
  | { readonly type: 'exact' | 'prefix' | 'suffix' | 'contains'; readonly value: string; /** `ignore_case`. Default false. */ readonly ignoreCase: boolean }
  | { readonly type: 'safeRegex'; readonly regex: string };

/**
 * Which stats are created (Envoy `envoy.config.metrics.v3.StatsMatcher`): `rejectAll` (`reject_all: true`) creates
 * none, `inclusionList` only names matching one of its patterns, `exclusionList` every name matching none of them.
 * No matcher (or `reject_all: false`) creates every stat.
 */
export type StatsMatcher =
  | { readonly type: 'rejectAll' }
  | { readonly type: 'inclusionList' | 'exclusionList'; readonly patterns: readonly StatNameMatcher[] };

/** A compiled {@link StatNameMatcher}: true when it matches `name`. */
export type CompiledStatNameMatcher = (name: string) => boolean;

/**
 * Compiles a {@link StatNameMatcher} once (regexes with RE2 semantics via `re2js`). Throws
 * `ORION_ERR_METRICS_INVALID_MATCHER` for a regex that does not compile.
 */
export function compileStatNameMatcher(matcher: StatNameMatcher): CompiledStatNameMatcher {
  switch (matcher.type) {
    case 'safeRegex': {
      let pattern: RE2JS;
      try {
        pattern = RE2JS.compile(matcher.regex);
      } catch (err) {
        throw new OrionError(ORION_ERR_METRICS_INVALID_MATCHER, `invalid regex ${JSON.stringify(matcher.regex)}`, { cause: err, details: { regex: matcher.regex } });
      }
      return (name) => pattern.matches(name);
    }
    case 'exact':
    case 'prefix':
    case 'suffix':
    case 'contains': {
      const value = matcher.ignoreCase ? matcher.value.toLowerCase() : matcher.value;
      const test = stringTest(matcher.type, value);
      return matcher.ignoreCase ? (name) => test(name.toLowerCase()) : test;
    }
  }
}

function stringTest(type: 'exact' | 'prefix' | 'suffix' | 'contains', value: string): CompiledStatNameMatcher {
  switch (type) {
    case 'exact':
      return (name) => name === value;
    case 'prefix':
      return (name) => name.startsWith(value);
    case 'suffix':
      return (name) => name.endsWith(value);
    case 'contains':
      return (name) => name.includes(value);
  }
}

/**
 * A compiled {@link StatsMatcher}: true when the stat `name` must not be created (Envoy `StatsMatcher::rejects`).
 * Without a matcher nothing is rejected.
 */
export function compileStatsMatcher(matcher: StatsMatcher | undefined): (name: string) => boolean {
  if (matcher === undefined) return () => false;
  if (matcher.type === 'rejectAll') return () => true;
  const tests = matcher.patterns.map(compileStatNameMatcher);
  const inclusive = matcher.type === 'exclusionList';
  // Envoy: a name is rejected when "matches any pattern" equals "the list is an exclusion list".
  return (name) => tests.some((t) => t(name)) === inclusive;
}
