/**
 * The first value of a possibly repeated header: Node joins repeated request headers with `, `, and
 * B3 says "when extracting state headers, the first value wins". Returns the value itself (no
 * allocation) when it holds no comma.
 */
export function b3FirstValue(value: string): string {
  const comma = value.indexOf(',');
  return comma === -1 ? value : value.slice(0, comma).trim();
}
