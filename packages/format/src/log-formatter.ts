import { readFile } from 'node:fs/promises';
import { OrionError } from '@orion/error';
import { compileEnv, compileTemplate, type CompileOptions, type CompiledTemplate } from './compile.js';
import { ORION_ERR_FORMAT_CONFIG, ORION_ERR_FORMAT_FILE_READ } from './error-codes.js';
import type { FormatContext } from './format-context.js';
import { JsonRenderer, compileJson, type JsonMode, type JsonNode } from './json-format.js';
import type { Op } from './operators/op.js';
import { buildTextRender, type TextRender } from './text-renderer.js';

/** Options of {@link LogFormatter.text} and {@link LogFormatter.json}. */
export interface LogFormatterOptions extends CompileOptions {
  /** Envoy `omit_empty_values`: unset values render as nothing (text) or are left out (JSON). Default false. */
  readonly omitEmptyValues?: boolean | undefined;
  /**
   * `typed` (default, Envoy's `json_format`): numbers stay numbers, unset is `null`. `untyped`: the deprecated mode
   * where every value is a string and unset is `"-"`.
   */
  readonly jsonMode?: JsonMode | undefined;
  /** Envoy `content_type`. Default: `text/plain` for text, `application/json` for JSON. */
  readonly contentType?: string | undefined;
}

/** Envoy `config.core.v3.DataSource` for `text_format_source` (snake_case or protobuf-JSON camelCase). */
export interface DataSourceConfig {
  readonly inline_string?: string | undefined;
  readonly inlineString?: string | undefined;
  /** Bytes, or their base64 text (protobuf JSON form). */
  readonly inline_bytes?: string | Uint8Array | undefined;
  readonly inlineBytes?: string | Uint8Array | undefined;
  readonly filename?: string | undefined;
}

/** Envoy `config.core.v3.SubstitutionFormatString`, in protobuf-JSON form (snake_case or camelCase keys). */
export interface SubstitutionFormatStringConfig {
  readonly text_format?: string | undefined;
  readonly textFormat?: string | undefined;
  readonly text_format_source?: DataSourceConfig | undefined;
  readonly textFormatSource?: DataSourceConfig | undefined;
  readonly json_format?: Readonly<Record<string, unknown>> | undefined;
  readonly jsonFormat?: Readonly<Record<string, unknown>> | undefined;
  readonly omit_empty_values?: boolean | undefined;
  readonly omitEmptyValues?: boolean | undefined;
  readonly content_type?: string | undefined;
  readonly contentType?: string | undefined;
  /** Accepted and ignored: Envoy always sorts `json_format` keys. */
  readonly json_format_options?: { readonly sort_properties?: boolean } | undefined;
  readonly jsonFormatOptions?: { readonly sortProperties?: boolean } | undefined;
  /** Formatter extensions: only an empty list is accepted. */
  readonly formatters?: readonly unknown[] | undefined;
}

/** Options of {@link LogFormatter.fromConfig}. */
export interface FromConfigOptions extends CompileOptions {
  /** The text of `text_format_source.filename`, read by the caller (see {@link LogFormatter.fromConfigAsync}). */
  readonly fileContents?: string | undefined;
  /** JSON mode for `json_format`. Default `typed`. */
  readonly jsonMode?: JsonMode | undefined;
}

type Utf8Writer = (this: Buffer, s: string, offset: number, length: number) => number;
/** Node's `Buffer#utf8Write` skips `write()`'s argument juggling; fall back to `write` where it is missing. */
const nativeUtf8Write = (Buffer.prototype as unknown as { utf8Write?: Utf8Writer }).utf8Write;
const writeUtf8: (buf: Buffer, s: string, offset: number, length: number) => number =
  typeof nativeUtf8Write === 'function'
    ? (buf, s, offset, length) => nativeUtf8Write.call(buf, s, offset, length)
    : (buf, s, offset, length) => buf.write(s, offset, length, 'utf8');

type Plan =
  | { readonly kind: 'text'; readonly template: CompiledTemplate }
  | { readonly kind: 'json'; readonly root: JsonNode; readonly mode: JsonMode };

