/** One tag of a stat: `envoy.cluster_name` = `backend`. */
export interface Tag {
  readonly name: string;
  readonly value: string;
}

/** The stat name being tagged, with its `.`-separated tokens split once for every token extractor. */
export class TagExtractionContext {
  readonly name: string;
  #tokens: string[] | undefined;

  constructor(name: string) {
    this.name = name;
  }

  get tokens(): readonly string[] {
    this.#tokens ??= this.name.split('.');
    return this.#tokens;
  }
}

/** Character ranges `[start, end)` to cut out of a stat name to get its tag-extracted name. */
export type Removals = [number, number][];

/** Extracts one tag from stat names (Envoy `Stats::TagExtractor`). */
export interface TagExtractor {
  /** The tag name. */
  readonly name: string;
  /** The first token every matching name starts with, or `''` when the extractor may match any name. */
  readonly prefixToken: string;
  /** Set when another extractor produces the same tag name, so only the first match counts. */
  otherExtractorWithSameNameExists: boolean;
  /** Adds the tag and the characters to remove when `context.name` matches; returns whether it did. */
  extractTag(context: TagExtractionContext, tags: Tag[], removals: Removals): boolean;
}

/**
 * The literal first token of an anchored regex (Envoy `extractRegexPrefix`): `^cluster\.` → `cluster`, so the
 * producer only tries the extractor on names starting with `cluster.`.
 */
export function extractRegexPrefix(regex: string): string {
  if (!regex.startsWith('^')) return '';
  for (let i = 1; i < regex.length; i++) {
    const ch = regex.charCodeAt(i);
    const word = (ch >= 48 && ch <= 57) || (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || ch === 95;
    if (word) continue;
    if (i > 1) {
      const last = i === regex.length - 1;
      const rest = regex.slice(i);
      if ((!last && (rest.startsWith('\\.') || rest.startsWith('(?=\\.)'))) || (last && regex[i] === '$')) {
        return regex.slice(1, i);
      }
    }
    return '';
  }
  return '';
}

/**
 * A regex extractor: the first capture group is removed from the name, the second (or the first when there is no
 * second) is the tag value. `re2` selects Envoy's RE2 semantics (an empty first group or a value equal to
 * `negativeMatch` is no match); otherwise std::regex semantics (any participating first group).
 */
export class RegexTagExtractor implements TagExtractor {
  readonly name: string;
  readonly prefixToken: string;
  otherExtractorWithSameNameExists = false;
  readonly #regex: RegExp;
  readonly #substr: string;
  readonly #negativeMatch: string;
  readonly #re2: boolean;

  constructor(name: string, regex: string, options: { substr?: string; negativeMatch?: string; re2?: boolean } = {}) {
    this.name = name;
    this.prefixToken = extractRegexPrefix(regex);
    // `d` gives capture group offsets, which say what to cut out of the name.
    this.#regex = new RegExp(regex, 'd');
    this.#substr = options.substr ?? '';
    this.#negativeMatch = options.negativeMatch ?? '';
    this.#re2 = options.re2 ?? false;
  }

  extractTag(context: TagExtractionContext, tags: Tag[], removals: Removals): boolean {
    const name = context.name;
    if (this.#substr !== '' && !name.includes(this.#substr)) return false;
    const match = this.#regex.exec(name);
    if (match === null || match.indices === undefined) return false;
    const remove = match[1];
    const range = match.indices[1];
    if (remove === undefined || range === undefined) return false;
    let value: string;
    if (this.#re2) {
      if (remove === '') return false;
      const second = match[2];
      value = second === undefined || second === '' ? remove : second;
      if (this.#negativeMatch !== '' && value === this.#negativeMatch) return false;
    } else {
      value = match.length > 2 ? (match[2] ?? '') : remove;
    }
    tags.push({ name: this.name, value });
    removals.push([range[0], range[1]]);
    return true;
  }
}

/**
 * A token-pattern extractor (Envoy `TagExtractorTokensImpl`): the pattern is `.`-separated tokens where `$` is the
 * tag value, `*` any one token and `**` any number of tokens; other tokens must match literally.
 */
export class TokensTagExtractor implements TagExtractor {
  readonly name: string;
  readonly prefixToken: string;
  otherExtractorWithSameNameExists = false;
  readonly #tokens: readonly string[];
  readonly #matchIndex: number;

  constructor(name: string, pattern: string) {
    this.name = name;
    this.#tokens = pattern.split('.');
    const index = this.#tokens.indexOf('$');
    this.#matchIndex = index < 0 ? 0 : index;
    const first = this.#tokens[0] ?? '';
    this.prefixToken = first === '$' || first === '*' || first === '**' ? '' : first;
  }

  extractTag(context: TagExtractionContext, tags: Tag[], removals: Removals): boolean {
    const input = context.tokens;
    const found = { start: 0, index: input.length };
    if (!this.#search(input, 0, 0, 0, found)) return false;
    const value = input[found.index] as string;
    let start = found.start;
    let end = start + value.length;
    if (found.index < input.length - 1) end += 1; // the dot before the next token
    else if (start > 0) start -= 1; // the last token: the dot before it
    tags.push({ name: this.name, value });
    removals.push([start, end]);
    return true;
  }

  #search(input: readonly string[], inputIndex: number, patternIndex: number, charIndex: number, found: { start: number; index: number }): boolean {
    const tokens = this.#tokens;
    let i = inputIndex;
    let p = patternIndex;
    let c = charIndex;
    for (; i < input.length && p < tokens.length; i++, p++) {
      if (p === this.#matchIndex) {
        found.start = c;
        found.index = i;
        // Envoy does not advance the character index past the value token: nothing after it reads it.
        continue;
      }
      const expected = tokens[p] as string;
      if (expected === '**') {
        if (p === tokens.length - 1) return true;
        // `**` before more pattern: try every suffix of the input for the rest of the pattern.
        p += 1;
        for (; i < input.length; i++) {
          if (this.#search(input, i, p, c, found)) return true;
          c += (input[i] as string).length + 1;
        }
        return false;
      }
      const token = input[i] as string;
      if (expected !== '*' && expected !== token) return false;
      c += token.length + 1;
    }
    return p === tokens.length && i === input.length;
  }
}

/** A tag with a fixed value added to every stat (`stats_tags` with `fixed_value`, `--stats-tag`). */
export class FixedTagExtractor implements TagExtractor {
  readonly name: string;
  readonly prefixToken = '';
  otherExtractorWithSameNameExists = false;
  readonly #value: string;

  constructor(name: string, value: string) {
    this.name = name;
    this.#value = value;
  }

  extractTag(_context: TagExtractionContext, tags: Tag[]): boolean {
    tags.push({ name: this.name, value: this.#value });
    return true;
  }
}

/** `name` without the characters in `removals` (overlapping ranges allowed). */
export function removeCharacters(name: string, removals: Removals): string {
  if (removals.length === 0) return name;
  const sorted = [...removals].sort((a, b) => a[0] - b[0]);
  let out = '';
  let pos = 0;
  for (const [start, end] of sorted) {
    if (start > pos) out += name.slice(pos, start);
    if (end > pos) pos = end;
  }
  return out + name.slice(pos);
}
