import { OrionError } from '@orion/error';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { DataPlaneApiErrorCode } from './error-codes.js';
import type { FieldPath } from './field-path.js';

/** A 1-based line and column in a source text. */
export interface SourceLocation {
  readonly line: number;
  readonly column: number;
}

/** The document formats Orion reads. */
export type SourceFormat = 'yaml' | 'json';

/** Options for {@link parseSource}. */
export interface ParseSourceOptions {
  /** Default: `json` when `path` ends in `.json`, else `yaml` (JSON is valid YAML, so `yaml` reads both). */
  readonly format?: SourceFormat;
  /** The file name, used in messages. */
  readonly path?: string;
}

/** A parsed configuration text that remembers where each value came from. */
export interface SourceDocument {
  /** The file name given to {@link parseSource}, if any. */
  readonly path: string | undefined;
  readonly format: SourceFormat;
  /** The document as plain data (objects, arrays, strings, numbers, booleans, null). */
  readonly value: unknown;
  /**
   * Where `path` is in the text: the key's position for a field, the element's for an index.
   * Field names are tried as given (snake_case) and in lowerCamelCase, as the proto JSON mapping accepts both.
   * Returns the nearest located ancestor when the exact node is absent (e.g. a missing required field).
   */
  locate(path: FieldPath): SourceLocation | undefined;
}

const JSON_LIKE_KEY = /^(\s*(?:-\s+)?"[^"\n]*":)(?=[^\s])/gm;

/** `connect_timeout` → `connectTimeout`. */
export function toCamelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Parses YAML or JSON text, keeping source positions.
 * @throws OrionError `ORION_ERR_DPAPI_SYNTAX` with `details.location` on a syntax error.
 */
export function parseSource(text: string, options: ParseSourceOptions = {}): SourceDocument {
  const format: SourceFormat = options.format ?? (options.path?.endsWith('.json') === true ? 'json' : 'yaml');
  let lineCounter = new LineCounter();
  let doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true, strict: true });
  if (doc.errors.length > 0 && JSON_LIKE_KEY.test(text)) {
    // yaml-cpp and libyaml accept a quoted key followed directly by its value (`"@type":"type.googleapis…"`),
    // which YAML 1.2 allows only in flow collections. Real Envoy configs use it, so retry with a space added;
    // only columns after such a key move.
    const relaxedCounter = new LineCounter();
    const relaxed = parseDocument(text.replace(JSON_LIKE_KEY, '$1 '), { lineCounter: relaxedCounter, prettyErrors: false, uniqueKeys: true, merge: true, strict: true });
    if (relaxed.errors.length === 0) {
      doc = relaxed;
      lineCounter = relaxedCounter;
    }
  }
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = lineCounter.linePos(first.pos[0]);
    const where = `${options.path === undefined ? '' : `${options.path}:`}${pos.line}:${pos.col}`;
    throw new OrionError(DataPlaneApiErrorCode.SYNTAX, `${where}: invalid ${format.toUpperCase()}: ${first.message.split('\n')[0]}`, {
      details: { location: { line: pos.line, column: pos.col }, file: options.path },
    });
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  const contents = doc.contents;

  const locate = (path: FieldPath): SourceLocation | undefined => {
    let node: unknown = contents;
    let found: number | undefined = contents?.range?.[0];
    for (const segment of path.segments) {
      if (segment.kind === 'index') {
        if (!isSeq(node)) break;
        node = node.items[segment.index];
        const start = (node as YamlNode | undefined)?.range?.[0];
        if (start === undefined) break;
        found = start;
        continue;
      }
      if (!isMap(node)) break;
      const wanted = segment.kind === 'field' ? [segment.name, toCamelCase(segment.name)] : [segment.key];
      const pair = node.items.find((p) => isScalar(p.key) && wanted.includes(String(p.key.value)));
      if (pair === undefined) break;
      const keyStart = (pair.key as YamlNode).range?.[0];
      if (keyStart !== undefined) found = keyStart;
      node = pair.value;
    }
    if (found === undefined) return undefined;
    const pos = lineCounter.linePos(found);
    return { line: pos.line, column: pos.col };
  };

  return { path: options.path, format, value, locate };
}
