import type { FieldPath } from '@orion/data-plane-api';
import type { Address as AddressProto, CidrRange as CidrRangeProto } from '@orion/data-plane-api/gen/envoy/config/core/v3/address_pb.js';
import { SocketAddress_Protocol } from '@orion/data-plane-api/gen/envoy/config/core/v3/address_pb.js';
import type { DataSource as DataSourceProto, HeaderValue as HeaderValueProto, HeaderValueOption as HeaderValueOptionProto, Locality as LocalityProto } from '@orion/data-plane-api/gen/envoy/config/core/v3/base_pb.js';
import { HeaderValueOption_HeaderAppendAction } from '@orion/data-plane-api/gen/envoy/config/core/v3/base_pb.js';
import type { RegexMatchAndSubstitute, RegexMatcher } from '@orion/data-plane-api/gen/envoy/type/matcher/v3/regex_pb.js';
import type { StringMatcher as StringMatcherProto } from '@orion/data-plane-api/gen/envoy/type/matcher/v3/string_pb.js';
import type { Address, CidrRange } from '../model/address.js';
import type { Locality } from '../model/cluster-load-assignment.js';
import type { DataSource } from '../model/data-source.js';
import type { HeaderAppendAction, HeaderMutations, HeaderValueOption } from '../model/header-mutation.js';
import type { HeaderValue } from '../model/header-value.js';
import type { RegexRewrite, StringMatcher } from '../model/string-matcher.js';
import { regexProblem } from './check-regex.js';
import type { ConversionContext } from './conversion-context.js';

/** `envoy.config.core.v3.Address` → {@link Address}. */
export function convertAddress(address: AddressProto | undefined, path: FieldPath, ctx: ConversionContext): Address {
  switch (address?.address.case) {
    case 'socketAddress': {
      const s = address.address.value;
      const at = path.field('socket_address');
      if (s.protocol === SocketAddress_Protocol.UDP) ctx.error(at.field('protocol'), 'UDP is not implemented');
      const port = s.portSpecifier.case === 'portValue' ? s.portSpecifier.value : 0;
      return { type: 'socket', host: s.address, port, protocol: 'tcp', ipv4Compat: s.ipv4Compat };
    }
    case 'pipe':
      return { type: 'pipe', path: address.address.value.path, mode: address.address.value.mode };
    default:
      ctx.error(path, 'an address (socket_address or pipe) is required');
      return { type: 'socket', host: '', port: 0, protocol: 'tcp', ipv4Compat: false };
  }
}

/** `envoy.config.core.v3.CidrRange` → {@link CidrRange}. */
export function convertCidrRange(range: CidrRangeProto): CidrRange {
  return { addressPrefix: range.addressPrefix, prefixLen: range.prefixLen ?? 0 };
}

/** `envoy.config.core.v3.DataSource` → {@link DataSource}; undefined when no specifier is set. */
export function convertDataSource(source: DataSourceProto | undefined): DataSource | undefined {
  switch (source?.specifier.case) {
    case 'filename':
      return { type: 'file', path: source.specifier.value };
    case 'inlineString':
      return { type: 'inlineString', value: source.specifier.value };
    case 'inlineBytes':
      return { type: 'inlineBytes', base64: Buffer.from(source.specifier.value).toString('base64') };
    case 'environmentVariable':
      return { type: 'environmentVariable', name: source.specifier.value };
    default:
      return undefined;
  }
}

/** `envoy.config.core.v3.HeaderValue` → {@link HeaderValue}. */
export function convertHeaderValue(header: HeaderValueProto | undefined): HeaderValue {
  if (header === undefined) return { key: '', value: '' };
  const value = header.rawValue.length > 0 ? Buffer.from(header.rawValue).toString('utf8') : header.value;
  return { key: header.key.toLowerCase(), value };
}

