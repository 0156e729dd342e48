import { describe, expect, it } from 'vitest';
import { Re2Regex } from '../../../src/http/router/index.js';

describe('Re2Regex.fullMatch', () => {
  // Envoy: regex.proto RegexMatcher (google_re2, full match); the literal-prefix check must never refuse a match.
  it.each([
    ['ab*c', 'ac', true, 'a'],
    ['ab+c', 'abbc', true, 'a'],
    ['ab?c', 'ac', true, 'a'],
    ['ab{0,2}c', 'ac', true, 'a'],
    ['a|b', 'b', true, ''],
    ['/api/v[0-9]+/users', '/api/v2/users', true, '/api/v'],
    ['/api/v[0-9]+/users', '/web/v2/users', false, '/api/v'],
    ['^/x', '/x', true, '/x'],
    ['^/items/[0-9]+', '/items/42', true, '/items/'],
    ['^/items/[0-9]+', '/other/42', false, '/items/'],
    ['^a*b', 'b', true, ''],
    ['^(a|b)', 'b', true, ''],
    ['^$', '', true, ''],
    ['(?i)/abc', '/ABC', true, ''],
    ['\\/path', '/path', true, ''],
    ['é+x', 'éx', true, ''],
    ['/t[io]c', '/tick', false, '/t'],
  ])('%s on %s is %s (literal prefix %j)', (pattern, input, matches, prefix) => {
    const regex = Re2Regex.compile(pattern, 'safe_regex');
    expect(regex.literalPrefix).toBe(prefix);
    expect(regex.fullMatch(input)).toBe(matches);
  });
});
