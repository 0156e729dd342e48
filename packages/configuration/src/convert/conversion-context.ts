import type { DecodeIssue, FieldPath, LazyTypeRegistry } from '@orion/data-plane-api';

/** Turns a path and a message into an issue located in the source document(s). */
export type IssueLocator = (path: FieldPath, message: string) => DecodeIssue;

/** State shared by the converters of one resource or bootstrap: where issues go and how they are located. */
export class ConversionContext {
  /** Errors: the configuration is refused when any is present. */
  readonly issues: DecodeIssue[] = [];
  /** Warnings: accepted, reported once at startup. */
  readonly warnings: DecodeIssue[] = [];

  constructor(
    readonly locate: IssueLocator,
    readonly registry: LazyTypeRegistry,
  ) {}

  /** Records an error at `path`. */
  error(path: FieldPath, message: string): void {
    this.issues.push(this.locate(path, message));
  }

  /** Records a warning at `path`. */
  warn(path: FieldPath, message: string): void {
    this.warnings.push(this.locate(path, message));
  }
}
