import type { StringMatcher } from '@orion/configuration';
import { assertNever } from '@orion/error';
import { asciiLower, containsIgnoreCase, endsWithIgnoreCase, equalsIgnoreCase, startsWithIgnoreCase } from './ascii-case.js';
import { Re2Regex } from './re2-regex.js';

/** A compiled string test. */
export type StringPredicate = (value: string) => boolean;

/**
 * Compiles a string matcher once. Envoy: `envoy.type.matcher.v3.StringMatcher` — `exact`, `prefix`, `suffix`,
 * `contains` (with `ignore_case`, ASCII only, default false) and `safe_regex` (RE2, the whole value).
 */
export function compileStringMatcher(matcher: StringMatcher, where: string): StringPredicate {
  switch (matcher.type) {
    case 'exact': {
      const v = matcher.value;
      if (!matcher.ignoreCase) return (s) => s === v;
      const lower = asciiLower(v);
      return (s) => equalsIgnoreCase(s, lower);
    }
    case 'prefix': {
      const v = matcher.value;
      if (!matcher.ignoreCase) return (s) => s.startsWith(v);
      const lower = asciiLower(v);
      return (s) => startsWithIgnoreCase(s, lower);
    }
    case 'suffix': {
      const v = matcher.value;
      if (!matcher.ignoreCase) return (s) => s.endsWith(v);
      const lower = asciiLower(v);
      return (s) => endsWithIgnoreCase(s, lower);
    }
    case 'contains': {
      const v = matcher.value;
      if (!matcher.ignoreCase) return (s) => s.includes(v);
      const lower = asciiLower(v);
      return (s) => containsIgnoreCase(s, lower);
    }
    case 'safeRegex': {
      const regex = Re2Regex.compile(matcher.regex, where);
      return (s) => regex.fullMatch(s);
    }
    default:
      return assertNever(matcher);
  }
}
