import { OrionError, type ContextData } from './orion-error.js';

/** Options for {@link printError}. */
export interface PrintErrorOptions {
  /** Include `[CODE]` after each OrionError message. Default: true. */
  readonly codes?: boolean;
  /** Maximum depth of the cause chain. Default: 16. */
  readonly maxDepth?: number;
}

function formatData(data: ContextData | undefined): string {
  if (data === undefined) return '';
  const pairs = Object.entries(data)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`);
  return pairs.length === 0 ? '' : ` (${pairs.join(', ')})`;
}

/**
 * Renders an error and its whole chain, outermost context first:
 *
 * ```text
 * loading configuration (file=orion.yaml)
 * caused by: decoding bootstrap
 * caused by: invalid duration "1m" [ORION_ERR_CONFIG_INVALID]
 * caused by: ...native cause...
 * ```
 */
export function printError(error: unknown, options: PrintErrorOptions = {}): string {
  const codes = options.codes ?? true;
  const maxDepth = options.maxDepth ?? 16;
  const lines: string[] = [];
  let current: unknown = error;
  const seen = new Set<unknown>();
  for (let depth = 0; current !== undefined && current !== null && depth < maxDepth; depth++) {
    if (seen.has(current)) break;
    seen.add(current);
    if (current instanceof OrionError) {
      for (const frame of [...current.context].reverse()) lines.push(`${frame.message}${formatData(frame.data)}`);
      lines.push(codes ? `${current.message} [${current.code}]` : current.message);
      current = current.cause;
    } else if (current instanceof Error) {
      const sys = (current as NodeJS.ErrnoException).code;
      lines.push(typeof sys === 'string' && !current.message.includes(sys) ? `${current.message} (${sys})` : current.message);
      current = current.cause;
    } else {
      lines.push(String(current));
      current = undefined;
    }
  }
  return lines.map((line, i) => (i === 0 ? line : `caused by: ${line}`)).join('\n');
}
