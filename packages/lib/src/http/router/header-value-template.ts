import { OrionError } from '@orion/error';
import { LogFormatter, type FormatContext } from '@orion/format';
import { RouterErrorCode } from './router-error-codes.js';

/**
 * A header value to add, parsed once: plain text, or text with Envoy command operators (`%REQ(x)%`,
 * `%DOWNSTREAM_REMOTE_ADDRESS%`, …) rendered per request, where a value the request lacks renders as nothing.
 * Envoy: `HeaderValueOption.header.value`, parsed by the substitution formatter (`%%` is a literal `%`).
 */
export class HeaderValueTemplate {
  /** The configured text. */
  readonly source: string;
  /** The value when it has no operator; undefined when it must be rendered. */
  readonly literal: string | undefined;
  readonly #formatter: LogFormatter | undefined;

  private constructor(source: string, literal: string | undefined, formatter: LogFormatter | undefined) {
    this.source = source;
    this.literal = literal;
    this.#formatter = formatter;
  }

  /** Parses `source`; throws `ORION_ERR_LIB_ROUTE_CONFIG` naming `where` for an unknown operator or a lone `%`. */
  static compile(source: string, where: string): HeaderValueTemplate {
    const literal = literalText(source);
    if (literal !== undefined) return new HeaderValueTemplate(source, literal, undefined);
    try {
      return new HeaderValueTemplate(source, undefined, LogFormatter.text(source, { omitEmptyValues: true }));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new OrionError(RouterErrorCode.ROUTE_CONFIG, `${where}: invalid header value ${JSON.stringify(source)}: ${reason}`, {
        cause: err,
        details: { where, value: source },
      });
    }
  }

  /** The value for one request or response. */
  render(ctx: FormatContext): string {
    return this.literal ?? (this.#formatter as LogFormatter).render(ctx);
  }
}

/** `source` with `%%` unescaped when every `%` in it is part of a `%%`; undefined when it has an operator. */
function literalText(source: string): string | undefined {
  let pct = source.indexOf('%');
  if (pct < 0) return source;
  let out = '';
  let from = 0;
  while (pct >= 0) {
    if (source.charCodeAt(pct + 1) !== 0x25) return undefined;
    out += source.slice(from, pct + 1);
    from = pct + 2;
    pct = source.indexOf('%', from);
  }
  return out + source.slice(from);
}
