import { OrionError } from '@orion/error';
import type { RegexRewrite } from '@orion/configuration';
import { Re2Regex } from './re2-regex.js';
import { RouterErrorCode } from './router-error-codes.js';

/** One piece of a parsed substitution: literal text, or the text of a capture group (0 = the whole match). */
type SubstitutionPart = string | number;

/**
 * A regular expression and its substitution, compiled once. Envoy: `envoy.type.matcher.v3.RegexMatchAndSubstitute`
 * (`regex_rewrite`, `host_rewrite_path_regex`), applied like RE2's `GlobalReplace`: every non-overlapping match is
 * replaced, `\0`–`\9` insert capture groups and `\\` a backslash.
 */
export class RegexRewriter {
  /** The pattern. */
  readonly regex: Re2Regex;
  readonly #parts: readonly SubstitutionPart[];

  private constructor(regex: Re2Regex, parts: readonly SubstitutionPart[]) {
    this.regex = regex;
    this.#parts = parts;
  }

  /**
   * Compiles a rewrite; throws `ORION_ERR_LIB_ROUTE_CONFIG` naming `where` for an invalid pattern, a backslash that
   * is not followed by a digit or a backslash, or a group the pattern does not have (RE2 would silently not rewrite).
   */
  static compile(rewrite: RegexRewrite, where: string): RegexRewriter {
    const regex = Re2Regex.compile(rewrite.pattern, `${where}.pattern`);
    return new RegexRewriter(regex, parseSubstitution(rewrite.substitution, regex.groupCount, `${where}.substitution`));
  }

  /** `input` with every match of the pattern replaced; `input` itself when nothing matched. */
  replaceAll(input: string): string {
    const m = this.regex.matcher(input);
    const n = input.length;
    let out = '';
    let p = 0;
    let lastEnd = -1;
    let count = 0;
    while (p <= n && m.find(p)) {
      const start = m.start();
      const end = m.end();
      if (p < start) out += input.slice(p, start);
      if (start === end && start === lastEnd) {
        // RE2 refuses an empty match right where the previous match ended: copy one character and move on.
        const step = p < n - 1 && isHighSurrogate(input.charCodeAt(p)) ? 2 : 1;
        if (p < n) out += input.slice(p, p + step);
        p += step;
        continue;
      }
      for (const part of this.#parts) out += typeof part === 'string' ? part : (m.group(part) ?? '');
      p = end;
      lastEnd = end;
      count++;
    }
    if (count === 0) return input;
    if (p < n) out += input.slice(p);
    return out;
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function parseSubstitution(substitution: string, groups: number, where: string): SubstitutionPart[] {
  const parts: SubstitutionPart[] = [];
  let literal = '';
  for (let i = 0; i < substitution.length; i++) {
    const c = substitution[i] as string;
    if (c !== '\\') {
      literal += c;
      continue;
    }
    const next = substitution.charCodeAt(i + 1);
    if (next === 0x5c) {
      literal += '\\';
      i++;
    } else if (next >= 48 && next <= 57) {
      const group = next - 48;
      if (group > groups) {
        throw new OrionError(RouterErrorCode.ROUTE_CONFIG, `${where}: \\${group} refers to a group the pattern does not have (it has ${groups})`, {
          details: { where, substitution },
        });
      }
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push(group);
      i++;
    } else {
      throw new OrionError(RouterErrorCode.ROUTE_CONFIG, `${where}: a backslash must be followed by a digit or a backslash in ${JSON.stringify(substitution)}`, {
        details: { where, substitution },
      });
    }
  }
  if (literal !== '' || parts.length === 0) parts.push(literal);
  return parts;
}
