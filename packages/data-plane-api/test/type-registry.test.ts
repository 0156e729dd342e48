import { describe, expect, it } from 'vitest';
import { fileLoaders } from '../src/gen/manifest.js';
import { LazyTypeRegistry, typeNameFromUrl } from '../src/index.js';

describe('LazyTypeRegistry', () => {
  it('loads only the files of the types asked for', async () => {
    const registry = new LazyTypeRegistry();
    expect(registry.loadedFileCount).toBe(0);
    expect(registry.getMessage('type.googleapis.com/envoy.extensions.filters.http.router.v3.Router')).toBeUndefined();
    await registry.load(['type.googleapis.com/envoy.extensions.filters.http.router.v3.Router']);
    expect(registry.loadedFileCount).toBe(1);
    expect(fileLoaders.length).toBeGreaterThan(300);
    expect(registry.getMessage('type.googleapis.com/envoy.extensions.filters.http.router.v3.Router')?.typeName).toBe(
      'envoy.extensions.filters.http.router.v3.Router',
    );
  });

  it('shares one load between concurrent callers and skips unknown names', async () => {
    const registry = new LazyTypeRegistry();
    const name = 'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy';
    await Promise.all([registry.load([name]), registry.load([name]), registry.load(['sample.SampleFilter'])]);
    expect(registry.loadedFileCount).toBe(1);
    expect(registry.knows(name)).toBe(true);
    expect(registry.knows('sample.SampleFilter')).toBe(false);
  });

  it('always knows the well-known types', () => {
    const registry = new LazyTypeRegistry();
    expect(registry.getMessage('type.googleapis.com/google.protobuf.Struct')?.typeName).toBe('google.protobuf.Struct');
  });

  it('strips type URL prefixes', () => {
    expect(typeNameFromUrl('type.googleapis.com/a.b.C')).toBe('a.b.C');
    expect(typeNameFromUrl('a.b.C')).toBe('a.b.C');
  });
});
