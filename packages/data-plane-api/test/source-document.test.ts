import { describe, expect, it } from 'vitest';
import { OrionError } from '@orion/error';
import { FieldPath, parseSource, toCamelCase } from '../src/index.js';

const yaml = `static_resources:
  clusters:
    - name: a
      connect_timeout: 1s
    - name: b
      connectTimeout: 2s
`;

describe('parseSource', () => {
  it('locates keys and list elements by 1-based line and column', () => {
    const doc = parseSource(yaml, { path: 'x.yaml' });
    const clusters = FieldPath.root.field('static_resources').field('clusters');
    expect(doc.locate(clusters.index(0).field('connect_timeout'))).toEqual({ line: 4, column: 7 });
    expect(doc.locate(clusters.index(1))).toEqual({ line: 5, column: 7 });
    expect(doc.path).toBe('x.yaml');
    expect(doc.format).toBe('yaml');
  });

  it('finds camelCase keys through their snake_case path', () => {
    const doc = parseSource(yaml);
    expect(doc.locate(FieldPath.root.field('static_resources').field('clusters').index(1).field('connect_timeout'))).toEqual({ line: 6, column: 7 });
  });

  it('falls back to the nearest located ancestor for absent nodes', () => {
    const doc = parseSource(yaml);
    expect(doc.locate(FieldPath.root.field('static_resources').field('clusters').index(0).field('missing'))).toEqual({ line: 3, column: 7 });
  });

  it('reads JSON with positions', () => {
    const doc = parseSource('{\n  "admin": {\n    "address": 1\n  }\n}', { path: 'b.json' });
    expect(doc.format).toBe('json');
    expect(doc.locate(FieldPath.root.field('admin').field('address'))).toEqual({ line: 3, column: 5 });
  });

  it('reports syntax errors with file, line and column', () => {
    let caught: unknown;
    try {
      parseSource('a: [1, 2\nb: 3\n', { path: 'bad.yaml' });
    } catch (err) {
      caught = err;
    }
    expect(OrionError.is(caught, 'ORION_ERR_DPAPI_SYNTAX')).toBe(true);
    expect((caught as OrionError).message).toMatch(/^bad\.yaml:\d+:\d+: invalid YAML: /);
  });

  it('rejects duplicate keys', () => {
    expect(() => parseSource('a: 1\na: 2\n')).toThrow(/invalid YAML/);
  });

  it('accepts a quoted key followed directly by its value, as yaml-cpp does', () => {
    const doc = parseSource('typed_config:\n  "@type":"type.googleapis.com/x.Y"\n  k: 1\n');
    expect(doc.value).toEqual({ typed_config: { '@type': 'type.googleapis.com/x.Y', k: 1 } });
  });

  it('converts snake_case to lowerCamelCase', () => {
    expect(toCamelCase('per_connection_buffer_limit_bytes')).toBe('perConnectionBufferLimitBytes');
    expect(toCamelCase('name')).toBe('name');
  });
});
