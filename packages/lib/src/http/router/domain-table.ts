/** Wildcard domains of one length, keyed by their fixed part. */
interface WildcardBucket<T> {
  readonly length: number;
  readonly entries: Map<string, T>;
  /** The same entries as a list, scanned without slicing the host while the bucket is small. */
  readonly list: [string, T][];
}

/** Up to this many wildcards of one length are compared in place; more are looked up by a sliced key. */
const SCAN_LIMIT = 8;

/**
 * Finds the value for a host by Envoy's virtual host domain rules (`RouteMatcher::findVirtualHost`): an exact
 * domain first, then the longest `*suffix` wildcard, then the longest `prefix*` wildcard, then `*`. A wildcard
 * stands for at least one character, so `*.foo.com` does not match `.foo.com`. Domains are lower-case and may carry
 * a port (`example.com:8080`), which is then part of the match.
 */
export class DomainTable<T> {
  readonly #exact = new Map<string, T>();
  readonly #suffixes: WildcardBucket<T>[] = [];
  readonly #prefixes: WildcardBucket<T>[] = [];
  #default: T | undefined;

  /** Adds a domain; returns false when it is already present (the first one is kept). */
  add(domain: string, value: T): boolean {
    if (domain === '*') {
      if (this.#default !== undefined) return false;
      this.#default = value;
      return true;
    }
    if (domain.startsWith('*')) return addWildcard(this.#suffixes, domain.slice(1), value);
    if (domain.endsWith('*')) return addWildcard(this.#prefixes, domain.slice(0, -1), value);
    if (this.#exact.has(domain)) return false;
    this.#exact.set(domain, value);
    return true;
  }

  /** True when only `*` is configured: the host need not be looked at. */
  get onlyDefault(): boolean {
    return this.#exact.size === 0 && this.#suffixes.length === 0 && this.#prefixes.length === 0;
  }

  /** The value of `*`, if configured. */
  get defaultValue(): T | undefined {
    return this.#default;
  }

  /** The value for `host` (lower-case); undefined when nothing matches and there is no `*`. */
  find(host: string): T | undefined {
    const exact = this.#exact.get(host);
    if (exact !== undefined) return exact;
    for (const bucket of this.#suffixes) {
      if (bucket.length >= host.length) continue;
      if (bucket.list.length <= SCAN_LIMIT) {
        for (const [fixed, value] of bucket.list) if (host.endsWith(fixed)) return value;
        continue;
      }
      const hit = bucket.entries.get(host.slice(host.length - bucket.length));
      if (hit !== undefined) return hit;
    }
    for (const bucket of this.#prefixes) {
      if (bucket.length >= host.length) continue;
      if (bucket.list.length <= SCAN_LIMIT) {
        for (const [fixed, value] of bucket.list) if (host.startsWith(fixed)) return value;
        continue;
      }
      const hit = bucket.entries.get(host.slice(0, bucket.length));
      if (hit !== undefined) return hit;
    }
    return this.#default;
  }
}

function addWildcard<T>(buckets: WildcardBucket<T>[], fixed: string, value: T): boolean {
  let bucket = buckets.find((b) => b.length === fixed.length);
  if (bucket === undefined) {
    bucket = { length: fixed.length, entries: new Map(), list: [] };
    buckets.push(bucket);
    // Longest first: the most specific wildcard wins.
    buckets.sort((a, b) => b.length - a.length);
  }
  if (bucket.entries.has(fixed)) return false;
  bucket.entries.set(fixed, value);
  bucket.list.push([fixed, value]);
  return true;
}
