import { describe, expect, it } from 'vitest';
import { FieldPath } from '../src/index.js';

describe('FieldPath', () => {
  it('renders snake_case fields, indexes with element names, and map keys', () => {
    const p = FieldPath.root.field('static_resources').field('clusters').index(2, 'backend').field('connect_timeout');
    expect(p.toString()).toBe('static_resources.clusters[2](backend).connect_timeout');
    expect(FieldPath.root.field('a').mapKey('x.y').field('b').toString()).toBe('a["x.y"].b');
    expect(FieldPath.root.field('l').index(0).toString()).toBe('l[0]');
  });

  it('is immutable and shares parents', () => {
    const base = FieldPath.root.field('a');
    const left = base.field('b');
    const right = base.field('c');
    expect(left.toString()).toBe('a.b');
    expect(right.toString()).toBe('a.c');
    expect(base.segments).toHaveLength(1);
  });

  it('concatenates and rebuilds from segments', () => {
    const tail = FieldPath.root.field('x').index(1, 'n');
    const joined = FieldPath.root.field('envoy_bootstrap').concat(tail);
    expect(joined.toString()).toBe('envoy_bootstrap.x[1](n)');
    expect(FieldPath.of(joined.segments).toString()).toBe(joined.toString());
    expect(FieldPath.root.isRoot).toBe(true);
    expect(FieldPath.root.toString()).toBe('');
  });

  it('treats an empty label as no label', () => {
    expect(FieldPath.root.field('l').index(3, '').toString()).toBe('l[3]');
  });
});
