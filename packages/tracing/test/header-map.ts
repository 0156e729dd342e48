import type { HeaderDeleter, HeaderGetter, HeaderSetter } from '../src/index.js';

/** A request's headers for tests: lower-case names, with the accessor functions the codecs take. */
export class HeaderMap {
  readonly values: Map<string, string>;
  readonly get: HeaderGetter = (name) => this.values.get(name);
  readonly set: HeaderSetter = (name, value) => {
    this.values.set(name, value);
  };
  readonly del: HeaderDeleter = (name) => {
    this.values.delete(name);
  };

  constructor(init: Readonly<Record<string, string>> = {}) {
    this.values = new Map(Object.entries(init));
  }

  /** The headers as a plain object, for `toEqual`. */
  toObject(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}

/** A getter over a fixed set of headers. */
export function headers(init: Readonly<Record<string, string>>): HeaderGetter {
  return new HeaderMap(init).get;
}
