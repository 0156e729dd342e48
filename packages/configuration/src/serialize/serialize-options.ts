/** Options of the `…ToEnvoyJson` serialisers. */
export interface SerializeOptions {
  /**
   * Redact fields Envoy marks `udpa.annotations.sensitive` (a TLS certificate's `private_key` and `password`), as
   * Envoy's admin `/config_dump` does: a data source naming a file keeps its `filename`, any other becomes
   * `{ "inline_string": "[redacted]" }`; other sensitive strings become `"[redacted]"`. Default true.
   */
  readonly redactSensitive?: boolean;
}
