/** One step of a {@link FieldPath}. */
export type PathSegment =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number; readonly label?: string }
  | { readonly kind: 'mapKey'; readonly key: string };

/**
 * A location inside a configuration document, rendered in the one path style Orion uses everywhere:
 * snake_case field names, `[i]` indexes followed by the element's name when it has one, and `["k"]` map keys —
 * e.g. `static_resources.clusters[2](backend).connect_timeout`.
 *
 * Immutable: every step returns a new path sharing its parent.
 */
export class FieldPath {
  /** The document root (renders as the empty string). */
  static readonly root: FieldPath = new FieldPath(undefined, undefined);

  readonly #parent: FieldPath | undefined;
  readonly #segment: PathSegment | undefined;
  #segments: readonly PathSegment[] | undefined;

  private constructor(parent: FieldPath | undefined, segment: PathSegment | undefined) {
    this.#parent = parent;
    this.#segment = segment;
  }

  /** Builds a path from segments. */
  static of(segments: Iterable<PathSegment>): FieldPath {
    let path = FieldPath.root;
    for (const s of segments) path = new FieldPath(path, s);
    return path;
  }

  /** The path to a field (give the proto's snake_case name). */
  field(name: string): FieldPath {
    return new FieldPath(this, { kind: 'field', name });
  }

  /** The path to a list element; `label` is the element's `name` when it has one. */
  index(index: number, label?: string): FieldPath {
    return new FieldPath(this, label === undefined || label === '' ? { kind: 'index', index } : { kind: 'index', index, label });
  }

  /** The path to a map entry. */
  mapKey(key: string): FieldPath {
    return new FieldPath(this, { kind: 'mapKey', key });
  }

  /** Appends every segment of `other` to this path. */
  concat(other: FieldPath): FieldPath {
    return other.segments.reduce<FieldPath>((path, s) => new FieldPath(path, s), this);
  }

  /** The segments from the root. */
  get segments(): readonly PathSegment[] {
    if (this.#segments === undefined) {
      const parent = this.#parent;
      this.#segments = parent === undefined || this.#segment === undefined ? [] : [...parent.segments, this.#segment];
    }
    return this.#segments;
  }

  /** True for the root path. */
  get isRoot(): boolean {
    return this.#segment === undefined;
  }

  /** `static_resources.clusters[2](backend).connect_timeout`. */
  toString(): string {
    let out = '';
    for (const s of this.segments) {
      switch (s.kind) {
        case 'field':
          out += out === '' ? s.name : `.${s.name}`;
          break;
        case 'index':
          out += s.label === undefined ? `[${s.index}]` : `[${s.index}](${s.label})`;
          break;
        case 'mapKey':
          out += `[${JSON.stringify(s.key)}]`;
          break;
      }
    }
    return out;
  }
}
