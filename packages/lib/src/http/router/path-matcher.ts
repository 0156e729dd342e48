import type { PathMatch } from '@orion/configuration';
import { assertNever } from '@orion/error';
import { asciiLower, equalsIgnoreCase, startsWithIgnoreCase } from './ascii-case.js';
import { Re2Regex } from './re2-regex.js';

/**
 * The path part of a request target: everything before the first `?` or `#`. Envoy:
 * `Http::PathUtil::removeQueryAndFragment`, which every path specifier matches against.
 */
export function pathWithoutQuery(target: string): string {
  for (let i = 0; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c === 0x3f || c === 0x23) return target.slice(0, i);
  }
  return target;
}

/**
 * A compiled path specifier. `matchedLength` is the length of the part of the path a `prefix_rewrite` replaces:
 * the prefix (or exact path) itself, or the whole path for `safe_regex`.
 */
export interface PathMatcher {
  /** True when `path` (without its query) matches. */
  matches(path: string): boolean;
  /** How many leading characters of the matched `path` a `prefix_rewrite` replaces. */
  matchedLength(path: string): number;
}

/**
 * Compiles a path specifier. Envoy: `RouteMatch.prefix`, `path`, `safe_regex` (RE2, the whole path; not affected
 * by `case_sensitive`) and `path_separated_prefix` (the prefix followed by `/` or the end of the path), matched
 * against the path without its query string. `caseSensitive` is `RouteMatch.case_sensitive`, default true.
 */
export function compilePathMatcher(match: PathMatch, caseSensitive: boolean, where: string): PathMatcher {
  switch (match.type) {
    case 'prefix': {
      const prefix = match.prefix;
      const length = prefix.length;
      if (caseSensitive) return { matches: (p) => p.startsWith(prefix), matchedLength: () => length };
      const lower = asciiLower(prefix);
      return { matches: (p) => startsWithIgnoreCase(p, lower), matchedLength: () => length };
    }
    case 'path': {
      const exact = match.path;
      const length = exact.length;
      if (caseSensitive) return { matches: (p) => p === exact, matchedLength: () => length };
      const lower = asciiLower(exact);
      return { matches: (p) => equalsIgnoreCase(p, lower), matchedLength: () => length };
    }
    case 'safeRegex': {
      const regex = Re2Regex.compile(match.regex, `${where}.safe_regex`);
      return { matches: (p) => regex.fullMatch(p), matchedLength: (p) => p.length };
    }
    case 'pathSeparatedPrefix': {
      const prefix = match.prefix;
      const length = prefix.length;
      const lower = asciiLower(prefix);
      const starts = caseSensitive ? (p: string) => p.startsWith(prefix) : (p: string) => startsWithIgnoreCase(p, lower);
      return {
        matches: (p) => starts(p) && (p.length === length || p.charCodeAt(length) === 0x2f),
        matchedLength: () => length,
      };
    }
    default:
      return assertNever(match);
  }
}