const cloneOp = (op: Op): Op => (op.clone === undefined ? op : op.clone());

/**
 * Per-worker rendering state of a {@link LogFormatter}: the cached per-second time text and the generated render
 * function. Create one per worker (or per logger) with {@link LogFormatter.createLocal}; it is not thread-safe
 * and needs no locking in a single JS thread.
 */
export class LogFormatterLocal {
  private readonly renderLine: (ctx: FormatContext) => string;

  /** @internal use {@link LogFormatter.createLocal}. */
  constructor(plan: Plan, omitEmpty: boolean) {
    if (plan.kind === 'text') {
      const render: TextRender = buildTextRender(plan.template.literals, plan.template.ops.map(cloneOp), omitEmpty ? '' : '-');
      this.renderLine = render;
    } else {
      const renderer = new JsonRenderer(plan.root, cloneOp, plan.mode, omitEmpty);
      this.renderLine = (ctx) => renderer.render(ctx);
    }
  }

  /** Renders one line as a string. */
  render(ctx: FormatContext): string {
    return this.renderLine(ctx);
  }

  /**
   * Renders one line into `buf` at `offset` as UTF-8. Returns the bytes written, or -1 when the line does not fit
   * (then the bytes after `offset` are unspecified).
   */
  renderInto(ctx: FormatContext, buf: Buffer, offset = 0): number {
    const line = this.renderLine(ctx);
    const free = buf.length - offset;
    if (line.length > free) return -1;
    const written = writeUtf8(buf, line, offset, free);
    if (written === line.length || written <= free - 4) return written;
    return Buffer.byteLength(line) === written ? written : -1;
  }
}

/**
 * A parsed Envoy substitution format (text or `json_format`): parse once, render many times.
 *
 * ```ts
 * const f = LogFormatter.text(ENVOY_DEFAULT_FORMAT);
 * process.stdout.write(f.render(ctx));
 * ```
 */
export class LogFormatter {
  /** `text` for text formats, `json` for `json_format`. */
  readonly kind: 'text' | 'json';
  /** Envoy `content_type`: the configured one, else `text/plain` or `application/json`. */
  readonly contentType: string;
  /** Envoy `omit_empty_values`. */
  readonly omitEmptyValues: boolean;
  private readonly plan: Plan;
  private defaultLocal: LogFormatterLocal | undefined;

  private constructor(plan: Plan, omitEmpty: boolean, contentType: string | undefined) {
    this.plan = plan;
    this.kind = plan.kind;
    this.omitEmptyValues = omitEmpty;
    this.contentType = contentType ?? (plan.kind === 'json' ? 'application/json' : 'text/plain');
  }

  /** Parses a text format (Envoy `text_format`). Throws `ORION_ERR_FORMAT_PARSE`. */
  static text(format: string, options: LogFormatterOptions = {}): LogFormatter {
    const template = compileTemplate(format, compileEnv(options));
    return new LogFormatter({ kind: 'text', template }, options.omitEmptyValues ?? false, options.contentType);
  }

  /** Parses a `json_format` struct given as a plain object. Throws `ORION_ERR_FORMAT_PARSE` or `ORION_ERR_FORMAT_CONFIG`. */
  static json(format: Readonly<Record<string, unknown>>, options: LogFormatterOptions = {}): LogFormatter {
    const mode = options.jsonMode ?? 'typed';
    const root = compileJson(format, mode, compileEnv(options));
    return new LogFormatter({ kind: 'json', root, mode }, options.omitEmptyValues ?? false, options.contentType);
  }

