/** Plain JSON data, e.g. node metadata (`google.protobuf.Struct` in Envoy). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A JSON object (Envoy's `google.protobuf.Struct`). */
export type JsonObject = { readonly [key: string]: JsonValue };
