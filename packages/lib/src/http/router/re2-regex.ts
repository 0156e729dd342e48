import { OrionError } from '@orion/error';
import { RE2JS, type Matcher } from 're2js';
import { RouterErrorCode } from './router-error-codes.js';

/**
 * A configuration-supplied regular expression compiled once with RE2 semantics (linear time, no backtracking).
 * Envoy: `envoy.type.matcher.v3.RegexMatcher` with the `google_re2` engine (`safe_regex`).
 */
export class Re2Regex {
  /** The RE2 source text. */
  readonly source: string;
  /** Literal text every full match starts with (may be empty): checked before running the engine. */
  readonly literalPrefix: string;
  readonly #pattern: RE2JS;

  private constructor(source: string, pattern: RE2JS) {
    this.source = source;
    this.literalPrefix = literalPrefix(source);
    this.#pattern = pattern;
  }

  /**
   * Compiles `source`; throws `ORION_ERR_LIB_ROUTE_CONFIG` naming `where` when RE2 rejects it (lookaround,
   * backreferences, `\C`, unbalanced groups, …).
   */
  static compile(source: string, where: string): Re2Regex {
    try {
      return new Re2Regex(source, RE2JS.compile(source));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new OrionError(RouterErrorCode.ROUTE_CONFIG, `${where}: invalid RE2 regex ${JSON.stringify(source)}: ${reason}`, {
        cause: err,
        details: { where, regex: source },
      });
    }
  }

  /** True when the whole of `input` matches (Envoy matches `safe_regex` against the entire value). */
  fullMatch(input: string): boolean {
    return input.startsWith(this.literalPrefix) && this.#pattern.matches(input);
  }

  /** The number of capturing groups. */
  get groupCount(): number {
    return this.#pattern.groupCount();
  }

  /** A matcher over `input` for the rewriter's search loop. */
  matcher(input: string): Matcher {
    return this.#pattern.matcher(input);
  }
}

const QUANTIFIERS = new Set(['*', '+', '?', '{']);

/**
 * The plain ASCII characters a pattern starts with (after a leading `^`), up to its first metacharacter, escape or
 * non-ASCII character; a character a quantifier applies to is left out. Empty for a pattern with alternation
 * anywhere, since `a|b` does not need to start with `a`.
 */
function literalPrefix(source: string): string {
  if (source.includes('|')) return '';
  // A leading `^` anchors what a full match anchors anyway: the literal text after it is still a prefix.
  const start = source.startsWith('^') ? 1 : 0;
  let end = start;
  while (end < source.length) {
    const c = source.charCodeAt(end);
    const isLiteral = c < 0x80 && !'\\.+*?()[]{}^$'.includes(source[end] as string);
    if (!isLiteral) break;
    end++;
  }
  if (end > start && end < source.length && QUANTIFIERS.has(source[end] as string)) end--;
  return source.slice(start, end);
}