  /**
   * Builds a formatter from an Envoy `SubstitutionFormatString`. For `text_format_source.filename` pass the file's
   * text as `options.fileContents`, or use {@link fromConfigAsync}.
   */
  static fromConfig(config: SubstitutionFormatStringConfig, options: FromConfigOptions = {}): LogFormatter {
    if (config === null || typeof config !== 'object') throw new OrionError(ORION_ERR_FORMAT_CONFIG, 'the format configuration must be an object');
    if (config.formatters !== undefined && config.formatters.length > 0) {
      throw new OrionError(ORION_ERR_FORMAT_CONFIG, 'formatters: formatter extensions are not supported');
    }
    const text = config.text_format ?? config.textFormat;
    const source = config.text_format_source ?? config.textFormatSource;
    const json = config.json_format ?? config.jsonFormat;
    const given = [text !== undefined, source !== undefined, json !== undefined].filter(Boolean).length;
    if (given !== 1) {
      throw new OrionError(
        ORION_ERR_FORMAT_CONFIG,
        given === 0
          ? 'one of text_format, text_format_source or json_format is required'
          : 'only one of text_format, text_format_source or json_format may be set',
      );
    }
    const shared: LogFormatterOptions = {
      ...options,
      omitEmptyValues: config.omit_empty_values ?? config.omitEmptyValues ?? false,
      contentType: config.content_type ?? config.contentType,
    };
    if (json !== undefined) return LogFormatter.json(json, shared);
    if (text !== undefined) {
      if (typeof text !== 'string') throw new OrionError(ORION_ERR_FORMAT_CONFIG, 'text_format must be a string');
      return LogFormatter.text(text, shared);
    }
    return LogFormatter.text(dataSourceText(source as DataSourceConfig, options.fileContents), shared);
  }

  /** Like {@link fromConfig}, reading `text_format_source.filename` (UTF-8) itself. */
  static async fromConfigAsync(config: SubstitutionFormatStringConfig, options: FromConfigOptions = {}): Promise<LogFormatter> {
    const filename = (config?.text_format_source ?? config?.textFormatSource)?.filename;
    if (filename === undefined || options.fileContents !== undefined) return LogFormatter.fromConfig(config, options);
    let fileContents: string;
    try {
      fileContents = await readFile(filename, 'utf8');
    } catch (err) {
      throw new OrionError(ORION_ERR_FORMAT_FILE_READ, `reading text_format_source.filename ${JSON.stringify(filename)}`, {
        cause: err,
        details: { filename },
      });
    }
    return LogFormatter.fromConfig(config, { ...options, fileContents });
  }

  /** A new per-worker renderer with its own caches. */
  createLocal(): LogFormatterLocal {
    return new LogFormatterLocal(this.plan, this.omitEmptyValues);
  }

  /** Renders one line (with a shared per-formatter {@link LogFormatterLocal}). */
  render(ctx: FormatContext): string {
    return (this.defaultLocal ??= this.createLocal()).render(ctx);
  }

  /** Renders one line into `buf` at `offset`; returns the bytes written or -1 when it does not fit. */
  renderInto(ctx: FormatContext, buf: Buffer, offset = 0): number {
    return (this.defaultLocal ??= this.createLocal()).renderInto(ctx, buf, offset);
  }
}

function dataSourceText(source: DataSourceConfig, fileContents: string | undefined): string {
  if (source === null || typeof source !== 'object') throw new OrionError(ORION_ERR_FORMAT_CONFIG, 'text_format_source must be an object');
  const inline = source.inline_string ?? source.inlineString;
  const bytes = source.inline_bytes ?? source.inlineBytes;
  const set = [inline !== undefined, bytes !== undefined, source.filename !== undefined].filter(Boolean).length;
  if (set !== 1) {
    throw new OrionError(ORION_ERR_FORMAT_CONFIG, 'text_format_source needs exactly one of inline_string, inline_bytes or filename');
  }
  if (inline !== undefined) return inline;
  if (bytes !== undefined) {
    return typeof bytes === 'string' ? Buffer.from(bytes, 'base64').toString('utf8') : Buffer.from(bytes).toString('utf8');
  }
  if (fileContents === undefined) {
    throw new OrionError(
      ORION_ERR_FORMAT_CONFIG,
      'text_format_source.filename: pass the file text as fileContents or use LogFormatter.fromConfigAsync',
      { details: { filename: source.filename } },
    );
  }
  return fileContents;
}
