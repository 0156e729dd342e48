import type { StringMatcher } from './string-matcher.js';

/**
 * What a request must look like for a route to apply. Envoy: `envoy.config.route.v3.RouteMatch` with a path
 * specifier, `case_sensitive`, `headers`, `query_parameters` and `grpc` (`runtime_fraction`, `tls_context`,
 * `dynamic_metadata`, `connect_matcher` and `path_match_policy` are rejected).
 */
export interface RouteMatch {
  /** The path specifier. */
  readonly path: PathMatch;
  /** `case_sensitive` (applies to `prefix`, `path` and `path_separated_prefix`). Default true. */
  readonly caseSensitive: boolean;
  /** `headers`: all must match. */
  readonly headers: readonly HeaderMatcher[];
  /** `query_parameters`: all must match. */
  readonly queryParameters: readonly QueryParameterMatcher[];
  /** `grpc`: only gRPC requests (`content-type: application/grpc…`) match. Default false. */
  readonly grpc: boolean;
}

/** How the path (without the query string) is matched. */
export type PathMatch =
  | { readonly type: 'prefix'; /** `prefix`. */ readonly prefix: string }
  | { readonly type: 'path'; /** `path`: the whole path. */ readonly path: string }
  | { readonly type: 'safeRegex'; /** `safe_regex.regex`: RE2, the whole path. */ readonly regex: string }
  | { readonly type: 'pathSeparatedPrefix'; /** `path_separated_prefix`: the prefix followed by `/`, `?` or the end. */ readonly prefix: string };

/** A condition on one request header. Envoy: `envoy.config.route.v3.HeaderMatcher` (every kind). */
export interface HeaderMatcher {
  /** `name`, lower-cased (`:method`, `:authority`, … are pseudo-headers). */
  readonly name: string;
  /** What the value must satisfy. A matcher with no kind set checks presence, as in Envoy. */
  readonly match: HeaderMatch;
  /** `invert_match`. Default false. */
  readonly invert: boolean;
  /** `treat_missing_header_as_empty`: match an absent header as the empty string. Default false. */
  readonly treatMissingHeaderAsEmpty: boolean;
}

/**
 * The kinds of {@link HeaderMatcher}. The deprecated `exact_match`, `safe_regex_match`, `prefix_match`,
 * `suffix_match` and `contains_match` become a `string` match.
 */
export type HeaderMatch =
  | { readonly type: 'present'; /** `present_match`: true = the header is present, false = absent. */ readonly present: boolean }
  | { readonly type: 'range'; /** `range_match.start` (inclusive). */ readonly start: number; /** `range_match.end` (exclusive). */ readonly end: number }
  | { readonly type: 'string'; /** `string_match`. */ readonly matcher: StringMatcher };

/** A condition on one query parameter. Envoy: `envoy.config.route.v3.QueryParameterMatcher`. */
export interface QueryParameterMatcher {
  /** `name`. */
  readonly name: string;
  /** `string_match`, or `present_match` (present: true). Unset: the parameter must be present. */
  readonly match: { readonly type: 'present'; readonly present: boolean } | { readonly type: 'string'; readonly matcher: StringMatcher };
}
