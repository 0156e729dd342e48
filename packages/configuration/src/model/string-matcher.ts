/**
 * How a string (a header value, a query parameter) is matched.
 * Envoy: `envoy.type.matcher.v3.StringMatcher` (`custom` is rejected). Regular expressions are kept as RE2 source
 * text: the data plane compiles them with an RE2-semantics engine.
 */
export type StringMatcher =
  | { readonly type: 'exact' | 'prefix' | 'suffix' | 'contains'; readonly value: string; /** `ignore_case`. Default false. */ readonly ignoreCase: boolean }
  | { readonly type: 'safeRegex'; /** `safe_regex.regex` (RE2 syntax, matched against the whole string). */ readonly regex: string };

/** A regular expression and its substitution. Envoy: `envoy.type.matcher.v3.RegexMatchAndSubstitute`. */
export interface RegexRewrite {
  /** `pattern.regex` (RE2 syntax). */
  readonly pattern: string;
  /** `substitution`; `\1`…`\9` refer to capture groups. */
  readonly substitution: string;
}
