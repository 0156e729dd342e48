/**
 * A string as the interner knows it: the canonical `value` and its `id`, a small integer unique within
 * the process (dense, from 0, in order of first interning). The same string always yields the same
 * object, so records can be compared with `===` and kept without copying. Treat it as immutable: it is
 * shared by every caller and, for speed, not frozen.
 */
export interface InternedString {
  /** Dense id, `0 … size - 1`; valid in this process only (workers number strings independently). */
  readonly id: number;
  /** The canonical copy of the string. */
  readonly value: string;
}