const APPEND_ACTIONS: Readonly<Record<HeaderValueOption_HeaderAppendAction, HeaderAppendAction>> = {
  [HeaderValueOption_HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD]: 'appendIfExistsOrAdd',
  [HeaderValueOption_HeaderAppendAction.ADD_IF_ABSENT]: 'addIfAbsent',
  [HeaderValueOption_HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD]: 'overwriteIfExistsOrAdd',
  [HeaderValueOption_HeaderAppendAction.OVERWRITE_IF_EXISTS]: 'overwriteIfExists',
};

/** `envoy.config.core.v3.HeaderValueOption` → {@link HeaderValueOption}. */
export function convertHeaderValueOption(option: HeaderValueOptionProto, path: FieldPath, ctx: ConversionContext): HeaderValueOption {
  const { key, value } = convertHeaderValue(option.header);
  let appendAction = APPEND_ACTIONS[option.appendAction] ?? 'appendIfExistsOrAdd';
  if (option.append !== undefined) {
    if (option.appendAction !== HeaderValueOption_HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD) {
      ctx.error(path.field('append'), 'append and append_action cannot both be set');
    }
    appendAction = option.append ? 'appendIfExistsOrAdd' : 'overwriteIfExistsOrAdd';
  }
  return { key, value, appendAction, keepEmptyValue: option.keepEmptyValue };
}

/** The four header-mutation fields of a route, virtual host, route configuration or weighted cluster. */
export interface HeaderMutationFields {
  readonly requestHeadersToAdd: readonly HeaderValueOptionProto[];
  readonly requestHeadersToRemove: readonly string[];
  readonly responseHeadersToAdd: readonly HeaderValueOptionProto[];
  readonly responseHeadersToRemove: readonly string[];
}

/** Converts the header mutations of `source`. */
export function convertHeaderMutations(source: HeaderMutationFields, path: FieldPath, ctx: ConversionContext): HeaderMutations {
  return {
    requestHeadersToAdd: source.requestHeadersToAdd.map((o, i) => convertHeaderValueOption(o, path.field('request_headers_to_add').index(i), ctx)),
    requestHeadersToRemove: source.requestHeadersToRemove.map((h) => h.toLowerCase()),
    responseHeadersToAdd: source.responseHeadersToAdd.map((o, i) => convertHeaderValueOption(o, path.field('response_headers_to_add').index(i), ctx)),
    responseHeadersToRemove: source.responseHeadersToRemove.map((h) => h.toLowerCase()),
  };
}

/** Checks a regex and returns its source. */
export function convertRegex(regex: RegexMatcher | undefined, path: FieldPath, ctx: ConversionContext): string {
  const source = regex?.regex ?? '';
  const problem = regexProblem(source);
  if (problem !== undefined) ctx.error(path.field('regex'), problem);
  return source;
}

/** `envoy.type.matcher.v3.RegexMatchAndSubstitute` → {@link RegexRewrite}. */
export function convertRegexRewrite(rewrite: RegexMatchAndSubstitute, path: FieldPath, ctx: ConversionContext): RegexRewrite {
  return { pattern: convertRegex(rewrite.pattern, path.field('pattern'), ctx), substitution: rewrite.substitution };
}

/** `envoy.type.matcher.v3.StringMatcher` → {@link StringMatcher}. */
export function convertStringMatcher(matcher: StringMatcherProto | undefined, path: FieldPath, ctx: ConversionContext): StringMatcher {
  const ignoreCase = matcher?.ignoreCase ?? false;
  const pattern = matcher?.matchPattern;
  switch (pattern?.case) {
    case 'exact':
    case 'prefix':
    case 'suffix':
    case 'contains':
      return { type: pattern.case, value: pattern.value, ignoreCase };
    case 'safeRegex':
      return { type: 'safeRegex', regex: convertRegex(pattern.value, path.field('safe_regex'), ctx) };
    default:
      // An empty matcher matches only the empty string, as in Envoy.
      return { type: 'exact', value: '', ignoreCase };
  }
}

/** `envoy.config.core.v3.Locality` → {@link Locality}. */
export function convertLocality(locality: LocalityProto): Locality {
  return { region: locality.region, zone: locality.zone, subZone: locality.subZone };
}
