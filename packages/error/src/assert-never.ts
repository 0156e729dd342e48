/** Exhaustiveness check for `switch` over a discriminated union: a compile error if a case is missing. */
export function assertNever(value: never, what = 'value'): never {
  throw new TypeError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
