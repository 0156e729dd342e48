import { createRegistry, type DescMessage, type Registry } from '@bufbuild/protobuf';
import type { GenFile } from '@bufbuild/protobuf/codegenv2';
import {
  file_google_protobuf_any,
  file_google_protobuf_duration,
  file_google_protobuf_empty,
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
  file_google_protobuf_wrappers,
} from '@bufbuild/protobuf/wkt';
import { fileLoaders, messageFiles } from './gen/manifest.js';

/** The name part of a type URL: `type.googleapis.com/envoy.config.cluster.v3.Cluster` → `envoy.config.cluster.v3.Cluster`. */
export function typeNameFromUrl(typeUrl: string): string {
  const slash = typeUrl.lastIndexOf('/');
  return slash < 0 ? typeUrl : typeUrl.slice(slash + 1);
}

/**
 * A registry of Envoy message types for `Any` / `typed_config` that loads generated files on demand:
 * a process pays only for the files of the types it decodes. Well-known types are always present.
 */
export class LazyTypeRegistry {
  readonly #loaded = new Set<number>();
  readonly #pending = new Map<number, Promise<GenFile>>();
  #files: GenFile[] = [
    file_google_protobuf_any,
    file_google_protobuf_duration,
    file_google_protobuf_empty,
    file_google_protobuf_struct,
    file_google_protobuf_timestamp,
    file_google_protobuf_wrappers,
  ];
  #registry: Registry | undefined;

  /** True when `typeName` (or a type URL) is one Orion can decode once loaded. */
  knows(typeNameOrUrl: string): boolean {
    const name = typeNameFromUrl(typeNameOrUrl);
    return messageFiles[name] !== undefined || this.registry.getMessage(name) !== undefined;
  }

  /** Loads the files declaring these types (names or type URLs); unknown names are skipped. */
  async load(typeNamesOrUrls: Iterable<string>): Promise<void> {
    const waits: Promise<GenFile>[] = [];
    for (const t of typeNamesOrUrls) {
      const index = messageFiles[typeNameFromUrl(t)];
      if (index === undefined || this.#loaded.has(index)) continue;
      let pending = this.#pending.get(index);
      if (pending === undefined) {
        const loader = fileLoaders[index];
        if (loader === undefined) continue;
        pending = loader().then((file) => {
          if (!this.#loaded.has(index)) {
            this.#loaded.add(index);
            this.#files.push(file);
            this.#registry = undefined;
          }
          this.#pending.delete(index);
          return file;
        });
        this.#pending.set(index, pending);
      }
      waits.push(pending);
    }
    await Promise.all(waits);
  }

  /** The message descriptor for a loaded type (name or URL), or undefined. */
  getMessage(typeNameOrUrl: string): DescMessage | undefined {
    return this.registry.getMessage(typeNameFromUrl(typeNameOrUrl));
  }

  /** How many generated files are loaded (for tests of laziness). */
  get loadedFileCount(): number {
    return this.#loaded.size;
  }

  /** A protobuf-es registry of everything loaded so far. */
  get registry(): Registry {
    this.#registry ??= createRegistry(...this.#files);
    return this.#registry;
  }
}

/** The process-wide lazy registry used by the loaders of this package. */
export const typeRegistry: LazyTypeRegistry = new LazyTypeRegistry();
