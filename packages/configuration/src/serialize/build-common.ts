import { create } from '@bufbuild/protobuf';
import { durationFromMs, type Duration } from '@bufbuild/protobuf/wkt';
import { AddressSchema, CidrRangeSchema, type Address as AddressProto, type CidrRange as CidrRangeProto } from '@orion/data-plane-api/gen/envoy/config/core/v3/address_pb.js';
import {
  DataSourceSchema,
  HeaderValueOption_HeaderAppendAction,
  HeaderValueOptionSchema,
  HeaderValueSchema,
  LocalitySchema,
  type DataSource as DataSourceProto,
  type HeaderValue as HeaderValueProto,
  type HeaderValueOption as HeaderValueOptionProto,
  type Locality as LocalityProto,
} from '@orion/data-plane-api/gen/envoy/config/core/v3/base_pb.js';
import { RegexMatchAndSubstituteSchema, RegexMatcherSchema, type RegexMatchAndSubstitute, type RegexMatcher } from '@orion/data-plane-api/gen/envoy/type/matcher/v3/regex_pb.js';
import { StringMatcherSchema, type StringMatcher as StringMatcherProto } from '@orion/data-plane-api/gen/envoy/type/matcher/v3/string_pb.js';
import type { Address, CidrRange } from '../model/address.js';
import type { Locality } from '../model/cluster-load-assignment.js';
import type { DataSource } from '../model/data-source.js';
import type { HeaderAppendAction, HeaderMutations, HeaderValueOption } from '../model/header-mutation.js';
import type { HeaderValue } from '../model/header-value.js';
import type { RegexRewrite, StringMatcher } from '../model/string-matcher.js';

/** A duration in milliseconds as a `google.protobuf.Duration`. */
export function duration(ms: number): Duration {
  return durationFromMs(ms);
}

/** A duration, or undefined (left out) when it equals `fallback`, the value the model gives an unset field. */
export function durationUnlessDefault(ms: number, fallback: number): Duration | undefined {
  return ms === fallback ? undefined : durationFromMs(ms);
}

/** `value`, or undefined (left out) when it equals `fallback`. */
export function unlessDefault<T>(value: T, fallback: T): T | undefined {
  return value === fallback ? undefined : value;
}

/** {@link Address} → `envoy.config.core.v3.Address` (the port is always printed: it is a oneof member). */
export function buildAddress(address: Address): AddressProto {
  if (address.type === 'pipe') return create(AddressSchema, { address: { case: 'pipe', value: { path: address.path, mode: address.mode } } });
  return create(AddressSchema, {
    address: { case: 'socketAddress', value: { address: address.host, portSpecifier: { case: 'portValue', value: address.port }, ipv4Compat: address.ipv4Compat } },
  });
}

/** {@link CidrRange} → `envoy.config.core.v3.CidrRange` (`prefix_len` always printed). */
export function buildCidrRange(range: CidrRange): CidrRangeProto {
  return create(CidrRangeSchema, { addressPrefix: range.addressPrefix, prefixLen: range.prefixLen });
}

/** {@link DataSource} → `envoy.config.core.v3.DataSource`. */
export function buildDataSource(source: DataSource): DataSourceProto {
  switch (source.type) {
    case 'file':
      return create(DataSourceSchema, { specifier: { case: 'filename', value: source.path } });
    case 'inlineString':
      return create(DataSourceSchema, { specifier: { case: 'inlineString', value: source.value } });
    case 'inlineBytes':
      return create(DataSourceSchema, { specifier: { case: 'inlineBytes', value: new Uint8Array(Buffer.from(source.base64, 'base64')) } });
    case 'environmentVariable':
      return create(DataSourceSchema, { specifier: { case: 'environmentVariable', value: source.name } });
  }
}

/** {@link HeaderValue} → `envoy.config.core.v3.HeaderValue`. */
export function buildHeaderValue(header: HeaderValue): HeaderValueProto {
  return create(HeaderValueSchema, { key: header.key, value: header.value });
}

const APPEND_ACTIONS: Readonly<Record<HeaderAppendAction, HeaderValueOption_HeaderAppendAction>> = {
  appendIfExistsOrAdd: HeaderValueOption_HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD,
  addIfAbsent: HeaderValueOption_HeaderAppendAction.ADD_IF_ABSENT,
  overwriteIfExistsOrAdd: HeaderValueOption_HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD,
  overwriteIfExists: HeaderValueOption_HeaderAppendAction.OVERWRITE_IF_EXISTS,
};

/** {@link HeaderValueOption} → `envoy.config.core.v3.HeaderValueOption` (the deprecated `append` becomes `append_action`). */
export function buildHeaderValueOption(option: HeaderValueOption): HeaderValueOptionProto {
  return create(HeaderValueOptionSchema, {
    header: buildHeaderValue(option),
    appendAction: APPEND_ACTIONS[option.appendAction],
    keepEmptyValue: option.keepEmptyValue,
  });
}

/** The four header-mutation fields of a route, virtual host, route configuration or weighted cluster. */
export interface HeaderMutationInit {
  requestHeadersToAdd: HeaderValueOptionProto[];
  requestHeadersToRemove: string[];
  responseHeadersToAdd: HeaderValueOptionProto[];
  responseHeadersToRemove: string[];
}

/** {@link HeaderMutations} → the four header-mutation fields. */
export function buildHeaderMutations(mutations: HeaderMutations): HeaderMutationInit {
  return {
    requestHeadersToAdd: mutations.requestHeadersToAdd.map(buildHeaderValueOption),
    requestHeadersToRemove: [...mutations.requestHeadersToRemove],
    responseHeadersToAdd: mutations.responseHeadersToAdd.map(buildHeaderValueOption),
    responseHeadersToRemove: [...mutations.responseHeadersToRemove],
  };
}

/** An RE2 pattern → `envoy.type.matcher.v3.RegexMatcher`. */
export function buildRegex(regex: string): RegexMatcher {
  return create(RegexMatcherSchema, { regex });
}

/** {@link RegexRewrite} → `envoy.type.matcher.v3.RegexMatchAndSubstitute`. */
export function buildRegexRewrite(rewrite: RegexRewrite): RegexMatchAndSubstitute {
  return create(RegexMatchAndSubstituteSchema, { pattern: buildRegex(rewrite.pattern), substitution: rewrite.substitution });
}

/** {@link StringMatcher} → `envoy.type.matcher.v3.StringMatcher`. */
export function buildStringMatcher(matcher: StringMatcher): StringMatcherProto {
  if (matcher.type === 'safeRegex') return create(StringMatcherSchema, { matchPattern: { case: 'safeRegex', value: buildRegex(matcher.regex) } });
  return create(StringMatcherSchema, { matchPattern: { case: matcher.type, value: matcher.value }, ignoreCase: matcher.ignoreCase });
}

/** {@link Locality} → `envoy.config.core.v3.Locality`. */
export function buildLocality(locality: Locality): LocalityProto {
  return create(LocalitySchema, { region: locality.region, zone: locality.zone, subZone: locality.subZone });
}
