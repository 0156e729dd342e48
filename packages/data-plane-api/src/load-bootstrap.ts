import type { Bootstrap } from './gen/envoy/config/bootstrap/v3/bootstrap_pb.js';
import { BootstrapSchema } from './gen/envoy/config/bootstrap/v3/bootstrap_pb.js';
import type { DecodeIssue } from './decode-issue.js';
import { decodeMessage, type DecodeMessageOptions } from './decode-message.js';
import { parseSource, type SourceDocument, type SourceFormat } from './source-document.js';

/** Options for {@link loadBootstrap}. */
export interface LoadBootstrapOptions extends Omit<DecodeMessageOptions, 'document'> {
  /** Default: from the file name (`.json` → json), else yaml. */
  readonly format?: SourceFormat;
  /** The file name, used in messages. */
  readonly path?: string;
}

/** A decoded bootstrap with its source document (for locating later errors) and warnings. */
export interface LoadedBootstrap {
  readonly message: Bootstrap;
  readonly document: SourceDocument;
  readonly warnings: readonly DecodeIssue[];
}

/**
 * Reads an Envoy v3 bootstrap from YAML or JSON text.
 * @throws OrionError `ORION_ERR_DPAPI_SYNTAX` or `ORION_ERR_DPAPI_DECODE` (every issue with path and line:column).
 */
export async function loadBootstrap(text: string, options: LoadBootstrapOptions = {}): Promise<LoadedBootstrap> {
  const document = parseSource(text, {
    ...(options.format === undefined ? {} : { format: options.format }),
    ...(options.path === undefined ? {} : { path: options.path }),
  });
  const decoded = await decodeMessage(BootstrapSchema, document.value, { ...options, document });
  return { message: decoded.message, document, warnings: decoded.warnings };
}
