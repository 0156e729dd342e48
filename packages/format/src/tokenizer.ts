import { ParseFailure } from './parse-error.js';

/** One `%COMMAND(PARAM):LENGTH%` of a format string, with 1-based columns for error messages. */
export interface CommandToken {
  readonly name: string;
  /** The text between the parentheses; empty when there are none (Envoy treats `()` as no parameter). */
  readonly param: string;
  readonly hasParens: boolean;
  readonly maxLength: number | undefined;
  /** Column of the opening `%`. */
  readonly column: number;
  /** Column of the first character of the name. */
  readonly nameColumn: number;
  /** Column of the first parameter character (of `)` when empty); 0 without parentheses. */
  readonly paramColumn: number;
  /** Column of `:` before the length; 0 without a length. */
  readonly lengthColumn: number;
}

/** A literal string or a command. */
export type FormatToken = string | CommandToken;

function isNameChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95; // A-Z 0-9 _
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/**
 * Splits an Envoy substitution format into literals and commands. Mirrors Envoy's
 * `^%((?:[A-Z]|[0-9]|_)+)(?:\((.*?)\))?(?::([0-9]+))?%` (the parameter ends at the first `)` that is followed by
 * `%` or `:N%`, and cannot contain a newline) and reports where and why a command does not match.
 */
export function tokenizeFormat(format: string): FormatToken[] {
  const tokens: FormatToken[] = [];
  let literal = '';
  const n = format.length;
  let i = 0;
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      literal += format.slice(i);
      break;
    }
    if (pct > i) literal += format.slice(i, pct);
    i = pct;
    if (format.charCodeAt(i + 1) === 37) {
      literal += '%';
      i += 2;
      continue;
    }
    const column = i + 1;
    let j = i + 1;
    while (j < n && isNameChar(format.charCodeAt(j))) j++;
    const name = format.slice(i + 1, j);
    if (j < n && isLower(format.charCodeAt(j))) {
      let k = j;
      while (k < n && (isNameChar(format.charCodeAt(k)) || isLower(format.charCodeAt(k)))) k++;
      const word = format.slice(i + 1, k);
      throw new ParseFailure(`operator names are upper case: '${word}' (did you mean '${word.toUpperCase()}'?)`, i + 2);
    }
    if (name === '') {
      if (i + 1 >= n) throw new ParseFailure("unterminated '%' (write '%%' for a literal percent sign)", column);
      throw new ParseFailure(
        `expected an operator name after '%', found '${format[i + 1] === '\n' ? '\\n' : format[i + 1]}' (write '%%' for a literal percent sign)`,
        column + 1,
      );
    }
    let param = '';
    let hasParens = false;
    let paramColumn = 0;
    if (format.charCodeAt(j) === 40) {
      // '(' : find the first ')' followed by '%' or ':<digits>%', as the lazy regex does.
      hasParens = true;
      paramColumn = j + 2;
      let close = -1;
      let firstClose = -1;
      for (let k = j + 1; k < n; k++) {
        const c = format.charCodeAt(k);
        if (c === 10) {
          if (firstClose < 0) throw new ParseFailure(`parameters of ${name} must not contain a newline`, k + 1);
          break;
        }
        if (c !== 41) continue;
        if (firstClose < 0) firstClose = k;
        const after = format.charCodeAt(k + 1);
        if (after === 37) {
          close = k;
          break;
        }
        if (after === 58) {
          let d = k + 2;
          while (d < n && isDigit(format.charCodeAt(d))) d++;
          if (d > k + 2 && format.charCodeAt(d) === 37) {
            close = k;
            break;
          }
        }
      }
      if (close < 0) {
        if (firstClose < 0) throw new ParseFailure(`missing ')' after the parameters of ${name}`, j + 1);
        // Diagnose what follows the first ')'.
        diagnoseAfterCommand(format, firstClose + 1, name, column, 'params');
      }
      param = format.slice(j + 1, close);
      j = close + 1;
    }
    let maxLength: number | undefined;
    let lengthColumn = 0;
    if (format.charCodeAt(j) === 58) {
      lengthColumn = j + 1;
      let d = j + 1;
      while (d < n && isDigit(format.charCodeAt(d))) d++;
      if (d === j + 1) {
        const found = j + 1 < n ? `'${format[j + 1]}'` : 'the end of the format';
        throw new ParseFailure(`expected a length (digits) after ':' in ${name}, found ${found}`, j + 2);
      }
      maxLength = Number(format.slice(j + 1, d));
      j = d;
    }
    if (format.charCodeAt(j) !== 37) diagnoseAfterCommand(format, j, name, column, lengthColumn > 0 ? 'length' : hasParens ? 'params' : 'name');
    tokens.push(literal);
    literal = '';
    tokens.push({ name, param, hasParens, maxLength, column, nameColumn: i + 2, paramColumn, lengthColumn });
    i = j + 1;
  }
  tokens.push(literal);
  return tokens;
}

function diagnoseAfterCommand(format: string, j: number, name: string, column: number, after: 'name' | 'params' | 'length'): never {
  if (j >= format.length) throw new ParseFailure(`missing closing '%' of ${name} (opened at column ${column})`, column);
  const c = format[j] as string;
  const shown = c === '\n' ? '\\n' : c;
  if (c === ':' && after !== 'length') {
    let d = j + 1;
    while (d < format.length && isDigit(format.charCodeAt(d))) d++;
    if (d === j + 1) {
      const found = j + 1 < format.length ? `'${format[j + 1]}'` : 'the end of the format';
      throw new ParseFailure(`expected a length (digits) after ':' in ${name}, found ${found}`, j + 2);
    }
    if (d >= format.length) throw new ParseFailure(`missing closing '%' of ${name} (opened at column ${column})`, column);
    throw new ParseFailure(`unexpected '${format[d]}' after the length of ${name}, expected '%'`, d + 1);
  }
  if (after === 'name') throw new ParseFailure(`unexpected '${shown}' after operator name ${name}, expected '%', '(' or ':'`, j + 1);
  if (after === 'params') throw new ParseFailure(`unexpected '${shown}' after the parameters of ${name}, expected '%' or ':<length>'`, j + 1);
  throw new ParseFailure(`unexpected '${shown}' after the length of ${name}, expected '%'`, j + 1);
}
