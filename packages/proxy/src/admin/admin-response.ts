/** What an admin handler answers. */
export interface AdminResponse {
  readonly status: number;
  /** Default `text/plain; charset=UTF-8`, as Envoy's fallback. */
  readonly contentType?: string;
  readonly body: string;
}

/** Envoy's content types. */
export const ContentType = {
  TEXT: 'text/plain; charset=UTF-8',
  JSON: 'application/json',
  HTML: 'text/html; charset=UTF-8',
} as const;

/** A plain-text answer. */
export function textResponse(body: string, status = 200): AdminResponse {
  return { status, body };
}

/** A JSON answer. */
export function jsonResponse(body: string, status = 200): AdminResponse {
  return { status, contentType: ContentType.JSON, body };
}

/**
 * Proto3 JSON as Envoy prints it with pretty-printing on (protobuf's printer: one space per level, `"key": value`).
 * Field order is the caller's, which follows the proto's field numbers.
 */
export function envoyPrettyJson(value: unknown): string {
  return JSON.stringify(value, null, 1);
}

/** A proto `google.protobuf.Duration` in JSON (`"12s"`, `"0.500s"`). */
export function durationJson(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const rest = Math.round(ms - seconds * 1000);
  return rest === 0 ? `${seconds}s` : `${seconds}.${String(rest).padStart(3, '0')}s`;
}
