/** A header name and value. Envoy: `envoy.config.core.v3.HeaderValue` (`raw_value` decoded as UTF-8). */
export interface HeaderValue {
  /** `key`, lower-cased. */
  readonly key: string;
  /** `value`. */
  readonly value: string;
}
