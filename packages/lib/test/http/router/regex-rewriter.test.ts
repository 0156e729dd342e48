import { describe, expect, it } from 'vitest';
import { OrionError } from '@orion/error';
import { RegexRewriter, RouterErrorCode } from '../../../src/http/router/index.js';

describe('RegexRewriter.replaceAll', () => {
  // Envoy: regex.proto RegexMatchAndSubstitute examples, RE2 GlobalReplace semantics (non-overlapping matches,
  // \0–\9 groups, \\ a backslash, no empty match right after a match).
  it.each([
    ['^/service/([^/]+)(/.*)$', '\\2/instance/\\1', '/service/foo/v1/api', '/v1/api/instance/foo'],
    ['one', 'two', '/xxx/one/yyy/one/zzz', '/xxx/two/yyy/two/zzz'],
    ['^(.*?)one(.*)$', '\\1two\\2', '/xxx/one/yyy/one/zzz', '/xxx/two/yyy/one/zzz'],
    ['(?i)/xxx/', '/yyy/', '/aaa/XxX/bbb', '/aaa/yyy/bbb'],
    ['\\d+', '<\\0>', 'a1b22c', 'a<1>b<22>c'],
    ['b', '\\\\', 'abc', 'a\\c'],
    ['a*', '-', 'baaac', '-b-c-'],
    ['(x)?y', '[\\1]', 'y', '[]'],
    ['^', '/prefix', '/path', '/prefix/path'],
    ['nomatch', 'z', '/path', '/path'],
    ['.', '.', '😀x', '..'],
  ])('%s with %s turns %s into %s', (pattern, substitution, input, output) => {
    expect(RegexRewriter.compile({ pattern, substitution }, 'regex_rewrite').replaceAll(input)).toBe(output);
  });

  it.each([
    ['a group the pattern lacks', '(a)', '\\2'],
    ['a backslash before a letter', 'a', '\\n'],
    ['a trailing backslash', 'a', 'x\\'],
    ['an invalid pattern', '(a', 'x'],
  ])('refuses %s at compile time', (_name, pattern, substitution) => {
    let caught: unknown;
    try {
      RegexRewriter.compile({ pattern, substitution }, 'regex_rewrite');
    } catch (err) {
      caught = err;
    }
    expect(OrionError.is(caught, RouterErrorCode.ROUTE_CONFIG)).toBe(true);
  });
});
