/**
 * Which fields of one Envoy message type Orion reads. Every field that is set to a non-default value and listed in
 * neither list is rejected as not implemented.
 */
export interface MessageSupport {
  /** Fields implemented end to end by the data plane. */
  readonly supported: readonly string[];
  /** Fields with no effect on traffic, accepted and reported at debug level. */
  readonly ignored?: readonly string[];
  /** Wrapper fields (`google.protobuf.BoolValue`, …) that count as unset when they hold this value. */
  readonly unsetWhen?: Readonly<Record<string, boolean | number | string>>;
}

/**
 * A field whose `google.protobuf.Any` value is an extension chosen by its type URL, as Envoy does (never by `name`).
 */
export interface ExtensionPoint {
  /** What the extension is, for messages: `HTTP filter`, `network filter`, … */
  readonly kind: string;
  /** Implemented extension types (full message names). */
  readonly supported: readonly string[];
  /** Extension types accepted without effect (reported at debug level). */
  readonly ignored?: readonly string[];
  /** A bool field of the containing message that, when true, lets an unimplemented type be skipped with a warning. */
  readonly optionalFlag?: string;
  /** A bool field of the containing message that, when true, takes the extension out (skipped with a warning). */
  readonly disabledFlag?: string;
}
