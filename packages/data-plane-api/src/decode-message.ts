import { fromJson, type DescMessage, type JsonValue, type MessageShape } from '@bufbuild/protobuf';
import { OrionError } from '@orion/error';
import type { DecodeIssue } from './decode-issue.js';
import { formatIssue } from './decode-issue.js';
import { DataPlaneApiErrorCode } from './error-codes.js';
import { FieldPath } from './field-path.js';
import { checkJson, collectTypeUrls } from './json-walker.js';
import { validateRules } from './pgv-validator.js';
import type { SourceDocument } from './source-document.js';
import { typeRegistry as defaultRegistry, type LazyTypeRegistry } from './type-registry.js';

/** Options for {@link decodeMessage}. */
export interface DecodeMessageOptions {
  /** The document `value` came from, to give line:column in issues. */
  readonly document?: SourceDocument;
  /** Where `value` sits in `document` (default: the root). Issue paths are relative to the root either way. */
  readonly at?: FieldPath;
  /** Report unknown fields as warnings instead of errors (Envoy's `--allow-unknown-static-fields`). Default false. */
  readonly allowUnknownFields?: boolean;
  /** Skip the protoc-gen-validate rules. Default false. */
  readonly skipValidation?: boolean;
  /** The registry that resolves `@type`s. Default: the process-wide lazy registry. */
  readonly registry?: LazyTypeRegistry;
}

/** A decoded message and the problems that did not stop it. */
export interface Decoded<T> {
  readonly message: T;
  /** Unknown fields when `allowUnknownFields` is set. */
  readonly warnings: readonly DecodeIssue[];
}

/** Turns a path + message into an issue located in `document`. */
export function makeIssue(path: FieldPath, message: string, document: SourceDocument | undefined): DecodeIssue {
  const location = document?.locate(path);
  return {
    path: path.toString(),
    message,
    ...(location === undefined ? {} : { location }),
    ...(document?.path === undefined ? {} : { file: document.path }),
  };
}

/** Builds the single error that reports every issue of a decode, one per line. */
export function decodeError(issues: readonly DecodeIssue[], what: string): OrionError {
  const lines = issues.map(formatIssue);
  const message = issues.length === 1 ? (lines[0] ?? what) : `${issues.length} errors in ${what}:\n${lines.map((l) => `  ${l}`).join('\n')}`;
  return new OrionError(DataPlaneApiErrorCode.DECODE, message, { details: { issues } });
}

/**
 * Decodes a JSON/YAML value into an Envoy message (proto3 JSON mapping: snake_case or camelCase keys, `@type`
 * Anys, `"0.25s"` durations), loading the types its `@type`s name, and enforces the PGV rules.
 * @throws OrionError `ORION_ERR_DPAPI_DECODE` listing every issue, each `file:line:col: path: message`.
 */
export async function decodeMessage<Desc extends DescMessage>(
  schema: Desc,
  value: unknown,
  options: DecodeMessageOptions = {},
): Promise<Decoded<MessageShape<Desc>>> {
  const registry = options.registry ?? defaultRegistry;
  const at = options.at ?? FieldPath.root;
  const document = options.document;
  await registry.load(collectTypeUrls(value));
  const problems = checkJson(schema, value ?? {}, at, registry);
  const errors: DecodeIssue[] = [];
  const warnings: DecodeIssue[] = [];
  for (const p of problems) {
    const issue = makeIssue(p.path, p.message, document);
    if (p.unknownField === true && options.allowUnknownFields === true) warnings.push(issue);
    else errors.push(issue);
  }
  if (errors.length > 0) throw decodeError(errors, schema.typeName);
  let message: MessageShape<Desc>;
  try {
    message = fromJson(schema, (value ?? {}) as JsonValue, { registry: registry.registry, ignoreUnknownFields: options.allowUnknownFields === true });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw decodeError([makeIssue(at, reason, document)], schema.typeName);
  }
  if (options.skipValidation !== true) {
    const violations = validateRules(schema, message, at, registry);
    if (violations.length > 0) throw decodeError(violations.map((v) => makeIssue(v.path, v.message, document)), schema.typeName);
  }
  return { message, warnings };
}
