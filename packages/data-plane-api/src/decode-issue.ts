import type { SourceLocation } from './source-document.js';

/** One problem found while decoding or validating a document, at a path. */
export interface DecodeIssue {
  /** The path in Orion's path style, e.g. `static_resources.clusters[2](backend).connect_timeout`. */
  readonly path: string;
  /** What is wrong, e.g. `invalid duration "1m"`. */
  readonly message: string;
  /** Where in the source text, when known. */
  readonly location?: SourceLocation;
  /** The source file, when known. */
  readonly file?: string;
}

/** Renders an issue as `file:line:col: path: message` (parts omitted when unknown). */
export function formatIssue(issue: DecodeIssue): string {
  const where =
    issue.location === undefined
      ? issue.file === undefined ? '' : `${issue.file}: `
      : `${issue.file === undefined ? '' : `${issue.file}:`}${issue.location.line}:${issue.location.column}: `;
  return `${where}${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`;
}
