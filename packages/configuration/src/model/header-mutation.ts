/**
 * What to do with a header that is added. Envoy: `envoy.config.core.v3.HeaderValueOption.HeaderAppendAction`
 * (the deprecated `append: true|false` maps to `appendIfExistsOrAdd` / `overwriteIfExistsOrAdd`).
 * Default `appendIfExistsOrAdd`.
 */
export type HeaderAppendAction = 'appendIfExistsOrAdd' | 'addIfAbsent' | 'overwriteIfExistsOrAdd' | 'overwriteIfExists';

/** One header to add. Envoy: `envoy.config.core.v3.HeaderValueOption`. */
export interface HeaderValueOption {
  /** `header.key`, lower-cased. */
  readonly key: string;
  /**
   * `header.value` (or `raw_value` decoded as UTF-8). May contain Envoy header formatters such as
   * `%DOWNSTREAM_REMOTE_ADDRESS%`, which the data plane expands per request.
   */
  readonly value: string;
  /** `append_action`. Default `appendIfExistsOrAdd`. */
  readonly appendAction: HeaderAppendAction;
  /** `keep_empty_value`: add the header even when its value expands to the empty string. Default false. */
  readonly keepEmptyValue: boolean;
}

/**
 * The headers a route, virtual host or route configuration adds and removes.
 * Envoy: `request_headers_to_add`, `request_headers_to_remove`, `response_headers_to_add`, `response_headers_to_remove`.
 */
export interface HeaderMutations {
  readonly requestHeadersToAdd: readonly HeaderValueOption[];
  /** Lower-cased header names. */
  readonly requestHeadersToRemove: readonly string[];
  readonly responseHeadersToAdd: readonly HeaderValueOption[];
  /** Lower-cased header names. */
  readonly responseHeadersToRemove: readonly string[];
}
