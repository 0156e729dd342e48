import type { FieldPath } from '@orion/data-plane-api';
import type { HeaderMatcher as HeaderMatcherProto, QueryParameterMatcher as QueryParameterMatcherProto, RouteMatch as RouteMatchProto } from '@orion/data-plane-api/gen/envoy/config/route/v3/route_components_pb.js';
import type { HeaderMatch, HeaderMatcher, PathMatch, QueryParameterMatcher, RouteMatch } from '../model/route-match.js';
import { convertRegex, convertStringMatcher } from './convert-common.js';
import type { ConversionContext } from './conversion-context.js';
import { int64 } from './proto-values.js';

/** `envoy.config.route.v3.RouteMatch` → {@link RouteMatch}. */
export function convertRouteMatch(match: RouteMatchProto | undefined, path: FieldPath, ctx: ConversionContext): RouteMatch {
  return {
    path: convertPathMatch(match, path, ctx),
    caseSensitive: match?.caseSensitive ?? true,
    headers: (match?.headers ?? []).map((h, i) => convertHeaderMatcher(h, path.field('headers').index(i, h.name), ctx)),
    queryParameters: (match?.queryParameters ?? []).map((q, i) => convertQueryParameterMatcher(q, path.field('query_parameters').index(i, q.name), ctx)),
    grpc: match?.grpc !== undefined,
  };
}

function convertPathMatch(match: RouteMatchProto | undefined, path: FieldPath, ctx: ConversionContext): PathMatch {
  const spec = match?.pathSpecifier;
  switch (spec?.case) {
    case 'prefix':
      return { type: 'prefix', prefix: spec.value };
    case 'path':
      return { type: 'path', path: spec.value };
    case 'safeRegex':
      return { type: 'safeRegex', regex: convertRegex(spec.value, path.field('safe_regex'), ctx) };
    case 'pathSeparatedPrefix':
      return { type: 'pathSeparatedPrefix', prefix: spec.value };
    default:
      // Other specifiers are reported as not implemented by the support check.
      if (spec?.case === undefined) ctx.error(path, 'a path specifier (prefix, path, safe_regex or path_separated_prefix) is required');
      return { type: 'prefix', prefix: '' };
  }
}

/** `envoy.config.route.v3.HeaderMatcher` → {@link HeaderMatcher} (every kind, the deprecated ones as string matches). */
export function convertHeaderMatcher(matcher: HeaderMatcherProto, path: FieldPath, ctx: ConversionContext): HeaderMatcher {
  const spec = matcher.headerMatchSpecifier;
  let match: HeaderMatch;
  switch (spec.case) {
    case 'exactMatch':
      match = { type: 'string', matcher: { type: 'exact', value: spec.value, ignoreCase: false } };
      break;
    case 'prefixMatch':
      match = { type: 'string', matcher: { type: 'prefix', value: spec.value, ignoreCase: false } };
      break;
    case 'suffixMatch':
      match = { type: 'string', matcher: { type: 'suffix', value: spec.value, ignoreCase: false } };
      break;
    case 'containsMatch':
      match = { type: 'string', matcher: { type: 'contains', value: spec.value, ignoreCase: false } };
      break;
    case 'safeRegexMatch':
      match = { type: 'string', matcher: { type: 'safeRegex', regex: convertRegex(spec.value, path.field('safe_regex_match'), ctx) } };
      break;
    case 'stringMatch':
      match = { type: 'string', matcher: convertStringMatcher(spec.value, path.field('string_match'), ctx) };
      break;
    case 'presentMatch':
      match = { type: 'present', present: spec.value };
      break;
    case 'rangeMatch': {
      const start = int64(spec.value.start);
      const end = int64(spec.value.end);
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) ctx.error(path.field('range_match'), 'range bounds must be within ±2^53');
      if (start >= end) ctx.error(path.field('range_match'), `range start ${start} must be less than end ${end}`);
      match = { type: 'range', start, end };
      break;
    }
    default:
      match = { type: 'present', present: true };
  }
  return { name: matcher.name.toLowerCase(), match, invert: matcher.invertMatch, treatMissingHeaderAsEmpty: matcher.treatMissingHeaderAsEmpty };
}

function convertQueryParameterMatcher(matcher: QueryParameterMatcherProto, path: FieldPath, ctx: ConversionContext): QueryParameterMatcher {
  const spec = matcher.queryParameterMatchSpecifier;
  switch (spec.case) {
    case 'stringMatch':
      return { name: matcher.name, match: { type: 'string', matcher: convertStringMatcher(spec.value, path.field('string_match'), ctx) } };
    case 'presentMatch':
      return { name: matcher.name, match: { type: 'present', present: spec.value } };
    default:
      return { name: matcher.name, match: { type: 'present', present: true } };
  }
}
