import type { HeaderMatcher } from '@orion/configuration';
import { assertNever } from '@orion/error';
import type { RouteRequest } from './route-request.js';
import { compileStringMatcher, type StringPredicate } from './string-matcher.js';

/** A compiled test of one request header. */
export type HeaderPredicate = (req: RouteRequest) => boolean;

/** The value of a header or pseudo-header of `req`; pseudo-headers come from the request's own fields. */
export function requestHeaderValue(req: RouteRequest, name: string): string | undefined {
  if (name.charCodeAt(0) === 0x3a) {
    switch (name) {
      case ':method':
        return req.method;
      case ':authority':
        return req.authority;
      case ':path':
        return req.path;
      case ':scheme':
        return req.scheme;
      default:
        break;
    }
  }
  return req.getHeader(name);
}

function valueTest(matcher: HeaderMatcher, where: string): StringPredicate {
  const match = matcher.match;
  switch (match.type) {
    case 'present':
      return () => match.present;
    case 'range': {
      const { start, end } = match;
      return (value) => {
        const n = parseInt64(value);
        return n !== undefined && n >= start && n < end;
      };
    }
    case 'string':
      return compileStringMatcher(match.matcher, `${where}.string_match`);
    default:
      return assertNever(match);
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * A signed decimal integer as absl's `SimpleAtoi` reads it (surrounding ASCII whitespace and a sign allowed), or
 * undefined. Values beyond ±2^53 lose precision but keep their order, which is all a range needs.
 */
function parseInt64(value: string): number | undefined {
  const s = value.trim();
  if (s === '') return undefined;
  let i = 0;
  const sign = s.charCodeAt(0);
  if (sign === 0x2b || sign === 0x2d) i = 1;
  if (i === s.length) return undefined;
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return undefined;
  }
  // Beyond 18 digits the int64 bounds need exact arithmetic; such values are rare enough to afford a BigInt.
  if (s.length - i > 18) {
    const big = BigInt(s);
    if (big < INT64_MIN || big > INT64_MAX) return undefined;
  }
  return Number(s);
}

/**
 * Compiles one header matcher. Envoy: `envoy.config.route.v3.HeaderMatcher` (`HeaderUtility::matchHeaders`): several
 * values of a header are matched joined with `,`; an absent header matches only `present_match: false` (or
 * `present_match: true` inverted) unless `treat_missing_header_as_empty` (default false) matches it as `""`;
 * `invert_match` (default false) inverts the result for a present header.
 */
export function compileHeaderMatcher(matcher: HeaderMatcher, where: string): HeaderPredicate {
  const name = matcher.name;
  const invert = matcher.invert;
  const treatMissingAsEmpty = matcher.treatMissingHeaderAsEmpty;
  const isPresentMatch = matcher.match.type === 'present';
  const present = matcher.match.type === 'present' && matcher.match.present;
  const test = valueTest(matcher, where);
  // An absent header never reaches the value test unless treated as empty; the result follows Envoy exactly.
  const whenAbsent = invert ? isPresentMatch && present : isPresentMatch && !present;
  return (req) => {
    const value = requestHeaderValue(req, name);
    if (value === undefined) {
      if (!treatMissingAsEmpty) return whenAbsent;
      return test('') !== invert;
    }
    return test(value) !== invert;
  };
}

/** Compiles `matchers` into one test that all of them must pass (`RouteMatch.headers`); undefined when empty. */
export function compileHeaderMatchers(matchers: readonly HeaderMatcher[], where: string): HeaderPredicate | undefined {
  if (matchers.length === 0) return undefined;
  const tests = matchers.map((m, i) => compileHeaderMatcher(m, `${where}[${i}]`));
  if (tests.length === 1) return tests[0];
  return (req) => {
    for (const t of tests) if (!t(req)) return false;
    return true;
  };
}
