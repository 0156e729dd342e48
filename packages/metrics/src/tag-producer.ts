import { OrionError } from '@orion/error';
import { createDefaultExtractor, DEFAULT_TAG_DESCRIPTORS } from './default-tag-extractors.js';
import { ORION_ERR_METRICS_INVALID_TAG_SPECIFIER } from './error-codes.js';
import {
  FixedTagExtractor,
  RegexTagExtractor,
  TagExtractionContext,
  removeCharacters,
  type Removals,
  type Tag,
  type TagExtractor,
} from './tag-extractor.js';

/**
 * A custom tag (Envoy `envoy.config.metrics.v3.TagSpecifier`): either a regex whose first capture group is cut from
 * the name and whose second (or first) is the value — an empty regex selects Envoy's default extractors of that
 * name — or a fixed value added to every stat.
 */
export type TagSpecifier =
  | { readonly tagName: string; readonly regex?: string }
  | { readonly tagName: string; readonly fixedValue: string };

/** Options of {@link createTagProducer}; the fields of Envoy's `StatsConfig`. */
export interface TagProducerOptions {
  /** `use_all_default_tags`. Default true. */
  readonly useAllDefaultTags?: boolean;
  /** `stats_tags`, applied after the defaults. Default none. */
  readonly statsTags?: readonly TagSpecifier[];
}

/** A stat name split into its tag-extracted name and tags: `cluster.backend.upstream_rq_200` → `cluster.upstream_rq`. */
export interface TaggedStatName {
  readonly tagExtractedName: string;
  readonly tags: readonly Tag[];
}

/** Turns stat names into tag-extracted names and tags (Envoy `Stats::TagProducer`). */
export interface TagProducer {
  /** The tags of `name` in extraction order and the name without them. Results are cached per name. */
  produceTags(name: string): TaggedStatName;
}

// Names come from configuration and number in the thousands; the cap only keeps a pathological caller bounded.
const CACHE_LIMIT = 100_000;

/**
 * A tag producer with Envoy's default tag extractors and any `stats_tags`. Throws
 * `ORION_ERR_METRICS_INVALID_TAG_SPECIFIER` for an empty tag name, a regex JavaScript cannot compile, or an empty
 * regex naming no default extractor. Custom regexes use ECMAScript semantics, as Envoy's `std::regex` does.
 */
export function createTagProducer(options: TagProducerOptions = {}): TagProducer {
  const extractors: TagExtractor[] = [];
  if (options.useAllDefaultTags ?? true) {
    for (const descriptor of DEFAULT_TAG_DESCRIPTORS) extractors.push(createDefaultExtractor(descriptor));
  }
  for (const specifier of options.statsTags ?? []) {
    const name = specifier.tagName;
    if (typeof name !== 'string' || name === '') throw invalid('tag_name cannot be empty', specifier);
    if ('fixedValue' in specifier) {
      extractors.push(new FixedTagExtractor(name, specifier.fixedValue));
    } else if (specifier.regex === undefined || specifier.regex === '') {
      const defaults = DEFAULT_TAG_DESCRIPTORS.filter((d) => d.name === name);
      if (defaults.length === 0) throw invalid(`No regex specified for tag specifier and no default regex for name: '${name}'`, specifier);
      for (const descriptor of defaults) extractors.push(createDefaultExtractor(descriptor));
    } else {
      try {
        extractors.push(new RegexTagExtractor(name, specifier.regex));
      } catch (err) {
        throw invalid(`Invalid regex '${specifier.regex}': ${err instanceof Error ? err.message : String(err)}`, specifier, err);
      }
    }
  }
  return new Producer(extractors);
}

function invalid(message: string, specifier: TagSpecifier, cause?: unknown): OrionError {
  return new OrionError(ORION_ERR_METRICS_INVALID_TAG_SPECIFIER, message, {
    ...(cause === undefined ? {} : { cause }),
    details: { tagName: specifier.tagName },
  });
}

class Producer implements TagProducer {
  readonly #withoutPrefix: TagExtractor[] = [];
  readonly #byPrefix = new Map<string, TagExtractor[]>();
  readonly #cache = new Map<string, TaggedStatName>();

  constructor(extractors: readonly TagExtractor[]) {
    const seen = new Map<string, TagExtractor>();
    for (const extractor of extractors) {
      const other = seen.get(extractor.name);
      if (other === undefined) seen.set(extractor.name, extractor);
      else {
        other.otherExtractorWithSameNameExists = true;
        extractor.otherExtractorWithSameNameExists = true;
      }
      if (extractor.prefixToken === '') this.#withoutPrefix.push(extractor);
      else {
        let list = this.#byPrefix.get(extractor.prefixToken);
        if (list === undefined) {
          list = [];
          this.#byPrefix.set(extractor.prefixToken, list);
        }
        list.push(extractor);
      }
    }
  }

  produceTags(name: string): TaggedStatName {
    const cached = this.#cache.get(name);
    if (cached !== undefined) return cached;
    const context = new TagExtractionContext(name);
    const tags: Tag[] = [];
    const removals: Removals = [];
    const found = new Set<string>();
    const apply = (extractor: TagExtractor): void => {
      // Only one tag per name when several extractors produce it (the HTTP connection manager prefix has two).
      if (extractor.otherExtractorWithSameNameExists && found.has(extractor.name)) return;
      if (extractor.extractTag(context, tags, removals) && extractor.otherExtractorWithSameNameExists) found.add(extractor.name);
    };
    for (const extractor of this.#withoutPrefix) apply(extractor);
    const dot = name.indexOf('.');
    if (dot >= 0) {
      for (const extractor of this.#byPrefix.get(name.slice(0, dot)) ?? []) apply(extractor);
    }
    const result: TaggedStatName = Object.freeze({ tagExtractedName: removeCharacters(name, removals), tags: Object.freeze(tags) });
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(name, result);
    return result;
  }
}

let defaultProducer: TagProducer | undefined;

/** The producer with Envoy's default tags and no `stats_tags`, created on first use and shared. */
export function defaultTagProducer(): TagProducer {
  defaultProducer ??= createTagProducer();
  return defaultProducer;
}
