import { describe, expect, it } from 'vitest';
import type { HeaderMatcher } from '@orion/configuration';
import { compileHeaderMatcher } from '../../../src/http/router/header-matcher.js';
import { headerMatcher, request } from './route-fixtures.js';

const exact = (value: string, ignoreCase = false): HeaderMatcher['match'] => ({ type: 'string', matcher: { type: 'exact', value, ignoreCase } });
const regex = (r: string): HeaderMatcher['match'] => ({ type: 'string', matcher: { type: 'safeRegex', regex: r } });
const range = (start: number, end: number): HeaderMatcher['match'] => ({ type: 'range', start, end });
const present = (p: boolean): HeaderMatcher['match'] => ({ type: 'present', present: p });

type Row = readonly [name: string, matcher: HeaderMatcher, headers: Record<string, string>, expected: boolean];

describe('compileHeaderMatcher', () => {
  // Envoy: route_components.proto HeaderMatcher (invert_match, treat_missing_header_as_empty examples) and
  // HeaderUtility::matchHeaders; config_impl_test.cc HeaderMatchedRouting / header_utility_test.cc.
  const rows: Row[] = [
    ['exact match', headerMatcher('x', exact('a')), { x: 'a' }, true],
    ['exact mismatch', headerMatcher('x', exact('a')), { x: 'b' }, false],
    ['exact with ignore_case', headerMatcher('x', exact('AbC', true)), { x: 'aBc' }, true],
    ['prefix', headerMatcher('x', { type: 'string', matcher: { type: 'prefix', value: 'ab', ignoreCase: false } }), { x: 'abc' }, true],
    ['suffix', headerMatcher('x', { type: 'string', matcher: { type: 'suffix', value: 'bc', ignoreCase: false } }), { x: 'abc' }, true],
    ['contains (proto: "abcd" matches "xyzabcdpqr")', headerMatcher('x', { type: 'string', matcher: { type: 'contains', value: 'abcd', ignoreCase: false } }), { x: 'xyzabcdpqr' }, true],
    ['contains with ignore_case', headerMatcher('x', { type: 'string', matcher: { type: 'contains', value: 'BCD', ignoreCase: true } }), { x: 'xyzabcdpqr' }, true],
    ['safe_regex full match (HeaderMatchedRouting ^user=test-\\d+$)', headerMatcher('x', regex('^user=test-\\d+$')), { x: 'user=test-1234' }, true],
    ['safe_regex is a full match: \\d{3} does not match 1234', headerMatcher('x', regex('\\d{3}')), { x: '1234' }, false],
    ['invert_match: \\d{3} inverted matches 1234 (proto example)', headerMatcher('x', regex('\\d{3}'), { invert: true }), { x: '1234' }, true],
    ['range [-10,0) matches -1 (proto example)', headerMatcher('x', range(-10, 0)), { x: '-1' }, true],
    ['range inverted does not match -1 (proto example)', headerMatcher('x', range(-10, 0), { invert: true }), { x: '-1' }, false],
    ['range end is exclusive', headerMatcher('x', range(1, 10)), { x: '10' }, false],
    ['range start is inclusive', headerMatcher('x', range(1, 10)), { x: '1' }, true],
    ['range needs an integer', headerMatcher('x', range(1, 10)), { x: '5.5' }, false],
    ['range accepts a + sign (SimpleAtoi)', headerMatcher('x', range(1, 10)), { x: '+5' }, true],
    ['range refuses a value beyond int64', headerMatcher('x', range(-10, 10)), { x: '99999999999999999999' }, false],
    ['present_match true, present', headerMatcher('x', present(true)), { x: '' }, true],
    ['present_match true, absent', headerMatcher('x', present(true)), {}, false],
    ['present_match false, absent', headerMatcher('x', present(false)), {}, true],
    ['present_match false, present', headerMatcher('x', present(false)), { x: 'v' }, false],
    ['present_match true inverted, absent', headerMatcher('x', present(true), { invert: true }), {}, true],
    ['absent header never matches a value matcher', headerMatcher('x', exact('a')), {}, false],
    ['absent header does not match even inverted (HeaderUtility::matchHeaders)', headerMatcher('x', exact('a'), { invert: true }), {}, false],
    ['treat_missing: range [0,10) inverted matches absent "header1" (proto example)', headerMatcher('header1', range(0, 10), { invert: true, treatMissingHeaderAsEmpty: true }), {}, true],
    ['no treat_missing: range inverted on absent "header2" does not match (proto example)', headerMatcher('header2', range(0, 10), { invert: true }), {}, false],
    ['treat_missing: ^$ matches absent "header3" (proto example)', headerMatcher('header3', regex('^$'), { treatMissingHeaderAsEmpty: true }), {}, true],
    ['no treat_missing: ^$ does not match absent "header4" (proto example)', headerMatcher('header4', regex('^$')), {}, false],
    ['repeated values are matched joined with ","', headerMatcher('x', exact('a,b')), { x: 'a,b' }, true],
    ['pseudo-header :authority reads the request authority', headerMatcher(':authority', exact('example.com')), {}, true],
    ['pseudo-header :path reads the target with its query', headerMatcher(':path', exact('/p?q=1')), {}, true],
    ['pseudo-header :scheme', headerMatcher(':scheme', exact('http')), {}, true],
  ];
  it.each(rows)('%s', (_name, matcher, headers, expected) => {
    const test = compileHeaderMatcher(matcher, 'headers[0]');
    expect(test(request({ headers, path: '/p?q=1' }))).toBe(expected);
  });
});
