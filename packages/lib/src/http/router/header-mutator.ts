import type { HeaderAppendAction, HeaderValueOption } from '@orion/configuration';
import { OrionError, assertNever } from '@orion/error';
import type { FormatContext } from '@orion/format';
import { HeaderValueTemplate } from './header-value-template.js';
import { RouterErrorCode } from './router-error-codes.js';

/**
 * Headers as a plain record with lower-case names, changed in place; a repeated header is an array (Node's
 * `IncomingHttpHeaders` / `OutgoingHttpHeaders` shape).
 */
export type MutableHeaders = Record<string, string | string[] | undefined>;

interface AddEntry {
  readonly key: string;
  readonly value: HeaderValueTemplate;
  readonly action: HeaderAppendAction;
  readonly keepEmptyValue: boolean;
}

/** Envoy refuses to add or remove pseudo-headers and `host` (`HeaderUtility::isModifiableHeader`). */
function checkModifiable(name: string, where: string, verb: 'added' | 'removed'): void {
  if (name.charCodeAt(0) === 0x3a || name === 'host') {
    throw new OrionError(RouterErrorCode.ROUTE_CONFIG, `${where}: ${JSON.stringify(name)}: :-prefixed or host headers may not be ${verb}`, {
      details: { where, header: name },
    });
  }
}

function append(headers: MutableHeaders, key: string, value: string): void {
  const existing = headers[key];
  if (existing === undefined) headers[key] = value;
  else if (typeof existing === 'string') headers[key] = [existing, value];
  else headers[key] = [...existing, value];
}

/**
 * One level's header changes in one direction, compiled once. Envoy: a `HeaderParser` built from
 * `*_headers_to_add` and `*_headers_to_remove` of a route configuration, virtual host, route or weighted cluster.
 */
export class HeaderMutator {
  readonly #remove: readonly string[];
  readonly #add: readonly AddEntry[];
  /**
   * Every value is plain text and every entry appends (or every entry overwrites): writing in configuration order
   * gives the same headers as Envoy's render-all-then-write, without the intermediate lists.
   */
  readonly #direct: boolean;

  private constructor(remove: readonly string[], add: readonly AddEntry[]) {
    this.#remove = remove;
    this.#add = add;
    const first = add[0]?.action;
    this.#direct =
      (first === 'appendIfExistsOrAdd' || first === 'overwriteIfExistsOrAdd') && add.every((e) => e.action === first && e.value.literal !== undefined);
  }

  /**
   * Compiles one level; undefined when it changes nothing. Throws `ORION_ERR_LIB_ROUTE_CONFIG` naming `where` for a
   * pseudo-header or `host`, or a value the formatter cannot parse.
   */
  static compile(toAdd: readonly HeaderValueOption[], toRemove: readonly string[], where: string): HeaderMutator | undefined {
    if (toAdd.length === 0 && toRemove.length === 0) return undefined;
    const remove = toRemove.map((name) => {
      const lower = name.toLowerCase();
      checkModifiable(lower, `${where}_to_remove`, 'removed');
      return lower;
    });
    const add = toAdd.map((option, i): AddEntry => {
      const at = `${where}_to_add[${i}]`;
      const key = option.key.toLowerCase();
      checkModifiable(key, at, 'added');
      return { key, value: HeaderValueTemplate.compile(option.value, `${at}.header.value`), action: option.appendAction, keepEmptyValue: option.keepEmptyValue };
    });
    return new HeaderMutator(remove, add);
  }

  /**
   * Applies the changes to `headers` as Envoy's `HeaderParser::evaluateHeaders` does: removals first; then every
   * value is rendered (against the headers as they are after the removals) and tested for presence before any is
   * written; overwrites are written before appends. An empty value is skipped unless `keep_empty_value`.
   * `ctx` is what the operators read; let its header lookups read `headers` so `%REQ(x)%` sees the current values.
   */
  apply(headers: MutableHeaders, ctx: FormatContext): void {
    for (const name of this.#remove) delete headers[name];
    const add = this.#add;
    if (add.length === 0) return;
    if (this.#direct) {
      for (const entry of add) {
        const value = entry.value.literal as string;
        if (value === '' && !entry.keepEmptyValue) continue;
        if (entry.action === 'appendIfExistsOrAdd') append(headers, entry.key, value);
        else headers[entry.key] = value;
      }
      return;
    }
    let appends: [string, string][] | undefined;
    let overwrites: [string, string][] | undefined;
    for (const entry of add) {
      const value = entry.value.render(ctx);
      if (value === '' && !entry.keepEmptyValue) continue;
      const key = entry.key;
      switch (entry.action) {
        case 'appendIfExistsOrAdd':
          (appends ??= []).push([key, value]);
          break;
        case 'addIfAbsent':
          if (headers[key] === undefined) (appends ??= []).push([key, value]);
          break;
        case 'overwriteIfExists':
          if (headers[key] !== undefined) (overwrites ??= []).push([key, value]);
          break;
        case 'overwriteIfExistsOrAdd':
          (overwrites ??= []).push([key, value]);
          break;
        default:
          assertNever(entry.action);
      }
    }
    if (overwrites !== undefined) for (const [key, value] of overwrites) headers[key] = value;
    if (appends !== undefined) for (const [key, value] of appends) append(headers, key, value);
  }
}
