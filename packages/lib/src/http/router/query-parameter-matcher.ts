import type { QueryParameterMatcher } from '@orion/configuration';
import { assertNever } from '@orion/error';
import { compileStringMatcher } from './string-matcher.js';

/**
 * The first value of query parameter `name` in `path` (`?a=1&b&a=2` → `a` is `1`, `b` is `""`), undecoded, or
 * undefined when absent. Envoy: `Http::Utility::QueryParamsMulti::parseQueryString` + `getFirstValue`; the query ends
 * at a `#`.
 */
export function firstQueryValue(path: string, name: string): string | undefined {
  const q = path.indexOf('?');
  if (q < 0) return undefined;
  let end = path.indexOf('#', q + 1);
  if (end < 0) end = path.length;
  let start = q + 1;
  while (start <= end) {
    let amp = path.indexOf('&', start);
    if (amp < 0 || amp > end) amp = end;
    const eq = path.indexOf('=', start);
    const nameEnd = eq >= 0 && eq < amp ? eq : amp;
    if (nameEnd - start === name.length && path.startsWith(name, start)) {
      return nameEnd === amp ? '' : path.slice(eq + 1, amp);
    }
    start = amp + 1;
  }
  return undefined;
}

/** A compiled test of the query string of a request target. */
export type QueryPredicate = (path: string) => boolean;

/**
 * Compiles one query parameter matcher. Envoy: `envoy.config.route.v3.QueryParameterMatcher`
 * (`ConfigUtility::QueryParameterMatcher::matches`): only the first value of a repeated parameter is tested;
 * `present_match` compares presence; a `string_match` needs the parameter present.
 */
export function compileQueryParameterMatcher(matcher: QueryParameterMatcher, where: string): QueryPredicate {
  const name = matcher.name;
  const match = matcher.match;
  switch (match.type) {
    case 'present': {
      const present = match.present;
      return (path) => (firstQueryValue(path, name) !== undefined) === present;
    }
    case 'string': {
      const test = compileStringMatcher(match.matcher, `${where}.string_match`);
      return (path) => {
        const value = firstQueryValue(path, name);
        return value !== undefined && test(value);
      };
    }
    default:
      return assertNever(match);
  }
}

/** Compiles `matchers` into one test that all must pass (`RouteMatch.query_parameters`); undefined when empty. */
export function compileQueryParameterMatchers(matchers: readonly QueryParameterMatcher[], where: string): QueryPredicate | undefined {
  if (matchers.length === 0) return undefined;
  const tests = matchers.map((m, i) => compileQueryParameterMatcher(m, `${where}[${i}]`));
  return (path) => {
    for (const t of tests) if (!t(path)) return false;
    return true;
  };
}
